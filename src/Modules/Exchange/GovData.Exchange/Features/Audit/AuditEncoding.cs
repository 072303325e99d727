using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GovData.Exchange.Features.Audit;

/// <summary>
/// The canonical byte encoding of an audit entry, version 1, and the hashes computed over it. The encoding is the
/// only input of every hash, so it is fixed here byte for byte (README.md, 审计日志 / Audit log, repeats it):
/// <code>
/// "GDAL"                      4 bytes ASCII (GovData Audit Log)
/// 0x01                        format version
/// seq                         int64, big-endian
/// recorded_at                 int64, big-endian: microseconds since 1970-01-01T00:00:00Z
/// then 16 fields in this order:
///   kind, outcome                                   text
///   consumer_department_id, provider_department_id  uuid
///   client_id                                       text
///   user_id                                         uuid
///   resource_code                                   text
///   grant_id, request_id                            uuid
///   purpose, issue, message_id                      text
///   rows_returned                                   int64, big-endian (no marker)
///   request_hash, response_hash, detail             text
/// text:  0x00 when null, else 0x01 + uint32 big-endian byte length + UTF-8 bytes
/// uuid:  0x00 when null, else 0x01 + 16 bytes in RFC 9562 (big-endian) order
/// </code>
/// Hashes (all SHA-256): entry hash = H(bytes); leaf hash = H(0x00 ‖ bytes) (RFC 6962 leaf); chain hash of entry n =
/// H(chain hash of n−1 ‖ entry hash of n), 32 raw bytes each, with 32 zero bytes before entry 1. The sequence number is
/// inside the bytes, so an entry moved to another position no longer matches its hashes.
/// </summary>
internal static class AuditEncoding
{
    /// <summary>The format version written by this code.</summary>
    public const int Version = 1;

    private static readonly byte[] Magic = "GDAL"u8.ToArray();

    /// <summary>Chain hash "before" entry 1.</summary>
    public static readonly byte[] GenesisChain = new byte[32];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The canonical bytes of an entry.</summary>
    public static byte[] Encode(long seq, DateTime recordedAtUtc, AuditRecord r)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, seq, recordedAtUtc, r);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the canonical bytes of an entry to <paramref name="w"/>.</summary>
    public static void Write(IBufferWriter<byte> w, long seq, DateTime recordedAtUtc, AuditRecord r)
    {
        w.Write(Magic);
        w.Write([(byte)Version]);
        WriteInt64(w, seq);
        WriteInt64(w, ToMicroseconds(recordedAtUtc));
        WriteText(w, r.Kind);
        WriteText(w, r.Outcome);
        WriteGuid(w, r.ConsumerDepartmentId);
        WriteGuid(w, r.ProviderDepartmentId);
        WriteText(w, r.ClientId);
        WriteGuid(w, r.UserId);
        WriteText(w, r.ResourceCode);
        WriteGuid(w, r.GrantId);
        WriteGuid(w, r.RequestId);
        WriteText(w, r.Purpose);
        WriteText(w, r.Issue);
        WriteText(w, r.MessageId);
        WriteInt64(w, r.RowsReturned);
        WriteText(w, r.RequestHash);
        WriteText(w, r.ResponseHash);
        WriteText(w, r.Detail);
    }

    /// <summary>SHA-256 of the bytes.</summary>
    public static byte[] EntryHash(ReadOnlySpan<byte> bytes) => SHA256.HashData(bytes);

    /// <summary>RFC 6962 leaf hash: SHA-256(0x00 ‖ bytes).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> bytes) => MerkleTree.HashLeaf(bytes);

    /// <summary>SHA-256(previous chain hash ‖ entry hash).</summary>
    public static byte[] ChainHash(ReadOnlySpan<byte> previousChain, ReadOnlySpan<byte> entryHash)
    {
        Span<byte> input = stackalloc byte[64];
        previousChain.CopyTo(input);
        entryHash.CopyTo(input[32..]);
        return SHA256.HashData(input);
    }

    /// <summary>Microseconds since the Unix epoch of a UTC time (sub-microsecond ticks are dropped).</summary>
    public static long ToMicroseconds(DateTime utc) => (ToUtc(utc).Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>A time as the log stores it: UTC, whole microseconds (PostgreSQL's precision).</summary>
    public static DateTime Truncate(DateTime time)
    {
        var utc = ToUtc(time);
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }

    private static DateTime ToUtc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };

    /// <summary>
    /// A record as it will be stored and hashed: text that a database cannot hold exactly (NUL characters, unpaired
    /// surrogates) is replaced by U+FFFD, and an empty kind or outcome is refused. Both engines then return exactly
    /// these strings, so the hash recomputed from the stored row equals the one written.
    /// </summary>
    public static AuditRecord Normalize(AuditRecord r)
    {
        if (string.IsNullOrWhiteSpace(r.Kind)) throw new ArgumentException("审计记录缺少类型（Kind）", nameof(r));
        if (string.IsNullOrWhiteSpace(r.Outcome)) throw new ArgumentException("审计记录缺少结果（Outcome）", nameof(r));
        if (r.RowsReturned < 0) throw new ArgumentException("审计记录的返回行数不能为负数", nameof(r));
        return r with
        {
            Kind = Clean(r.Kind)!,
            Outcome = Clean(r.Outcome)!,
            ClientId = Clean(r.ClientId),
            ResourceCode = Clean(r.ResourceCode),
            Purpose = Clean(r.Purpose),
            Issue = Clean(r.Issue),
            MessageId = Clean(r.MessageId),
            RequestHash = Clean(r.RequestHash),
            ResponseHash = Clean(r.ResponseHash),
            Detail = Clean(r.Detail),
        };
    }

    private static string? Clean(string? s)
    {
        if (s is null) return null;
        var needs = false;
        for (var i = 0; i < s.Length && !needs; i++)
        {
            var c = s[i];
            if (c == '\0') needs = true;
            else if (char.IsHighSurrogate(c)) { if (i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++; else needs = true; }
            else if (char.IsLowSurrogate(c)) needs = true;
        }
        if (!needs) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\0') sb.Append('\uFFFD');
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[++i]); }
            else if (char.IsSurrogate(c)) sb.Append('\uFFFD');
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static void WriteInt64(IBufferWriter<byte> w, long value)
    {
        var span = w.GetSpan(8);
        BinaryPrimitives.WriteInt64BigEndian(span, value);
        w.Advance(8);
    }

    private static void WriteText(IBufferWriter<byte> w, string? value)
    {
        if (value is null) { w.Write([(byte)0]); return; }
        var length = Utf8.GetByteCount(value);
        var span = w.GetSpan(5 + length);
        span[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        Utf8.GetBytes(value, span[5..]);
        w.Advance(5 + length);
    }

    private static void WriteGuid(IBufferWriter<byte> w, Guid? value)
    {
        if (value is not { } g) { w.Write([(byte)0]); return; }
        var span = w.GetSpan(17);
        span[0] = 1;
        g.TryWriteBytes(span[1..], bigEndian: true, out _);
        w.Advance(17);
    }

    /// <summary>Lower-case hex.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Parses a 64-character hex hash; false for anything else.</summary>
    public static bool TryParseHash(string? hex, out byte[] hash)
    {
        hash = [];
        if (hex is null || hex.Length != 64) return false;
        try { hash = Convert.FromHexString(hex); return true; }
        catch (FormatException) { return false; }
    }
}
