using System.Diagnostics;
using System.Globalization;
using GovData.SharedKernel.Persistence;

namespace GovData.Exchange.Features.Audit;

/// <summary>Kinds of problems the verifier reports (stable codes; the message says it in Chinese).</summary>
internal static class AuditProblemKinds
{
    /// <summary>An entry's fields no longer match its entry hash.</summary>
    public const string Modified = "modified";
    /// <summary>Sequence numbers are missing: entries were deleted.</summary>
    public const string Deleted = "deleted";
    /// <summary>An entry sits at another entry's position.</summary>
    public const string Reordered = "reordered";
    /// <summary>An entry was rewritten and its hashes recomputed, or its chain hash was changed.</summary>
    public const string ChainBroken = "chain";
    /// <summary>The stored leaf hash does not match the entry.</summary>
    public const string Leaf = "leaf";
    /// <summary>A row cannot be read (a value of the wrong type, an invalid sequence number).</summary>
    public const string Malformed = "malformed";
    /// <summary>Entries covered by a signed checkpoint are gone from the end of the log.</summary>
    public const string Truncated = "truncated";
    /// <summary>A checkpoint's Merkle root or chain hash does not match the log.</summary>
    public const string CheckpointMismatch = "checkpoint";
    /// <summary>A checkpoint's signature does not verify.</summary>
    public const string Signature = "signature";
    /// <summary>A checkpoint names a key that does not exist, or not the pinned key.</summary>
    public const string UnknownKey = "key";

    public static string DisplayName(string kind) => kind switch
    {
        Modified => "记录被修改",
        Deleted => "记录被删除",
        Reordered => "记录顺序被调换",
        ChainBroken => "哈希链断裂",
        Leaf => "叶哈希被改写",
        Malformed => "记录无法读取",
        Truncated => "日志被截断",
        CheckpointMismatch => "检查点与日志不符",
        Signature => "检查点签名无效",
        UnknownKey => "签名密钥不符",
        _ => kind,
    };
}

/// <summary>One problem found by the verifier.</summary>
/// <param name="Seq">The entry concerned (for checkpoint problems: the checkpoint's tree size; for truncation: the first missing entry).</param>
/// <param name="Kind">See <see cref="AuditProblemKinds"/>.</param>
/// <param name="Message">What is wrong, in Chinese, naming the entry.</param>
internal sealed record AuditProblem(long Seq, string Kind, string Message);

/// <summary>The verifier's findings.</summary>
internal sealed record AuditVerificationReport(
    bool Ok, long Entries, long LastSeq, int Checkpoints, long SealedUpTo, IReadOnlyList<AuditProblem> Problems, bool MoreProblems,
    DateTime StartedAt, double Seconds, IReadOnlyList<string> KeyIds, string? PinnedKeyId)
{
    /// <summary>The problem at the lowest position, or null when the log is intact.</summary>
    public AuditProblem? First => Problems.Count > 0 ? Problems[0] : null;

    /// <summary>Entries after the last checkpoint (not covered by a signature yet).</summary>
    public long Unsealed => Math.Max(0, LastSeq - SealedUpTo);

    /// <summary>One paragraph in Chinese.</summary>
    public string Summary
    {
        get
        {
            static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
            if (!Ok)
                return $"审计日志校验未通过：发现 {(MoreProblems ? "至少 " : "")}{Problems.Count} 处问题。首个问题：{First!.Message}";
            if (Entries == 0)
                return Checkpoints == 0 ? "审计日志校验通过：日志为空，尚无检查点。" : $"审计日志校验通过：日志为空，{Checkpoints} 个检查点。";
            var sealedText = Checkpoints == 0
                ? "尚无签名检查点（日志还未封存）"
                : $"{Checkpoints} 个签名检查点的默克尔根、链哈希与签名均有效，已封存至第 {N(SealedUpTo)} 条" + (Unsealed > 0 ? $"，其后 {N(Unsealed)} 条尚未封存" : "");
            return $"审计日志校验通过：共 {N(Entries)} 条记录（第 1 至 {N(LastSeq)} 条），序号连续，每条记录的内容与哈希一致，哈希链完整；{sealedText}。";
        }
    }
}

/// <summary>Options of a verification run.</summary>
/// <param name="PinnedKey">When given, every checkpoint must be signed by this key (a copy the auditor keeps), not merely by a key stored in the database.</param>
/// <param name="MaxProblems">Problems listed at most (the run stops listing, not checking, beyond).</param>
internal sealed record AuditVerifyOptions(NodePublicKey? PinnedKey = null, int MaxProblems = 100);

/// <summary>
/// Checks the whole log in one pass over the entries in sequence order: contiguity of the sequence numbers (a gap is a
/// deleted entry), each entry's fields against its entry and leaf hash (a modified entry; an entry whose fields hash
/// correctly at a nearby position is a moved one — a swapped pair is reported as such), the hash chain between
/// neighbours (an entry rewritten with recomputed hashes breaks the link to its successor), and every checkpoint — its
/// Merkle root and chain hash recomputed from the entries' fields, its signature with the stored node key or a pinned
/// one, and that the entries it covers still exist (truncation). Problems are listed by position; after a problem, the
/// link to the next entry is not reported again, since it is only a consequence.
/// </summary>
internal sealed class AuditVerifier(DatabaseSettings database, NodeKeys keys, TimeProvider clock)
{
    private const int Window = 64;
    private const int MaxDiagnoses = 50;
    private const long MaxPlaceholderLeaves = 5_000_000;

    public async Task<AuditVerificationReport> VerifyAsync(AuditVerifyOptions? options = null, CancellationToken ct = default)
    {
        options ??= new AuditVerifyOptions();
        var started = clock.GetUtcNow().UtcDateTime;
        var watch = Stopwatch.StartNew();
        var run = new Run(options);

        var keyList = await keys.ListAsync(ct);
        run.Keys = keyList.ToDictionary(k => k.KeyId);
        await using var connection = await AuditSql.OpenAsync(database, ct);
        run.Checkpoints = await AuditSealer.ReadAllCheckpointsAsync(connection, ct);

        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT {AuditSql.EntryColumns} FROM exchange_audit_entries ORDER BY seq";
            cmd.CommandTimeout = 0;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var entry = AuditSql.ReadEntry(reader, out var malformed);
                await run.EntryAsync(entry, malformed, (s, c) => LoadWindowAsync(s, c), ct);
            }
        }
        run.Finish();

        var usedKeys = run.Checkpoints.Select(c => c.KeyId).Distinct().ToList();
        var problems = run.Problems.OrderBy(p => p.Seq).ToList();
        return new AuditVerificationReport(problems.Count == 0, run.Count, run.LastSeq, run.Checkpoints.Count, run.SealedUpTo, problems,
            run.MoreProblems, started, watch.Elapsed.TotalSeconds, usedKeys, options.PinnedKey?.KeyId);
    }

    /// <summary>Stored entry hashes of the entries around <paramref name="seq"/> (to recognise moved entries).</summary>
    private async Task<Dictionary<long, string>> LoadWindowAsync(long seq, CancellationToken ct)
    {
        await using var connection = await AuditSql.OpenAsync(database, ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT seq, entry_hash FROM exchange_audit_entries WHERE seq BETWEEN @a AND @b";
        AuditSql.Param(cmd, "@a", seq - Window);
        AuditSql.Param(cmd, "@b", seq + Window);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var map = new Dictionary<long, string>();
        while (await r.ReadAsync(ct)) map[r.GetInt64(0)] = r.IsDBNull(1) ? "" : r.GetString(1);
        return map;
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>State of one pass.</summary>
    private sealed class Run(AuditVerifyOptions options)
    {
        public Dictionary<string, NodePublicKey> Keys { get; set; } = [];
        public List<AuditCheckpoint> Checkpoints { get; set; } = [];
        public List<AuditProblem> Problems { get; } = [];
        public bool MoreProblems { get; private set; }
        public long Count { get; private set; }
        public long LastSeq => _expected - 1;
        public long SealedUpTo { get; private set; }

        private readonly CompactRange _tree = new();
        private bool _treeUsable = true;
        private long _expected = 1;
        private int _checkpointIndex;
        private long _previousCheckpointSize;
        private byte[]? _previousStoredChain = AuditEncoding.GenesisChain;
        private bool _previousHadProblem;
        private byte[] _recomputedChain = AuditEncoding.GenesisChain;
        private bool _recomputedChainKnown = true;
        private long? _pendingBreak;
        private int _diagnoses;
        private readonly HashSet<long> _problemSeqs = [];
        private readonly Dictionary<long, long> _swappedWith = [];

        public async Task EntryAsync(AuditEntry e, string? malformed, Func<long, CancellationToken, Task<Dictionary<long, string>>> window, CancellationToken ct)
        {
            Count++;
            var seq = e.Seq;
            if (seq < _expected)
            {
                Add(seq, AuditProblemKinds.Malformed, $"出现无效的序号 {N(seq)}（序号应从 1 起连续递增）：记录被改动");
                return;
            }
            if (seq > _expected)
            {
                var message = seq == _expected + 1
                    ? $"第 {N(_expected)} 条记录缺失（第 {N(_expected - 1)} 条之后直接是第 {N(seq)} 条）：记录被删除"
                    : $"第 {N(_expected)} 至 {N(seq - 1)} 条记录缺失（共 {N(seq - _expected)} 条，第 {N(_expected - 1)} 条之后直接是第 {N(seq)} 条）：记录被删除";
                if (_expected == 1) message = seq == 2 ? "第 1 条记录缺失（日志从第 2 条开始）：记录被删除" : $"第 1 至 {N(seq - 1)} 条记录缺失（日志从第 {N(seq)} 条开始）：记录被删除";
                Add(_expected, AuditProblemKinds.Deleted, message);
                // Missing leaves: the tree keeps their positions (with empty leaves) so later checkpoints compare position by position.
                if (seq - _expected <= MaxPlaceholderLeaves && _treeUsable)
                    for (var s = _expected; s < seq; s++) { _tree.Append(new byte[32]); CheckCheckpoints(); }
                else _treeUsable = false;
                _recomputedChainKnown = false;
                _previousHadProblem = true;
                _pendingBreak = null;
                _expected = seq;
            }

            var problemHere = false;
            byte[] leaf;
            byte[]? entryHash = null;
            if (malformed is not null)
            {
                Add(seq, AuditProblemKinds.Malformed, $"第 {N(seq)} 条记录的字段无法读取（{malformed}）：记录被改动");
                problemHere = true;
                leaf = new byte[32];
                _recomputedChainKnown = false;
            }
            else
            {
                var bytes = AuditEncoding.Encode(seq, e.RecordedAt, e.ToRecord());
                entryHash = AuditEncoding.EntryHash(bytes);
                leaf = AuditEncoding.LeafHash(bytes);
                if (e.Format != AuditEncoding.Version)
                {
                    Add(seq, AuditProblemKinds.Modified, $"第 {N(seq)} 条记录的编码版本被改为 {e.Format}（应为 {AuditEncoding.Version}）：记录被修改");
                    problemHere = true;
                }
                else if (AuditEncoding.Hex(entryHash) != e.EntryHash)
                {
                    await DiagnoseAsync(e, window, ct);
                    problemHere = true;
                }
                else if (AuditEncoding.Hex(leaf) != e.LeafHash)
                {
                    Add(seq, AuditProblemKinds.Leaf, $"第 {N(seq)} 条记录的叶哈希被改写（与记录内容不符）");
                    problemHere = true;
                }
                if (_recomputedChainKnown) _recomputedChain = AuditEncoding.ChainHash(_recomputedChain, entryHash);
            }

            // The link to the previous entry, from the stored hashes (a modified field alone does not break it).
            var storedChainOk = AuditEncoding.TryParseHash(e.ChainHash, out var storedChain);
            var linkOk = storedChainOk && _previousStoredChain is not null && AuditEncoding.TryParseHash(e.EntryHash, out var storedEntryHash)
                         && AuditEncoding.ChainHash(_previousStoredChain, storedEntryHash).AsSpan().SequenceEqual(storedChain);
            if (_pendingBreak is { } t && t == seq - 1)
            {
                // The link into t failed while t itself looked intact. If the link out of t fails too, t's stored chain
                // hash was changed; if it holds, t−1 was rewritten with recomputed hashes (t still chains from its original).
                if (!linkOk)
                    Add(t, AuditProblemKinds.ChainBroken, $"第 {N(t)} 条记录的链哈希被改写（与前后记录都不衔接）");
                else if (t > 1)
                    Add(t - 1, AuditProblemKinds.ChainBroken,
                        $"第 {N(t - 1)} 条记录被改写并重新计算了哈希（第 {N(t)} 条的链哈希仍由第 {N(t - 1)} 条原来的内容推出，两者不再衔接）");
                else
                    Add(t, AuditProblemKinds.ChainBroken, $"第 {N(t)} 条记录的链哈希被改写（不是由日志起点推出）");
                _pendingBreak = null;
            }
            else if (!linkOk && !problemHere && !_previousHadProblem)
            {
                _pendingBreak = seq;
            }

            if (_treeUsable) _tree.Append(leaf);
            _previousStoredChain = storedChainOk ? storedChain : null;
            _previousHadProblem = problemHere;
            _expected = seq + 1;
            if (_treeUsable) CheckCheckpoints();
        }

        /// <summary>An entry whose fields do not match its hash: moved from a nearby position, or modified.</summary>
        private async Task DiagnoseAsync(AuditEntry e, Func<long, CancellationToken, Task<Dictionary<long, string>>> window, CancellationToken ct)
        {
            var seq = e.Seq;
            if (_diagnoses++ < MaxDiagnoses)
            {
                var stored = await window(seq, ct);
                var record = e.ToRecord();
                for (var d = 1; d <= Window; d++)
                {
                    foreach (var other in new[] { seq - d, seq + d })
                    {
                        if (other < 1) continue;
                        var hash = AuditEncoding.Hex(AuditEncoding.EntryHash(AuditEncoding.Encode(other, e.RecordedAt, record)));
                        if (hash != e.EntryHash && (!stored.TryGetValue(other, out var there) || there != hash)) continue;
                        if (_swappedWith.TryGetValue(other, out var partner) && partner == seq)
                        {
                            // The other half of a pair already reported: one problem for the pair.
                            var index = Problems.FindIndex(p => p.Seq == other && p.Kind == AuditProblemKinds.Reordered);
                            if (index >= 0)
                                Problems[index] = Problems[index] with { Message = $"第 {N(other)} 条与第 {N(seq)} 条记录的位置被调换（两条记录的内容互换了序号）" };
                            _problemSeqs.Add(seq);
                            return;
                        }
                        _swappedWith[seq] = other;
                        Add(seq, AuditProblemKinds.Reordered, $"第 {N(seq)} 条的位置上是原第 {N(other)} 条记录：记录被挪动（顺序被调换，或删除记录后序号被改写）");
                        return;
                    }
                }
            }
            Add(seq, AuditProblemKinds.Modified, $"第 {N(seq)} 条记录的内容被修改（按现有字段重算的记录哈希与写入时的不符）");
        }

        private void CheckCheckpoints()
        {
            while (_checkpointIndex < Checkpoints.Count && Checkpoints[_checkpointIndex].TreeSize <= _tree.Size)
            {
                var c = Checkpoints[_checkpointIndex++];
                if (c.TreeSize == _tree.Size)
                {
                    CheckSignature(c);
                    var from = _previousCheckpointSize + 1;
                    if (AuditEncoding.Hex(_tree.Root()) != c.RootHash)
                        Add(c.TreeSize, AuditProblemKinds.CheckpointMismatch,
                            $"检查点（共 {N(c.TreeSize)} 条，签名于 {Local(c.SignedAt)}）的默克尔根与日志不符：第 {N(from)} 至 {N(c.TreeSize)} 条中（或更早）有记录被改写、删除或调换");
                    else if (_recomputedChainKnown && AuditEncoding.Hex(_recomputedChain) != c.ChainHash)
                        Add(c.TreeSize, AuditProblemKinds.CheckpointMismatch,
                            $"检查点（共 {N(c.TreeSize)} 条）签名的链哈希与按日志重算的不符");
                    SealedUpTo = c.TreeSize;
                    _previousCheckpointSize = c.TreeSize;
                }
                else CheckSignature(c);
            }
        }

        private void CheckSignature(AuditCheckpoint c)
        {
            NodePublicKey? key;
            if (options.PinnedKey is { } pinned)
            {
                key = pinned.KeyId == c.KeyId ? pinned : null;
                if (key is null)
                {
                    Add(c.TreeSize, AuditProblemKinds.UnknownKey, $"检查点（共 {N(c.TreeSize)} 条）不是由指定的公钥（{pinned.KeyId}）签名，而是由密钥 {c.KeyId}");
                    return;
                }
            }
            else if (!Keys.TryGetValue(c.KeyId, out key))
            {
                Add(c.TreeSize, AuditProblemKinds.UnknownKey, $"检查点（共 {N(c.TreeSize)} 条）的签名密钥 {c.KeyId} 不在节点密钥表中");
                return;
            }
            byte[] signature;
            try { signature = Convert.FromBase64String(c.Signature); }
            catch (FormatException) { signature = []; }
            if (!key.Verify(CheckpointStatement.Bytes(c), signature))
                Add(c.TreeSize, AuditProblemKinds.Signature, $"检查点（共 {N(c.TreeSize)} 条）的签名无效：检查点的内容或签名被改写");
        }

        public void Finish()
        {
            if (_pendingBreak is { } t)
            {
                Add(t > 1 ? t - 1 : t, AuditProblemKinds.ChainBroken, t > 1
                    ? $"第 {N(t - 1)} 条与第 {N(t)} 条之间哈希链断裂（第 {N(t - 1)} 条被改写后重算了哈希，或第 {N(t)} 条的链哈希被改写）"
                    : $"第 {N(t)} 条记录的链哈希被改写（不是由日志起点推出）");
                _pendingBreak = null;
            }
            var last = LastSeq;
            // Checkpoints the pass never reached: beyond the end of the log, or after a gap too large to rebuild the tree over.
            foreach (var c in Checkpoints.Skip(_checkpointIndex))
            {
                CheckSignature(c);
                if (c.TreeSize <= last)
                    Add(c.TreeSize, AuditProblemKinds.CheckpointMismatch, $"检查点（共 {N(c.TreeSize)} 条）无法按日志重算：日志中缺失的记录过多");
            }
            var beyond = Checkpoints.Where(c => c.TreeSize > last).ToList();
            if (beyond.Count > 0)
            {
                var largest = beyond.Max(c => c.TreeSize);
                Add(last + 1, AuditProblemKinds.Truncated, last + 1 == largest
                    ? $"日志在第 {N(last)} 条之后被截断：已签名的检查点覆盖到第 {N(largest)} 条，但第 {N(largest)} 条记录已不存在"
                    : $"日志在第 {N(last)} 条之后被截断：已签名的检查点覆盖到第 {N(largest)} 条，但第 {N(last + 1)} 至 {N(largest)} 条记录已不存在");
            }
        }

        private void Add(long seq, string kind, string message)
        {
            if (!_problemSeqs.Add(seq) && kind is not (AuditProblemKinds.CheckpointMismatch or AuditProblemKinds.Signature or AuditProblemKinds.UnknownKey or AuditProblemKinds.Truncated))
                return; // one entry-level problem per position
            if (Problems.Count >= options.MaxProblems) { MoreProblems = true; return; }
            Problems.Add(new AuditProblem(seq, kind, message));
        }

        private static string Local(DateTime utc) =>
            DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
