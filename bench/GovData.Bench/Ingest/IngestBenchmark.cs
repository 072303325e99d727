using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using GovData.Bench.Search;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Loading;
using GovData.Data.Persistence;
using GovData.SharedKernel.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GovData.Bench.Ingest;

/// <summary>
/// Ingest throughput, as a timed harness: one generated CSV (<see cref="IngestFile"/>, 5,000,000 rows ≈ 1.05 GB by
/// default, cached) loaded per engine, in rounds, by
/// <list type="bullet">
/// <item><b>the platform</b>: a full load exactly as <c>govdata import</c> runs it (<c>LoadService</c> + <c>DataLoader</c>:
/// encoding detection over the whole file, reading, header mapping, conversion and validation of every value incl. the
/// GB 32100 check character and the GB/T 2260 region list, binary COPY (PostgreSQL) or prepared INSERTs (SQLite) into
/// the typed version table, the unique key index, the version switch) — a new resource each round, so no retention
/// work is timed; its table is dropped after the round (not timed);</item>
/// <item><b>the limit</b>: PostgreSQL — <c>psql -c "\copy … FROM file CSV HEADER"</c> into an untyped table of 10
/// <c>text</c> columns (no index); SQLite — the <c>sqlite3</c> shell's <c>.import --csv</c> into a fresh file (WAL, as the
/// platform's database).</item>
/// </list>
/// Both sides read the same file from the page cache (it is read once before every case) and write to the same disk
/// with the same database settings (printed). For the platform load: wall time, rows/s, MB/s, the ratio of its rows/s to
/// the limit's, and its peak memory — resident high-water mark (VmHWM, reset through /proc/self/clear_refs before the
/// load) and the largest managed heap seen by a 10 ms sampler. <c>--stages</c> first times the reading layer without a
/// database: encoding detection, reading, reading + conversion + validation.
/// <para>Run: <c>dotnet run -c Release --project bench/GovData.Bench -- ingest [--rows 5000000] [--runs 3] [--stages]
/// [--sqlite-only|--postgres-only] [--cache /tmp/govdata-bench] [--keep]</c></para>
/// </summary>
internal static class IngestBenchmark
{
    private const string UntypedTable = "bench_untyped";
    private const int WarmUpRows = 20_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = Option(args, "--rows", 5_000_000);
        var runs = Math.Max(1, Option(args, "--runs", 3));
        var cache = OptionText(args, "--cache") ?? Path.Combine(Path.GetTempPath(), "govdata-bench");
        var keep = args.Contains("--keep");
        Console.WriteLine($"# 导入基准：{rows:N0} 行 × {IngestFile.Items.Length} 列，每个用例 {runs} 轮取中位数");
        Console.WriteLine($"机器：{Environment.ProcessorCount} 核，内存 {MemTotalGb():F1} GiB，.NET {Environment.Version}，" +
                          $"GC {(System.Runtime.GCSettings.IsServerGC ? "Server" : "Workstation")}，负载 {LoadAverage()}");
        var file = await IngestFile.EnsureAsync(cache, rows);
        var bytes = new FileInfo(file).Length;
        var warmup = await IngestFile.EnsureAsync(cache, WarmUpRows);

        if (args.Contains("--stages")) await StagesAsync(file, rows, bytes);

        var folder = Path.Combine("/tmp", "govdata-bench-ingest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var stages = args.Contains("--stages");
            if (!args.Contains("--postgres-only")) await SqliteAsync(folder, file, warmup, rows, bytes, runs, stages);
            if (!args.Contains("--sqlite-only")) await PostgresAsync(folder, file, warmup, rows, bytes, runs, stages, keep);
        }
        finally
        {
            if (keep) Console.WriteLine($"保留的数据目录：{folder}");
            else try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    // ---------------------------------------------------------------- engines

    private static async Task PostgresAsync(string folder, string file, string warmup, int rows, long bytes, int runs, bool stages, bool keep)
    {
        // Durable settings on both sides: fsync, synchronous_commit and full_page_writes stay on (PostgreSQL defaults).
        var pg = await ThrowawayPostgres.StartAsync(fsync: true);
        try
        {
            Console.WriteLine();
            Console.WriteLine($"## {pg.Version}");
            var settings = new DatabaseSettings(pg.ConnectionString);
            Console.WriteLine("设置：" + await PostgresSettingsAsync(settings));
            var builder = new NpgsqlConnectionStringBuilder(pg.ConnectionString);
            var postmaster = int.Parse(File.ReadLines(Path.Combine(pg.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            var cluster = CpuSampler.Cluster(postmaster);
            _others = (pid, parent, comm) => cluster(pid, parent, comm) || (parent == Environment.ProcessId && comm == "psql");
            await using var platform = await BenchPlatform.CreateAsync(settings, Path.Combine(folder, "pg-data"));
            Console.WriteLine($"读取组件：{platform.ReaderFactoryName}");
            await WarmUpAsync(platform, warmup);
            if (stages) await WriterStageAsync(settings, file, rows);
            var limitName = @"limit: psql \copy … CSV HEADER into 10 text columns";
            await RoundsAsync(runs, rows, bytes, limitName,
                round => PlatformLoadAsync(platform, file, rows, round),
                () => PsqlCopyAsync(settings, builder, file, rows));
        }
        finally
        {
            if (keep) Console.WriteLine($"保留的 PostgreSQL：{pg.ConnectionString}（数据目录 {pg.DataDirectory}）");
            else await pg.DisposeAsync();
        }
    }

    private static async Task SqliteAsync(string folder, string file, string warmup, int rows, long bytes, int runs, bool stages)
    {
        Console.WriteLine();
        _others = (_, parent, comm) => parent == Environment.ProcessId && comm == "sqlite3";
        var platformDb = Path.Combine(folder, "platform.db");
        var settings = new DatabaseSettings($"Data Source={platformDb}");
        await using (var platform = await BenchPlatform.CreateAsync(settings, Path.Combine(folder, "sqlite-data")))
        {
            Console.WriteLine($"## SQLite {await SqliteScalarAsync(settings, "SELECT sqlite_version()")}（平台，Microsoft.Data.Sqlite）/ " +
                              $"{(await RunProcessAsync("sqlite3", ["--version"], null)).Split(' ')[0]}（sqlite3 命令行）");
            Console.WriteLine($"设置（平台库）：journal_mode={await SqliteScalarAsync(settings, "PRAGMA journal_mode")}，" +
                              $"synchronous={await SqliteScalarAsync(settings, "PRAGMA synchronous")}；" +
                              $"sqlite3 命令行：{(await RunProcessAsync("sqlite3", [Path.Combine(folder, "probe.db")], "PRAGMA journal_mode=WAL;\nPRAGMA synchronous;\n")).ReplaceLineEndings("，").TrimEnd('，')}" +
                              "（journal_mode=WAL，synchronous：0=OFF 1=NORMAL 2=FULL）");
            Console.WriteLine($"读取组件：{platform.ReaderFactoryName}");
            await WarmUpAsync(platform, warmup);
            if (stages) await WriterStageAsync(settings, file, rows);
            await RoundsAsync(runs, rows, bytes, "limit: sqlite3 .import --csv into a new table (WAL)",
                round => PlatformLoadAsync(platform, file, rows, round),
                () => SqliteImportAsync(folder, file, rows));
        }
        SqliteConnection.ClearAllPools();
    }

    private sealed record Measurement(long Rows, double Seconds, double PeakResidentMb, double PeakManagedMb, string Load, double CpuSelf, double CpuOther);

    private static async Task RoundsAsync(int runs, int rows, long bytes, string limitName, Func<int, Task<Measurement>> platform, Func<Task<Measurement>> limit)
    {
        const string platformName = "platform: full load (detect, read, map, validate, COPY/INSERT, key index, switch)";
        var results = new Dictionary<string, List<Measurement>> { [platformName] = [], [limitName] = [] };
        for (var round = 1; round <= runs; round++)
        {
            Console.WriteLine($"第 {round} 轮");
            // Alternate the order so neither side always runs after the other's checkpoint/writeback.
            if (round % 2 == 1)
            {
                results[platformName].Add(Print("platform", await platform(round)));
                results[limitName].Add(Print("limit", await limit()));
            }
            else
            {
                results[limitName].Add(Print("limit", await limit()));
                results[platformName].Add(Print("platform", await platform(round)));
            }
        }
        var medians = results.ToDictionary(r => r.Key, r => r.Value.OrderBy(m => m.Seconds).ElementAt(r.Value.Count / 2) with
        {
            PeakResidentMb = r.Value.Max(m => m.PeakResidentMb), PeakManagedMb = r.Value.Max(m => m.PeakManagedMb),
        });
        var limitRate = rows / medians[limitName].Seconds;
        Console.WriteLine();
        Console.WriteLine($"| 用例 | 行数 | 用时 s（中位数） | 行/s | MB/s | 行/s 与极限之比 | CPU s：本进程 + 数据库侧 = 合计（中位轮） | 峰值常驻内存 MB (VmHWM) | 峰值托管堆 MB | 各轮用时 s | 各轮负载 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var (name, m) in medians)
        {
            var own = name == platformName;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {m.Rows:N0} | {m.Seconds:F1} | {m.Rows / m.Seconds:N0} | {bytes / 1e6 / m.Seconds:F1} | {m.Rows / m.Seconds / limitRate:F2} | " +
                $"{m.CpuSelf:F1} + {m.CpuOther:F1} = {m.CpuSelf + m.CpuOther:F1} | " +
                $"{(own ? m.PeakResidentMb.ToString("F0", CultureInfo.InvariantCulture) : "–")} | {(own ? m.PeakManagedMb.ToString("F0", CultureInfo.InvariantCulture) : "–")} | " +
                $"{string.Join(" / ", results[name].Select(x => x.Seconds.ToString("F1", CultureInfo.InvariantCulture)))} | {string.Join(" / ", results[name].Select(x => x.Load))} |"));
        }
    }

    private static Measurement Print(string label, Measurement m)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label,-9} {m.Rows,12:N0} 行 {m.Seconds,8:F1} s {m.Rows / m.Seconds,10:N0} 行/s  CPU 本进程 {m.CpuSelf:F1} s + 数据库侧 {m.CpuOther:F1} s  VmHWM {m.PeakResidentMb:F0} MB  托管堆峰值 {m.PeakManagedMb:F0} MB  负载 {m.Load}"));
        return m;
    }

    // ---------------------------------------------------------------- the platform

    private static async Task<Measurement> PlatformLoadAsync(BenchPlatform platform, string file, int rows, int round)
    {
        var code = $"199001/{round}";
        platform.Catalog.Publish(code, $"基准企业名录（第{round}轮）", IngestFile.Items);
        var m = await MeasureAsync(async () =>
        {
            var outcome = await platform.LoadAsync(code, file, new LoadOptions());
            if (outcome.Status != LoadStatus.Succeeded || outcome.RowsLoaded != rows)
                throw new InvalidOperationException($"平台加载未完整成功：{outcome.Status}，{outcome.Message}（读取 {outcome.RowsRead:N0}，加载 {outcome.RowsLoaded:N0}，拒绝 {outcome.RowsRejected:N0}）");
            return outcome.RowsLoaded;
        }, file);
        // Not timed: free the disk for the next round.
        var table = await platform.CurrentTableAsync(code);
        await ExecuteAsync(platform.Settings, "DROP TABLE " + table);
        return m;
    }

    /// <summary>One small load before the rounds (JIT, connection pools, EF model), not measured.</summary>
    private static async Task WarmUpAsync(BenchPlatform platform, string warmup)
    {
        const string code = "199001/999";
        platform.Catalog.Publish(code, "基准企业名录（预热）", IngestFile.Items);
        var outcome = await platform.LoadAsync(code, warmup, new LoadOptions());
        if (outcome.Status != LoadStatus.Succeeded) throw new InvalidOperationException($"预热加载失败：{outcome.Message}");
        await ExecuteAsync(platform.Settings, "DROP TABLE " + await platform.CurrentTableAsync(code));
    }

    /// <summary>
    /// The platform's <see cref="RowWriter"/> alone: the first 100,000 rows converted once, then written <paramref name="rows"/>
    /// times in turn (new <c>_row</c> each) into a fresh version table — the database side of a load without reading,
    /// validation or the loader's bookkeeping.
    /// </summary>
    private static async Task WriterStageAsync(DatabaseSettings settings, string file, int rows)
    {
        var layout = TableLayout.For(Guid.CreateVersion7(), 1, IngestFile.Items);
        var cached = new List<object?[]>();
        var failures = new List<ValueFailure>();
        await using (var bound = await BoundSource.OpenAsync(file, layout.Columns, new SourceOptions(), ConversionOptions.Default, null))
            await foreach (var r in bound.ReadRecordsAsync())
            {
                var values = new object?[layout.Columns.Count];
                failures.Clear();
                if (r.Problem is null && bound.Convert(r, values, failures)) cached.Add(values);
                if (cached.Count == 100_000) break;
            }
        var m = await MeasureAsync(async () =>
        {
            await using var connection = settings.CreateConnection();
            await connection.OpenAsync();
            await using var writer = await RowWriter.OpenAsync(connection, layout, settings.Provider, create: true, temp: false, CancellationToken.None);
            var last = Stopwatch.StartNew();
            for (var i = 0; i < rows; i++)
            {
                writer.Write(i + 1, cached[i % cached.Count]);
                if (last.ElapsedMilliseconds >= 1000)
                {
                    await writer.Checkpoint(CancellationToken.None);
                    last.Restart();
                }
            }
            await writer.CompleteAsync(CancellationToken.None);
            return rows;
        }, file);
        await ExecuteAsync(settings, "DROP TABLE " + layout.TableName);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"分段：RowWriter 单独写入 {m.Rows:N0} 行（已转换的值，无读取与校验，无主键索引）：{m.Seconds:F1} s，{m.Rows / m.Seconds:N0} 行/s，CPU 本进程 {m.CpuSelf:F1} s + 数据库侧 {m.CpuOther:F1} s，负载 {m.Load}"));
    }

    // ---------------------------------------------------------------- the limits

    private static async Task<Measurement> PsqlCopyAsync(DatabaseSettings settings, NpgsqlConnectionStringBuilder pg, string file, int rows)
    {
        var columns = string.Join(", ", Enumerable.Range(1, IngestFile.Header.Length).Select(i => $"c{i} text"));
        await ExecuteAsync(settings, $"DROP TABLE IF EXISTS {UntypedTable}; CREATE TABLE {UntypedTable} ({columns})");
        var m = await MeasureAsync(async () =>
        {
            await RunProcessAsync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg.Host!, "-p", pg.Port.ToString(CultureInfo.InvariantCulture),
                "-U", pg.Username!, "-d", pg.Database!, "-c", $"\\copy {UntypedTable} FROM '{file}' WITH (FORMAT csv, HEADER true)"], null);
            return 0L;
        }, file);
        var count = Convert.ToInt64(await ScalarAsync(settings, $"SELECT count(*) FROM {UntypedTable}"), CultureInfo.InvariantCulture);
        if (count != rows) throw new InvalidOperationException($"\\copy 只写入了 {count:N0} 行");
        await ExecuteAsync(settings, $"DROP TABLE {UntypedTable}");
        return m with { Rows = count };
    }

    private static async Task<Measurement> SqliteImportAsync(string folder, string file, int rows)
    {
        var db = Path.Combine(folder, "sqlite3-import.db");
        foreach (var f in new[] { db, db + "-wal", db + "-shm" }) File.Delete(f);
        var m = await MeasureAsync(async () =>
        {
            await RunProcessAsync("sqlite3", ["-bail", db], $"PRAGMA journal_mode=WAL;\n.import --csv '{file}' {UntypedTable}\n");
            return 0L;
        }, file);
        var settings = new DatabaseSettings($"Data Source={db}");
        var count = Convert.ToInt64(await SqliteScalarAsync(settings, $"SELECT count(*) FROM {UntypedTable}"), CultureInfo.InvariantCulture);
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { db, db + "-wal", db + "-shm" }) File.Delete(f);
        if (count != rows) throw new InvalidOperationException($".import 只写入了 {count:N0} 行");
        return m with { Rows = count };
    }

    // ---------------------------------------------------------------- stages without a database

    private static async Task StagesAsync(string file, int rows, long bytes)
    {
        Console.WriteLine();
        Console.WriteLine("## 读取层分段（无数据库，单次；CPU 为本进程的用户态 + 内核态时间）");
        var layout = TableLayout.For(Guid.CreateVersion7(), 1, IngestFile.Items);
        var results = new List<(string Name, double Seconds, double Cpu, long Rows)>();

        async Task Stage(string name, Func<Task<long>> action)
        {
            WarmCache(file);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var n = await action();
            results.Add((name, sw.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, n));
        }

        var detected = "";
        await Stage("encoding detection over the whole file", async () =>
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            detected = (await TextEncodingDetector.DetectAsync(stream)).Describe();
            return 0;
        });
        await Stage("read: detect + parse CSV into fields", async () =>
        {
            long n = 0;
            await using var source = await TabularSources.OpenAsync(file, new SourceOptions());
            await foreach (var r in source.ReadRecordsAsync()) n += r.Problem is null ? 1 : 0;
            return n;
        });
        long valid = 0;
        await Stage("read + map + convert + validate (BoundSource)", async () =>
        {
            var values = new object?[layout.Columns.Count];
            var failures = new List<ValueFailure>();
            await using var bound = await BoundSource.OpenAsync(file, layout.Columns, new SourceOptions(), ConversionOptions.Default, null);
            await foreach (var r in bound.ReadRecordsAsync())
            {
                failures.Clear();
                if (r.Problem is null && bound.Convert(r, values, failures)) valid++;
            }
            return valid;
        });

        Console.WriteLine($"编码检测结果：{detected}");
        Console.WriteLine("| 分段 | 行数 | 用时 s | CPU s | 行/s | MB/s | CPU µs/行 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, seconds, cpu, count) in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {(count > 0 ? count.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {seconds:F1} | {cpu:F1} | {(count > 0 ? (count / seconds).ToString("N0", CultureInfo.InvariantCulture) : "–")} | {bytes / 1e6 / seconds:F1} | {cpu * 1e6 / rows:F2} |"));
        if (valid != rows) Console.WriteLine($"注意：校验通过 {valid:N0} 行，应为 {rows:N0} 行");
    }

    // ---------------------------------------------------------------- measuring

    /// <summary>The processes whose CPU counts as the database side: set per engine (cluster + psql, or sqlite3).</summary>
    private static Func<int, int, string, bool> _others = (_, parent, comm) => parent == Environment.ProcessId && comm is "psql" or "sqlite3";

    private static async Task<Measurement> MeasureAsync(Func<Task<long>> action, string file)
    {
        WarmCache(file);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var load = LoadAverage();
        ResetPeakResident();
        var peakManaged = GC.GetTotalMemory(false);
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                try { await Task.Delay(10, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var others = new CpuSampler(_others);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var rows = await action();
        sw.Stop();
        var self = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        await others.DisposeAsync();
        await stop.CancelAsync();
        await sampler;
        return new Measurement(rows, sw.Elapsed.TotalSeconds, PeakResidentMb(), peakManaged / 1024.0 / 1024.0, load, self, others.Seconds);
    }

    /// <summary>Reads the file once so every case starts with it in the page cache.</summary>
    private static void WarmCache(string file)
    {
        var buffer = new byte[1 << 20];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        while (stream.Read(buffer, 0, buffer.Length) > 0) { }
    }

    private static void ResetPeakResident()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static double PeakResidentMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
    }

    internal static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]); }
        catch (IOException) { return "?"; }
    }

    internal static double MemTotalGb()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line[9..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
    }

    // ---------------------------------------------------------------- helpers

    private static async Task<string> PostgresSettingsAsync(DatabaseSettings settings)
    {
        var names = new[] { "fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers", "max_wal_size", "checkpoint_timeout", "work_mem", "maintenance_work_mem" };
        var parts = new List<string>();
        foreach (var n in names) parts.Add($"{n}={await ScalarAsync(settings, "SHOW " + n)}");
        return string.Join("，", parts);
    }

    private static async Task ExecuteAsync(DatabaseSettings settings, string sql)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(DatabaseSettings settings, string sql)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        return await cmd.ExecuteScalarAsync();
    }

    private static async Task<string> SqliteScalarAsync(DatabaseSettings settings, string sql) =>
        Convert.ToString(await ScalarAsync(settings, sql), CultureInfo.InvariantCulture) ?? "";

    private static async Task<string> RunProcessAsync(string fileName, string[] args, string? stdin)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, WorkingDirectory = "/tmp",
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"无法启动 {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync();
        var err = await stderr;
        if (process.ExitCode != 0 || err.Length > 0) throw new InvalidOperationException($"{fileName} 失败（{process.ExitCode}）：{err}");
        return (await stdout).Trim();
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
