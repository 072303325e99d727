using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using GovData.Catalog;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Search;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Bench.Search;

/// <summary>
/// Search latency at scale, as a timed harness (BenchmarkDotNet would reload 100,000 resources per case):
/// loads N generated resources into SQLite and into a throwaway PostgreSQL cluster (bulk insert and index build in one
/// transaction), then times each query through the module's search code (<see cref="CatalogSearch.SearchAsync"/>, one
/// DI scope per call as in an HTTP request) and, interleaved in the same run, the raw SQL statements that search
/// issues, executed directly on an open connection — the database's own cost, i.e. the limit.
/// <para>Run: <c>dotnet run -c Release --project bench/GovData.Bench -- search [--resources 100000] [--runs 100] [--sqlite-only|--postgres-only] [--keep]</c></para>
/// </summary>
internal static class SearchBenchmark
{
    /// <summary>Queries by length class: 2 characters, 3, 4 or more, several terms, and one without hits.</summary>
    private static readonly (string Class, string Query)[] Queries =
    [
        ("2字", "社保"), ("2字", "法人"), ("2字", "企业"), ("2字", "养老"), ("2字", "许可"),
        ("3字", "公积金"), ("3字", "传染病"), ("3字", "建造师"), ("3字", "网约车"), ("3字", "社保卡"),
        ("4字以上", "统一社会信用代码"), ("4字以上", "企业法人库"), ("4字以上", "食品安全"), ("4字以上", "养老保险"), ("4字以上", "不动产权证书"),
        ("多词", "企业 信用"), ("多词", "养老 补贴 发放"), ("多词", "统一社会信用代码 许可"),
        ("无命中", "量子纠缠"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--resources", 100_000);
        var runs = Option(args, "--runs", 100);
        var sqlite = !args.Contains("--postgres-only");
        var postgres = !args.Contains("--sqlite-only");
        Console.WriteLine($"# 目录检索基准：{count:N0} 条资源，每个查询 {runs} 次（另预热 5 次），.NET {Environment.Version}，{Environment.ProcessorCount} 核");
        var folder = Path.Combine(Path.GetTempPath(), "govdata-bench-search-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            if (sqlite)
            {
                var file = Path.Combine(folder, "bench.db");
                await RunOneAsync("SQLite", $"Data Source={file}", folder, count, runs);
                Console.WriteLine($"SQLite 文件大小：{new FileInfo(file).Length / 1024.0 / 1024.0:F0} MiB");
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }
            if (postgres)
            {
                var pg = await ThrowawayPostgres.StartAsync();
                try { await RunOneAsync(pg.Version, pg.ConnectionString, folder, count, runs); }
                finally
                {
                    if (args.Contains("--keep")) Console.WriteLine($"保留的 PostgreSQL：{pg.ConnectionString}（数据目录 {pg.DataDirectory}）");
                    else await pg.DisposeAsync();
                }
            }
        }
        finally
        {
            if (args.Contains("--keep")) Console.WriteLine($"保留的数据目录：{folder}");
            else try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    private static async Task RunOneAsync(string engine, string connectionString, string folder, int count, int runs)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = connectionString,
            ["GovData:DataFolder"] = folder,
        }).Build();
        var departments = CatalogCorpus.Departments();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGovDataPlatform(config, folder);
        services.AddCatalogModule();
        services.AddSingleton<IDepartmentDirectory>(new BenchDepartments(departments));
        await using var provider = services.BuildServiceProvider();
        var database = provider.GetRequiredService<DatabaseSettings>();
        await provider.GetRequiredService<SchemaMigrator>().MigrateAsync();
        if (database.IsSqlite()) SqliteEngineVersion(database, ref engine);
        Console.WriteLine();
        Console.WriteLine($"## {engine}");

        // Generate (module code: classification branch, Expand, validation, revision mapping), then load in one transaction.
        var watch = Stopwatch.StartNew();
        List<CatalogCorpus.Generated> corpus;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDb>();
            corpus = await CatalogCorpus.GenerateAsync(db, scope.ServiceProvider.GetRequiredService<ClassificationService>(), departments, count);
        }
        var generated = watch.Elapsed;
        watch.Restart();
        long rows;
        int documents;
        TimeSpan loaded;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDb>();
            await using var tx = await db.Database.BeginTransactionAsync();
            rows = await BulkLoader.LoadAsync(db.Database.GetDbConnection(), tx.GetDbTransaction(), corpus);
            loaded = watch.Elapsed;
            documents = await SearchIndex.RebuildAsync(db);
            await tx.CommitAsync();
        }
        var indexed = watch.Elapsed - loaded;
        watch.Restart();
        await using (var connection = database.CreateConnection())
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync(database.IsPostgres ? "ANALYZE" : "ANALYZE; PRAGMA optimize;", commandTimeout: 3600, commandType: System.Data.CommandType.Text);
        }
        var analyzed = watch.Elapsed;
        Console.WriteLine($"生成 {corpus.Count:N0} 条资源 {generated.TotalSeconds:F1} s；一个事务内批量写入 {rows:N0} 行 {loaded.TotalSeconds:F1} s，" +
                          $"建检索索引 {documents:N0} 个文档 {indexed.TotalSeconds:F1} s；ANALYZE {analyzed.TotalSeconds:F1} s");
        corpus.Clear();
        GC.Collect();

        var actor = new CatalogActor(Guid.NewGuid(), "基准测试", departments[2], true, false, false);
        await using var raw = database.CreateConnection();
        await raw.OpenAsync();
        // The same session setting the search applies to its transaction (CatalogSearch.NoParallelism), for the whole session.
        if (database.IsPostgres) await raw.ExecuteAsync(CatalogSearch.NoParallelism.Replace("SET LOCAL", "SET", StringComparison.Ordinal));
        var results = new List<Result>();
        foreach (var (cls, q) in Queries)
        {
            var query = new SearchQuery(q, SearchScope.Business);
            (string Match, string Count, DynamicParameters Parameters) sql;
            int hits;
            await using (var scope = provider.CreateAsyncScope())
            {
                var search = scope.ServiceProvider.GetRequiredService<CatalogSearch>();
                sql = search.Explain(actor, query, departments);
                var first = await search.SearchAsync(actor, query);
                hits = first.Value?.Total ?? throw new InvalidOperationException($"检索“{q}”失败");
            }
            var service = new double[runs];
            var limit = new double[runs];
            var floor = new double[runs];
            for (var i = -5; i < runs; i++)
            {
                var s = await TimeServiceAsync(provider, actor, query);
                var r = await TimeRawAsync(raw, sql.Match, sql.Parameters, database.IsPostgres);
                var f = await TimeFloorAsync(raw, sql.Count, sql.Parameters);
                if (i < 0) continue;
                service[i] = s;
                limit[i] = r;
                floor[i] = f;
            }
            results.Add(new Result(cls, q, hits, service, limit, floor));
        }
        Print(results);
    }

    private sealed record Result(string Class, string Query, int Hits, double[] Service, double[] Raw, double[] Floor);

    private static async Task<double> TimeServiceAsync(IServiceProvider provider, CatalogActor actor, SearchQuery query)
    {
        var watch = Stopwatch.StartNew();
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<CatalogSearch>().SearchAsync(actor, query);
        watch.Stop();
        if (!result.Ok) throw new InvalidOperationException("检索失败");
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// The statements the search sends, on an open connection: the match (every visible match's numbers, read to the end)
    /// and the read of one page of 20 documents with their text.
    /// </summary>
    private static async Task<double> TimeRawAsync(DbConnection connection, string match, DynamicParameters parameters, bool postgres)
    {
        var watch = Stopwatch.StartNew();
        var ids = new List<long>();
        await using (var reader = await connection.ExecuteReaderAsync(match, parameters))
        {
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) _ = reader.GetValue(i);
                if (ids.Count < 20) ids.Add(reader.GetInt64(0));
            }
        }
        if (ids.Count > 0)
        {
            var (text, p) = CatalogSearch.DocumentSql(postgres, ids);
            await using var reader = await connection.ExecuteReaderAsync(text, p);
            while (await reader.ReadAsync())
                for (var i = 0; i < reader.FieldCount; i++) _ = reader.GetValue(i);
        }
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>The bare match counted through the text indexes: the engine's own floor for these terms.</summary>
    private static async Task<double> TimeFloorAsync(DbConnection connection, string count, DynamicParameters parameters)
    {
        var watch = Stopwatch.StartNew();
        _ = await connection.ExecuteScalarAsync<long>(count, parameters);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static void Print(List<Result> results)
    {
        string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine("| 类别 | 查询 | 命中 | 检索服务 p50 | 检索服务 p95 | 同样的 SQL p50 | 同样的 SQL p95 | 仅索引匹配计数 p50 | 服务/SQL（p50） |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine($"| {r.Class} | {r.Query} | {r.Hits:N0} | {F(Percentile(r.Service, .5))} | {F(Percentile(r.Service, .95))} | {F(Percentile(r.Raw, .5))} | {F(Percentile(r.Raw, .95))} | {F(Percentile(r.Floor, .5))} | {Percentile(r.Service, .5) / Percentile(r.Raw, .5):F2} |");
        Console.WriteLine();
        Console.WriteLine("| 类别 | 检索服务 p50 | 检索服务 p95 | 同样的 SQL p50 | 同样的 SQL p95 |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var g in results.GroupBy(r => r.Class).Append(results.GroupBy(_ => "全部").Single()))
        {
            var service = g.SelectMany(r => r.Service).ToArray();
            var raw = g.SelectMany(r => r.Raw).ToArray();
            Console.WriteLine($"| {g.Key} | {F(Percentile(service, .5))} | {F(Percentile(service, .95))} | {F(Percentile(raw, .5))} | {F(Percentile(raw, .95))} |");
        }
        Console.WriteLine("（单位：毫秒）");
    }

    private static bool IsSqlite(this DatabaseSettings database) => !database.IsPostgres;

    private static void SqliteEngineVersion(DatabaseSettings database, ref string engine)
    {
        using var connection = database.CreateConnection();
        connection.Open();
        engine = "SQLite " + connection.ExecuteScalar<string>("SELECT sqlite_version()");
    }

    private sealed class BenchDepartments(IReadOnlyList<DepartmentInfo> departments) : IDepartmentDirectory
    {
        public Task<IReadOnlyList<DepartmentInfo>> ListAsync(CancellationToken ct = default) => Task.FromResult(departments);

        public Task<DepartmentInfo?> FindAsync(Guid id, CancellationToken ct = default) => Task.FromResult(departments.FirstOrDefault(d => d.Id == id));

        public Task<DepartmentInfo?> CompetentForRegionAsync(string regionCode, CancellationToken ct = default) =>
            Task.FromResult(departments.FirstOrDefault(d => d.IsCompetent && d.RegionCode == regionCode) ?? departments.FirstOrDefault(d => d.IsCompetent && d.RegionCode == "370000"));
    }
}
