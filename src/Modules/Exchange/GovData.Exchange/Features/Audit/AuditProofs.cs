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
        var path = await HashRangesAsync(connection, MerkleTree.InclusionPlan(seq - 1, checkpoint.TreeSize), ct);
        var verified = AuditEncoding.TryParseHash(checkpoint.RootHash, out var root)
                       && MerkleTree.VerifyInclusion(seq - 1, checkpoint.TreeSize, leaf, path, root);
        return new InclusionProof(seq, checkpoint, leaf, path, verified);
    }

    /// <summary>Consistency proof between two checkpoints' tree sizes (RFC 6962 PROOF(m, D[n])).</summary>
    public async Task<IReadOnlyList<byte[]>> ConsistencyAsync(long oldSize, long newSize, CancellationToken ct = default)
    {
        await using var connection = await AuditSql.OpenAsync(database, ct);
        return await HashRangesAsync(connection, MerkleTree.ConsistencyPlan(oldSize, newSize), ct);
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

    /// <summary>
    /// Tree hashes of the ranges of a proof plan with two queries: every range is split (as the RFC splits it) into
    /// perfect, aligned subtrees of 2^<see cref="AuditSealer.CacheLevel"/> leaves or more, read from the node cache in one
    /// query, and smaller pieces, whose leaf hashes are read in one query. A cache miss (never after a normal seal) falls
    /// back to reading that subtree's leaves.
    /// </summary>
    private static async Task<List<byte[]>> HashRangesAsync(DbConnection connection, IReadOnlyList<(long Start, long End)> ranges, CancellationToken ct)
    {
        var nodeKeys = new HashSet<(int Level, long Index)>();
        var leafRanges = new List<(long Start, long End)>();
        void Walk(long start, long end)
        {
            var size = end - start;
            if (MerkleTree.IsPowerOfTwo(size))
            {
                var level = System.Numerics.BitOperations.Log2((ulong)size);
                if (level >= AuditSealer.CacheLevel && start % size == 0) nodeKeys.Add((level, start / size));
                else leafRanges.Add((start, end));
                return;
            }
            var k = MerkleTree.SplitPoint(size);
            Walk(start, start + k);
            Walk(start + k, end);
        }
        foreach (var (start, end) in ranges) Walk(start, end);
        var nodes = await ReadNodesAsync(connection, nodeKeys, ct);
        var leaves = await ReadLeavesAsync(connection, leafRanges, ct);

        async Task<byte[]> HashAsync(long start, long end)
        {
            var size = end - start;
            if (MerkleTree.IsPowerOfTwo(size))
            {
                var level = System.Numerics.BitOperations.Log2((ulong)size);
                if (level >= AuditSealer.CacheLevel && start % size == 0)
                    return nodes.TryGetValue((level, start / size), out var cached) ? cached : await HashLeavesAsync(connection, start, end, ct);
                var range = new CompactRange();
                // A missing or unreadable leaf cannot be proved; a zero hash in its place makes the proof fail verification.
                for (var seq = start + 1; seq <= end; seq++) range.Append(leaves.TryGetValue(seq, out var leaf) ? leaf : new byte[32]);
                return range.Root();
            }
            var k = MerkleTree.SplitPoint(size);
            var left = await HashAsync(start, start + k);
            var right = await HashAsync(start + k, end);
            return MerkleTree.HashChildren(left, right);
        }
        var hashes = new List<byte[]>(ranges.Count);
        foreach (var (start, end) in ranges) hashes.Add(await HashAsync(start, end));
        return hashes;
    }

    private static async Task<Dictionary<(int, long), byte[]>> ReadNodesAsync(DbConnection connection, IReadOnlyCollection<(int Level, long Index)> keys, CancellationToken ct)
    {
        var map = new Dictionary<(int, long), byte[]>();
        if (keys.Count == 0) return map;
        await using var cmd = connection.CreateCommand();
        var terms = new List<string>(keys.Count);
        var i = 0;
        foreach (var (level, index) in keys)
        {
            terms.Add($"(level = @l{i} AND node_index = @i{i})");
            AuditSql.Param(cmd, $"@l{i}", level);
            AuditSql.Param(cmd, $"@i{i}", index);
            i++;
        }
        cmd.CommandText = $"SELECT level, node_index, hash FROM exchange_audit_tree_nodes WHERE {string.Join(" OR ", terms)}";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            if (AuditEncoding.TryParseHash(r.GetString(2), out var hash))
                map[(Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), r.GetInt64(1))] = hash;
        return map;
    }

    private static async Task<Dictionary<long, byte[]>> ReadLeavesAsync(DbConnection connection, IReadOnlyList<(long Start, long End)> ranges, CancellationToken ct)
    {
        var map = new Dictionary<long, byte[]>();
        if (ranges.Count == 0) return map;
        await using var cmd = connection.CreateCommand();
        var terms = new List<string>(ranges.Count);
        for (var i = 0; i < ranges.Count; i++)
        {
            terms.Add($"(seq > @a{i} AND seq <= @b{i})");
            AuditSql.Param(cmd, $"@a{i}", ranges[i].Start);
            AuditSql.Param(cmd, $"@b{i}", ranges[i].End);
        }
        cmd.CommandText = $"SELECT seq, leaf_hash FROM exchange_audit_entries WHERE {string.Join(" OR ", terms)}";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            if (AuditEncoding.TryParseHash(r.IsDBNull(1) ? null : r.GetString(1), out var leaf)) map[r.GetInt64(0)] = leaf;
        return map;
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
