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
/// costs no decryption; applications are cached per host by client id, and revocation and rotation are still checked
/// against the database on every request, by the statement that records the nonce.
/// </summary>
internal sealed class AppSecrets(IDataProtectionProvider protection)
{
    private const int CacheLimit = 10_000;
    private readonly IDataProtector _protector = protection.CreateProtector("GovData.Exchange.Access.AppSecret.v1");
    private readonly ConcurrentDictionary<string, string> _clear = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AppCredential> _apps = new(StringComparer.Ordinal);

    /// <summary>
    /// The application last read for a client id on this host, or null. Only a hint: the nonce insert checks in the
    /// database that the application is still active with the secret used (<see cref="AccessStore.TryUseNonceAsync"/>), and
    /// any doubt reads it again.
    /// </summary>
    public AppCredential? Cached(string clientId) => _apps.TryGetValue(clientId, out var app) ? app : null;

    /// <summary>Remembers the application as read from the database (or forgets it when null).</summary>
    public void Remember(string clientId, AppCredential? app)
    {
        if (app is null) _apps.TryRemove(clientId, out _);
        else
        {
            if (_apps.Count >= CacheLimit) _apps.Clear();
            _apps[clientId] = app;
        }
    }

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
