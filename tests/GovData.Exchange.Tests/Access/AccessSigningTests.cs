using System.Security.Cryptography;
using System.Text;
using GovData.Exchange.Features.Access;

namespace GovData.Exchange.Tests.Access;

/// <summary>
/// The signing scheme on its own: canonical query and path rules, and the worked example of the module README (“调用与签名”)
/// — its numbers come from the implementation, appear verbatim in the README, and the README's standalone C# snippet
/// (copied below) computes the same signatures.
/// </summary>
public sealed class AccessSigningTests
{
    private const string Secret = "gds_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    private const string GetPath = "/api/v1/exchange/data/102003%2F1/rows";
    private const string GetQuery = "limit=2&legal_status=%E5%AD%98%E7%BB%AD&fields=credit_code,legal_name";
    private const string CanonicalQuery = "fields=credit_code%2Clegal_name&legal_status=%E5%AD%98%E7%BB%AD&limit=2";
    private const string GetSignature = "dXYWEIedFPFsPD+rpdwlXngGORj73cZpx3U442aySXA=";
    private const string GetRequestHash = "f9405082e0a5a5d31eb557c3fe5867ce0c280125ff83238e5a220ccff5958738";
    private const string VerifyPath = "/api/v1/exchange/verify/102003%2F1";
    private const string VerifyBody = "{\"keys\":{\"credit_code\":\"91370102MA3C8L2Q7X\"},\"claims\":{\"legal_name\":\"济南鸿泰科技有限公司\"}}";
    private const string VerifyBodyHash = "d586fb923644c48d5edffdcec79ed8692ca62156f0ad46f29c8cc420c5347b43";
    private const string VerifySignature = "EChNKYwuc44QI6xcrFkfwOyHxejTWBMvaZ5B43VCkRg=";

    [Fact]
    public void The_worked_example_of_the_readme_is_right()
    {
        var canonical = RequestSigning.CanonicalString("get", GetPath, "?" + GetQuery, "1782864000", "5f2b8c1e9a4d4e7fb3c6a1d2e8f09b7c", RequestSigning.EmptyBodyHash);
        canonical.ShouldBe(string.Join('\n', "GET", GetPath, CanonicalQuery, "1782864000", "5f2b8c1e9a4d4e7fb3c6a1d2e8f09b7c",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        RequestSigning.Sign(Secret, canonical).ShouldBe(GetSignature);
        RequestSigning.RequestHash(canonical).ShouldBe(GetRequestHash);
        RequestSigning.SignatureMatches(Secret, canonical, GetSignature).ShouldBeTrue();
        // The query sent already in canonical form (the shell example) signs the same string.
        RequestSigning.CanonicalString("GET", GetPath, CanonicalQuery, "1782864000", "5f2b8c1e9a4d4e7fb3c6a1d2e8f09b7c", RequestSigning.EmptyBodyHash)
            .ShouldBe(canonical);

        var body = Encoding.UTF8.GetBytes(VerifyBody);
        RequestSigning.BodyHash(body).ShouldBe(VerifyBodyHash);
        var verify = RequestSigning.CanonicalString("POST", VerifyPath, null, "1782864005", "0d3c6f8a1b2e4c5d9e7f6a5b4c3d2e1f", VerifyBodyHash);
        verify.Split('\n')[2].ShouldBe("");
        RequestSigning.Sign(Secret, verify).ShouldBe(VerifySignature);

        // The README's standalone snippet agrees with the implementation.
        ReadmeSnippet.Signature(Secret, "GET", GetPath + "?" + GetQuery, [], "1782864000", "5f2b8c1e9a4d4e7fb3c6a1d2e8f09b7c").ShouldBe(GetSignature);
        ReadmeSnippet.Signature(Secret, "POST", VerifyPath, body, "1782864005", "0d3c6f8a1b2e4c5d9e7f6a5b4c3d2e1f").ShouldBe(VerifySignature);

        // And the README shows exactly these numbers.
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Modules", "Exchange", "GovData.Exchange", "README.md"));
        foreach (var text in new[] { Secret, CanonicalQuery, GetSignature, GetRequestHash, VerifyBody, VerifyBodyHash, VerifySignature, GetPath + "?" + GetQuery })
            readme.ShouldContain(text);
        readme.ShouldContain("```\n" + canonical + "\n```");
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("?", "")]
    [InlineData("?b=2&a=1", "a=1&b=2")]
    [InlineData("a=2&a=10&a=1", "a=1&a=10&a=2")]
    [InlineData("q=a+b&r=a%20b", "q=a%20b&r=a%20b")]
    [InlineData("flag&&x=", "flag=&x=")]
    [InlineData("k=v=w", "k=v%3Dw")]
    [InlineData("name.contains=%e7%a7%91%e6%8a%80", "name.contains=%E7%A7%91%E6%8A%80")]
    [InlineData("成立日期.ge=2018-01-01", "%E6%88%90%E7%AB%8B%E6%97%A5%E6%9C%9F.ge=2018-01-01")]
    [InlineData("x=~-._*'()!", "x=~-._%2A%27%28%29%21")]
    [InlineData("B=1&a=1", "B=1&a=1")]
    public void Canonical_query_follows_the_rules(string raw, string canonical) =>
        RequestSigning.CanonicalQuery(raw).ShouldBe(canonical);

    [Theory]
    [InlineData("/api/v1/exchange/data/102003%2f1/rows", "/api/v1/exchange/data/102003%2F1/rows")]
    [InlineData("/api/v1/exchange/data/102003%2F1/rows", "/api/v1/exchange/data/102003%2F1/rows")]
    [InlineData("/a/%e4%b8%ad/b%", "/a/%E4%B8%AD/b%")]
    [InlineData("", "/")]
    public void Canonical_path_upper_cases_escapes(string raw, string canonical) => RequestSigning.CanonicalPath(raw).ShouldBe(canonical);

    [Fact]
    public void A_signature_must_be_exactly_the_base64_of_32_bytes()
    {
        const string canonical = "GET\n/\n\n1\nnonce\nx";
        var good = RequestSigning.Sign(Secret, canonical);
        RequestSigning.SignatureMatches(Secret, canonical, good).ShouldBeTrue();
        RequestSigning.SignatureMatches(Secret, canonical + "y", good).ShouldBeFalse();
        RequestSigning.SignatureMatches(Secret + "x", canonical, good).ShouldBeFalse();
        RequestSigning.SignatureMatches(Secret, canonical, good.TrimEnd('=')).ShouldBeFalse();
        RequestSigning.SignatureMatches(Secret, canonical, "not base64 at all, but long enough to be 44c").ShouldBeFalse();
        RequestSigning.SignatureMatches(Secret, canonical, Convert.ToBase64String(new byte[33])).ShouldBeFalse();
        RequestSigning.SignatureMatches(Secret, canonical, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))).ShouldBeFalse();
    }

    [Fact]
    public void Client_ids_and_secrets_have_their_shapes()
    {
        var id = AppSecrets.NewClientId();
        AppSecrets.IsClientId(id).ShouldBeTrue();
        id.ShouldMatch("^gdc_[0-9a-f]{20}$");
        AppSecrets.IsClientId(id.ToUpperInvariant()).ShouldBeFalse();
        AppSecrets.IsClientId(id + "0").ShouldBeFalse();
        AppSecrets.IsClientId("gdc_" + new string('g', 20)).ShouldBeFalse();
        AppSecrets.IsClientId(null).ShouldBeFalse();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovData.slnx"))) return dir.FullName;
        throw new InvalidOperationException("GovData.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The C# snippet of the README, verbatim.</summary>
    private static class ReadmeSnippet
    {
        public static string Signature(string secret, string method, string pathAndQuery, byte[] body, string timestamp, string nonce)
        {
            var q = pathAndQuery.IndexOf('?');
            var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
            var query = q < 0 ? "" : pathAndQuery[(q + 1)..];
            var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(part =>
            {
                var eq = part.IndexOf('=');
                return (Name: Encode(Decode(eq < 0 ? part : part[..eq])), Value: Encode(Decode(eq < 0 ? "" : part[(eq + 1)..])));
            }).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal);
            var canonical = string.Join('\n', method.ToUpperInvariant(), path, string.Join('&', pairs.Select(p => p.Name + "=" + p.Value)),
                timestamp, nonce, Convert.ToHexStringLower(SHA256.HashData(body)));
            return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));
        }

        static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

        static string Encode(string s) => string.Concat(Encoding.UTF8.GetBytes(s).Select(b =>
            b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~'
                ? ((char)b).ToString() : "%" + b.ToString("X2")));
    }
}
