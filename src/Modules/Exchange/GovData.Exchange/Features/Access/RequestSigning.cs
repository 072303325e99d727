using System.Security.Cryptography;
using System.Text;

namespace GovData.Exchange.Features.Access;

/// <summary>
/// The request-signing scheme of the access endpoints (README “调用与签名 / Access and signing”). The canonical string is
/// six lines joined by <c>\n</c> (no trailing newline):
/// <code>
/// METHOD            GET, POST (upper case)
/// PATH              the request path as sent, percent-escapes in upper case: /api/v1/exchange/data/102003%2F1/rows
/// QUERY             canonical query (below), empty when there is none
/// TIMESTAMP         X-GovData-Timestamp as sent (unix seconds)
/// NONCE             X-GovData-Nonce as sent
/// BODY-SHA256       lower-case hex SHA-256 of the body bytes (of nothing for GET)
/// </code>
/// Canonical query: split the raw query at <c>&amp;</c> (empty parts dropped), each part at its first <c>=</c> (a part
/// without one has an empty value); percent-decode name and value as UTF-8 with <c>+</c> meaning a space; re-encode both
/// with RFC 3986 (unreserved <c>A–Z a–z 0–9 - . _ ~</c> kept, every other UTF-8 byte as <c>%XX</c> in upper case); sort
/// by name, then value (ordinal); join as <c>name=value</c> with <c>&amp;</c>.
/// <c>X-GovData-Signature</c> = base64 (standard, padded) of HMAC-SHA256 keyed with the UTF-8 bytes of the secret over the
/// UTF-8 bytes of the canonical string. The request hash (<c>X-GovData-Request-Hash</c>) is the lower-case hex SHA-256 of
/// the canonical string (for 核验: HMAC-SHA256 with the platform's salt, so the log cannot be searched for values).
/// </summary>
internal static class RequestSigning
{
    public const string ClientHeader = "X-GovData-Client";
    public const string TimestampHeader = "X-GovData-Timestamp";
    public const string NonceHeader = "X-GovData-Nonce";
    public const string SignatureHeader = "X-GovData-Signature";
    public const string RequestIdHeader = "X-GovData-Request-Id";
    public const string IssueHeader = "X-GovData-Issue";
    public const string RequestHashHeader = "X-GovData-Request-Hash";
    public const string ResponseHashHeader = "X-GovData-Response-Hash";

    /// <summary>The scheme's name (in <c>WWW-Authenticate</c>).</summary>
    public const string Scheme = "GovData-HMAC-SHA256";

    /// <summary>Hex SHA-256 of an empty body.</summary>
    public static readonly string EmptyBodyHash = BodyHash([]);

    /// <summary>The canonical string of a request.</summary>
    public static string CanonicalString(string method, string rawPath, string? rawQuery, string timestamp, string nonce, string bodyHash) =>
        string.Join('\n', method.ToUpperInvariant(), CanonicalPath(rawPath), CanonicalQuery(rawQuery), timestamp, nonce, bodyHash);

    /// <summary>The path as sent with the hex digits of every percent-escape in upper case.</summary>
    public static string CanonicalPath(string rawPath)
    {
        if (rawPath.Length == 0) return "/";
        var sb = new StringBuilder(rawPath.Length);
        for (var i = 0; i < rawPath.Length; i++)
        {
            var c = rawPath[i];
            if (c == '%' && i + 2 < rawPath.Length && Uri.IsHexDigit(rawPath[i + 1]) && Uri.IsHexDigit(rawPath[i + 2]))
            {
                sb.Append('%').Append(char.ToUpperInvariant(rawPath[i + 1])).Append(char.ToUpperInvariant(rawPath[i + 2]));
                i += 2;
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>The canonical query of a raw query string (with or without its leading <c>?</c>).</summary>
    public static string CanonicalQuery(string? rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery)) return "";
        var text = rawQuery[0] == '?' ? rawQuery[1..] : rawQuery;
        var pairs = new List<(string Name, string Value)>();
        foreach (var part in text.Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add((Encode(Decode(name)), Encode(Decode(value))));
        }
        pairs.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Name, b.Name);
            return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>Lower-case hex SHA-256 of the body.</summary>
    public static string BodyHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>The signature: base64 of HMAC-SHA256(UTF-8 secret, UTF-8 canonical string).</summary>
    public static string Sign(string secret, string canonical) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));

    /// <summary>Compares a presented signature with the expected one in constant time (false for anything not base64 of 32 bytes).</summary>
    public static bool SignatureMatches(string secret, string canonical, string presented)
    {
        Span<byte> given = stackalloc byte[32];
        if (presented.Length != 44 || !Convert.TryFromBase64String(presented, given, out var written) || written != 32) return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Request hash of an ordinary call: lower-case hex SHA-256 of the canonical string.</summary>
    public static string RequestHash(string canonical) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    /// <summary>Request hash of a 核验 call: lower-case hex HMAC-SHA256 of the canonical string keyed with the platform salt.</summary>
    public static string SaltedRequestHash(byte[] salt, string canonical) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(canonical)));

    /// <summary>Percent-decoding of a query component: UTF-8, <c>+</c> is a space.</summary>
    public static string Decode(string component) => Uri.UnescapeDataString(component.Replace('+', ' '));

    /// <summary>RFC 3986 encoding: unreserved characters kept, every other UTF-8 byte as <c>%XX</c> (upper case).</summary>
    public static string Encode(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
                sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
