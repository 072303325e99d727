using System.Diagnostics;
using System.Globalization;
using GovData.Bench.Search;
using GovData.Exchange.Features.Audit;
using GovData.SharedKernel.Persistence;
using GovData.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Bench.Audit;

/// <summary>
/// The exchange audit log at scale, as a timed harness, per engine (a SQLite file; a throwaway PostgreSQL cluster with
/// fsync on, so commits cost what they cost in production):
/// <list type="number">
/// <item><b>one at a time</b>: 2,000 appends by a single caller awaiting each (every append is its own commit) — the
/// cost of one durable commit;</item>
/// <item><b>group commit</b>: N entries (default 1,000,000) appended by P concurrent callers (default 256), each awaiting
/// its entry's commit as a request would — appends/s, latency p50/p99, batches and mean batch size;</item>
/// <item><b>seal</b>: the first checkpoint over all N entries (every entry re-hashed and chained, Merkle root, signature);</item>
/// <item><b>verify</b>: <see cref="AuditVerifier"/> over the whole log — entries/s;</item>
/// <item><b>proofs</b>: 200 inclusion proofs of random entries against the checkpoint (node cache), mean ms.</item>
/// </list>
/// The services are the platform's own (<see cref="GovDataComposition.AddGovData"/>), the schema the platform and
/// exchange migrations.
/// <para>Run: <c>dotnet run -c Release --project bench/GovData.Bench -- audit-verify [--entries 1000000] [--producers 256] [--sqlite-only|--postgres-only]</c></para>
/// </summary>
internal static class AuditVerifyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var entries = Option(args, "--entries", 1_000_000);
        var producers = Math.Max(1, Option(args, "--producers", 256));
        var sqlite = !args.Contains("--postgres-only");
        var postgres = !args.Contains("--sqlite-only");
        Console.WriteLine($"# 交换审计日志基准：{entries:N0} 条，{producers} 个并发写入方，.NET {Environment.Version}，{Environment.ProcessorCount} 核，" +
                          $"GC {(System.Runtime.GCSettings.IsServerGC ? "Server" : "Workstation")}，负载 {LoadAverage()}");
        var folder = Path.Combine(Path.GetTempPath(), "govdata-bench-audit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            if (sqlite)
            {
                var file = Path.Combine(folder, "audit.db");
                await RunEngineAsync($"SQLite {SqliteVersion()}（WAL，synchronous={SqliteSynchronous(file)}，文件在 {folder}）", $"Data Source={file}", folder, entries, producers,
                    () => new FileInfo(file).Length + (File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0));
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }
            if (postgres)
            {
                var pg = await ThrowawayPostgres.StartAsync(fsync: true);
                try
                {
                    await RunEngineAsync($"{pg.Version.Trim()}（fsync=on，默认 synchronous_commit）", pg.ConnectionString, folder, entries, producers, () => PostgresSize(pg.ConnectionString));
                }
                finally
                {
                    if (args.Contains("--keep")) Console.WriteLine($"保留的 PostgreSQL：{pg.ConnectionString}");
                    else await pg.DisposeAsync();
                }
            }
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    private static async Task RunEngineAsync(string label, string connectionString, string folder, int entries, int producers, Func<long> size)
    {
        Console.WriteLine();
        Console.WriteLine($"## {label}");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = connectionString,
            ["GovData:DataFolder"] = folder,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddGovData(configuration, folder);
        await using var provider = services.BuildServiceProvider();
        var database = provider.GetRequiredService<DatabaseSettings>();
        await new SchemaMigrator(database, provider.GetServices<ModuleSchema>().Where(m => m.Module is "platform" or "exchange")).MigrateAsync();
        var writer = provider.GetRequiredService<AuditWriter>();

        // 1. One at a time.
        const int sequential = 2_000;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < sequential; i++) await writer.EnqueueAsync(Record(i));
        var sequentialRate = sequential / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"逐条提交（1 个写入方，每条等待提交）：{sequential:N0} 条，{watch.Elapsed.TotalSeconds:0.00} 秒，{sequentialRate:N0} 条/秒");

        // 2. Group commit under concurrency.
        var target = entries - sequential;
        var latencies = new long[target];
        var next = -1;
        var batchesBefore = writer.BatchesCommitted;
        watch.Restart();
        var tasks = Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < target)
            {
                var started = Stopwatch.GetTimestamp();
                await writer.EnqueueAsync(Record(sequential + i));
                latencies[i] = Stopwatch.GetTimestamp() - started;
            }
        })).ToList();
        var progress = Task.Run(async () =>
        {
            while (!tasks.All(t => t.IsCompleted))
            {
                await Task.Delay(TimeSpan.FromSeconds(15));
                var done = Math.Min(Volatile.Read(ref next), target);
                if (!tasks.All(t => t.IsCompleted)) Console.WriteLine($"  … {done:N0} 条，{done / watch.Elapsed.TotalSeconds:N0} 条/秒");
            }
        });
        await Task.WhenAll(tasks);
        var fill = watch.Elapsed;
        await progress;
        var batches = writer.BatchesCommitted - batchesBefore;
        Array.Sort(latencies);
        double Ms(double q) => latencies[(int)Math.Min(latencies.Length - 1, q * latencies.Length)] * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine($"组提交（{producers} 个并发写入方，每条等待所在批次提交）：{target:N0} 条，{fill.TotalSeconds:0.0} 秒，**{target / fill.TotalSeconds:N0} 条/秒**；" +
                          $"{batches:N0} 批，平均每批 {(double)target / batches:0.0} 条；单条延迟 p50 {Ms(0.50):0.0} ms，p99 {Ms(0.99):0.0} ms，最大 {Ms(1.0 - 1e-9):0.0} ms；相对逐条提交 {target / fill.TotalSeconds / sequentialRate:0.0} 倍");

        // 3. Seal.
        watch.Restart();
        var checkpoint = await provider.GetRequiredService<AuditSealer>().SealAsync();
        Console.WriteLine($"首次封存（{checkpoint!.TreeSize:N0} 条：逐条重算哈希与链、默克尔根、签名）：{watch.Elapsed.TotalSeconds:0.00} 秒");

        // 4. Verify.
        watch.Restart();
        var report = await provider.GetRequiredService<AuditVerifier>().VerifyAsync();
        var verifySeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"校验（govdata audit verify 的同一代码）：{report.Entries:N0} 条，**{verifySeconds:0.00} 秒**，{report.Entries / verifySeconds:N0} 条/秒；{(report.Ok ? "通过" : "未通过：" + report.Summary)}");

        // 5. Proofs.
        var proofs = provider.GetRequiredService<AuditProofs>();
        var random = new Random(42);
        watch.Restart();
        const int proofCount = 200;
        for (var i = 0; i < proofCount; i++)
        {
            var proof = await proofs.InclusionAsync(random.NextInt64(1, checkpoint.TreeSize + 1), checkpoint.TreeSize);
            if (proof is not { Verified: true }) throw new InvalidOperationException("包含证明未通过校验");
        }
        Console.WriteLine($"包含证明（随机 {proofCount} 条，对 {checkpoint.TreeSize:N0} 条的检查点，服务端校验通过）：平均 {watch.Elapsed.TotalMilliseconds / proofCount:0.0} ms/条");
        Console.WriteLine($"数据库大小：{size() / 1024.0 / 1024.0:N0} MB（约 {size() / (double)report.Entries:N0} 字节/条，含索引）");
    }

    private static readonly Guid[] Departments = Enumerable.Range(1, 40).Select(i => new Guid(i, 7, 7, [1, 2, 3, 4, 5, 6, 7, 8])).ToArray();
    private static readonly string[] Purposes = ["社保待遇资格认定", "企业开办核验", "不动产登记", "公积金提取", "医保结算", "执业资格核验"];

    /// <summary>A record shaped like a query access: departments, client, user, resource, grant, purpose, case, hashes.</summary>
    private static AuditRecord Record(int i) => new(
        i % 10 == 0 ? AuditKinds.Verify : AuditKinds.Query,
        i % 50 == 0 ? AuditOutcomes.Denied : AuditOutcomes.Ok,
        ConsumerDepartmentId: Departments[i % Departments.Length],
        ProviderDepartmentId: Departments[(i * 7 + 3) % Departments.Length],
        ClientId: $"app-{i % 97:D3}",
        UserId: new Guid(i % 5000, 1, 1, [9, 9, 9, 9, 9, 9, 9, 9]),
        ResourceCode: $"30302601{i % 30:D4}/1",
        GrantId: new Guid(i % 800, 2, 2, [8, 8, 8, 8, 8, 8, 8, 8]),
        Purpose: Purposes[i % Purposes.Length],
        Issue: $"业务编号 2026-{i:D8}",
        MessageId: $"req-{i:D9}",
        RowsReturned: i % 100,
        RequestHash: Convert.ToHexStringLower(BitConverter.GetBytes((long)i * 2654435761L)).PadRight(64, '0'),
        ResponseHash: Convert.ToHexStringLower(BitConverter.GetBytes((long)i * 40503L)).PadRight(64, '0'));

    private static long PostgresSize(string connectionString)
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        using var cmd = new Npgsql.NpgsqlCommand("SELECT pg_total_relation_size('exchange_audit_entries')", connection);
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>PRAGMA synchronous of a connection as the platform opens it (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA).</summary>
    private static string SqliteSynchronous(string file)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new DatabaseSettings($"Data Source={file}").ConnectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", var n => n.ToString(CultureInfo.InvariantCulture) };
    }

    private static string SqliteVersion()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "select sqlite_version()";
        return (string)cmd.ExecuteScalar()!;
    }

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "未知"; }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
