using GovData.Catalog.Contracts;
using GovData.Data.Features.Masking;

namespace GovData.Data.Tests;

public sealed class MaskerTests
{
    [Theory]
    [InlineData(MaskingRule.IdNumber, "110101199003071234", "110101********1234")]
    [InlineData(MaskingRule.Mobile, "13812341234", "138****1234")]
    [InlineData(MaskingRule.Name, "张三", "张*")]
    [InlineData(MaskingRule.Name, "欧阳娜娜", "欧***")]
    [InlineData(MaskingRule.BankCard, "6222021234567890", "************7890")]
    [InlineData(MaskingRule.Address, "山东省济南市历下区泉城路1号", "山东省济南市历下区*****")]
    [InlineData(MaskingRule.KeepEnds, "青岛啤酒股份", "青****份")]
    [InlineData(MaskingRule.Full, "秘密", "**")]
    [InlineData(MaskingRule.None, "张三", "张三")]
    [InlineData(MaskingRule.Mobile, "1234", "12**")]      // too short for 3+4: at least half stays hidden
    public void Rules_mask_as_people_read_them(MaskingRule rule, string value, string expected) =>
        Masker.Apply(rule, value).ShouldBe(expected);

    [Fact]
    public void Hash_keeps_joinability_without_the_value()
    {
        var a = Masker.Apply(MaskingRule.Hash, "110101199003071234")!;
        a.ShouldNotContain("1101");
        a.ShouldBe(Masker.Apply(MaskingRule.Hash, "110101199003071234"));
        a.Length.ShouldBe(64);
    }

    [Fact]
    public void Nulls_and_empty_values_pass() => Masker.Apply(MaskingRule.Name, null).ShouldBeNull();
}
