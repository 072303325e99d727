using GovData.Catalog.Contracts;

namespace GovData.Catalog.Tests;

public class ResourceCodeTests
{
    [Fact]
    public void Parses_the_audit_report_example_from_the_guide_slides()
    {
        var code = ResourceCode.Parse("303026010201/1");
        code.ClassCode.ShouldBe(3);
        code.Class.ShouldBe(ResourceClass.Departmental);
        code.ItemCode.ShouldBe("03");
        code.CategoryCode.ShouldBe("026");
        code.DetailPath.ShouldBe("010201");
        code.Sequence.ShouldBe(1);
        code.Prefix.ShouldBe("303026010201");
        code.Suffix.ShouldBe("1");
        code.ToString().ShouldBe("303026010201/1");
    }

    [Fact]
    public void Parses_the_local_example_with_a_seven_digit_detail()
    {
        var code = ResourceCode.Parse("3300011010102/1");
        code.ItemCode.ShouldBe("30");
        code.CategoryCode.ShouldBe("001");
        code.DetailPath.ShouldBe("1010102");
        code.Sequence.ShouldBe(1);
    }

    [Fact]
    public void A_resource_may_hang_directly_under_a_category_without_detail()
    {
        var code = ResourceCode.Parse("102003/27");
        code.DetailPath.ShouldBe("");
        code.Sequence.ShouldBe(27);
        code.Prefix.ShouldBe("102003");
    }

    [Theory]
    [InlineData("303026010201%2F1")]
    [InlineData("303026010201%2f1")]
    [InlineData(" 303026010201/1 ")]
    [InlineData("303026010201／1")]
    public void Accepts_escaped_and_full_width_slashes(string text) =>
        ResourceCode.Parse(text).ToString().ShouldBe("303026010201/1");

    [Fact]
    public void Renders_from_parts_and_round_trips()
    {
        var code = ResourceCode.Create(1, "02", "003", "0102", 15);
        code.ToString().ShouldBe("1020030102/15");
        ResourceCode.Parse(code.ToString()).ShouldBe(code);
        code.ToPathSegment().ShouldBe("1020030102%2F15");
        ResourceCode.FromPrefix("1020030102", 15).ShouldBe(code);
    }

    [Theory]
    [InlineData("", "不能为空")]
    [InlineData("303026010201", "缺少“/”")]
    [InlineData("3030/26/1", "只能包含一个“/”")]
    [InlineData("30302/1", "应至少6位")]
    [InlineData("403026/1", "类代码")]
    [InlineData("003026/1", "类代码")]
    [InlineData("300026/1", "项代码不能为00")]
    [InlineData("303000/1", "目代码不能为000")]
    [InlineData("3030A6/1", "只能包含数字")]
    [InlineData("303026/", "后段码（信息资源顺序码）不能为空")]
    [InlineData("303026/01", "不能以0开头")]
    [InlineData("303026/0", "不能以0开头")]
    [InlineData("303026/1a", "只能包含数字")]
    [InlineData("303026/1234567890", "不能超过9位")]
    [InlineData("3030260102030405060708091011121314/1", "不能超过30位")]
    public void Rejects_malformed_codes_with_a_chinese_reason(string text, string reason)
    {
        ResourceCode.TryParse(text, out var code, out var error).ShouldBeFalse();
        code.ShouldBeNull();
        error.ShouldNotBeNull().ShouldContain(reason);
        Should.Throw<FormatException>(() => ResourceCode.Parse(text)).Message.ShouldContain(reason);
    }

    [Theory]
    [InlineData("303026010201/1", true)]
    [InlineData("102003/1", true)]
    [InlineData("10200/1", false)]
    [InlineData("402003/1", false)]
    [InlineData("102003/", false)]
    [InlineData("102003-1", false)]
    public void Shape_check_follows_the_spec_pattern(string text, bool ok) => ResourceCode.HasValidShape(text).ShouldBe(ok);

    [Theory]
    [InlineData(4, "02", "003", "", 1, "类代码")]
    [InlineData(1, "2", "003", "", 1, "项代码")]
    [InlineData(1, "02", "03", "", 1, "目代码")]
    [InlineData(1, "02", "003", "0x", 1, "细目代码")]
    [InlineData(1, "02", "003", "", 0, "从1开始")]
    public void Create_refuses_invalid_parts(int cls, string item, string category, string detail, long sequence, string reason) =>
        Should.Throw<FormatException>(() => ResourceCode.Create(cls, item, category, detail, sequence)).Message.ShouldContain(reason);

    [Fact]
    public void Codes_with_equal_parts_are_equal_and_different_splits_are_not()
    {
        ResourceCode.Parse("303026010201/1").ShouldBe(ResourceCode.Create(3, "03", "026", "010201", 1));
        ResourceCode.Parse("303026010201/1").ShouldNotBe(ResourceCode.Parse("303026010201/2"));
    }
}
