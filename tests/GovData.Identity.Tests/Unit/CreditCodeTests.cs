using GovData.SharedKernel.Codes;
using Shouldly;
using Xunit;

namespace GovData.Identity.Tests.Unit;

public sealed class CreditCodeTests
{
    // The worked example of the catalog standard (GB 32100-2015): Σ = 1803, 1803 mod 31 = 5, 31 − 5 = 26 → 'T'.
    private const string WorkedExample = "9137130016829134XT";

    [Theory]
    [InlineData(WorkedExample)]
    [InlineData("91350100M000100Y43")]
    [InlineData("11100000000013127D")]
    public void Valid_codes_parse(string text)
    {
        CreditCode.Validate(text).ShouldBeNull();
        CreditCode.TryParse(text, out var code, out var error).ShouldBeTrue();
        error.ShouldBeNull();
        code.Value.ShouldBe(text);
    }

    [Fact]
    public void Worked_example_check_character_follows_the_weighted_sum()
    {
        const string alphabet = CreditCode.Alphabet;
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var sum = WorkedExample.Take(17).Select((c, i) => alphabet.IndexOf(c) * weights[i]).Sum();
        sum.ShouldBe(1803);
        CreditCode.CheckCharacter(WorkedExample.AsSpan(0, 17)).ShouldBe('T');

        var code = CreditCode.Parse(WorkedExample);
        code.RegionCode.ShouldBe("371300");
        code.OrganizationCode.ShouldBe("16829134X");
    }

    [Fact]
    public void Lowercase_is_accepted_and_normalised_to_upper_case()
    {
        CreditCode.Validate("9137130016829134xt").ShouldBeNull();
        CreditCode.Parse(" 9137130016829134xt ").Value.ShouldBe(WorkedExample);
    }

    [Theory]
    [InlineData("9137130016829134XA", "A")]
    [InlineData("91371300168291340T", "T")] // a typo in the body (X → 0) breaks the check
    [InlineData("91350100M000100Y44", "4")]
    public void Wrong_check_character_is_refused_with_the_expected_one(string text, string actual)
    {
        var error = CreditCode.Validate(text);
        error.ShouldNotBeNull();
        error.ShouldContain("校验位错误");
        error.ShouldContain($"实际为“{actual}”");
        var expected = CreditCode.CheckCharacter(text.AsSpan(0, 17));
        error.ShouldContain($"应为“{expected}”");
        Should.Throw<FormatException>(() => CreditCode.Parse(text)).Message.ShouldBe(error);
    }

    [Theory]
    [InlineData("9137130016829134X", 17)]
    [InlineData("9137130016829134XTT", 19)]
    [InlineData("913713", 6)]
    public void Wrong_length_is_refused_naming_the_length(string text, int length)
    {
        var error = CreditCode.Validate(text);
        error.ShouldNotBeNull();
        error.ShouldContain("应为18位");
        error.ShouldContain($"实际为{length}位");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_is_refused(string? text) => CreditCode.Validate(text).ShouldBe("统一社会信用代码不能为空");

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('S')]
    [InlineData('V')]
    [InlineData('Z')]
    public void Forbidden_letters_are_refused_with_their_position(char letter)
    {
        var text = "91371300" + letter + "6829134XT";
        var error = CreditCode.Validate(text);
        error.ShouldNotBeNull();
        error.ShouldContain("第9位");
        error.ShouldContain($"不能使用字母{letter}");
        // Lower-case forbidden letters are just as invalid.
        CreditCode.Validate(text.ToLowerInvariant()).ShouldNotBeNull();
    }

    [Fact]
    public void Region_part_must_be_digits()
    {
        var first17 = "91A71300168291340";
        var text = first17 + CreditCode.CheckCharacter(first17);
        CreditCode.Validate(text).ShouldBe("统一社会信用代码第3至8位应为行政区划代码（数字）");
    }

    [Fact]
    public void Create_builds_a_valid_code_with_both_check_characters()
    {
        var code = CreditCode.Create('1', '1', "370000", "00013700");
        CreditCode.Validate(code.Value).ShouldBeNull();
        code.OrganizationCode.ShouldBe("00013700" + CreditCode.OrganizationCheckCharacter("00013700"));
        code.RegionCode.ShouldBe("370000");
    }

    [Theory]
    [InlineData("16829134", 'X')] // the embedded organisation code of the worked example: 16829134-X
    [InlineData("D2143569", 'X')] // GB 11714 example D2143569-X
    [InlineData("M0001001", '4')]
    [InlineData("00000001", '9')]
    [InlineData("d2143569", 'X')]
    public void Organization_check_character(string body, char expected) =>
        CreditCode.OrganizationCheckCharacter(body).ShouldBe(expected);

    [Fact]
    public void Organization_check_character_maps_remainders_10_and_11()
    {
        // Find bodies whose check value is 10 ('X') and 11 ('0') by brute force over one position,
        // then confirm against the GB 11714 formula computed here independently.
        int[] weights = [3, 7, 9, 10, 5, 8, 4, 2];
        var seenX = false;
        var seenZero = false;
        for (var n = 0; n < 2000; n++)
        {
            var body = n.ToString("D8");
            var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
            var check = 11 - sum % 11;
            var expected = check == 10 ? 'X' : check == 11 ? '0' : (char)('0' + check);
            CreditCode.OrganizationCheckCharacter(body).ShouldBe(expected, body);
            seenX |= expected == 'X';
            seenZero |= check == 11;
        }
        seenX.ShouldBeTrue();
        seenZero.ShouldBeTrue();
    }

    [Fact]
    public void Organization_check_character_rejects_bad_bodies()
    {
        Should.Throw<ArgumentException>(() => CreditCode.OrganizationCheckCharacter("1234567"));
        Should.Throw<ArgumentException>(() => CreditCode.OrganizationCheckCharacter("1234567-"));
    }
}
