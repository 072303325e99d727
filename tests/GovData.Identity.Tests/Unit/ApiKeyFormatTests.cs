using GovData.Identity.Features.ApiKeys;
using Shouldly;
using Xunit;

namespace GovData.Identity.Tests.Unit;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void Generated_keys_have_prefix_secret_and_hash()
    {
        var (key, prefix, hash) = ApiKeyFormat.Generate();
        key.ShouldStartWith(prefix + "_");
        prefix.ShouldStartWith("gd_");
        prefix.Length.ShouldBe(11);
        key.Length.ShouldBeGreaterThan(50); // 32 random bytes → 43 base64url characters
        hash.Length.ShouldBe(64);
        hash.ShouldBe(ApiKeyFormat.Hash(key));
        ApiKeyFormat.PrefixOf(key).ShouldBe(prefix);
        ApiKeyFormat.Matches(key, hash).ShouldBeTrue();
    }

    [Fact]
    public void Keys_are_unique()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeyFormat.Generate()).ToList();
        keys.Select(k => k.Key).Distinct().Count().ShouldBe(200);
        keys.Select(k => k.Prefix).Distinct().Count().ShouldBe(200);
    }

    [Fact]
    public void Secret_part_is_url_safe()
    {
        var (key, _, _) = ApiKeyFormat.Generate();
        key.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-');
    }

    [Fact]
    public void Hash_does_not_match_a_different_key()
    {
        var (key, _, hash) = ApiKeyFormat.Generate();
        ApiKeyFormat.Matches(key + "x", hash).ShouldBeFalse();
        ApiKeyFormat.Matches(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), hash).ShouldBeFalse();
        ApiKeyFormat.Matches(key, ApiKeyFormat.Hash("gd_AAAAAAAA_" + new string('A', 43))).ShouldBeFalse();
        ApiKeyFormat.Matches(key, "").ShouldBeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gd_short")]
    [InlineData("xx_AbCd1234_secretsecretsecret")]
    [InlineData("gd_AbCd123_secretsecretsecretsecret")] // 7-character prefix
    [InlineData("gd_AbCd12345_secretsecretsecret")]     // 9-character prefix
    [InlineData("gd_AbCd1234secretsecretsecretsecret")] // no separator
    [InlineData("GD_AbCd1234_secretsecretsecret")]
    public void Bad_shapes_have_no_prefix(string? key) => ApiKeyFormat.PrefixOf(key).ShouldBeNull();

    [Fact]
    public void Prefix_is_the_first_eleven_characters() =>
        ApiKeyFormat.PrefixOf("gd_AbCd1234_secret_with_underscores").ShouldBe("gd_AbCd1234");
}
