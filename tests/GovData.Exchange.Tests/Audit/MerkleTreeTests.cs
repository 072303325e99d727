using System.Security.Cryptography;
using GovData.Exchange.Features.Audit;

namespace GovData.Exchange.Tests.Audit;

/// <summary>
/// RFC 6962 hashing and proofs against the reference test vectors of Certificate Transparency (the eight leaves below;
/// roots and paths also recomputed independently with a few lines of Python's hashlib), and every proof of every tree up
/// to 40 leaves checked against a plain recursive implementation of the RFC's definitions.
/// </summary>
public sealed class MerkleTreeTests
{
    private static readonly byte[][] Leaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    private static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static List<byte[]> LeafHashes(int n) => Leaves.Take(n).Select(l => MerkleTree.HashLeaf(l)).ToList();

    [Fact]
    public void Roots_match_the_reference_vectors()
    {
        for (var n = 1; n <= 8; n++) Convert.ToHexStringLower(MerkleTree.Root(LeafHashes(n))).ShouldBe(Roots[n - 1], $"tree of {n}");
        Convert.ToHexStringLower(MerkleTree.Root([])).ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Theory]
    [InlineData(0, 8, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7,5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e,6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]
    [InlineData(5, 8, "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b,ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0,d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]
    [InlineData(2, 3, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]
    public void Inclusion_paths_match_the_reference_vectors(int index, int size, string expected)
    {
        var leaves = LeafHashes(size);
        var path = Hashes(MerkleTree.InclusionPlan(index, size), leaves);
        string.Join(',', path.Select(Convert.ToHexStringLower)).ShouldBe(expected);
        MerkleTree.VerifyInclusion(index, size, leaves[index], path, Convert.FromHexString(Roots[size - 1])).ShouldBeTrue();
    }

    [Theory]
    [InlineData(1, 8, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7,5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e,6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]
    [InlineData(6, 8, "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a,ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0,d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]
    [InlineData(2, 5, "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e,bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]
    public void Consistency_proofs_match_the_reference_vectors(int oldSize, int newSize, string expected)
    {
        var leaves = LeafHashes(newSize);
        var proof = Hashes(MerkleTree.ConsistencyPlan(oldSize, newSize), leaves);
        string.Join(',', proof.Select(Convert.ToHexStringLower)).ShouldBe(expected);
        MerkleTree.VerifyConsistency(oldSize, newSize, Convert.FromHexString(Roots[oldSize - 1]), Convert.FromHexString(Roots[newSize - 1]), proof).ShouldBeTrue();
    }

    [Fact]
    public void Every_proof_of_every_tree_up_to_40_leaves_verifies_and_a_wrong_leaf_path_or_root_does_not()
    {
        var leaves = Enumerable.Range(0, 40).Select(i => MerkleTree.HashLeaf(BitConverter.GetBytes(i * 7919))).ToList();
        for (var n = 1; n <= leaves.Count; n++)
        {
            var tree = leaves.Take(n).ToList();
            var root = ReferenceRoot(tree);
            MerkleTree.Root(tree).ShouldBe(root, $"root of {n}");
            for (var m = 0; m < n; m++)
            {
                var path = Hashes(MerkleTree.InclusionPlan(m, n), tree);
                path.Select(Convert.ToHexStringLower).ShouldBe(ReferencePath(m, tree).Select(Convert.ToHexStringLower), $"path of {m} in {n}");
                MerkleTree.VerifyInclusion(m, n, tree[m], path, root).ShouldBeTrue($"leaf {m} of {n}");
                if (n > 1) MerkleTree.VerifyInclusion(m, n, tree[(m + 1) % n], path, root).ShouldBeFalse($"wrong leaf {m} of {n}");
                MerkleTree.VerifyInclusion(m, n, tree[m], path, Flip(root)).ShouldBeFalse();
                if (path.Count > 0)
                {
                    var bad = path.ToList();
                    bad[^1] = Flip(bad[^1]);
                    MerkleTree.VerifyInclusion(m, n, tree[m], bad, root).ShouldBeFalse();
                }
                if (m > 0) MerkleTree.VerifyInclusion(m - 1, n, tree[m], path, root).ShouldBeFalse();
            }
            for (var old = 1; old <= n; old++)
            {
                var oldRoot = ReferenceRoot(tree.Take(old).ToList());
                var proof = Hashes(MerkleTree.ConsistencyPlan(old, n), tree);
                MerkleTree.VerifyConsistency(old, n, oldRoot, root, proof).ShouldBeTrue($"consistency {old} → {n}");
                if (old < n)
                {
                    MerkleTree.VerifyConsistency(old, n, Flip(oldRoot), root, proof).ShouldBeFalse();
                    MerkleTree.VerifyConsistency(old, n, oldRoot, Flip(root), proof).ShouldBeFalse();
                    var bad = proof.ToList();
                    bad[0] = Flip(bad[0]);
                    MerkleTree.VerifyConsistency(old, n, oldRoot, root, bad).ShouldBeFalse();
                }
            }
        }
    }

    [Fact]
    public void A_compact_range_continues_from_its_serialized_frontier_and_reports_perfect_subtrees()
    {
        var leaves = Enumerable.Range(0, 1000).Select(i => MerkleTree.HashLeaf(BitConverter.GetBytes(i))).ToList();
        var first = new CompactRange();
        foreach (var l in leaves.Take(617)) first.Append(l);
        var resumed = CompactRange.Deserialize(617, first.Serialize());
        resumed.Root().ShouldBe(first.Root());
        var subtrees = new List<(int Level, long Index, byte[] Hash)>();
        resumed.OnSubtree = (level, index, hash) => subtrees.Add((level, index, hash));
        foreach (var l in leaves.Skip(617)) resumed.Append(l);
        resumed.Root().ShouldBe(ReferenceRoot(leaves));
        var level8 = subtrees.Where(s => s.Level == 8).ToList();
        level8.Select(s => s.Index).ShouldBe([2]); // leaves 512..767 complete after leaf 767
        level8[0].Hash.ShouldBe(ReferenceRoot(leaves.Skip(512).Take(256).ToList()));
        Should.Throw<FormatException>(() => CompactRange.Deserialize(616, first.Serialize())); // 616 has four perfect subtrees, 617 five
    }

    private static List<byte[]> Hashes(List<(long Start, long End)> plan, IReadOnlyList<byte[]> leaves) =>
        plan.Select(r => ReferenceRoot(leaves.Skip((int)r.Start).Take((int)(r.End - r.Start)).ToList())).ToList();

    private static byte[] Flip(byte[] hash)
    {
        var copy = hash.ToArray();
        copy[0] ^= 1;
        return copy;
    }

    /// <summary>MTH straight from RFC 6962 section 2.1.</summary>
    private static byte[] ReferenceRoot(IReadOnlyList<byte[]> leafHashes)
    {
        if (leafHashes.Count == 0) return SHA256.HashData([]);
        if (leafHashes.Count == 1) return leafHashes[0];
        var k = 1;
        while (k * 2 < leafHashes.Count) k *= 2;
        return SHA256.HashData([0x01, .. ReferenceRoot(leafHashes.Take(k).ToList()), .. ReferenceRoot(leafHashes.Skip(k).ToList())]);
    }

    /// <summary>PATH(m, D[n]) straight from RFC 6962 section 2.1.1.</summary>
    private static List<byte[]> ReferencePath(int m, IReadOnlyList<byte[]> leafHashes)
    {
        var n = leafHashes.Count;
        if (n == 1) return [];
        var k = 1;
        while (k * 2 < n) k *= 2;
        return m < k
            ? [.. ReferencePath(m, leafHashes.Take(k).ToList()), ReferenceRoot(leafHashes.Skip(k).ToList())]
            : [.. ReferencePath(m - k, leafHashes.Skip(k).ToList()), ReferenceRoot(leafHashes.Take(k).ToList())];
    }
}
