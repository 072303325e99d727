using Dapper;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;
using Shouldly;
using Xunit;

namespace GovData.Identity.Tests.Unit;

/// <summary>SchemaMigrator on both engines, with the platform's real modules and a small test module.</summary>
public sealed class SchemaMigratorTests
{
    private static readonly ModuleSchema Ordered = new("ordered", typeof(SchemaMigratorTests).Assembly, 50);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Migrating_twice_applies_nothing_the_second_time(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var migrator = PlatformSchemas.MigratorFor(db);

        var first = await migrator.MigrateAsync();
        first.ShouldNotBeEmpty();
        first.Select(m => (m.Module, m.Version)).ShouldBe(migrator.AllMigrations().Select(m => (m.Module, m.Version)));
        first.ShouldContain(m => m.Module == "identity" && m.Version == 2);

        (await migrator.MigrateAsync()).ShouldBeEmpty();
        (await PlatformSchemas.MigratorFor(db).MigrateAsync()).ShouldBeEmpty();

        var applied = await migrator.AppliedAsync();
        applied.Count.ShouldBe(first.Count);
        applied.ShouldAllBe(a => a.Checksum.Length == 64);
        foreach (var m in first)
            applied.Single(a => a.Module == m.Module && a.Version == m.Version).Checksum.ShouldBe(m.Checksum);
    }

    [Fact]
    public void Migrations_are_ordered_by_module_order_then_version()
    {
        var all = SchemaMigrator.Load(Ordered, DatabaseProvider.Sqlite);
        all.Select(m => m.Version).ShouldBe([1, 2, 10]);
        all.Select(m => m.Name).ShouldBe(["create_log", "add_note", "use_note"]);
        SchemaMigrator.Load(Ordered, DatabaseProvider.PostgreSql).Select(m => m.Version).ShouldBe([1, 2, 10]);

        var migrator = new SchemaMigrator(new DatabaseSettings("Data Source=unused.db"), [.. PlatformSchemas.All, Ordered]);
        var modules = migrator.AllMigrations().Select(m => m.Module).ToList();
        modules[0].ShouldBe("platform");
        modules.IndexOf("identity").ShouldBeLessThan(modules.IndexOf("ordered"));
        // Within a module, versions ascend.
        foreach (var group in migrator.AllMigrations().GroupBy(m => m.Module))
            group.Select(m => m.Version).ShouldBe(group.Select(m => m.Version).Order());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Scripts_apply_in_version_order_and_targets_stop_a_module_early(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var migrator = PlatformSchemas.MigratorFor(db, Ordered);

        var partial = await migrator.MigrateAsync(new Dictionary<string, int> { ["ordered"] = 2 });
        partial.Where(m => m.Module == "ordered").Select(m => m.Version).ShouldBe([1, 2]);
        await using (var connection = await db.OpenConnectionAsync())
            (await connection.QueryAsync<int>("SELECT version FROM ordered_log ORDER BY pos")).ShouldBe([1, 2]);

        var rest = await migrator.MigrateAsync();
        rest.Select(m => (m.Module, m.Version)).ShouldBe([("ordered", 10)]);
        await using (var connection = await db.OpenConnectionAsync())
        {
            (await connection.QueryAsync<int>("SELECT version FROM ordered_log ORDER BY pos")).ShouldBe([1, 2, 10]);
            (await connection.QueryAsync<string>("SELECT note FROM ordered_items ORDER BY id")).ShouldBe(["two", "ten"]);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_failing_script_is_rolled_back_and_not_recorded(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        // ordered_items already exists, so 0001 fails after having created ordered_log.
        await using (var connection = await db.OpenConnectionAsync())
            await connection.ExecuteAsync("CREATE TABLE ordered_items (id integer NOT NULL PRIMARY KEY)");

        var migrator = PlatformSchemas.MigratorFor(db, Ordered);
        var error = await Should.ThrowAsync<InvalidOperationException>(() => migrator.MigrateAsync());
        error.Message.ShouldContain("数据库迁移 ordered 0001_create_log 失败");

        var applied = await migrator.AppliedAsync();
        applied.ShouldNotContain(a => a.Module == "ordered");
        applied.ShouldContain(a => a.Module == "identity" && a.Version == 2); // modules before it were applied
        await using (var connection = await db.OpenConnectionAsync())
        {
            var exists = db.IsPostgres
                ? await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'ordered_log'")
                : await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'ordered_log'");
            exists.ShouldBe(0);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Hosts_starting_at_once_apply_each_script_exactly_once(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PlatformSchemas.MigratorFor(db, Ordered).MigrateAsync())));

        var total = migratorCount(db);
        results.Sum(r => r.Count).ShouldBe(total);
        results.SelectMany(r => r).Select(m => (m.Module, m.Version)).Distinct().Count().ShouldBe(total);
        await using var connection = await db.OpenConnectionAsync();
        (await connection.QueryAsync<int>("SELECT version FROM ordered_log ORDER BY pos")).ShouldBe([1, 2, 10]);

        static int migratorCount(TestDatabase db) => PlatformSchemas.MigratorFor(db, Ordered).AllMigrations().Count;
    }
}
