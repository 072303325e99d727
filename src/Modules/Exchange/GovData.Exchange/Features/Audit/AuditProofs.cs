using System.Data.Common;
using GovData.SharedKernel.Persistence;

namespace GovData.Exchange.Features.Audit;

/// <summary>An RFC 6962 inclusion proof of one entry against a signed checkpoint.</summary>
/// <param name="Seq">The entry (leaf index = seq − 1).</param>
/// <param name="Checkpoint">The checkpoint proved against.</param>
/// <param name="LeafHash">The entry's leaf hash recomputed from its stored fields.</param>
/// <param name="Path">The audit path, bottom first.</param>
/// <param name="Verified">True when the path leads from the leaf to the checkpoint's root (checked before answering).</param>
internal sealed record InclusionProof(long Seq, AuditCheckpoint Checkpoint, byte[] LeafHash, IReadOnlyList<byte[]> Path, bool Verified)
{
    public long LeafIndex => Seq - 1;
}

/// <summary>
/// Builds proofs from the stored leaf hashes: the proof plan of <see cref="MerkleTree"/> names leaf ranges; a range that is
/// a perfect subtree already sealed comes from the node cache (<c>exchange_audit_tree_nodes</c>), anything else is
/// computed from its leaves (one query per range). The cache and the leaves are only as trustworthy as the database:
/// a proof is worth something because the client checks it against the signed root, and a tampered row makes that
/// check fail rather than pass.
/// </summary>
internal sealed class AuditProofs(DatabaseSettings database)
{
    /// <summary>
    /// Inclusion proof of entry <paramref name="seq"/> against the checkpoint of <paramref name="treeSize"/> entries, or
    /// (when null) the smallest checkpoint covering it. Null when there is no such checkpoint (not sealed yet, or no
    /// checkpoint of that size).
    /// </summary>
    public async Task<InclusionProof?> InclusionAsync(long seq, long? treeSize, CancellationToken ct = default)
    {
        await using var connection = await AuditSql.OpenAsync(database, ct);
        var checkpoint = treeSize is { } size
            ? await AuditSealer.ReadCheckpointAsync(connection, size, ct)
            : await AuditSealer.ReadCoveringCheckpointAsync(connection, seq, ct);
        if (checkpoint is null || seq < 1 || seq > checkpoint.TreeSize) return null;

        var entry = await ReadEntryAsync(connection, seq, ct);
        if (entry is null) return null;
        var leaf = AuditEncoding.LeafHash(AuditEncoding.Encode(entry.Seq, entry.RecordedAt, entry.ToRecord()));
        var path = new List<byte[]>();
        foreach (var (start, end) in MerkleTree.InclusionPlan(seq - 1, checkpoint.TreeSize))
            path.Add(await SubtreeHashAsync(connection, start, end, ct));
        var verified = AuditEncoding.TryParseHash(checkpoint.RootHash, out var root)
                       && MerkleTree.VerifyInclusion(seq - 1, checkpoint.TreeSize, leaf, path, root);
        return new InclusionProof(seq, checkpoint, leaf, path, verified);
    }

    /// <summary>Consistency proof between two checkpoints' tree sizes (RFC 6962 PROOF(m, D[n])).</summary>
    public async Task<IReadOnlyList<byte[]>> ConsistencyAsync(long oldSize, long newSize, CancellationToken ct = default)
    {
        await using var connection = await AuditSql.OpenAsync(database, ct);
        var proof = new List<byte[]>();
        foreach (var (start, end) in MerkleTree.ConsistencyPlan(oldSize, newSize))
            proof.Add(await SubtreeHashAsync(connection, start, end, ct));
        return proof;
    }

    /// <summary>One entry as stored, or null.</summary>
    public static async Task<AuditEntry?> ReadEntryAsync(DbConnection connection, long seq, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {AuditSql.EntryColumns} FROM exchange_audit_entries WHERE seq = @seq";
        AuditSql.Param(cmd, "@seq", seq);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var entry = AuditSql.ReadEntry(r, out var malformed);
        if (malformed is not null) throw new InvalidOperationException($"审计日志第 {seq} 条的字段无法读取：{malformed}");
        return entry;
    }

    /// <summary>MTH of leaves [start, end) (0-based leaf indexes, i.e. entries start+1 … end).</summary>
    private async Task<byte[]> SubtreeHashAsync(DbConnection connection, long start, long end, CancellationToken ct)
    {
        var size = end - start;
        if (MerkleTree.IsPowerOfTwo(size))
        {
            var level = System.Numerics.BitOperations.Log2((ulong)size);
            if (level >= AuditSealer.CacheLevel && start % size == 0 && await ReadNodeAsync(connection, level, start / size, ct) is { } cached)
                return cached;
            return await HashLeavesAsync(connection, start, end, ct);
        }
        var k = MerkleTree.SplitPoint(size);
        var left = await SubtreeHashAsync(connection, start, start + k, ct);
        var right = await SubtreeHashAsync(connection, start + k, end, ct);
        return MerkleTree.HashChildren(left, right);
    }

    private static async Task<byte[]?> ReadNodeAsync(DbConnection connection, int level, long index, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT hash FROM exchange_audit_tree_nodes WHERE level = @level AND node_index = @index";
        AuditSql.Param(cmd, "@level", level);
        AuditSql.Param(cmd, "@index", index);
        return await cmd.ExecuteScalarAsync(ct) is string hex && AuditEncoding.TryParseHash(hex, out var hash) ? hash : null;
    }

    private static async Task<byte[]> HashLeavesAsync(DbConnection connection, long start, long end, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT seq, leaf_hash FROM exchange_audit_entries WHERE seq > @from AND seq <= @to ORDER BY seq";
        AuditSql.Param(cmd, "@from", start);
        AuditSql.Param(cmd, "@to", end);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var range = new CompactRange();
        var expected = start + 1;
        while (await r.ReadAsync(ct))
        {
            var seq = r.GetInt64(0);
            // A missing or unreadable leaf cannot be proved; a zero hash in its place makes the proof fail verification.
            for (; expected < seq && expected <= end; expected++) range.Append(new byte[32]);
            range.Append(AuditEncoding.TryParseHash(r.IsDBNull(1) ? null : r.GetString(1), out var leaf) ? leaf : new byte[32]);
            expected = seq + 1;
        }
        for (; expected <= end; expected++) range.Append(new byte[32]);
        return range.Root();
    }
}
