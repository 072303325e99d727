using GovData.Catalog.Contracts;

namespace GovData.Catalog.Tests;

public class CatalogTermsTests
{
    [Theory]
    [InlineData("无条件共享", ShareType.Unconditional)]
    [InlineData("有条件", ShareType.Conditional)]
    [InlineData("NotShared", ShareType.NotShared)]
    [InlineData(" 不予共享 ", ShareType.NotShared)]
    public void Parses_terms_aliases_and_names(string text, ShareType expected)
    {
        CatalogTerms.TryParse<ShareType>(text, out var value).ShouldBeTrue();
        value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("日", UpdateCycle.Daily)]
    [InlineData("每季度", UpdateCycle.Quarterly)]
    [InlineData("季", UpdateCycle.Quarterly)]
    [InlineData("每旬", UpdateCycle.TenDays)]
    [InlineData("不定期", UpdateCycle.Irregular)]
    public void Parses_update_cycles_including_the_slides_short_forms(string text, UpdateCycle expected)
    {
        CatalogTerms.TryParse<UpdateCycle>(text, out var value).ShouldBeTrue();
        value.ShouldBe(expected);
    }

    [Fact]
    public void Unknown_terms_are_refused() => CatalogTerms.TryParse<ShareType>("部分共享", out _).ShouldBeFalse();

    [Fact]
    public void Labels_are_the_standard_wording()
    {
        CatalogTerms.Label(ShareType.Conditional).ShouldBe("有条件共享");
        CatalogTerms.Label(OpenType.NotOpen).ShouldBe("不予开放");
        CatalogTerms.Label(EntryStatus.Offline).ShouldBe("已下线");
        CatalogTerms.Labels<UpdateCycle>().ShouldBe(["实时", "每日", "每周", "每旬", "每月", "每季度", "每半年", "每年", "不定期", "其他"]);
        CatalogTerms.Labels<FormatCategory>().ShouldContain("服务接口");
    }

    [Theory]
    [InlineData(false, null, OpenType.NotOpen)]
    [InlineData(false, "仅限申请", OpenType.NotOpen)]
    [InlineData(true, null, OpenType.Unconditional)]
    [InlineData(true, "  ", OpenType.Unconditional)]
    [InlineData(true, "注册用户申请后开放", OpenType.Conditional)]
    public void Guide_open_attributes_map_to_the_three_valued_open_type(bool isOpen, string? condition, OpenType expected)
    {
        OpenAttributes.FromGuide(isOpen, condition).ShouldBe(expected);
        OpenAttributes.IsOpen(expected).ShouldBe(isOpen);
        OpenAttributes.YesNo(expected).ShouldBe(isOpen ? "是" : "否");
    }
}
