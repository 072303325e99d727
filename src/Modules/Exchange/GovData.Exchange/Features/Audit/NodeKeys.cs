using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GovData.SharedKernel.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace GovData.Exchange.Features.Audit;

/// <summary>A node key's public half, as served to anyone who checks checkpoints.</summary>
/// <param name="KeyId">First 32 hex digits of SHA-256 over the SubjectPublicKeyInfo.</param>
/// <param name="Algorithm">Always <see cref="NodeKeys.Algorithm"/>.</param>
/// <param name="PublicKeyDer">SubjectPublicKeyInfo (DER).</param>
/// <param name="CreatedAt">UTC.</param>
internal sealed record NodePublicKey(string KeyId, string Algorithm, byte[] PublicKeyDer, DateTime CreatedAt)
{
    /// <summary>PEM ("-----BEGIN PUBLIC KEY-----").</summary>
    public string Pem => PemEncoding.WriteString("PUBLIC KEY", PublicKeyDer);

    /// <summary>True when <paramref name="signature"/> (DER) is this key's signature over <paramref name="data"/>.</summary>
    public bool Verify(byte[] data, byte[] signature)
    {
        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(PublicKeyDer, out _);
            return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Reads a PEM public key (e.g. a copy an auditor keeps) into a key record.</summary>
    public static NodePublicKey FromPem(string pem)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        var der = ecdsa.ExportSubjectPublicKeyInfo();
        return new NodePublicKey(NodeKeys.IdOf(der), NodeKeys.Algorithm, der, DateTime.MinValue);
    }
}

/// <summary>
/// The node's checkpoint signing key (ECDSA P-256). Created on first use and kept in <c>exchange_audit_node_keys</c>:
/// the public key in clear, the private key (PKCS#8) protected with ASP.NET Core Data Protection, whose key ring every
/// host shares through the database — so whichever host runs the sealing job signs with the same key. The newest key
/// whose private half this host can unprotect signs; older keys stay for verifying older checkpoints (a key whose
/// private half can no longer be unprotected, e.g. after the Data Protection key ring was lost, is followed by a new one).
/// </summary>
internal sealed class NodeKeys(DatabaseSettings database, IDataProtectionProvider protection, TimeProvider clock, ILogger<NodeKeys> log)
{
    public const string Algorithm = "ECDSA-P256-SHA256";
    private const string Purpose = "GovData.Exchange.Audit.NodeKey.v1";

    private IDataProtector Protector => protection.CreateProtector(Purpose);

    /// <summary>Key id of a public key: the first 32 hex digits of SHA-256 over its SubjectPublicKeyInfo.</summary>
    public static string IdOf(byte[] spki) => Convert.ToHexStringLower(SHA256.HashData(spki))[..32];

    /// <summary>Every key's public half, newest first.</summary>
    public async Task<IReadOnlyList<NodePublicKey>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await AuditSql.OpenAsync(database, ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT key_id, algorithm, public_key, created_at FROM exchange_audit_node_keys ORDER BY created_at DESC, key_id";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<NodePublicKey>();
        while (await r.ReadAsync(ct))
        {
            byte[] der;
            try { der = Convert.FromBase64String(r.GetString(2)); }
            catch (FormatException) { der = []; }
            list.Add(new NodePublicKey(r.GetString(0), r.GetString(1), der, AuditSql.ReadTime(r.GetValue(3))));
        }
        return list;
    }

    /// <summary>The signing key: the newest usable one, or a new one created now (under a lock, so hosts agree).</summary>
    public async Task<(string KeyId, ECDsa Key)> GetSigningKeyAsync(CancellationToken ct = default)
    {
        if (await TryLoadNewestAsync(ct) is { } existing) return existing;

        // Generated and protected before the transaction: the first Protect may create a Data Protection key, which is
        // written to the database on another connection (SQLite would wait for our own write lock).
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        var keyId = IdOf(spki);
        var sealedKey = Convert.ToBase64String(Protector.Protect(ecdsa.ExportPkcs8PrivateKey()));

        await using var connection = await AuditSql.OpenAsync(database, ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (database.IsPostgres)
        {
            await using var lockCmd = connection.CreateCommand();
            lockCmd.Transaction = tx;
            lockCmd.CommandText = $"SELECT pg_advisory_xact_lock({AuditSql.KeyLockKey})";
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        // Another host may have created one while we waited for the lock.
        var rows = await ReadPrivateRowsAsync(connection, tx, ct);
        foreach (var (id, protectedKey) in rows)
            if (TryUnprotect(id, protectedKey) is { } key)
            {
                await tx.CommitAsync(ct);
                ecdsa.Dispose();
                return (id, key);
            }
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO exchange_audit_node_keys (key_id, algorithm, public_key, protected_private_key, created_at) VALUES (@id, @alg, @pub, @priv, @at)";
            AuditSql.Param(insert, "@id", keyId);
            AuditSql.Param(insert, "@alg", Algorithm);
            AuditSql.Param(insert, "@pub", Convert.ToBase64String(spki));
            AuditSql.Param(insert, "@priv", sealedKey);
            AuditSql.Param(insert, "@at", AuditSql.Time(AuditEncoding.Truncate(clock.GetUtcNow().UtcDateTime), database.IsPostgres));
            await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        log.LogInformation("已创建交换审计日志的节点签名密钥 {KeyId}（ECDSA P-256）", keyId);
        return (keyId, ecdsa);
    }

    private async Task<(string, ECDsa)?> TryLoadNewestAsync(CancellationToken ct)
    {
        await using var connection = await AuditSql.OpenAsync(database, ct);
        foreach (var (id, protectedKey) in await ReadPrivateRowsAsync(connection, null, ct))
            if (TryUnprotect(id, protectedKey) is { } key) return (id, key);
        return null;
    }

    private static async Task<List<(string Id, string Protected)>> ReadPrivateRowsAsync(System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction? tx, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT key_id, protected_private_key FROM exchange_audit_node_keys ORDER BY created_at DESC, key_id";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(string, string)>();
        while (await r.ReadAsync(ct)) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }

    private ECDsa? TryUnprotect(string keyId, string protectedKey)
    {
        try
        {
            var pkcs8 = Protector.Unprotect(Convert.FromBase64String(protectedKey));
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            if (IdOf(ecdsa.ExportSubjectPublicKeyInfo()) != keyId)
            {
                log.LogError("节点密钥 {KeyId} 的私钥与公钥不匹配，已跳过", keyId);
                ecdsa.Dispose();
                return null;
            }
            return ecdsa;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            log.LogWarning("无法解密节点密钥 {KeyId}（数据保护密钥环可能已更换）：{Message}", keyId, ex.Message);
            return null;
        }
    }
}

/// <summary>
/// The text a checkpoint signature covers (UTF-8, LF line ends, trailing LF):
/// <code>
/// govdata-exchange-audit-checkpoint/v1
/// tree_size=1000
/// root_hash=&lt;64 hex&gt;
/// chain_hash=&lt;64 hex&gt;
/// signed_at=2026-11-22T10:00:00.000000Z
/// key_id=&lt;32 hex&gt;
/// </code>
/// </summary>
internal static class CheckpointStatement
{
    public const string Header = "govdata-exchange-audit-checkpoint/v1";

    public static byte[] Bytes(long treeSize, string rootHex, string chainHex, DateTime signedAtUtc, string keyId) => Encoding.UTF8.GetBytes(
        $"{Header}\ntree_size={treeSize.ToString(CultureInfo.InvariantCulture)}\nroot_hash={rootHex}\nchain_hash={chainHex}\n" +
        $"signed_at={DateTime.SpecifyKind(signedAtUtc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)}\nkey_id={keyId}\n");

    public static byte[] Bytes(AuditCheckpoint c) => Bytes(c.TreeSize, c.RootHash, c.ChainHash, c.SignedAt, c.KeyId);

    /// <summary>The statement as text (served with each checkpoint so clients need not rebuild it).</summary>
    public static string Text(AuditCheckpoint c) => Encoding.UTF8.GetString(Bytes(c));
}
