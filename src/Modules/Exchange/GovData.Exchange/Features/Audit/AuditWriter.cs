using System.Data.Common;
using System.Threading.Channels;
using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Audit;

/// <summary>Where an appended record landed.</summary>
/// <param name="Seq">Its sequence number.</param>
/// <param name="RecordedAt">The time the log gave it (UTC).</param>
/// <param name="EntryHash">Its entry hash (hex).</param>
internal sealed record AuditAppended(long Seq, DateTime RecordedAt, string EntryHash);

/// <summary>
/// Appends to <c>exchange_audit_entries</c>. Every append — a batch of the group commit or an entry inside a caller's
/// transaction — does the same thing in one transaction: take the lock (<see cref="AuditSql.LockAsync"/>), read the
/// head (last seq and chain hash) under it, number and chain the new entries, insert them. Because the head is re-read
/// under the lock every time, any number of hosts over one database produce one contiguous chain.
/// <para>
/// Group commit (<see cref="EnqueueAsync"/>, the path of data accesses): callers put their record on a queue and await
/// its batch's commit. One loop per host takes whatever is queued (up to <see cref="AuditOptions.MaxBatchSize"/>) and
/// commits it with one lock, one head read and one multi-row insert; the callers' tasks complete only after the commit,
/// so an entry is durable before the request that caused it answers, and nothing lives only in this host's memory after
/// that. While a batch commits the next one fills, so the batch size follows the load. A failed batch fails the
/// tasks of all its callers.
/// </para>
/// </summary>
internal sealed class AuditWriter : IAsyncDisposable
{
    private readonly DatabaseSettings _database;
    private readonly TimeProvider _clock;
    private readonly ILogger<AuditWriter> _log;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly object _startGate = new();
    private Task? _loop;

    public AuditWriter(DatabaseSettings database, TimeProvider clock, IOptions<AuditOptions> options, ILogger<AuditWriter> log)
    {
        _database = database;
        _clock = clock;
        _log = log;
        _maxBatch = Math.Clamp(options.Value.MaxBatchSize, 1, 10_000);
    }

    /// <summary>Batches committed by this host so far (tests and the benchmark read it).</summary>
    public long BatchesCommitted => Interlocked.Read(ref _batches);
    private long _batches;

    /// <summary>Queues <paramref name="record"/> for the next batch and completes when that batch has committed.</summary>
    public Task<AuditAppended> EnqueueAsync(AuditRecord record, CancellationToken ct = default)
    {
        var pending = new Pending(AuditEncoding.Normalize(record), new TaskCompletionSource<AuditAppended>(TaskCreationOptions.RunContinuationsAsynchronously));
        EnsureStarted();
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("审计日志写入器已停止，无法记录审计日志");
        // The entry is written even if the caller stops waiting: an access that happened is logged.
        return ct.CanBeCanceled ? pending.Done.Task.WaitAsync(ct) : pending.Done.Task;
    }

    /// <summary>
    /// Appends inside the caller's open transaction: the entries commit or roll back with the change they record. On
    /// PostgreSQL the lock is then held until the caller's transaction ends.
    /// </summary>
    public async Task<IReadOnlyList<AuditAppended>> AppendInTransactionAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<AuditRecord> records,
        CancellationToken ct = default)
    {
        var normalized = records.Select(AuditEncoding.Normalize).ToList();
        return await AppendLockedAsync(connection, tx, normalized, ct);
    }

    private async Task<IReadOnlyList<AuditAppended>> AppendLockedAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        await AuditSql.LockAsync(connection, tx, _database.IsPostgres, ct);
        var (seq, chain) = await AuditSql.ReadHeadAsync(connection, tx, ct);
        var now = AuditEncoding.Truncate(_clock.GetUtcNow().UtcDateTime);
        var entries = new List<AuditEntry>(records.Count);
        var results = new List<AuditAppended>(records.Count);
        foreach (var r in records)
        {
            seq++;
            var entry = Build(seq, now, r, chain);
            chain = Convert.FromHexString(entry.ChainHash);
            entries.Add(entry);
            results.Add(new AuditAppended(seq, now, entry.EntryHash));
        }
        await AuditSql.InsertAsync(connection, tx, _database.IsPostgres, entries, ct);
        return results;
    }

    /// <summary>An entry with its hashes, chained onto <paramref name="previousChain"/>.</summary>
    public static AuditEntry Build(long seq, DateTime recordedAt, AuditRecord r, ReadOnlySpan<byte> previousChain)
    {
        var bytes = AuditEncoding.Encode(seq, recordedAt, r);
        var entryHash = AuditEncoding.EntryHash(bytes);
        return new AuditEntry
        {
            Seq = seq,
            Format = AuditEncoding.Version,
            RecordedAt = recordedAt,
            Kind = r.Kind,
            Outcome = r.Outcome,
            ConsumerDepartmentId = r.ConsumerDepartmentId,
            ProviderDepartmentId = r.ProviderDepartmentId,
            ClientId = r.ClientId,
            UserId = r.UserId,
            ResourceCode = r.ResourceCode,
            GrantId = r.GrantId,
            RequestId = r.RequestId,
            Purpose = r.Purpose,
            Issue = r.Issue,
            MessageId = r.MessageId,
            RowsReturned = r.RowsReturned,
            RequestHash = r.RequestHash,
            ResponseHash = r.ResponseHash,
            Detail = r.Detail,
            EntryHash = AuditEncoding.Hex(entryHash),
            LeafHash = AuditEncoding.Hex(AuditEncoding.LeafHash(bytes)),
            ChainHash = AuditEncoding.Hex(AuditEncoding.ChainHash(previousChain, entryHash)),
        };
    }

    private void EnsureStarted()
    {
        if (_loop is not null) return;
        lock (_startGate) _loop ??= Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var p)) batch.Add(p);
            if (batch.Count == 0) continue;
            try
            {
                var results = await CommitAsync(batch);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
                Interlocked.Increment(ref _batches);
            }
            catch (Exception ex)
            {
                _log.LogError(ex, "写入审计日志失败（本批 {Count} 条）：{Message}", batch.Count, ex.Message);
                var failure = new InvalidOperationException($"写入审计日志失败：{ex.Message}", ex);
                foreach (var p in batch) p.Done.TrySetException(failure);
            }
        }
    }

    private async Task<IReadOnlyList<AuditAppended>> CommitAsync(List<Pending> batch)
    {
        await using var connection = await AuditSql.OpenAsync(_database, CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
        var results = await AppendLockedAsync(connection, tx, batch.Select(p => p.Record).ToList(), CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        return results;
    }

    /// <summary>Stops taking records and waits until everything queued has been committed (host shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_startGate) loop = _loop;
        if (loop is not null) await loop;
    }

    private sealed record Pending(AuditRecord Record, TaskCompletionSource<AuditAppended> Done);
}
