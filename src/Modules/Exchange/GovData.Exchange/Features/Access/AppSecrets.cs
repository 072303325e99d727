using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace GovData.Exchange.Features.Access;

/// <summary>A new secret: the clear text (shown once), its protected form (stored) and its hint.</summary>
internal sealed record NewSecret(string Secret, string Protected, string Hint);

/// <summary>
/// Client ids and secrets of applications. Secrets are protected with ASP.NET Core Data Protection — the platform keeps
/// its key ring in the database, so every host can unprotect them — because HMAC verification needs the secret itself.
/// Unprotected secrets are cached per host by their protected form (which changes with every rotation), so a request
/// costs no decryption; revocation is checked against the database on every request.
/// </summary>
internal sealed class AppSecrets(IDataProtectionProvider protection)
{
    private const int CacheLimit = 10_000;
    private readonly IDataProtector _protector = protection.CreateProtector("GovData.Exchange.Access.AppSecret.v1");
    private readonly ConcurrentDictionary<string, string> _clear = new(StringComparer.Ordinal);

    /// <summary><c>gdc_</c> + 20 lower-case hex characters.</summary>
    public static string NewClientId() => "gdc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    /// <summary>Shape of a client id (anything else is refused before a database lookup).</summary>
    public static bool IsClientId(string? text) =>
        text is { Length: 24 } && text.StartsWith("gdc_", StringComparison.Ordinal) && text.AsSpan(4).ContainsAnyExcept("0123456789abcdef") == false;

    /// <summary>A new secret: <c>gds_</c> + base64url of 32 random bytes (47 characters).</summary>
    public NewSecret Create()
    {
        var secret = "gds_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new NewSecret(secret, _protector.Protect(secret), secret[^4..]);
    }

    /// <summary>The clear secret of a stored protected form.</summary>
    public string Unprotect(string protectedSecret)
    {
        if (_clear.TryGetValue(protectedSecret, out var secret)) return secret;
        secret = _protector.Unprotect(protectedSecret);
        if (_clear.Count >= CacheLimit) _clear.Clear();
        _clear[protectedSecret] = secret;
        return secret;
    }
}
