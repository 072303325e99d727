using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using GovData.SharedKernel.Hosting.ScheduledJobs;
using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Audit;

/// <summary>Sealing refused because the entries to be sealed do not match their hashes.</summary>
internal sealed class AuditSealException(string message) : Exception(message);

/// <summary>
/// Seals the log: extends the RFC 6962 tree of the last checkpoint (its stored frontier) with the leaves of the entries
/// appended since, and stores a new checkpoint signed with the node key. The new entries are checked first — each
/// entry's hashes recomputed from its fields and chained from the last checkpoint's chain hash — and a log that no
/// longer matches its hashes is not signed (the job fails with the seq named; <c>govdata audit verify</c> reports the
/// details). Perfect subtrees of 2^<see cref="CacheLevel"/> leaves and more are kept in <c>exchange_audit_tree_nodes</c>
/// so inclusion and consistency proofs read a few hundred rows instead of the whole log.
/// </summary>
internal sealed class AuditSealer(DatabaseSettings database, NodeKeys keys, TimeProvider clock, ILogger<AuditSealer> log)
{
    /// <summary>Smallest cached subtree: 2^8 = 256 leaves.</summary>
    public const int CacheLevel = 8;

    /// <summary>Seals everything appended since the last checkpoint; null when there was nothing new.</summary>
    public async Task<AuditCheckpoint?> SealAsync(CancellationToken ct = default)
    {
        await using var connection = await AuditSql.OpenAsync(database, ct);
        var last = await ReadLatestCheckpointAsync(connection, ct);
        var head = await AuditSql.ReadHeadSeqAsync(connection, ct);
        var from = last?.TreeSize ?? 0;
        if (head <= from) return null;

        var range = last is null ? new CompactRange() : CompactRange.Deserialize(last.TreeSize, last.Frontier);
        if (last is not null && AuditEncoding.Hex(range.Root()) != last.RootHash)
            throw new AuditSealException($"检查点（共 {last.TreeSize} 条）保存的树边界与其根哈希不符，拒绝在其上继续封存");
        var chain = last is null ? AuditEncoding.GenesisChain : Convert.FromHexString(last.ChainHash);
        var nodes = new List<(int Level, long Index, string Hash)>();
        range.OnSubtree = (level, index, hash) => { if (level >= CacheLevel) nodes.Add((level, index, AuditEncoding.Hex(hash))); };

        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT {AuditSql.EntryColumns} FROM exchange_audit_entries WHERE seq > @from AND seq <= @to ORDER BY seq";
            AuditSql.Param(cmd, "@from", from);
            AuditSql.Param(cmd, "@to", head);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var expected = from + 1;
            while (await reader.ReadAsync(ct))
            {
                var entry = AuditSql.ReadEntry(reader, out var malformed);
                if (entry.Seq != expected)
                    throw new AuditSealException($"审计日志第 {expected} 条缺失（其后是第 {entry.Seq} 条），拒绝封存");
                if (malformed is not null)
                    throw new AuditSealException($"审计日志第 {entry.Seq} 条的字段无法读取（{malformed}），拒绝封存");
                var bytes = AuditEncoding.Encode(entry.Seq, entry.RecordedAt, entry.ToRecord());
                var entryHash = AuditEncoding.EntryHash(bytes);
                if (entry.Format != AuditEncoding.Version || AuditEncoding.Hex(entryHash) != entry.EntryHash)
                    throw new AuditSealException($"审计日志第 {entry.Seq} 条的内容与其记录哈希不符，拒绝封存");
                var leaf = AuditEncoding.LeafHash(bytes);
                if (AuditEncoding.Hex(leaf) != entry.LeafHash)
                    throw new AuditSealException($"审计日志第 {entry.Seq} 条的叶哈希与内容不符，拒绝封存");
                chain = AuditEncoding.ChainHash(chain, entryHash);
                if (AuditEncoding.Hex(chain) != entry.ChainHash)
                    throw new AuditSealException($"审计日志第 {entry.Seq} 条的链哈希与前一条不衔接，拒绝封存");
                range.Append(leaf);
                expected++;
            }
            if (expected != head + 1)
                throw new AuditSealException($"审计日志第 {expected} 至 {head} 条缺失，拒绝封存");
        }

        var (keyId, key) = await keys.GetSigningKeyAsync(ct);
        AuditCheckpoint checkpoint;
        using (key)
        {
            checkpoint = new AuditCheckpoint
            {
                TreeSize = head,
                RootHash = AuditEncoding.Hex(range.Root()),
                ChainHash = AuditEncoding.Hex(chain),
                SignedAt = AuditEncoding.Truncate(clock.GetUtcNow().UtcDateTime),
                KeyId = keyId,
                Frontier = range.Serialize(),
            };
            checkpoint.Signature = Convert.ToBase64String(key.SignData(CheckpointStatement.Bytes(checkpoint), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await InsertNodesAsync(connection, tx, nodes, ct);
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO exchange_audit_checkpoints (tree_size, root_hash, chain_hash, signed_at, key_id, signature, frontier)
                VALUES (@size, @root, @chain, @at, @key, @sig, @frontier) ON CONFLICT (tree_size) DO NOTHING
                """;
            AuditSql.Param(insert, "@size", checkpoint.TreeSize);
            AuditSql.Param(insert, "@root", checkpoint.RootHash);
            AuditSql.Param(insert, "@chain", checkpoint.ChainHash);
            AuditSql.Param(insert, "@at", AuditSql.Time(checkpoint.SignedAt, database.IsPostgres));
            AuditSql.Param(insert, "@key", checkpoint.KeyId);
            AuditSql.Param(insert, "@sig", checkpoint.Signature);
            AuditSql.Param(insert, "@frontier", checkpoint.Frontier);
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                // Another host sealed the same size meanwhile; its checkpoint stands.
                await tx.RollbackAsync(ct);
                return await ReadCheckpointAsync(connection, head, ct);
            }
            await tx.CommitAsync(ct);
        }
        log.LogInformation("交换审计日志已封存至第 {Size} 条，根哈希 {Root}", checkpoint.TreeSize, checkpoint.RootHash);
        return checkpoint;
    }

    private static async Task InsertNodesAsync(DbConnection connection, DbTransaction tx, List<(int Level, long Index, string Hash)> nodes, CancellationToken ct)
    {
        const int perStatement = 300;
        for (var start = 0; start < nodes.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, nodes.Count - start);
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            var values = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                var (level, index, hash) = nodes[start + i];
                values.Add($"(@l{i}, @i{i}, @h{i})");
                AuditSql.Param(cmd, $"@l{i}", level);
                AuditSql.Param(cmd, $"@i{i}", index);
                AuditSql.Param(cmd, $"@h{i}", hash);
            }
            cmd.CommandText = $"INSERT INTO exchange_audit_tree_nodes (level, node_index, hash) VALUES {string.Join(',', values)} ON CONFLICT (level, node_index) DO NOTHING";
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private const string CheckpointColumns = "tree_size, root_hash, chain_hash, signed_at, key_id, signature, frontier";

    /// <summary>The checkpoint with the largest tree, or null before the first seal.</summary>
    public static async Task<AuditCheckpoint?> ReadLatestCheckpointAsync(DbConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {CheckpointColumns} FROM exchange_audit_checkpoints ORDER BY tree_size DESC LIMIT 1";
        return (await ReadCheckpointsAsync(cmd, ct)).FirstOrDefault();
    }

    /// <summary>The checkpoint of exactly <paramref name="treeSize"/> entries, or null.</summary>
    public static async Task<AuditCheckpoint?> ReadCheckpointAsync(DbConnection connection, long treeSize, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {CheckpointColumns} FROM exchange_audit_checkpoints WHERE tree_size = @size";
        AuditSql.Param(cmd, "@size", treeSize);
        return (await ReadCheckpointsAsync(cmd, ct)).FirstOrDefault();
    }

    /// <summary>The smallest checkpoint covering entry <paramref name="seq"/>, or null when it is not sealed yet.</summary>
    public static async Task<AuditCheckpoint?> ReadCoveringCheckpointAsync(DbConnection connection, long seq, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {CheckpointColumns} FROM exchange_audit_checkpoints WHERE tree_size >= @seq ORDER BY tree_size LIMIT 1";
        AuditSql.Param(cmd, "@seq", seq);
        return (await ReadCheckpointsAsync(cmd, ct)).FirstOrDefault();
    }

    /// <summary>Every checkpoint, smallest tree first.</summary>
    public static async Task<List<AuditCheckpoint>> ReadAllCheckpointsAsync(DbConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {CheckpointColumns} FROM exchange_audit_checkpoints ORDER BY tree_size";
        return await ReadCheckpointsAsync(cmd, ct);
    }

    private static async Task<List<AuditCheckpoint>> ReadCheckpointsAsync(DbCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<AuditCheckpoint>();
        while (await r.ReadAsync(ct))
            list.Add(new AuditCheckpoint
            {
                TreeSize = r.GetInt64(0),
                RootHash = r.GetString(1),
                ChainHash = r.GetString(2),
                SignedAt = AuditSql.ReadTime(r.GetValue(3)),
                KeyId = r.GetString(4),
                Signature = r.GetString(5),
                Frontier = r.GetString(6),
            });
        return list;
    }
}

/// <summary>
/// The scheduled job <c>exchange.audit.seal</c>: seals the log every <see cref="AuditOptions.SealIntervalMinutes"/>
/// minutes on whichever host claims it (the platform's DB-claimed job runner; one host per run).
/// </summary>
internal sealed class AuditSealJob(IOptions<AuditOptions> options) : IScheduledJob
{
    public const string JobName = "exchange.audit.seal";

    public string Name => JobName;

    public string DisplayName => "交换审计日志封存（签名检查点）";

    public JobSchedule Schedule { get; } = new IntervalSchedule(TimeSpan.FromMinutes(Math.Max(1.0 / 60, options.Value.SealIntervalMinutes)));

    public TimeSpan Lease => TimeSpan.FromMinutes(30);

    public TimeSpan RetryAfter => TimeSpan.FromMinutes(Math.Clamp(options.Value.SealIntervalMinutes, 1.0 / 60, 30));

    public async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var checkpoint = await services.GetRequiredService<AuditSealer>().SealAsync(ct);
        if (checkpoint is not null)
            services.GetRequiredService<ILogger<AuditSealJob>>().LogInformation("封存检查点：共 {Size} 条", checkpoint.TreeSize.ToString("N0", CultureInfo.InvariantCulture));
    }
}
