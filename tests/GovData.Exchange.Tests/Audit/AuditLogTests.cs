using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Persistence;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Tests.Audit;

/// <summary>Appending: numbering, chaining, group commit, concurrency across hosts, caller transactions, append-only tables.</summary>
public abstract class AuditLogTests
{
    protected abstract DatabaseProvider Provider { get; }

    private sealed record Row(long Seq, DateTime RecordedAt, string EntryHash, string LeafHash, string ChainHash, string? ClientId, string Kind, string? Detail);

    private static async Task<List<Row>> RowsAsync(TestDatabase db)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = new List<Row>();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT seq, recorded_at, entry_hash, leaf_hash, chain_hash, client_id, kind, detail FROM exchange_audit_entries ORDER BY seq";
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            rows.Add(new Row(r.GetInt64(0), AuditSql.ReadTime(r.GetValue(1)), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
        return rows;
    }

    /// <summary>The chain recomputed in the test from the stored entry hashes: H(previous ‖ entry), 32 zero bytes first.</summary>
    private static void ShouldBeOneContiguousChain(List<Row> rows, int expectedCount)
    {
        rows.Count.ShouldBe(expectedCount);
        var previous = new byte[32];
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Seq.ShouldBe(i + 1);
            var chain = SHA256.HashData([.. previous, .. Convert.FromHexString(rows[i].EntryHash)]);
            rows[i].ChainHash.Trim().ShouldBe(Convert.ToHexStringLower(chain), $"chain at {i + 1}");
            previous = chain;
        }
    }

    [Fact]
    public async Task Appends_get_contiguous_numbers_from_1_and_one_hash_chain_that_recomputes_from_the_stored_fields()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var host = await AuditTestHost.StartAsync(db);
        var before = DateTime.UtcNow.AddSeconds(-1);
        var seqs = await host.AppendManyAsync(25);
        seqs.ShouldBe(Enumerable.Range(1, 25).Select(i => (long)i));

        var rows = await RowsAsync(db);
        ShouldBeOneContiguousChain(rows, 25);
        rows.ShouldAllBe(r => r.RecordedAt >= before && r.RecordedAt <= DateTime.UtcNow.AddSeconds(1) && r.RecordedAt.Ticks % 10 == 0);
        rows.Zip(rows.Skip(1)).ShouldAllBe(p => p.First.RecordedAt <= p.Second.RecordedAt);

        // Every stored row hashes back to its stored hashes (the same fields EF reads for search).
        await using var scope = host.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ExchangeDb>().AuditEntries.AsNoTracking().OrderBy(e => e.Seq).ToListAsync();
        for (var i = 0; i < stored.Count; i++)
        {
            var e = stored[i];
            e.ToRecord().ShouldBe(AuditEncoding.Normalize(AuditRecords.Sample(i)) with { RequestId = e.RequestId });
            var bytes = AuditEncoding.Encode(e.Seq, e.RecordedAt, e.ToRecord());
            e.EntryHash.Trim().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
            e.LeafHash.Trim().ShouldBe(Convert.ToHexStringLower(SHA256.HashData([0x00, .. bytes])));
        }
        (await host.Verifier.VerifyAsync()).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task Group_commit_puts_many_queued_records_into_few_batches_and_each_is_durable_when_its_task_completes()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var host = await AuditTestHost.StartAsync(db);
        var tasks = Enumerable.Range(0, 400).Select(i => host.Writer.EnqueueAsync(AuditRecords.Sample(i, client: $"c{i}"))).ToList();
        var results = await Task.WhenAll(tasks);

        results.Select(r => r.Seq).Order().ShouldBe(Enumerable.Range(1, 400).Select(i => (long)i));
        host.Writer.BatchesCommitted.ShouldBeLessThan(50); // one lock and one insert per batch, not per record
        // Seen from another connection the moment the tasks completed.
        (await Tamper.ScalarAsync<long>(db, "SELECT COUNT(*) FROM exchange_audit_entries")).ShouldBe(400);
        var rows = await RowsAsync(db);
        ShouldBeOneContiguousChain(rows, 400);
        foreach (var (result, i) in results.Select((r, i) => (r, i)))
            rows[(int)result.Seq - 1].ClientId.ShouldBe($"c{i}");
    }

    [Fact]
    public async Task Two_hosts_appending_from_many_tasks_at_once_produce_one_contiguous_chain()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var hostA = await AuditTestHost.StartAsync(db);
        await using var hostB = await AuditTestHost.StartAsync(db, migrate: false);
        const int tasksPerHost = 8, appendsPerTask = 40;

        async Task Producer(AuditTestHost host, string name, int task)
        {
            for (var i = 0; i < appendsPerTask; i++)
                await host.AppendAsync(AuditRecords.Sample(task * appendsPerTask + i, client: $"{name}-{task}-{i}"));
        }

        await Task.WhenAll(Enumerable.Range(0, tasksPerHost).SelectMany(t => new[] { Task.Run(() => Producer(hostA, "A", t)), Task.Run(() => Producer(hostB, "B", t)) }));

        var rows = await RowsAsync(db);
        ShouldBeOneContiguousChain(rows, 2 * tasksPerHost * appendsPerTask);
        rows.Select(r => r.ClientId).Distinct().Count().ShouldBe(rows.Count);
        rows.Count(r => r.ClientId!.StartsWith('A')).ShouldBe(tasksPerHost * appendsPerTask);
        // Each task's own records are in the order it wrote them.
        foreach (var group in rows.GroupBy(r => r.ClientId![..r.ClientId!.LastIndexOf('-')]))
            group.Select(r => int.Parse(r.ClientId![(r.ClientId!.LastIndexOf('-') + 1)..])).ShouldBe(Enumerable.Range(0, appendsPerTask));
        (await hostB.Verifier.VerifyAsync()).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task Inside_a_caller_transaction_the_entry_commits_or_rolls_back_with_it_and_holds_off_other_appenders()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var host = await AuditTestHost.StartAsync(db);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var exchange = scope.ServiceProvider.GetRequiredService<ExchangeDb>();
            var trail = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
            await using var tx = await exchange.Database.BeginTransactionAsync();
            await trail.AppendAsync(AuditRecords.Sample(0) with { Detail = "回滚的变更" });
            await tx.RollbackAsync();
        }
        (await Tamper.ScalarAsync<long>(db, "SELECT COUNT(*) FROM exchange_audit_entries")).ShouldBe(0);

        Task<AuditAppended> outside;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var exchange = scope.ServiceProvider.GetRequiredService<ExchangeDb>();
            var log = scope.ServiceProvider.GetRequiredService<AuditLog>();
            await using var tx = await exchange.Database.BeginTransactionAsync();
            (await log.AppendEntryAsync(AuditRecords.Sample(1) with { Detail = "授权变更 1" })).Seq.ShouldBe(1);
            (await log.AppendEntryAsync(AuditRecords.Sample(2) with { Detail = "授权变更 2" })).Seq.ShouldBe(2);
            // A data access logged meanwhile waits for the lock the transaction holds.
            outside = host.AppendAsync(AuditRecords.Sample(3) with { Detail = "同时的数据访问" });
            (await Task.WhenAny(outside, Task.Delay(400))).ShouldNotBe(outside);
            await tx.CommitAsync();
        }
        (await outside).Seq.ShouldBe(3);
        var rows = await RowsAsync(db);
        ShouldBeOneContiguousChain(rows, 3);
        rows.Select(r => r.Detail).ShouldBe(["授权变更 1", "授权变更 2", "同时的数据访问"]);
    }

    [Fact]
    public async Task The_tables_refuse_update_and_delete_even_on_the_platform_connection()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var host = await AuditTestHost.StartAsync(db);
        await host.AppendManyAsync(3);
        (await host.Sealer.SealAsync()).ShouldNotBeNull();
        await using var connection = await db.OpenConnectionAsync();
        foreach (var sql in new[]
                 {
                     "UPDATE exchange_audit_entries SET detail = '篡改' WHERE seq = 2",
                     "DELETE FROM exchange_audit_entries WHERE seq = 3",
                     "UPDATE exchange_audit_checkpoints SET root_hash = 'x'",
                     "DELETE FROM exchange_audit_checkpoints",
                     "DELETE FROM exchange_audit_node_keys",
                 })
        {
            var error = await Should.ThrowAsync<DbException>(() => connection.ExecuteAsync(sql));
            error.Message.ShouldContain("审计日志", customMessage: sql);
        }
        if (db.IsPostgres)
            (await Should.ThrowAsync<DbException>(() => connection.ExecuteAsync("TRUNCATE exchange_audit_entries"))).Message.ShouldContain("审计日志");
        (await host.Verifier.VerifyAsync()).Ok.ShouldBeTrue();
        (await RowsAsync(db)).Count.ShouldBe(3);
    }
}

public sealed class AuditLogSqliteTests : AuditLogTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class AuditLogPostgresTests : AuditLogTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
