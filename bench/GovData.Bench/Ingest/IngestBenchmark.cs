using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using GovData.Bench.Search;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Codes;
using GovData.SharedKernel.Persistence;
using GovData.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GovData.Bench.Ingest;

/// <summary>
/// Ingest throughput: a generated CSV of N rows × 10 typed columns (credit code with check character, name, money with
/// thousands separators, date, timestamp, boolean, integer, double, region code, value domain) loaded by the real load
/// pipeline (<see cref="DataLoader"/>: whole-file encoding detection, header mapping, full conversion and validation,
/// binary COPY / prepared INSERT, atomic switch), against the practical limit of each engine: <c>psql \copy</c> of the
/// same file into an untyped table (PostgreSQL) and the <c>sqlite3</c> shell's <c>.import</c> (SQLite, when the shell is
/// installed). One run per case after a warm-up load of 20,000 rows.
/// <para>Run: <c>dotnet run -c Release --project bench/GovData.Bench -- ingest-bench [--rows 1000000] [--sqlite-only|--postgres-only] [--keep]</c></para>
/// </summary>
internal static class IngestBenchmark
{
    private const string Code = "303026010201/1";

    private static CatalogItem Item(int n, string name, string code, ItemDataType type, int? length = null, int? precision = null, string? domain = null,
        bool required = false) =>
        new(n, name, code, type, length, precision, required, false, domain, ItemSensitivity.Public, MaskingRule.None, null);

    private static readonly CatalogItem[] Items =
    [
        Item(1, "序号", "seq", ItemDataType.I, required: true),
        Item(2, "统一社会信用代码", "credit_code", ItemDataType.C, 18, domain: "GB 32100", required: true),
        Item(3, "企业名称", "name", ItemDataType.C, 100, required: true),
        Item(4, "行政区划代码", "region", ItemDataType.C, 6, domain: "GB/T 2260"),
        Item(5, "注册资本", "capital", ItemDataType.Y, 16, 2),
        Item(6, "比率", "ratio", ItemDataType.F),
        Item(7, "成立日期", "founded", ItemDataType.D, 10),
        Item(8, "更新时间", "updated_at", ItemDataType.T, 19),
        Item(9, "是否有效", "active", ItemDataType.L),
        Item(10, "性别", "gender", ItemDataType.C, 1, domain: "1-男;2-女"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = Option(args, "--rows", 1_000_000);
        var folder = Path.Combine(Path.GetTempPath(), "govdata-bench-ingest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        Console.WriteLine($"# 加载基准：{rows:N0} 行 × {Items.Length} 列，.NET {Environment.Version}，{Environment.ProcessorCount} 核");
        try
        {
            var file = Path.Combine(folder, "bench.csv");
            var warm = Path.Combine(folder, "warm.csv");
            var sw = Stopwatch.StartNew();
            Generate(file, rows);
            Generate(warm, 20_000);
            Console.WriteLine($"生成 {file}：{new FileInfo(file).Length / 1048576.0:N1} MB，{sw.Elapsed.TotalSeconds:F1} 秒");
            if (!args.Contains("--postgres-only"))
            {
                var db = Path.Combine(folder, "bench.db");
                await RunEngineAsync("SQLite", $"Data Source={db}", folder, file, warm, rows, () => SqliteImportAsync(db, file));
            }
            if (!args.Contains("--sqlite-only"))
            {
                var pg = await ThrowawayPostgres.StartAsync();
                try
                {
                    await RunEngineAsync(pg.Version, pg.ConnectionString, folder, file, warm, rows, () => PsqlCopyAsync(pg.ConnectionString, file));
                }
                finally { await pg.DisposeAsync(); }
            }
        }
        finally
        {
            if (args.Contains("--keep")) Console.WriteLine($"保留的目录：{folder}");
            else try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    private static async Task RunEngineAsync(string engine, string connectionString, string folder, string file, string warm, int rows, Func<Task<TimeSpan?>> limit)
    {
        Console.WriteLine();
        Console.WriteLine($"## {engine}");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = connectionString,
            ["GovData:DataFolder"] = folder,
            ["GovData:Data:Workers:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddGovData(configuration, folder);
        var catalog = new OneResource(new CatalogResource(Guid.CreateVersion7(), ResourceCode.Parse(Code), "企业登记（基准）", Guid.CreateVersion7(), "基准",
            EntryStatus.Published, ShareType.Unconditional, OpenType.NotOpen, UpdateCycle.Daily, FormatCategory.Database, 1, DateTime.UtcNow, Items));
        services.AddSingleton<ICatalogResources>(catalog);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<SchemaMigrator>().MigrateAsync();

        await LoadAsync(provider, warm, quiet: true);
        var limitTime = await limit();
        var readOnly = await ReadAndConvertAsync(file);
        var (elapsed, outcome) = await LoadAsync(provider, file, quiet: false);
        var rate = rows / elapsed.TotalSeconds;
        Console.WriteLine($"| 用例 | 时间 | 行/秒 | 相对上限 |");
        Console.WriteLine($"|---|---|---|---|");
        if (limitTime is { } l)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| 上限：{(engine == "SQLite" ? "sqlite3 .import" : "psql \\copy")}（无类型、无校验） | {l.TotalSeconds:F1} s | {rows / l.TotalSeconds:N0} | 100% |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| 仅读取与校验（BoundSource，不写库） | {readOnly.TotalSeconds:F1} s | {rows / readOnly.TotalSeconds:N0} | {(limitTime is { } r ? $"{r.TotalSeconds / readOnly.TotalSeconds * 100:F0}%" : "—")} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| DataLoader 全量加载（检测编码、映射、全部校验、写入版本表、切换） | {elapsed.TotalSeconds:F1} s | {rate:N0} | {(limitTime is { } t ? $"{t.TotalSeconds / elapsed.TotalSeconds * 100:F0}%" : "—")} |"));
        Console.WriteLine($"结果：{outcome.Status}，{outcome.Message}");
    }

    private static async Task<(TimeSpan, LoadOutcome)> LoadAsync(IServiceProvider provider, string file, bool quiet)
    {
        await using var scope = provider.CreateAsyncScope();
        var loads = scope.ServiceProvider.GetRequiredService<LoadService>();
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.PlatformAdmin)], "bench", ClaimTypes.Name, ClaimTypes.Role));
        var prepared = await loads.PrepareAsync(ResourceCode.Parse(Code), admin, Persistence_LoadMode_Full);
        if (!prepared.Ok) throw new InvalidOperationException(prepared.NotFound ?? prepared.Conflict ?? prepared.Forbidden);
        var owner = "bench/" + Guid.NewGuid().ToString("N");
        var sw = Stopwatch.StartNew();
        var load = await loads.StartLocalAsync(prepared.Value!, file, new LoadOptions(), admin, owner);
        var outcome = await scope.ServiceProvider.GetRequiredService<DataLoader>().RunAsync(load.Id, owner, new LoadRunOptions(), CancellationToken.None);
        sw.Stop();
        if (!quiet && outcome.Status != GovData.Data.Persistence.LoadStatus.Succeeded) Console.WriteLine($"加载未成功：{outcome.Message}");
        return (sw.Elapsed, outcome);
    }

    /// <summary>The reading layer alone: open (encoding detection over the whole file), map, convert every value.</summary>
    private static async Task<TimeSpan> ReadAndConvertAsync(string file)
    {
        var layout = GovData.Data.Domain.TableLayout.For(Guid.CreateVersion7(), 1, Items);
        var sw = Stopwatch.StartNew();
        await using var source = await GovData.Data.Features.Ingestion.BoundSource.OpenAsync(file, layout.Columns, new GovData.Data.Features.Ingestion.SourceOptions(),
            GovData.Data.Features.Ingestion.ConversionOptions.Default, null);
        var values = new object?[layout.Columns.Count];
        var failures = new List<GovData.Data.Features.Ingestion.ValueFailure>();
        long bad = 0;
        await foreach (var record in source.ReadRecordsAsync())
        {
            failures.Clear();
            if (!source.Convert(record, values, failures)) bad++;
        }
        if (bad > 0) Console.WriteLine($"（读取校验：{bad} 行有错误）");
        return sw.Elapsed;
    }

    private static readonly GovData.Data.Persistence.LoadMode Persistence_LoadMode_Full = GovData.Data.Persistence.LoadMode.Full;

    private static async Task<TimeSpan?> PsqlCopyAsync(string connectionString, string file)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        await using (var c = new NpgsqlConnection(connectionString))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (" + string.Join(", ", Items.Select(i => i.FieldCode + " text")) + ")";
            await cmd.ExecuteNonQueryAsync();
        }
        var psql = new[] { "/usr/lib/postgresql/17/bin/psql", "/usr/lib/postgresql/16/bin/psql", "/usr/lib/postgresql/15/bin/psql" }.First(File.Exists);
        var sw = Stopwatch.StartNew();
        await RunAsync(psql, ["-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username!, "-d", b.Database!, "-v", "ON_ERROR_STOP=1",
            "-c", $"\\copy bench_raw FROM '{file}' WITH (FORMAT csv, HEADER true)"]);
        return sw.Elapsed;
    }

    private static async Task<TimeSpan?> SqliteImportAsync(string db, string file)
    {
        var shell = new[] { "/usr/bin/sqlite3", "/usr/local/bin/sqlite3" }.FirstOrDefault(File.Exists);
        if (shell is null)
        {
            Console.WriteLine("（未安装 sqlite3 命令行，跳过 .import 上限）");
            return null;
        }
        var target = db + ".import.db";
        var sw = Stopwatch.StartNew();
        await RunAsync(shell, [target, ".mode csv", $".import --skip 1 '{file}' bench_raw"]);
        return sw.Elapsed;
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"无法启动 {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} 失败：{await stderr}");
    }

    private static void Generate(string path, int rows)
    {
        var random = new Random(42);
        var codes = Enumerable.Range(0, 5000).Select(i => CreditCode.Create('9', '1', "370100", (10_000_000 + i * 7919).ToString(CultureInfo.InvariantCulture)).Value).ToArray();
        string[] regions = ["370102", "370103", "370104", "370105", "370112", "370113", "371302", "371311"];
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.Write(string.Join(',', Items.Select(i => i.FieldCode)) + "\n");
        var day = new DateTime(2000, 1, 1);
        for (var i = 1; i <= rows; i++)
        {
            var amount = (random.Next(1, 100_000_000) / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);
            var d = day.AddDays(random.Next(0, 9000));
            w.Write(string.Create(CultureInfo.InvariantCulture,
                $"{i},{codes[i % codes.Length]},\"山东测试科技有限公司{i}\",{regions[i % regions.Length]},\"{amount}\",{random.NextDouble():0.####},{d:yyyy-MM-dd},{d.AddSeconds(random.Next(86400)):yyyy-MM-dd HH:mm:ss},{(i % 3 == 0 ? "是" : "否")},{1 + i % 2}\n"));
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    private sealed class OneResource(CatalogResource resource) : ICatalogResources
    {
        public Task<CatalogResource?> FindAsync(ResourceCode code, CancellationToken ct = default) => Task.FromResult(code == resource.Code ? resource : null);
        public Task<CatalogResource?> FindAsync(Guid entryId, CancellationToken ct = default) => Task.FromResult(entryId == resource.EntryId ? resource : null);
        public Task<IReadOnlyList<CatalogResource>> ListPublishedAsync(Guid? departmentId = null, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<CatalogResource>>([resource]);
    }
}
