using System.Security.Cryptography;
using System.Text;

namespace GovData.Identity.Features.ApiKeys;

/// <summary>
/// API keys look like <c>gd_AbCd1234_&lt;43 chars&gt;</c>: a visible 8-character prefix used to find the row
/// and 32 random bytes. Only the SHA-256 of the whole key is stored; the key is shown once.
/// </summary>
internal static class ApiKeyFormat
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public static (string Key, string Prefix, string Hash) Generate()
    {
        var prefix = "gd_" + RandomNumberGenerator.GetString(Alphabet, 8);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = prefix + "_" + secret;
        return (key, prefix, Hash(key));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Extracts the prefix; null when the text is not shaped like a key.</summary>
    public static string? PrefixOf(string? key)
    {
        if (key is null || key.Length < 20 || !key.StartsWith("gd_", StringComparison.Ordinal)) return null;
        var second = key.IndexOf('_', 3);
        return second == 11 ? key[..11] : null;
    }

    /// <summary>Constant-time comparison of a presented key with the stored hash.</summary>
    public static bool Matches(string key, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(key)), Encoding.ASCII.GetBytes(storedHash));
}
