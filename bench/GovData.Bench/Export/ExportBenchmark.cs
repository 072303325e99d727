using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using GovData.Bench.Search;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Export;
using GovData.SharedKernel.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace GovData.Bench.Export;

/// <summary>
/// Export throughput and memory, as a timed harness: fills a version table of N generated rows (10 typed columns, one
/// masked) on SQLite and/or a throwaway PostgreSQL cluster, then, per engine and in one run, streams the whole table
/// from <see cref="TableRowReader"/> into files:
/// <list type="bullet">
/// <item><b>source only</b>: rows read and converted, nothing written (the database's share);</item>
/// <item><b>limit: plain CSV</b>: the same rows joined with ',' through a StreamWriter — no quoting, no masking, no
/// formats; the fastest a CSV of these rows can be written;</item>
/// <item><b>CSV</b> (UTF-8 + BOM, Excel guard, masked), <b>XLSX</b> (masked), <b>NDJSON</b> (masked): the export writers.</item>
/// </list>
/// Cases run in turn for <c>--runs</c> rounds (default 3). For each case: median wall time, output MB and MB/s, rows/s,
/// the ratio of its time to the plain-CSV limit, and the highest peak memory of its runs — the process's resident
/// high-water mark (VmHWM, reset before each case through /proc/self/clear_refs) and the largest managed heap seen by
/// a 10 ms sampler.
/// <para>Run: <c>dotnet run -c Release --project bench/GovData.Bench -- export-bench [--rows 1000000] [--runs 3] [--sqlite-only|--postgres-only] [--keep]</c></para>
/// </summary>
internal static class ExportBenchmark
{
    private static readonly CatalogItem[] Items =
    [
        new(1, "统一社会信用代码", "credit_code", ItemDataType.C, 18, null, true, true, "GB 32100", ItemSensitivity.Public, MaskingRule.None, null),
        new(2, "企业名称", "name", ItemDataType.C, 100, null, true, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(3, "注册资本", "capital", ItemDataType.Y, 18, 2, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(4, "成立日期", "founded", ItemDataType.D, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(5, "核准时间", "approved_at", ItemDataType.T, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(6, "是否存续", "active", ItemDataType.L, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(7, "从业人数", "staff", ItemDataType.I, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(8, "纬度", "lat", ItemDataType.B, null, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
        new(9, "法定代表人", "legal_person", ItemDataType.C, 50, null, false, false, null, ItemSensitivity.Sensitive, MaskingRule.Name, null),
        new(10, "住所", "address", ItemDataType.C, 200, null, false, false, null, ItemSensitivity.Public, MaskingRule.None, null),
    ];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "欧阳", "司马"];
    private static readonly string[] Given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇"];
    private static readonly string[] Cities = ["济南市历下区", "青岛市市南区", "淄博市张店区", "烟台市芝罘区", "潍坊市奎文区", "临沂市兰山区"];
    private static readonly string[] Trades = ["科技", "贸易", "建设工程", "食品", "物流", "医药", "文化传媒", "农业发展"];

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = Option(args, "--rows", 1_000_000);
        var runs = Math.Max(1, Option(args, "--runs", 3));
        var sqlite = !args.Contains("--postgres-only");
        var postgres = !args.Contains("--sqlite-only");
        Console.WriteLine($"# 导出基准：{rows:N0} 行 × {Items.Length} 列，每个用例 {runs} 轮取中位数，.NET {Environment.Version}，{Environment.ProcessorCount} 核，" +
            $"GC {(System.Runtime.GCSettings.IsServerGC ? "Server" : "Workstation")}");
        var folder = Path.Combine(Path.GetTempPath(), "govdata-bench-export-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            if (sqlite)
            {
                var file = Path.Combine(folder, "bench.db");
                await RunEngineAsync("SQLite " + SqliteVersion(), new DatabaseSettings($"Data Source={file}"), folder, rows, runs);
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }
            if (postgres)
            {
                var pg = await ThrowawayPostgres.StartAsync();
                try { await RunEngineAsync(pg.Version, new DatabaseSettings(pg.ConnectionString), folder, rows, runs); }
                finally
                {
                    if (args.Contains("--keep")) Console.WriteLine($"保留的 PostgreSQL：{pg.ConnectionString}");
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

    private static async Task RunEngineAsync(string engine, DatabaseSettings settings, string folder, int count, int runs)
    {
        Console.WriteLine();
        Console.WriteLine($"## {engine}");
        var layout = TableLayout.For(Guid.CreateVersion7(), 1, Items);
        var load = Stopwatch.StartNew();
        await using (var connection = settings.CreateConnection())
        {
            await connection.OpenAsync();
            await FillAsync(connection, settings.Provider, layout, count);
        }
        Console.WriteLine($"装载 {count:N0} 行：{load.Elapsed.TotalSeconds:F1} 秒（不计入导出）");

        var csv = new ExportOptions(ExportFormat.Csv, Bom: true);
        var dataset = new ExportDataset("303026010201/1", "企业法人库（基准）", 1, layout.Columns);
        (string Name, string File, Func<IAsyncEnumerable<object?[]>, Stream, Task<long>> Run)[] cases =
        [
            ("source only (read + convert)", "", async (src, _) => { long n = 0; await foreach (var row in src) n++; return n; }),
            ("limit: plain CSV, StreamWriter", "plain.csv", PlainCsvAsync),
            ("CSV export (BOM, Excel guard, masked)", "export.csv", (src, s) => DataExporter.WriteAsync(csv, dataset, src, s, raw: false)),
            ("XLSX export (masked)", "export.xlsx", (src, s) => DataExporter.WriteAsync(new ExportOptions(ExportFormat.Xlsx), dataset, src, s, raw: false)),
            ("NDJSON export (masked)", "export.ndjson", (src, s) => DataExporter.WriteAsync(new ExportOptions(ExportFormat.Ndjson), dataset, src, s, raw: false)),
        ];

        // Warm-up: every case once on the first 20,000 rows' worth (JIT, connection pool, page cache).
        foreach (var c in cases) await MeasureAsync(settings, layout, folder, c.File, c.Run, quiet: true, limitRows: 20_000);

        // Rounds of all cases in turn; per case the median time and the highest memory of its runs.
        var all = cases.ToDictionary(c => c.Name, _ => new List<Measurement>());
        for (var round = 1; round <= runs; round++)
        {
            Console.WriteLine($"第 {round} 轮");
            foreach (var c in cases) all[c.Name].Add(await MeasureAsync(settings, layout, folder, c.File, c.Run, quiet: false, limitRows: null));
        }
        var results = cases.Select(c =>
        {
            var ms = all[c.Name];
            var median = ms.OrderBy(m => m.Seconds).ElementAt(ms.Count / 2);
            return (c.Name, M: median with { PeakResidentMb = ms.Max(m => m.PeakResidentMb), PeakManagedMb = ms.Max(m => m.PeakManagedMb) });
        }).ToList();
        var limit = results.Single(r => r.Name.StartsWith("limit", StringComparison.Ordinal)).M;

        Console.WriteLine();
        Console.WriteLine("| 用例 | 行数 | 用时 s | 输出 MB | MB/s | 行/s | 用时 / 纯 CSV | 峰值常驻内存 MB (VmHWM) | 峰值托管堆 MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, m) in results)
        {
            var mbs = m.Bytes > 0 ? (m.Bytes / 1e6 / m.Seconds).ToString("F1", CultureInfo.InvariantCulture) : "–";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {m.Rows:N0} | {m.Seconds:F2} | {(m.Bytes > 0 ? (m.Bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture) : "–")} | {mbs} | {m.Rows / m.Seconds:N0} | {m.Seconds / limit.Seconds:F2} | {m.PeakResidentMb:F0} | {m.PeakManagedMb:F0} |"));
        }
    }

    private sealed record Measurement(long Rows, double Seconds, long Bytes, double PeakResidentMb, double PeakManagedMb);

    private static async Task<Measurement> MeasureAsync(DatabaseSettings settings, TableLayout layout, string folder, string file,
        Func<IAsyncEnumerable<object?[]>, Stream, Task<long>> run, bool quiet, int? limitRows)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
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

        var path = file.Length == 0 ? null : Path.Combine(folder, file);
        var sw = Stopwatch.StartNew();
        long rows;
        await using (var connection = settings.CreateConnection())
        {
            await connection.OpenAsync();
            var source = TableRowReader.ReadAsync(connection, settings.Provider, layout);
            if (limitRows is { } max) source = Take(source, max);
            await using var output = path is null ? Stream.Null
                : new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            rows = await run(source, output);
        }
        sw.Stop();
        await stop.CancelAsync();
        await sampler;
        var bytes = path is null ? 0 : new FileInfo(path).Length;
        var m = new Measurement(rows, sw.Elapsed.TotalSeconds, bytes, PeakResidentMb(), peakManaged / 1024.0 / 1024.0);
        if (!quiet)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(file.Length == 0 ? "(source)" : file),-14} {m.Rows,10:N0} 行 {m.Seconds,7:F2} s {m.Bytes / 1e6,8:F1} MB  VmHWM {m.PeakResidentMb:F0} MB  托管堆峰值 {m.PeakManagedMb:F0} MB"));
        if (path is not null) File.Delete(path);
        return m;
    }

    private static async IAsyncEnumerable<object?[]> Take(IAsyncEnumerable<object?[]> source, int max)
    {
        var n = 0;
        await foreach (var row in source)
        {
            if (++n > max) yield break;
            yield return row;
        }
    }

    // The peer: the same rows as naive CSV — values' invariant ToString joined with ',' — through one StreamWriter.
    private static async Task<long> PlainCsvAsync(IAsyncEnumerable<object?[]> rows, Stream output)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteLineAsync(string.Join(',', Items.Select(i => i.Name)));
        long n = 0;
        await foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0) writer.Write(',');
                writer.Write(Convert.ToString(row[i], CultureInfo.InvariantCulture));
            }
            writer.Write("\r\n");
            n++;
            // StreamWriter's own 64 KiB buffer flushes synchronously into the file; allow an async point per buffer.
            if ((n & 1023) == 0) await writer.FlushAsync();
        }
        return n;
    }

    private static void ResetPeakResident()
    {
        // Linux: writing 5 to clear_refs resets the VmHWM high-water mark to the current resident size.
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static double PeakResidentMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { }
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
    }

    private static object?[] Generate(Random random, long i)
    {
        var surname = Surnames[random.Next(Surnames.Length)];
        return
        [
            "91370" + i.ToString("D13", CultureInfo.InvariantCulture),
            "山东" + Cities[random.Next(Cities.Length)][..2] + Trades[random.Next(Trades.Length)] + "有限公司第" + i.ToString(CultureInfo.InvariantCulture) + "分公司",
            Math.Round((decimal)random.NextDouble() * 10_000_000m, 2),
            new DateOnly(1990, 1, 1).AddDays(random.Next(12_000)),
            new DateTime(2015, 1, 1).AddSeconds(random.Next(300_000_000)),
            random.Next(10) > 0,
            (long)random.Next(1, 5_000),
            36 + random.NextDouble(),
            surname + Given[random.Next(Given.Length)],
            "山东省" + Cities[random.Next(Cities.Length)] + "经十路" + random.Next(1, 20_000).ToString(CultureInfo.InvariantCulture) + "号",
        ];
    }

    private static async Task FillAsync(DbConnection connection, DatabaseProvider provider, TableLayout layout, int count)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = layout.CreateTableSql(provider);
            await create.ExecuteNonQueryAsync();
        }
        var random = new Random(20261121);
        if (connection is NpgsqlConnection pg)
        {
            var columns = string.Join(", ", layout.Columns.Select(c => c.ColumnName));
            await using var import = await pg.BeginBinaryImportAsync($"COPY {layout.TableName} ({TableLayout.RowIdColumn}, {columns}) FROM STDIN (FORMAT BINARY)");
            for (long i = 1; i <= count; i++)
            {
                var row = Generate(random, i);
                await import.StartRowAsync();
                await import.WriteAsync(i, NpgsqlDbType.Bigint);
                await import.WriteAsync((string)row[0]!, NpgsqlDbType.Varchar);
                await import.WriteAsync((string)row[1]!, NpgsqlDbType.Varchar);
                await import.WriteAsync((decimal)row[2]!, NpgsqlDbType.Numeric);
                await import.WriteAsync((DateOnly)row[3]!, NpgsqlDbType.Date);
                await import.WriteAsync((DateTime)row[4]!, NpgsqlDbType.Timestamp);
                await import.WriteAsync((bool)row[5]!, NpgsqlDbType.Boolean);
                await import.WriteAsync((long)row[6]!, NpgsqlDbType.Bigint);
                await import.WriteAsync((double)row[7]!, NpgsqlDbType.Double);
                await import.WriteAsync((string)row[8]!, NpgsqlDbType.Varchar);
                await import.WriteAsync((string)row[9]!, NpgsqlDbType.Varchar);
            }
            await import.CompleteAsync();
            return;
        }
        await using var tx = await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO {layout.TableName} VALUES (@r, @p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)";
        var parameters = new[] { "r", "p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9" }.Select(n =>
        {
            var p = insert.CreateParameter();
            p.ParameterName = n;
            insert.Parameters.Add(p);
            return p;
        }).ToArray();
        for (long i = 1; i <= count; i++)
        {
            var row = Generate(random, i);
            parameters[0].Value = i;
            parameters[1].Value = row[0];
            parameters[2].Value = row[1];
            parameters[3].Value = row[2];
            parameters[4].Value = ((DateOnly)row[3]!).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            parameters[5].Value = ((DateTime)row[4]!).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            parameters[6].Value = (bool)row[5]! ? 1L : 0L;
            parameters[7].Value = row[6];
            parameters[8].Value = row[7];
            parameters[9].Value = row[8];
            parameters[10].Value = row[9];
            await insert.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    private static string SqliteVersion()
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        c.Open();
        return c.ServerVersion;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
