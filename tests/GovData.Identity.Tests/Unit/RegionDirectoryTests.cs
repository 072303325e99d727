using GovData.SharedKernel.Regions;
using Shouldly;
using Xunit;

namespace GovData.Identity.Tests.Unit;

public sealed class RegionDirectoryTests
{
    private static readonly RegionDirectory Regions = RegionDirectory.Default;

    [Fact]
    public void Embedded_list_has_every_line_of_the_2024_file() =>
        // gbt2260-areacodes-2024.txt has 3213 lines, one code each.
        Regions.Count.ShouldBe(3213);

    [Fact]
    public void Provinces_are_the_31_provincial_divisions_plus_hong_kong_macao_taiwan()
    {
        Regions.Provinces.Count.ShouldBeInRange(31, 34);
        Regions.Provinces.ShouldContain(r => r.Code == "370000" && r.Name == "山东省");
        Regions.Provinces.ShouldAllBe(r => r.Level == RegionLevel.Province && r.ParentCode == null);
        Regions.Provinces.Select(r => r.Code).ShouldBe(Regions.Provinces.Select(r => r.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void County_parent_is_its_prefecture()
    {
        var lanshan = Regions.Find("371302").ShouldNotBeNull();
        lanshan.Name.ShouldBe("兰山区");
        lanshan.Level.ShouldBe(RegionLevel.County);
        lanshan.ParentCode.ShouldBe("371300");
        Regions.Find("371300")!.ParentCode.ShouldBe("370000");
        Regions.FullName("371302").ShouldBe("山东省临沂市兰山区");
        Regions.PathOf("371302").Select(r => r.Code).ShouldBe(["370000", "371300", "371302"]);
        Regions.IsWithin("371302", "370000").ShouldBeTrue();
        Regions.IsWithin("371302", "370100").ShouldBeFalse();
    }

    [Theory]
    [InlineData("110101", "110000")] // 北京市东城区: municipality districts have no prefecture row
    [InlineData("419001", "410000")] // 济源市: 省直辖县级行政区划
    public void County_without_prefecture_row_has_the_province_as_parent(string code, string province)
    {
        Regions.Find(code).ShouldNotBeNull().ParentCode.ShouldBe(province);
        Regions.ChildrenOf(province).ShouldContain(r => r.Code == code);
    }

    [Fact]
    public void Children_are_direct_and_ordered()
    {
        var children = Regions.ChildrenOf("370000");
        children.ShouldContain(r => r.Code == "371300" && r.Name == "临沂市");
        children.ShouldAllBe(r => r.ParentCode == "370000");
        children.ShouldNotContain(r => r.Code == "371302");
        Regions.ChildrenOf("999999").ShouldBeEmpty();
    }

    [Fact]
    public void Validate_accepts_listed_codes() => Regions.Validate("371302").ShouldBeNull();

    [Theory]
    [InlineData("37130", "应为6位数字，实际为5位")]
    [InlineData("3713021", "应为6位数字，实际为7位")]
    [InlineData("37130A", "只能包含数字")]
    [InlineData("37 302", "只能包含数字")]
    [InlineData("379999", "不在 GB/T 2260 县级及以上行政区划代码表中")]
    [InlineData("", "行政区划代码不能为空")]
    public void Validate_explains_what_is_wrong(string code, string message)
    {
        var error = Regions.Validate(code).ShouldNotBeNull();
        error.ShouldContain(message);
        Regions.IsValid(code).ShouldBeFalse();
    }

    [Fact]
    public void Malformed_list_lines_are_rejected() =>
        Should.Throw<FormatException>(() => new RegionDirectory(["370000 山东省", "37010 济南市"])).Message.ShouldContain("37010 济南市");

    [Fact]
    public void Parent_falls_back_when_ancestors_are_missing()
    {
        var small = new RegionDirectory(["370000 山东省", "371302 兰山区", "990101 某区"]);
        small.Find("371302")!.ParentCode.ShouldBe("370000");
        small.Find("990101")!.ParentCode.ShouldBeNull();
    }
}
