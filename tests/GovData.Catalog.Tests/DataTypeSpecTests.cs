using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;

namespace GovData.Catalog.Tests;

public class DataTypeSpecTests
{
    [Theory]
    [InlineData("C,18", ItemDataType.C, 18, null, "C,18")]
    [InlineData("C, 18", ItemDataType.C, 18, null, "C,18")]
    [InlineData("C，50", ItemDataType.C, 50, null, "C,50")]
    [InlineData("c,6", ItemDataType.C, 6, null, "C,6")]
    [InlineData("D,10", ItemDataType.D, 10, null, "D,10")]
    [InlineData("N,12,2", ItemDataType.N, 12, 2, "N,12,2")]
    [InlineData("N(12,2)", ItemDataType.N, 12, 2, "N,12,2")]
    [InlineData("字符型,18", ItemDataType.C, 18, null, "C,18")]
    [InlineData("日期时间型,19", ItemDataType.T, 19, null, "T,19")]
    [InlineData("M", ItemDataType.M, null, null, "M")]
    public void Parses_the_template_notation(string text, ItemDataType type, int? length, int? precision, string rendered)
    {
        DataTypeSpec.TryParse(text, out var spec, out var error).ShouldBeTrue(error);
        spec.Type.ShouldBe(type);
        spec.Length.ShouldBe(length);
        spec.Precision.ShouldBe(precision);
        spec.ToString().ShouldBe(rendered);
    }

    [Theory]
    [InlineData("")]
    [InlineData("X,10")]
    [InlineData("C;18")]
    [InlineData("字符串,18")]
    [InlineData("C,18,2,1")]
    public void Rejects_unknown_types(string text)
    {
        DataTypeSpec.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("C,18", null)]
    [InlineData("C", "须注明长度")]
    [InlineData("C,5000", "不能超过4000")]
    [InlineData("N,12,2", null)]
    [InlineData("N", "须注明长度")]
    [InlineData("N,4,4", "应小于总长度")]
    [InlineData("N,40", "不能超过38位")]
    [InlineData("Y,16,2", null)]
    [InlineData("Y,16,6", "不能超过4位")]
    [InlineData("D,10", null)]
    [InlineData("D,8", null)]
    [InlineData("D", "须注明长度")]
    [InlineData("D,9", "应为8（YYYYMMDD）或10")]
    [InlineData("T,19", null)]
    [InlineData("T,14", null)]
    [InlineData("T,20", "应为14、19、23或26")]
    [InlineData("T", "须注明长度")]
    [InlineData("L,1", null)]
    [InlineData("L", null)]
    [InlineData("L,2", "应为1")]
    [InlineData("I,10", null)]
    [InlineData("I,20", "不能超过19位")]
    [InlineData("C,10,2", "不能填写小数位数")]
    [InlineData("F,10,2", null)]
    [InlineData("B,5,5", "应小于总长度")]
    [InlineData("M", null)]
    [InlineData("G", null)]
    [InlineData("C,0", "正整数")]
    public void Checks_length_and_precision_per_type(string text, string? problem)
    {
        DataTypeSpec.TryParse(text, out var spec, out _).ShouldBeTrue();
        var error = spec.Validate();
        if (problem is null) error.ShouldBeNull();
        else error.ShouldNotBeNull().ShouldContain(problem);
    }
}
