using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Dapper;
using GovData.Bench.Search;
using GovData.Catalog.Contracts;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Search;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using GovData.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Bench.Portal;

/// <summary>
/// The public portal with a large open catalog (issue 6, “Measurements”): N published open entries (default 50,000, mixed
/// 无条件开放/有条件开放) on top of the demo data, served by the real host process (the Release build of GovData.Web on
/// Kestrel, 127.0.0.1, Production environment), over SQLite and over a throwaway PostgreSQL cluster (fsync on: every
/// dataset page writes its view count). Per engine:
/// <list type="number">
/// <item>migrate + demo seed (accounts, departments, the demo catalog and its data) through the platform's composition;</item>
/// <item>the catalog corpus of the <c>search</c> harness (<see cref="CatalogCorpus"/>: demo resource lines × districts ×
/// variants, validated by the module's code, the Identity demo departments as providers) bulk-loaded in one transaction
/// (<see cref="BulkLoader"/>), kept up to the N-th published open entry, search index rebuilt, ANALYZE;</item>
/// <item>the host started as its own process; sequential GETs after a warm-up: the search page (no terms, terms of 1, 2 and
/// 4 characters, facet filters, a deep page) and dataset pages (200 entries in turn; a demo dataset with data, preview and
/// chart), p50/p95/max; interleaved with each request, the limit in this process on the same database — the same
/// <see cref="IOpenCatalog.SearchAsync"/> or <see cref="IOpenCatalog.FindAsync(ResourceCode, CancellationToken)"/> the page
/// makes (one DI scope per call) — as a ratio;</item>
/// <item><c>package_search</c> (CKAN) with wrk (bench/http/package_search.lua: queries in turn, 16 connections) and, as
/// its limit, as many concurrent in-process loops of the same search.</item>
/// </list>
/// <para>Run (after <c>dotnet build -c Release src/GovData.Web</c>):
/// <c>dotnet run -c Release --project bench/GovData.Bench -- portal [--datasets 50000] [--runs 100] [--warmup 10] [--seconds 10] [--connections 16] [--sqlite-only|--postgres-only]</c></para>
/// </summary>
internal static partial class PortalBenchmark
{
    private sealed record SearchCase(string Label, string Query, OpenCatalogQuery Limit);

    private sealed record Stats(double P50, double P95, double Max)
    {
        public static Stats Of(IReadOnlyList<double> values)
        {
            var sorted = values.Order().ToArray();
            double P(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
            return new Stats(P(.5), P(.95), sorted[^1]);
        }
    }

    private static readonly string[] PackageSearchQueries = ["企业", "学校", "医疗机构", "许可", "道路运输", "登记", "农业", "环境"];

    public static async Task<int> RunAsync(string[] args)
    {
        var datasets = Option(args, "--datasets", 50_000);
        var runs = Option(args, "--runs", 100);
        var warmup = Option(args, "--warmup", 10);
        var seconds = Option(args, "--seconds", 10);
        var connections = Option(args, "--connections", 16);
        var root = RepositoryRoot();
        var webDll = Path.Combine(root, "src/GovData.Web/bin/Release/net10.0/GovData.Web.dll");
        if (!File.Exists(webDll))
        {
            Console.Error.WriteLine($"找不到主机程序 {webDll}：请先运行 dotnet build -c Release src/GovData.Web");
            return 1;
        }
        var wrk = File.Exists("/usr/bin/wrk") ? "/usr/bin/wrk" : null;
        Console.WriteLine($"# 门户基准：开放目录 {datasets:N0} 条（另含演示目录），每种请求 {runs} 次（另预热 {warmup} 次），" +
                          $"package_search {(wrk is null ? "（无 wrk：跳过）" : $"wrk -t2 -c{connections} -d{seconds}s")}；" +
                          $".NET {Environment.Version}，{Environment.ProcessorCount} 核；开始时负载 {LoadAverage()}");
        var folder = Path.Combine(Path.GetTempPath(), "govdata-bench-portal-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            if (!args.Contains("--postgres-only"))
                await RunEngineAsync("SQLite", $"Data Source={Path.Combine(folder, "sqlite", "govdata.db")}", Path.Combine(folder, "sqlite"),
                    datasets, runs, warmup, seconds, connections, webDll, wrk, root);
            if (!args.Contains("--sqlite-only"))
            {
                await using var pg = await ThrowawayPostgres.StartAsync(fsync: true);
                await RunEngineAsync(pg.Version + "（fsync=on）", pg.ConnectionString, Path.Combine(folder, "postgres"),
                    datasets, runs, warmup, seconds, connections, webDll, wrk, root);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    private static async Task RunEngineAsync(string engine, string connectionString, string folder, int datasets, int runs, int warmup,
        int seconds, int connections, string webDll, string? wrk, string root)
    {
        Directory.CreateDirectory(folder);
        Console.WriteLine();
        Console.WriteLine($"## {engine}（{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC，负载 {LoadAverage()}）");
        var settings = new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = connectionString,
            ["GovData:DataFolder"] = folder,
            ["GovData:Data:DemoEnterpriseRows"] = "2000",
            ["GovData:Data:DemoRowsPerResource"] = "100",
            ["GovData:Jobs:Enabled"] = "false",
        };
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        services.AddGovData(config, folder);
        await using var provider = services.BuildServiceProvider();

        var watch = Stopwatch.StartNew();
        await provider.GetRequiredService<SchemaMigrator>().MigrateAsync();
        await provider.GetRequiredService<DemoSeedRunner>().SeedAsync();
        Console.WriteLine($"迁移并写入演示数据：{watch.Elapsed.TotalSeconds:F0} s");

        var loaded = await LoadCorpusAsync(provider, datasets);
        var catalog = provider.GetRequiredService<IOpenCatalog>();
        var open = await catalog.SearchAsync(new OpenCatalogQuery { Limit = 0 });
        var openTypes = string.Join("，", open.Page!.Facets.OpenTypes.Select(f => $"{f.Label} {f.Count:N0}"));
        Console.WriteLine($"开放目录共 {open.Page.Total:N0} 条（{openTypes}）");
        var withData = await DemoDatasetWithDataAsync(provider);
        var department = (await provider.GetRequiredService<IDepartmentDirectory>().ListAsync()).Single(d => d.Name == "山东省市场监督管理局（演示）");

        SearchCase[] cases =
        [
            new("全部（无检索词，第 1 页）", "", new OpenCatalogQuery()),
            new("1 字：企", "?q=" + Uri.EscapeDataString("企"), new OpenCatalogQuery { Q = "企" }),
            new("2 字：学校", "?q=" + Uri.EscapeDataString("学校"), new OpenCatalogQuery { Q = "学校" }),
            new("4 字：医疗机构", "?q=" + Uri.EscapeDataString("医疗机构"), new OpenCatalogQuery { Q = "医疗机构" }),
            new("2 字 + 领域：许可 / 企业", "?q=" + Uri.EscapeDataString("许可") + "&domain=" + Uri.EscapeDataString("企业"), new OpenCatalogQuery { Q = "许可", Domain = "企业" }),
            new("开放属性：有条件开放", "?open=" + Uri.EscapeDataString("有条件开放"), new OpenCatalogQuery { OpenType = OpenType.Conditional }),
            new("部门 + 最近更新", "?dept=" + department.CreditCode.ToLowerInvariant() + "&sort=updated",
                new OpenCatalogQuery { DepartmentId = department.Id, Sort = [new(OpenCatalogSortField.Updated, true)] }),
            new("2 字，第 50 页：企业", "?q=" + Uri.EscapeDataString("企业") + "&page=50", new OpenCatalogQuery { Q = "企业", Offset = 49 * 20 }),
        ];

        using var host = await HostProcess.StartAsync(webDll, connectionString, folder);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.Address };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) GovDataPortalBench/1.0");
        Console.WriteLine($"主机进程 {host.Address}（Release，Production）启动 {host.StartSeconds:F0} s；负载 {LoadAverage()}");

        Console.WriteLine();
        Console.WriteLine("| 页面 | 命中 | HTTP p50 | HTTP p95 | HTTP max | 进程内 p50 | 进程内 p95 | HTTP/进程内（p50） |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in cases)
        {
            var first = await catalog.SearchAsync(c.Limit);
            var hits = first.Page?.Total ?? throw new InvalidOperationException($"检索“{c.Label}”失败：{string.Join("；", first.Errors?.Values ?? [])}");
            var (web, limit) = await MeasureAsync(http, _ => "/portal/datasets" + c.Query, async () =>
            {
                await using var scope = provider.CreateAsyncScope();
                var r = await scope.ServiceProvider.GetRequiredService<IOpenCatalog>().SearchAsync(c.Limit with { Limit = 20 });
                if (r.Page is null) throw new InvalidOperationException("检索失败");
            }, runs, warmup);
            Row("检索页 " + c.Label, hits.ToString("N0", CultureInfo.InvariantCulture), web, limit);
        }
        var names = loaded.Sample;
        var (page, pageLimit) = await MeasureAsync(http, i => "/portal/datasets/" + names[i % names.Count].Replace('/', '-'), async () =>
        {
            await using var scope = provider.CreateAsyncScope();
            _ = await scope.ServiceProvider.GetRequiredService<IOpenCatalog>().FindAsync(ResourceCode.Parse(names[Random.Shared.Next(names.Count)]))
                ?? throw new InvalidOperationException("数据集不存在");
        }, runs, warmup);
        Row($"数据集页（{names.Count} 个轮换，元数据）", "", page, pageLimit);
        if (withData is not null)
        {
            var (dataPage, dataLimit) = await MeasureAsync(http, _ => "/portal/datasets/" + withData.Replace('/', '-'), async () =>
            {
                await using var scope = provider.CreateAsyncScope();
                _ = await scope.ServiceProvider.GetRequiredService<IOpenCatalog>().FindAsync(ResourceCode.Parse(withData));
            }, runs, warmup);
            Row($"数据集页（{withData}，有数据：预览 + 图表）", "", dataPage, dataLimit);
        }
        Console.WriteLine("（毫秒；顺序请求，每次 HTTP 请求后紧接一次进程内调用；进程内 = 同一数据库上 IOpenCatalog.SearchAsync / FindAsync，页面所做的目录查询，不含部门列表、页面渲染、浏览计数）");
        Console.WriteLine($"负载 {LoadAverage()}");

        if (wrk is not null)
        {
            Console.WriteLine();
            var lua = Path.Combine(root, "bench/http/package_search.lua");
            var probe = await http.GetAsync("/api/3/action/package_search?rows=10&q=" + Uri.EscapeDataString(PackageSearchQueries[0]));
            var body = await probe.Content.ReadAsStringAsync();
            if (probe.StatusCode != HttpStatusCode.OK || !body.Contains("\"success\": true", StringComparison.Ordinal) && !body.Contains("\"success\":true", StringComparison.Ordinal))
                throw new InvalidOperationException($"package_search 探测失败：{(int)probe.StatusCode} {body[..Math.Min(300, body.Length)]}");
            await RunWrkAsync(wrk, lua, host.Address, 3, connections, quiet: true);
            var loadBefore = LoadAverage();
            var w = await RunWrkAsync(wrk, lua, host.Address, seconds, connections, quiet: false);
            var limit = await ConcurrentSearchAsync(provider, seconds, connections);
            Console.WriteLine($"| package_search（q 轮换 {PackageSearchQueries.Length} 个词，rows=10） | 次/秒 | p50 | p99 | max | 错误 |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            Console.WriteLine($"| HTTP（wrk -t2 -c{connections} -d{seconds}s，负载 {loadBefore}） | {w.Rate:F0} | {w.P50:F1} | {w.P99:F1} | {w.Max:F1} | {w.Errors} |");
            Console.WriteLine($"| 进程内 IOpenCatalog.SearchAsync（{connections} 个并发循环） | {limit.Rate:F0} | {limit.P50:F1} | {limit.P99:F1} | {limit.Max:F1} | 0 |");
            Console.WriteLine($"HTTP/进程内 吞吐比 {w.Rate / limit.Rate:F2}；负载 {LoadAverage()}");
        }
        Console.WriteLine($"主机进程常驻内存 {host.ResidentMegabytes():F0} MB");
    }

    private static void Row(string label, string hits, Stats web, Stats limit) =>
        Console.WriteLine($"| {label} | {hits} | {web.P50:F1} | {web.P95:F1} | {web.Max:F1} | {limit.P50:F1} | {limit.P95:F1} | {web.P50 / limit.P50:F1} |");

    /// <summary>Sequential GETs (every answer must be 200 and read to the end), each followed by one in-process call.</summary>
    private static async Task<(Stats Web, Stats Limit)> MeasureAsync(HttpClient http, Func<int, string> path, Func<Task> limit, int runs, int warmup)
    {
        var web = new List<double>(runs);
        var inProcess = new List<double>(runs);
        for (var i = -warmup; i < runs; i++)
        {
            var url = path(i + warmup);
            var watch = Stopwatch.StartNew();
            using (var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead))
            {
                var body = await response.Content.ReadAsByteArrayAsync();
                watch.Stop();
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {url}：{(int)response.StatusCode}");
                if (body.Length < 1000) throw new InvalidOperationException($"GET {url}：回答过短（{body.Length} 字节）");
            }
            var limitWatch = Stopwatch.StartNew();
            await limit();
            limitWatch.Stop();
            if (i < 0) continue;
            web.Add(watch.Elapsed.TotalMilliseconds);
            inProcess.Add(limitWatch.Elapsed.TotalMilliseconds);
        }
        return (Stats.Of(web), Stats.Of(inProcess));
    }

    private sealed record Loaded(int Open, IReadOnlyList<string> Sample);

    /// <summary>
    /// Generates the corpus (enough lines for <paramref name="open"/> published open entries at the corpus's mix), keeps it up to the
    /// <paramref name="open"/>-th published open entry, loads it in one transaction, rebuilds the search index and analyses.
    /// </summary>
    private static async Task<Loaded> LoadCorpusAsync(ServiceProvider provider, int open)
    {
        var directory = await provider.GetRequiredService<IDepartmentDirectory>().ListAsync();
        // The providers are the Identity demo's departments, matched as the catalog demo seeder matches them (region and name
        // fragment); lines of the few demo-catalog departments the Identity demo lacks go to the province's competent department.
        var competent = directory.FirstOrDefault(d => d.IsCompetent && d.RegionCode == "370000") ?? throw new InvalidOperationException("演示数据中没有省级主管部门");
        var departments = GovData.Catalog.Demo.DemoCatalog.Departments
            .Select(d => directory.Where(x => x.RegionCode == d.Region && x.Name.Contains(d.NameFragment, StringComparison.Ordinal)).OrderBy(x => x.SortOrder).FirstOrDefault() ?? competent)
            .ToList();
        var templates = GovData.Catalog.Demo.DemoCatalog.Resources;
        var openShare = templates.Count(t => !t.Open.StartsWith('否')) / (double)templates.Length;
        var candidates = (int)Math.Ceiling(open / (openShare * 0.86)) + templates.Length;

        var watch = Stopwatch.StartNew();
        List<CatalogCorpus.Generated> corpus;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDb>();
            corpus = await CatalogCorpus.GenerateAsync(db, scope.ServiceProvider.GetRequiredService<ClassificationService>(), departments, candidates);
        }
        var kept = new List<CatalogCorpus.Generated>(candidates);
        var sample = new List<string>();
        var openCount = 0;
        var conditional = 0;
        foreach (var g in corpus)
        {
            if (openCount == open) break;
            kept.Add(g);
            var published = g.Entry.Status == GovData.Catalog.Contracts.EntryStatus.Published
                ? g.Revisions.Single(r => r.Id == g.Entry.PublishedRevisionId) : null;
            if (published?.OpenType is OpenType.Unconditional or OpenType.Conditional)
            {
                openCount++;
                if (published.OpenType == OpenType.Conditional) conditional++;
                if (openCount % Math.Max(1, open / 200) == 0 && sample.Count < 200) sample.Add(g.Entry.Code);
            }
        }
        if (openCount < open) throw new InvalidOperationException($"生成的 {candidates:N0} 条中只有 {openCount:N0} 条已发布的开放资源，少于 {open:N0}");
        var generated = watch.Elapsed;
        corpus = null!;

        watch.Restart();
        var database = provider.GetRequiredService<DatabaseSettings>();
        long rows;
        int documents;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDb>();
            await using var tx = await db.Database.BeginTransactionAsync();
            rows = await BulkLoader.LoadAsync(db.Database.GetDbConnection(), tx.GetDbTransaction(), kept);
            documents = await SearchIndex.RebuildAsync(db);
            await tx.CommitAsync();
        }
        var written = watch.Elapsed;
        await using (var connection = database.CreateConnection())
        {
            await connection.OpenAsync();
            // CommandType.Text: Dapper treats a statement without white space ("ANALYZE") as a stored procedure name otherwise.
            await connection.ExecuteAsync(database.IsPostgres ? "ANALYZE" : "ANALYZE; PRAGMA optimize;", commandTimeout: 3600, commandType: System.Data.CommandType.Text);
        }
        Console.WriteLine($"生成 {candidates:N0} 条、保留 {kept.Count:N0} 条（已发布开放 {openCount:N0}：无条件 {openCount - conditional:N0}、有条件 {conditional:N0}；" +
                          $"其余为草稿、待审、已下线、不予开放）{generated.TotalSeconds:F0} s；写入 {rows:N0} 行并重建检索索引（{documents:N0} 个文档）" +
                          $"{written.TotalSeconds:F0} s；ANALYZE 后共 {watch.Elapsed.TotalSeconds:F0} s");
        kept.Clear();
        GC.Collect();
        return new Loaded(openCount, sample);
    }

    /// <summary>The code of a demo 无条件开放 dataset whose data is loaded (its page shows a preview), or null.</summary>
    private static async Task<string?> DemoDatasetWithDataAsync(ServiceProvider provider)
    {
        var database = provider.GetRequiredService<DatabaseSettings>();
        List<string> codes;
        await using (var connection = database.CreateConnection())
        {
            await connection.OpenAsync();
            codes = (await connection.QueryAsync<string>(
                "SELECT resource_code FROM data_resources WHERE current_version_id IS NOT NULL ORDER BY resource_code")).ToList();
        }
        await using var scope = provider.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<IOpenCatalog>();
        foreach (var code in codes)
            if (await catalog.FindAsync(ResourceCode.Parse(code)) is { OpenType: OpenType.Unconditional, Items.Count: > 0 }) return code;
        return null;
    }

    private sealed record Throughput(double Rate, double P50, double P99, double Max, long Errors);

    /// <summary>Runs wrk with the package_search script; parses the script's summary line.</summary>
    private static async Task<Throughput> RunWrkAsync(string wrk, string lua, Uri address, int seconds, int connections, bool quiet)
    {
        var psi = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", lua, address.ToString().TrimEnd('/'), "--" })
            psi.ArgumentList.Add(a);
        foreach (var q in PackageSearchQueries) psi.ArgumentList.Add(Uri.EscapeDataString(q));
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("无法启动 wrk");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk 失败：{error}{output}");
        if (!quiet) Console.WriteLine("```\n" + output.TrimEnd() + "\n```");
        var m = WrkLine().Match(output);
        if (!m.Success) throw new InvalidOperationException("wrk 输出中没有 WRK 行：" + output);
        double D(string name) => double.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture);
        return new Throughput(D("rps"), D("p50"), D("p99"), D("max"), long.Parse(m.Groups["errors"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"WRK requests=\d+ seconds=[\d.]+ rps=(?<rps>[\d.]+) p50_ms=(?<p50>[\d.]+) p90_ms=[\d.]+ p99_ms=(?<p99>[\d.]+) max_ms=(?<max>[\d.]+) errors=(?<errors>\d+)")]
    private static partial Regex WrkLine();

    /// <summary>The limit of package_search: as many concurrent loops of the catalog search (rows=10) as wrk has connections.</summary>
    private static async Task<Throughput> ConcurrentSearchAsync(ServiceProvider provider, int seconds, int connections)
    {
        var end = DateTime.UtcNow.AddSeconds(seconds);
        var latencies = new List<double>[connections];
        var clock = Stopwatch.StartNew();
        // Task.Run: Microsoft.Data.Sqlite completes its "async" calls synchronously, so without it one loop would run alone.
        await Task.WhenAll(Enumerable.Range(0, connections).Select(n => Task.Run(async () =>
        {
            var mine = latencies[n] = [];
            var i = n;
            while (DateTime.UtcNow < end)
            {
                var watch = Stopwatch.StartNew();
                await using var scope = provider.CreateAsyncScope();
                var r = await scope.ServiceProvider.GetRequiredService<IOpenCatalog>()
                    .SearchAsync(new OpenCatalogQuery { Q = PackageSearchQueries[i++ % PackageSearchQueries.Length], Limit = 10 });
                if (r.Page is null) throw new InvalidOperationException("检索失败");
                mine.Add(watch.Elapsed.TotalMilliseconds);
            }
        })));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double p) => all[Math.Clamp((int)Math.Ceiling(p * all.Length) - 1, 0, all.Length - 1)];
        return new Throughput(all.Length / clock.Elapsed.TotalSeconds, P(.5), P(.99), all[^1], 0);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovData.slnx"))) return dir.FullName;
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovData.slnx"))) return dir.FullName;
        throw new InvalidOperationException("找不到仓库根目录（GovData.slnx）");
    }

    /// <summary>The Release build of GovData.Web as its own process on a free loopback port; killed on dispose.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringWriter _log = new();

        private HostProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public double StartSeconds { get; private set; }

        public static async Task<HostProcess> StartAsync(string webDll, string connectionString, string folder)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var address = new Uri($"http://127.0.0.1:{port}/");
            // Content root = the project folder (as `dotnet run`), so wwwroot (scripts, ECharts) is served as in a deployment.
            var projectFolder = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(webDll)!, "../../.."));
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = projectFolder, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { webDll, "--urls", address.ToString().TrimEnd('/') }) psi.ArgumentList.Add(a);
            psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
            psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            psi.Environment["GOVDATA__CONNECTIONSTRING"] = connectionString;
            psi.Environment["GOVDATA__DATAFOLDER"] = folder;
            psi.Environment["GOVDATA__JOBS__ENABLED"] = "false";
            psi.Environment["Logging__LogLevel__Default"] = "Warning";
            var watch = Stopwatch.StartNew();
            var process = Process.Start(psi) ?? throw new InvalidOperationException("无法启动主机进程");
            var host = new HostProcess(process, address);
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (host._log) host._log.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (host._log) host._log.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            while (watch.Elapsed < TimeSpan.FromMinutes(10))
            {
                if (process.HasExited) throw new InvalidOperationException("主机进程退出：" + host._log);
                try
                {
                    if ((await probe.GetAsync(new Uri(address, "/health/ready"))).IsSuccessStatusCode)
                    {
                        host.StartSeconds = watch.Elapsed.TotalSeconds;
                        return host;
                    }
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(500);
            }
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("主机进程 10 分钟内未就绪：" + host._log);
        }

        public double ResidentMegabytes()
        {
            _process.Refresh();
            return _process.WorkingSet64 / 1048576.0;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            _process.Dispose();
        }
    }
}
