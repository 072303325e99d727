using System.Numerics;
using System.Security.Cryptography;

namespace GovData.Exchange.Features.Audit;

/// <summary>
/// Merkle tree hashing of RFC 6962 (section 2.1; RFC 9162 section 2.1 for the verification algorithms): leaf =
/// SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), the tree of n leaves splits at the largest power of two
/// below n. Leaf indexes are 0-based (entry seq − 1). Proofs are planned as lists of leaf ranges [start, end) whose tree
/// hashes form the proof, so the database-backed <see cref="AuditProofs"/> and in-memory tests share one algorithm.
/// </summary>
internal static class MerkleTree
{
    /// <summary>MTH of the empty tree: SHA-256 of nothing.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    public static byte[] HashLeaf(ReadOnlySpan<byte> data)
    {
        var rented = data.Length < 2048 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(data.Length + 1);
        var input = rented is null ? stackalloc byte[data.Length + 1] : rented.AsSpan(0, data.Length + 1);
        input[0] = 0;
        data.CopyTo(input[1..]);
        var hash = SHA256.HashData(input);
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        return hash;
    }

    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[65];
        input[0] = 1;
        left.CopyTo(input[1..]);
        right.CopyTo(input[33..]);
        return SHA256.HashData(input);
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2).</summary>
    public static long SplitPoint(long n) => (long)BitOperations.RoundUpToPowerOf2((ulong)n) >> 1;

    public static bool IsPowerOfTwo(long n) => n > 0 && (n & (n - 1)) == 0;

    /// <summary>The tree hash of a list of leaf hashes (tests and small ranges).</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes)
    {
        var range = new CompactRange();
        foreach (var leaf in leafHashes) range.Append(leaf);
        return range.Root();
    }

    /// <summary>
    /// The ranges whose tree hashes make up the audit path of leaf <paramref name="index"/> in a tree of
    /// <paramref name="size"/> leaves (RFC 6962 PATH(m, D[n]), bottom first).
    /// </summary>
    public static List<(long Start, long End)> InclusionPlan(long index, long size)
    {
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), "叶序号超出树的大小");
        var plan = new List<(long, long)>();
        Path(index, 0, size, plan);
        return plan;
    }

    private static void Path(long m, long start, long end, List<(long, long)> plan)
    {
        var n = end - start;
        if (n <= 1) return;
        var k = SplitPoint(n);
        if (m < k)
        {
            Path(m, start, start + k, plan);
            plan.Add((start + k, end));
        }
        else
        {
            Path(m - k, start + k, end, plan);
            plan.Add((start, start + k));
        }
    }

    /// <summary>
    /// The ranges whose tree hashes make up the consistency proof from a tree of <paramref name="oldSize"/> leaves to
    /// one of <paramref name="newSize"/> (RFC 6962 PROOF(m, D[n]) = SUBPROOF(m, D[n], true)).
    /// </summary>
    public static List<(long Start, long End)> ConsistencyPlan(long oldSize, long newSize)
    {
        if (oldSize < 1 || oldSize > newSize) throw new ArgumentOutOfRangeException(nameof(oldSize), "旧树大小应在 1 与新树大小之间");
        var plan = new List<(long, long)>();
        if (oldSize < newSize) SubProof(oldSize, 0, newSize, true, plan);
        return plan;
    }

    private static void SubProof(long m, long start, long end, bool whole, List<(long, long)> plan)
    {
        var n = end - start;
        if (m == n)
        {
            if (!whole) plan.Add((start, end));
            return;
        }
        var k = SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, whole, plan);
            plan.Add((start + k, end));
        }
        else
        {
            SubProof(m - k, start + k, end, false, plan);
            plan.Add((start, start + k));
        }
    }

    /// <summary>RFC 9162 2.1.3.2: true when <paramref name="path"/> proves leaf <paramref name="index"/> in the tree with <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size) return false;
        long fn = index, sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (p.Length != 32 || sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = HashChildren(p, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else r = HashChildren(r, p);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 2.1.4.2: true when <paramref name="proof"/> shows the tree <paramref name="oldRoot"/> of <paramref name="oldSize"/> is a prefix of <paramref name="newRoot"/>.</summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 1 || oldSize > newSize) return false;
        if (oldSize == newSize) return proof.Count == 0 && oldRoot.SequenceEqual(newRoot);
        if (proof.Count == 0 || proof.Any(p => p.Length != 32)) return false;
        var path = new List<byte[]>(proof.Count + 1);
        if (IsPowerOfTwo(oldSize)) path.Add(oldRoot.ToArray());
        path.AddRange(proof);
        long fn = oldSize - 1, sn = newSize - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        byte[] fr = path[0], sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = HashChildren(c, fr);
                sr = HashChildren(c, sr);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else sr = HashChildren(sr, c);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }
}

/// <summary>
/// The right edge of an RFC 6962 tree being built leaf by leaf: the hashes of its perfect subtrees, largest (leftmost)
/// first — one per set bit of the size. Appending is amortised O(1) hashes and the root of the current size is a fold
/// from the right, so one pass over the leaves yields the root of every prefix (sealing, verification).
/// </summary>
internal sealed class CompactRange
{
    private readonly List<(int Level, byte[] Hash)> _nodes = [];

    /// <summary>Leaves appended so far.</summary>
    public long Size { get; private set; }

    /// <summary>Called for each perfect subtree completed by an append: level (log2 of its leaves), index at that level, hash.</summary>
    public Action<int, long, byte[]>? OnSubtree { get; set; }

    public void Append(byte[] leafHash)
    {
        _nodes.Add((0, leafHash));
        Size++;
        while (_nodes.Count >= 2 && _nodes[^1].Level == _nodes[^2].Level)
        {
            var right = _nodes[^1];
            var left = _nodes[^2];
            _nodes.RemoveRange(_nodes.Count - 2, 2);
            var level = left.Level + 1;
            var hash = MerkleTree.HashChildren(left.Hash, right.Hash);
            _nodes.Add((level, hash));
            OnSubtree?.Invoke(level, (Size >> level) - 1, hash);
        }
    }

    /// <summary>MTH of the leaves appended so far.</summary>
    public byte[] Root()
    {
        if (_nodes.Count == 0) return MerkleTree.EmptyRoot();
        var r = _nodes[^1].Hash;
        for (var i = _nodes.Count - 2; i >= 0; i--) r = MerkleTree.HashChildren(_nodes[i].Hash, r);
        return r;
    }

    /// <summary>The frontier as stored with a checkpoint: hex hashes, largest subtree first, separated by commas.</summary>
    public string Serialize() => string.Join(',', _nodes.Select(n => AuditEncoding.Hex(n.Hash)));

    /// <summary>Restores the range of a tree of <paramref name="size"/> leaves from <see cref="Serialize"/>d text.</summary>
    public static CompactRange Deserialize(long size, string frontier)
    {
        var parts = string.IsNullOrEmpty(frontier) ? [] : frontier.Split(',');
        var levels = new List<int>();
        for (var level = 62; level >= 0; level--)
            if ((size >> level & 1) == 1) levels.Add(level);
        if (parts.Length != levels.Count) throw new FormatException($"检查点的树边界（frontier）与树大小 {size} 不符");
        var range = new CompactRange { Size = size };
        for (var i = 0; i < parts.Length; i++)
        {
            if (!AuditEncoding.TryParseHash(parts[i], out var hash)) throw new FormatException("检查点的树边界（frontier）不是有效的哈希列表");
            range._nodes.Add((levels[i], hash));
        }
        return range;
    }
}
