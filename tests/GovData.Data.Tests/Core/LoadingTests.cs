using Dapper;
using System.Collections.Concurrent;
using System.Text;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Storage;
using GovData.Data.Features.Versions;
using GovData.Data.Persistence;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.Tests.Core;

public sealed class SqliteLoadingTests() : LoadingTests(DatabaseProvider.Sqlite);

public sealed class PostgresLoadingTests() : LoadingTests(DatabaseProvider.PostgreSql)
{
    /// <summary>
    /// Version tables created before text columns were declared COLLATE "C" keep the database's default collation; an
    /// append compares their keys with a staging table's "C" column, which must not fail ("could not determine which
    /// collation to use").
    /// </summary>
    [Fact]
    public async Task Append_into_a_version_whose_text_columns_have_the_default_collation_still_finds_existing_keys()
    {
        await using var host = await CoreHost.CreateAsync(DatabaseProvider.PostgreSql);
        host.PublishCompanies("3010010201/1");
        (await host.LoadAsync("3010010201/1", host.WriteFile("v1.csv", CoreData.Csv(1, 20)))).Status.ShouldBe(LoadStatus.Succeeded);
        var table = (await host.ResolveAsync("3010010201/1"))!.Layout;
        var key = table.Find("credit_code")!;
        await host.ExecuteAsync($"ALTER TABLE {table.TableName} ALTER COLUMN {key.ColumnName} TYPE varchar({key.Length}) COLLATE \"default\"");
        (await host.ScalarAsync<string>("SELECT collation_name FROM information_schema.columns WHERE table_name = @t AND column_name = @c",
            new { t = table.TableName, c = key.ColumnName })).ShouldBeNull();

        var outcome = await host.LoadAsync("3010010201/1", host.WriteFile("more.csv", CoreData.Csv(21, 25) + CoreData.Row(3) + "\n"),
            new LoadOptions { Mode = LoadMode.Append, Threshold = "1" });
        outcome.Status.ShouldBe(LoadStatus.Succeeded, outcome.Message);
        (outcome.RowsLoaded, outcome.RowsRejected).ShouldBe((5L, 1L));
        (await host.ErrorsAsync(outcome.LoadId)).Single().Rule.ShouldBe(LoadRules.KeyExists);
        (await host.CountAndSumAsync("3010010201/1")).ShouldBe((25L, 325L));
    }
}

/// <summary>The load pipeline on a real database: versions, atomic switch, rejection, crashes, incremental loads, rollback, retention.</summary>
public abstract class LoadingTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const string Code = "3010010201/1";
    private CoreHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreHost.CreateAsync(provider);
        _host.PublishCompanies(Code);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private Task<LoadOutcome> Load(string name, string csv, LoadOptions? options = null) => _host.LoadAsync(Code, _host.WriteFile(name, csv), options);

    [Fact]
    public async Task Full_loads_create_versions_and_switch_the_current_one()
    {
        (await _host.ResolveAsync(Code)).ShouldBeNull();
        var first = await Load("v1.csv", CoreData.Csv(1, 100));
        first.Status.ShouldBe(LoadStatus.Succeeded, first.Message);
        first.VersionNumber.ShouldBe(1);
        (first.RowsRead, first.RowsLoaded, first.RowsRejected).ShouldBe((100L, 100L, 0L));
        (await _host.CountAndSumAsync(Code)).ShouldBe((100L, 5050L));
        var resolved = (await _host.ResolveAsync(Code))!;
        resolved.VersionNumber.ShouldBe(1);
        resolved.LoadedAt.ShouldNotBeNull();
        resolved.Layout.Find("credit_code")!.IsKey.ShouldBeTrue();

        var second = await Load("v2.csv", CoreData.Csv(1, 40));
        second.VersionNumber.ShouldBe(2);
        (await _host.CountAndSumAsync(Code)).ShouldBe((40L, 820L));
        (await _host.ResolveAsync(Code, 1))!.VersionNumber.ShouldBe(1);       // the earlier version stays readable by number
        var versions = await _host.VersionsAsync();
        versions.Select(v => (v.Number, v.Status, v.RowCount)).ShouldBe([(1, VersionStatus.Ready, 100L), (2, VersionStatus.Ready, 40L)]);
        var switches = await _host.WithDbAsync(db => db.Switches.AsNoTracking().OrderBy(s => s.SwitchedAt).ToListAsync());
        switches.Select(s => (s.FromVersionId, s.ToVersionId, s.Reason)).ShouldBe(new (Guid?, Guid, string)[] { (null, versions[0].Id, "load"), (versions[0].Id, versions[1].Id, "load") });

        // typed values as loaded
        var date = await _host.ScalarAsync<string>($"SELECT CAST({resolved.Layout.Find("founded")!.ColumnName} AS TEXT) FROM {resolved.Layout.TableName} WHERE _row = 3");
        date.ShouldBe("2018-08-04");
    }

    [Fact]
    public async Task Readers_during_switches_see_one_whole_version_and_never_an_error()
    {
        (await Load("v1.csv", CoreData.Csv(1, 300))).Status.ShouldBe(LoadStatus.Succeeded);
        var expected = new HashSet<(long, long)> { (300, 45150), (500, 125250 * 2), (200, 20100 * 3) };
        var seen = new ConcurrentBag<(long, long)>();
        var errors = new ConcurrentBag<Exception>();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { seen.Add(await _host.CountAndSumAsync(Code)); }
                catch (Exception ex) { errors.Add(ex); }
            }
        })).ToList();
        (await Load("v2.csv", CoreData.Csv(1, 500, 2))).Status.ShouldBe(LoadStatus.Succeeded);
        (await Load("v3.csv", CoreData.Csv(1, 200, 3))).Status.ShouldBe(LoadStatus.Succeeded);
        // Let the readers go on a little after the last switch (on a loaded machine they may have read only a few times).
        var readsAfterLast = seen.Count + 5;
        for (var i = 0; i < 300 && seen.Count < Math.Max(readsAfterLast, 11); i++) await Task.Delay(100);
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        errors.ShouldBeEmpty();
        seen.Count.ShouldBeGreaterThan(10);
        seen.Distinct().ShouldAllBe(s => expected.Contains(s));
        seen.ShouldContain((200L, 60300L));
    }

    [Fact]
    public async Task A_crash_mid_load_keeps_the_previous_version_and_leaves_no_partial_table()
    {
        (await Load("v1.csv", CoreData.Csv(1, 100))).Status.ShouldBe(LoadStatus.Succeeded);
        _host.Readers.ThrowAfter = 60;
        var crashed = await Load("v2.csv", CoreData.Csv(1, 500, 2));
        _host.Readers.ThrowAfter = null;
        crashed.Status.ShouldBe(LoadStatus.Failed);
        crashed.Message.ShouldContain("模拟崩溃");
        (await _host.CountAndSumAsync(Code)).ShouldBe((100L, 5050L));
        var v2 = (await _host.VersionsAsync()).Single(v => v.Number == 2);
        v2.Status.ShouldBe(VersionStatus.Failed);
        (await _host.TableExistsAsync(v2.TableName)).ShouldBeFalse();
        (await _host.LoadRowAsync(crashed.LoadId)).Status.ShouldBe(LoadStatus.Failed);
    }

    [Fact]
    public async Task A_load_whose_host_died_is_recovered_when_its_lease_expires()
    {
        (await Load("v1.csv", CoreData.Csv(1, 100))).Status.ShouldBe(LoadStatus.Succeeded);
        // What a host that died mid-load leaves behind (a killed process cannot clean up): its load "running" with a
        // lease it no longer renews, a version "loading" and that version's partial table.
        var resource = await _host.WithDbAsync(db => db.Resources.AsNoTracking().SingleAsync());
        var path = _host.WriteFile("v2.csv", CoreData.Csv(1, 400, 2));
        var load = await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadService>().StartLocalAsync(
            new ResourceContext(resource, _host.Catalog.FindAsync(ResourceCode.Parse(Code)).Result!), path, new LoadOptions(), CoreHost.Cataloger, "dead-host"));
        var layout = GovData.Data.Domain.TableLayout.For(resource.Id, 2, CoreData.CompanyItems);
        await _host.WithDbAsync(async db =>
        {
            db.Versions.Add(new DataVersion
            {
                Id = Guid.CreateVersion7(), ResourceId = resource.Id, Number = 2, Status = VersionStatus.Loading, TableName = layout.TableName,
                ColumnsJson = ColumnsJson.Serialize(layout.Columns), CatalogRevision = 1, CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
            var version = await db.Versions.SingleAsync(v => v.Number == 2);
            await db.Resources.ExecuteUpdateAsync(s => s.SetProperty(r => r.LastVersionNumber, 2));
            return await db.Loads.Where(l => l.Id == load.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.VersionId, version.Id)
                .SetProperty(l => l.RowsRead, 3).SetProperty(l => l.LeaseUntil, DateTime.UtcNow.AddSeconds(-1)));
        });
        await _host.ExecuteAsync(layout.CreateTableSql(provider));
        await _host.ExecuteAsync($"INSERT INTO {layout.TableName} (_row, {layout.Columns[0].ColumnName}) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        (await _host.CountAndSumAsync(Code)).ShouldBe((100L, 5050L));      // readers never see it

        // Another worker's pass recovers it.
        var recovered = await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadQueue>().RecoverExpiredAsync("worker-2"));
        recovered.ShouldBe([load.Id]);
        var after = await _host.LoadRowAsync(load.Id);
        after.Status.ShouldBe(LoadStatus.Failed);
        after.Message.ShouldBe(LoadQueue.CrashMessage);
        after.LeaseOwner.ShouldBeNull();
        (await _host.VersionsAsync()).Single(v => v.Number == 2).Status.ShouldBe(VersionStatus.Failed);
        (await _host.TableExistsAsync(layout.TableName)).ShouldBeFalse();
        (await _host.CountAndSumAsync(Code)).ShouldBe((100L, 5050L));
        // Nothing else to recover; a live lease is never taken over.
        (await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadQueue>().RecoverExpiredAsync("worker-3"))).ShouldBeEmpty();
        var live = await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadService>().StartLocalAsync(
            new ResourceContext(resource, _host.Catalog.FindAsync(ResourceCode.Parse(Code)).Result!), path, new LoadOptions(), CoreHost.Cataloger, "live-host"));
        (await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadQueue>().RecoverExpiredAsync("worker-3"))).ShouldBeEmpty();
        (await _host.LoadRowAsync(live.Id)).Status.ShouldBe(LoadStatus.Running);
        // The live one finishes normally and numbers on.
        (await _host.WithScopeAsync(sp => sp.GetRequiredService<DataLoader>().RunAsync(live.Id, "live-host", new LoadRunOptions(), default)))
            .VersionNumber.ShouldBe(3);
    }

    [Fact]
    public async Task The_startup_sweep_drops_tables_left_by_failed_and_interrupted_versions()
    {
        (await Load("v1.csv", CoreData.Csv(1, 10))).Status.ShouldBe(LoadStatus.Succeeded);
        var resource = await _host.WithDbAsync(db => db.Resources.AsNoTracking().SingleAsync());
        var orphan = GovData.Data.Domain.TableLayout.For(resource.Id, 7, CoreData.CompanyItems);
        await _host.WithDbAsync(async db =>
        {
            db.Versions.Add(new DataVersion
            {
                Id = Guid.CreateVersion7(), ResourceId = resource.Id, Number = 7, Status = VersionStatus.Loading, TableName = orphan.TableName,
                ColumnsJson = ColumnsJson.Serialize(orphan.Columns), CatalogRevision = 1, CreatedAt = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        await _host.ExecuteAsync(orphan.CreateTableSql(provider));
        (await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadQueue>().SweepAsync("worker"))).ShouldBe(1);
        (await _host.TableExistsAsync(orphan.TableName)).ShouldBeFalse();
        (await _host.VersionsAsync()).Single(v => v.Number == 7).Status.ShouldBe(VersionStatus.Failed);
        (await _host.CountAndSumAsync(Code)).ShouldBe((10L, 55L));
    }

    [Fact]
    public async Task A_rejected_load_changes_nothing_and_reports_every_bad_row()
    {
        (await Load("v1.csv", CoreData.Csv(1, 100))).Status.ShouldBe(LoadStatus.Succeeded);
        var csv = new StringBuilder(CoreData.Header).Append('\n');
        for (var i = 1; i <= 20; i++) csv.Append(i % 4 == 0 ? $"{CoreData.Credit(i)},,abc,2018-08-01,1,是" : CoreData.Row(i)).Append('\n');
        csv.Append("\"broken,quote\n");
        var outcome = await Load("bad.csv", csv.ToString());
        outcome.Status.ShouldBe(LoadStatus.Rejected);
        outcome.Message.ShouldContain("超过错误阈值");
        (outcome.RowsRead, outcome.RowsRejected).ShouldBe((21L, 6L));
        (await _host.CountAndSumAsync(Code)).ShouldBe((100L, 5050L));
        var v2 = (await _host.VersionsAsync()).Single(v => v.Number == 2);
        v2.Status.ShouldBe(VersionStatus.Failed);
        (await _host.TableExistsAsync(v2.TableName)).ShouldBeFalse();

        var load = await _host.LoadRowAsync(outcome.LoadId);
        load.RuleCountsJson.ShouldNotBeNull();
        var errors = await _host.ErrorsAsync(outcome.LoadId);
        errors.ShouldContain(e => e.RowNumber == 5 && e.Field == "name" && e.Rule == LoadRules.Required);
        errors.ShouldContain(e => e.RowNumber == 5 && e.Field == "capital" && e.Value == "abc");
        errors.ShouldContain(e => e.RowNumber == 22 && e.Field == null);   // the broken record, on its line
        load.RejectedPath.ShouldNotBeNull();
        var blobs = _host.Services.GetRequiredService<BlobStore>();
        var bytes = await File.ReadAllBytesAsync(blobs.Absolute(load.RejectedPath));
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var lines = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe(CoreData.Header + ",行号,错误原因");
        lines.Length.ShouldBe(7);
        lines[1].ShouldStartWith($"{CoreData.Credit(4)},,abc,2018-08-01,1,是,5,");
        lines[1].ShouldContain("name：");
    }

    [Fact]
    public async Task The_error_threshold_decides_and_accepted_loads_report_their_bad_rows()
    {
        var csv = CoreData.Csv(1, 99) + $"{CoreData.Credit(100)},企业100,not-a-number,2018-08-01,100,是\n";
        var accepted = await Load("one-bad.csv", csv);
        accepted.Status.ShouldBe(LoadStatus.Succeeded, accepted.Message);
        (accepted.RowsLoaded, accepted.RowsRejected).ShouldBe((99L, 1L));
        accepted.Message.ShouldContain("1 行未通过校验");
        (await _host.LoadRowAsync(accepted.LoadId)).RejectedPath.ShouldNotBeNull();

        var strict = await Load("one-bad-strict.csv", csv, new LoadOptions { Threshold = "0" });
        strict.Status.ShouldBe(LoadStatus.Rejected);
        (await _host.ResolveAsync(Code))!.VersionNumber.ShouldBe(1);

        var counted = await Load("counted.csv", csv, new LoadOptions { Threshold = "1" });
        counted.Status.ShouldBe(LoadStatus.Succeeded);
    }

    [Fact]
    public async Task Missing_required_columns_and_empty_files_are_rejected_with_the_reason()
    {
        var missing = await Load("missing.csv", "credit_code,capital\n" + $"{CoreData.Credit(1)},10\n");
        missing.Status.ShouldBe(LoadStatus.Rejected);
        missing.Message.ShouldContain("企业名称");
        var empty = await Load("empty.csv", CoreData.Header + "\n");
        empty.Status.ShouldBe(LoadStatus.Rejected);
        empty.Message.ShouldContain("没有数据行");
        (await _host.ResolveAsync(Code)).ShouldBeNull();
        (await _host.VersionsAsync()).ShouldAllBe(v => v.Status == VersionStatus.Failed);
    }

    [Fact]
    public async Task Duplicate_keys_in_a_full_load_keep_the_first_row()
    {
        var csv = CoreData.Csv(1, 10) + CoreData.Row(3, 100) + "\n" + CoreData.Row(7, 100) + "\n";
        var outcome = await Load("dups.csv", csv, new LoadOptions { Threshold = "2" });
        outcome.Status.ShouldBe(LoadStatus.Succeeded, outcome.Message);
        (outcome.RowsLoaded, outcome.RowsRejected).ShouldBe((10L, 2L));
        (await _host.CountAndSumAsync(Code)).ShouldBe((10L, 55L));
        var errors = await _host.ErrorsAsync(outcome.LoadId);
        errors.Select(e => (e.RowNumber, e.Rule)).ShouldBe([(12L, LoadRules.DuplicateKey), (13L, LoadRules.DuplicateKey)]);
        errors[0].Message.ShouldContain("与第 4 行重复");
        errors[0].Value.ShouldBe(CoreData.Credit(3));
    }

    [Fact]
    public async Task Append_adds_rows_in_one_transaction_and_refuses_existing_keys()
    {
        (await Load("v1.csv", CoreData.Csv(1, 100))).Status.ShouldBe(LoadStatus.Succeeded);
        var before = (await _host.ResolveAsync(Code))!.LoadedAt;
        var outcome = await Load("more.csv", CoreData.Csv(101, 110) + CoreData.Row(5) + "\n", new LoadOptions { Mode = LoadMode.Append, Threshold = "1" });
        outcome.Status.ShouldBe(LoadStatus.Succeeded, outcome.Message);
        outcome.VersionNumber.ShouldBe(1);
        (outcome.RowsLoaded, outcome.RowsRejected).ShouldBe((10L, 1L));
        (await _host.CountAndSumAsync(Code)).ShouldBe((110L, 6105L));
        var resolved = (await _host.ResolveAsync(Code))!;
        resolved.VersionNumber.ShouldBe(1);
        resolved.LoadedAt.ShouldNotBeNull();
        resolved.LoadedAt!.Value.ShouldBeGreaterThan(before!.Value);
        (await _host.VersionsAsync()).Single().RowCount.ShouldBe(110);
        (await _host.ErrorsAsync(outcome.LoadId)).Single().Rule.ShouldBe(LoadRules.KeyExists);
        (await _host.ScalarAsync<long>($"SELECT max(_row) FROM {resolved.Layout.TableName}")).ShouldBe(110);
    }

    [Fact]
    public async Task A_full_load_leaves_the_row_primary_key_and_a_key_index_that_serves_lookups()
    {
        (await Load("v1.csv", CoreData.Csv(1, 100))).Status.ShouldBe(LoadStatus.Succeeded);
        var table = (await _host.ResolveAsync(Code))!.Layout;
        var key = table.Find("credit_code")!.ColumnName;
        var lookup = $"SELECT {string.Join(", ", table.Columns.Select(c => c.ColumnName))} FROM {table.TableName} WHERE {key} = @k";
        await using var connection = _host.Db.Settings.CreateConnection();
        await connection.OpenAsync();
        if (provider == DatabaseProvider.PostgreSql)
        {
            // The primary key is added after the COPY, under the name an inline declaration gets.
            (await connection.ExecuteScalarAsync<string>("SELECT conname FROM pg_constraint WHERE conrelid = @t::regclass AND contype = 'p'",
                new { t = table.TableName })).ShouldBe(table.TableName + "_pkey");
            (await connection.ExecuteScalarAsync<string>("SELECT collation_name FROM information_schema.columns WHERE table_name = @t AND column_name = @c",
                new { t = table.TableName, c = key })).ShouldBe("C");
            await connection.ExecuteAsync("SET enable_seqscan = off");   // 100 rows: make the planner show whether the index is usable at all
            var plan = string.Join("\n", await connection.QueryAsync<string>("EXPLAIN " + lookup, new { k = CoreData.Credit(42) }));
            plan.ShouldContain($"Index Scan using {RowTables.KeyIndexName(table.TableName)}");
            (await Should.ThrowAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync($"INSERT INTO {table.TableName} (_row, {key}) VALUES (1, 'x')")))
                .SqlState.ShouldBe("23505");   // _row is unique
        }
        else
        {
            // _row is the rowid itself: the only index is the key index.
            (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = @t", new { t = table.TableName }))
                .ShouldBe([RowTables.KeyIndexName(table.TableName)]);
            (await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table.TableName} WHERE rowid = _row")).ShouldBe(100);
            var plan = string.Join("\n", (await connection.QueryAsync($"EXPLAIN QUERY PLAN {lookup}", new { k = CoreData.Credit(42) }))
                .Select(r => (string)((IDictionary<string, object>)r)["detail"]));
            plan.ShouldContain($"USING INDEX {RowTables.KeyIndexName(table.TableName)} ({key}=?)");
        }
        (await connection.ExecuteScalarAsync<long>($"SELECT _row FROM {table.TableName} WHERE {key} = @k", new { k = CoreData.Credit(42) })).ShouldBe(42);
    }

    [Fact]
    public async Task Upsert_replaces_rows_by_key_and_inserts_new_ones()
    {
        (await Load("v1.csv", CoreData.Csv(1, 100))).Status.ShouldBe(LoadStatus.Succeeded);
        // companies 96..100 change (staff x10), 101..105 are new; 101 appears twice: the second is rejected
        var csv = CoreData.Csv(96, 105, 10) + CoreData.Row(101, 3) + "\n";
        var outcome = await Load("upsert.csv", csv, new LoadOptions { Mode = LoadMode.Upsert, Threshold = "10%" });
        outcome.Status.ShouldBe(LoadStatus.Succeeded, outcome.Message);
        (outcome.RowsLoaded, outcome.RowsRejected).ShouldBe((10L, 1L));
        var expectedSum = Enumerable.Range(1, 95).Sum() + Enumerable.Range(96, 10).Sum() * 10;
        (await _host.CountAndSumAsync(Code)).ShouldBe((105L, (long)expectedSum));
        (await _host.VersionsAsync()).Single().RowCount.ShouldBe(105);
        var table = (await _host.ResolveAsync(Code))!.Layout;
        var staff = table.Find("staff")!.ColumnName;
        var key = table.Find("credit_code")!.ColumnName;
        (await _host.ScalarAsync<long>($"SELECT {staff} FROM {table.TableName} WHERE {key} = @k", new { k = CoreData.Credit(98) })).ShouldBe(980);
        (await _host.ScalarAsync<long>($"SELECT _row FROM {table.TableName} WHERE {key} = @k", new { k = CoreData.Credit(98) })).ShouldBe(98);   // kept its place
    }

    [Fact]
    public async Task Incremental_loads_need_a_version_and_upsert_needs_keys()
    {
        var append = await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadService>().PrepareAsync(ResourceCode.Parse(Code), CoreHost.Cataloger, LoadMode.Append));
        append.Conflict.ShouldNotBeNull();
        append.Conflict.ShouldContain("先进行一次全量加载");

        _host.Publish("3010010201/2", "无主键资源", [CoreData.CompanyItems[1] with { Ordinal = 1 }, CoreData.CompanyItems[4] with { Ordinal = 2 }]);
        (await _host.LoadAsync("3010010201/2", _host.WriteFile("nokey.csv", "name,staff\n甲,1\n乙,2\n"))).Status.ShouldBe(LoadStatus.Succeeded);
        var upsert = await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadService>().PrepareAsync(ResourceCode.Parse("3010010201/2"), CoreHost.Cataloger, LoadMode.Upsert));
        upsert.Errors!["mode"][0].ShouldContain("没有主键");
        (await _host.LoadAsync("3010010201/2", _host.WriteFile("nokey2.csv", "name,staff\n丙,3\n"), new LoadOptions { Mode = LoadMode.Append }))
            .Status.ShouldBe(LoadStatus.Succeeded);
    }

    [Fact]
    public async Task Rollback_switches_to_an_earlier_ready_version_and_records_who()
    {
        (await Load("v1.csv", CoreData.Csv(1, 100))).Status.ShouldBe(LoadStatus.Succeeded);
        (await Load("v2.csv", CoreData.Csv(1, 10))).Status.ShouldBe(LoadStatus.Succeeded);
        var resource = await _host.WithDbAsync(db => db.Resources.AsNoTracking().SingleAsync());
        var result = await _host.WithScopeAsync(sp => sp.GetRequiredService<VersionService>().ActivateAsync(resource.Id, 1, null, "测试管理员"));
        result.Ok.ShouldBeTrue(result.Conflict);
        (await _host.CountAndSumAsync(Code)).ShouldBe((100L, 5050L));
        var last = await _host.WithDbAsync(db => db.Switches.AsNoTracking().OrderByDescending(s => s.SwitchedAt).FirstAsync());
        (last.Reason, last.SwitchedByName).ShouldBe(("rollback", "测试管理员"));

        var again = await _host.WithScopeAsync(sp => sp.GetRequiredService<VersionService>().ActivateAsync(resource.Id, 1, null, "x"));
        again.Conflict!.ShouldContain("已经是当前版本");
        var missing = await _host.WithScopeAsync(sp => sp.GetRequiredService<VersionService>().ActivateAsync(resource.Id, 9, null, "x"));
        missing.NotFound!.ShouldContain("没有第 9 版");
        _host.Readers.ThrowAfter = 1;
        (await Load("v3.csv", CoreData.Csv(1, 10))).Status.ShouldBe(LoadStatus.Failed);
        _host.Readers.ThrowAfter = null;
        var failed = await _host.WithScopeAsync(sp => sp.GetRequiredService<VersionService>().ActivateAsync(resource.Id, 3, null, "x"));
        failed.Conflict!.ShouldContain("失败");
        // An append after a rollback goes into the version that is current now.
        (await Load("more.csv", CoreData.Csv(200, 201), new LoadOptions { Mode = LoadMode.Append })).VersionNumber.ShouldBe(1);
    }

    [Fact]
    public async Task Retention_drops_old_tables_but_never_the_current_or_the_one_just_replaced()
    {
        var resource = (await _host.WithScopeAsync(sp => sp.GetRequiredService<DataResources>().EnsureAsync(ResourceCode.Parse(Code)))).Value!.Resource;
        (await _host.WithScopeAsync(sp => sp.GetRequiredService<VersionService>().SetRetentionAsync(resource.Id, 1))).Ok.ShouldBeTrue();
        for (var n = 1; n <= 3; n++) (await Load($"v{n}.csv", CoreData.Csv(1, 10 * n))).Status.ShouldBe(LoadStatus.Succeeded);
        var versions = await _host.VersionsAsync();
        versions.Select(v => v.Status).ShouldBe([VersionStatus.Purged, VersionStatus.Ready, VersionStatus.Ready]);
        (await _host.TableExistsAsync(versions[0].TableName)).ShouldBeFalse();
        (await _host.TableExistsAsync(versions[1].TableName)).ShouldBeTrue();     // just replaced: a reader may still be on it
        (await _host.ResolveAsync(Code, 1)).ShouldBeNull();

        var invalid = await _host.WithScopeAsync(sp => sp.GetRequiredService<VersionService>().SetRetentionAsync(resource.Id, 0));
        invalid.Errors!["retention"][0].ShouldContain("1 到 100");
        (await Load("v4.csv", CoreData.Csv(1, 5))).Status.ShouldBe(LoadStatus.Succeeded);
        (await _host.VersionsAsync()).Select(v => v.Status).ShouldBe([VersionStatus.Purged, VersionStatus.Purged, VersionStatus.Ready, VersionStatus.Ready]);
    }

    [Fact]
    public async Task Cancelling_a_running_load_stops_it_and_changes_nothing()
    {
        (await Load("v1.csv", CoreData.Csv(1, 100))).Status.ShouldBe(LoadStatus.Succeeded);
        _host.Readers.DelayPerRecord = TimeSpan.FromMilliseconds(5);
        var running = Load("slow.csv", CoreData.Csv(1, 2000));
        Guid id = default;
        for (var i = 0; i < 200 && id == default; i++)
        {
            await Task.Delay(50);
            id = await _host.WithDbAsync(db => db.Loads.Where(l => l.Status == LoadStatus.Running && l.RowsRead > 0).Select(l => l.Id).FirstOrDefaultAsync());
        }
        id.ShouldNotBe(default);
        (await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadQueue>().CancelAsync(id, "测试"))).ShouldBe(LoadStatus.Running);
        var outcome = await running;
        _host.Readers.DelayPerRecord = TimeSpan.Zero;
        outcome.Status.ShouldBe(LoadStatus.Cancelled);
        outcome.RowsRead.ShouldBeLessThan(2000);
        (await _host.CountAndSumAsync(Code)).ShouldBe((100L, 5050L));
        var v2 = (await _host.VersionsAsync()).Single(v => v.Number == 2);
        v2.Status.ShouldBe(VersionStatus.Failed);
        (await _host.TableExistsAsync(v2.TableName)).ShouldBeFalse();
    }

    [Fact]
    public async Task Only_published_resources_can_receive_data()
    {
        var unknown = await _host.WithScopeAsync(sp => sp.GetRequiredService<DataResources>().EnsureAsync(ResourceCode.Parse("3010010201/99")));
        unknown.NotFound.ShouldBe("信息资源“3010010201/99”不存在或尚未发布（只有已发布的目录资源可以挂接数据）");
        var offline = _host.Catalog.Add(_host.Publish("3010010201/3", "已下线资源", CoreData.CompanyItems) with { Status = EntryStatus.Offline });
        var refused = await _host.WithScopeAsync(sp => sp.GetRequiredService<DataResources>().EnsureAsync(offline.Code));
        refused.Conflict!.ShouldContain("已下线");
        var other = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(GovData.Identity.Contracts.GovDataClaims.DepartmentId, Guid.NewGuid().ToString()),
             new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, GovData.Identity.Contracts.Roles.Cataloger)], "test",
            System.Security.Claims.ClaimTypes.Name, System.Security.Claims.ClaimTypes.Role));
        var denied = await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadService>().PrepareAsync(ResourceCode.Parse(Code), other, LoadMode.Full));
        denied.Forbidden!.ShouldContain("所属部门");
    }
}
