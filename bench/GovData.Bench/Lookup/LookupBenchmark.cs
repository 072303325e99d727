using System.Diagnostics;
using System.Globalization;
using System.Text;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Persistence;
using GovData.SharedKernel.Codes;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Regions;
using GovData.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Bench.Lookup;

/// <summary>
/// The in-process halves of the key-lookup benchmark (<c>bench/http/run-lookup.sh</c> drives them; the HTTP half is
/// <c>wrk</c>). Both read the platform's configuration from the environment like the host and the CLI
/// (<c>GOVDATA__CONNECTIONSTRING</c>, <c>GOVDATA__DATAFOLDER</c>).
/// <list type="bullet">
/// <item><c>lookup-file --code 102003/1 --rows 1000000 --out rows.csv --keys keys.txt [--every 10]</c>: reads the
/// resource's published information items from the real catalog and writes a CSV of valid rows for them (unique key,
/// GB 32100 / GB 11643 / GB/T 2260 codes where the items call for them, value-domain codes, typed values), plus every
/// <c>--every</c>-th key to the keys file. Prints <c>FIELD=</c> the key's API field name.</item>
/// <item><c>lookup-limit --code 102003/1 --keys keys.txt [--connections 16] [--seconds 30] [--warmup 5]</c>: the limit —
/// the same lookup straight on the database: one parameterised (prepared) <c>SELECT</c> of the row by the key column,
/// every value read, in a tight loop on <c>--connections</c> connections at once; requests/s, p50, p99. First prints the
/// plans (<c>EXPLAIN</c>) of that statement and of the two the API runs (page by key ordered by <c>_row</c>, and count).</item>
/// </list>
/// </summary>
internal static class LookupBenchmark
{
    public static async Task<int> FileAsync(string[] args)
    {
        var code = Text(args, "--code") ?? "102003/1";
        var rows = Number(args, "--rows", 1_000_000);
        var every = Math.Max(1, Number(args, "--every", 10));
        var output = Text(args, "--out") ?? throw new ArgumentException("--out 必填");
        var keysPath = Text(args, "--keys") ?? throw new ArgumentException("--keys 必填");
        await using var services = Services();
        CatalogResource resource;
        await using (var scope = services.CreateAsyncScope())
            resource = await scope.ServiceProvider.GetRequiredService<ICatalogResources>().FindAsync(ResourceCode.Parse(code))
                       ?? throw new InvalidOperationException($"目录中没有资源 {code}");
        if (resource.Status != EntryStatus.Published) throw new InvalidOperationException($"资源 {code} 未发布");
        var columns = resource.Items.Select((item, i) => DataColumn.From(item, i + 1)).ToArray();
        var converters = ColumnConverter.For(columns, ConversionOptions.Default);
        var keys = columns.Where(c => c.IsKey).ToList();
        if (keys.Count != 1) throw new InvalidOperationException($"资源 {code} 应恰有一个主键信息项（实有 {keys.Count} 个）");
        var key = keys[0];
        Console.WriteLine($"资源 {resource.Code}《{resource.Name}》：{string.Join("，", columns.Select(c => $"{c.ItemName}({c.FieldName}) {c.DataType}{(c.Length is { } l ? "," + l : "")}{(c.IsKey ? " 主键" : "")}"))}");

        var regions = RegionDirectory.Default.ChildrenOf("370000").SelectMany(p => RegionDirectory.Default.ChildrenOf(p.Code))
            .Where(r => r.Level == RegionLevel.County).Select(r => r.Code).ToArray();
        var random = new Random(20261123);
        var sw = Stopwatch.StartNew();
        await using (var writer = new StreamWriter(output, false, new UTF8Encoding(false), 1 << 20))
        await using (var keyWriter = new StreamWriter(keysPath, false, new UTF8Encoding(false)))
        {
            await writer.WriteAsync(string.Join(',', columns.Select(c => Csv(c.ItemName))) + "\r\n");
            var line = new StringBuilder(512);
            for (var i = 1; i <= rows; i++)
            {
                line.Clear();
                for (var c = 0; c < columns.Length; c++)
                {
                    var value = Value(converters[c], random, regions, i);
                    if (!converters[c].TryConvert(value, out _, out var problem))
                        throw new InvalidOperationException($"生成的值“{value}”不符合信息项“{columns[c].ItemName}”：{problem!.Message}");
                    if (c > 0) line.Append(',');
                    line.Append(Csv(value));
                    if (columns[c] == key && i % every == 0) await keyWriter.WriteLineAsync(value);
                }
                line.Append("\r\n");
                await writer.WriteAsync(line);
            }
        }
        Console.WriteLine($"生成 {output}：{rows:N0} 行，{new FileInfo(output).Length / 1e6:F1} MB，{sw.Elapsed.TotalSeconds:F1} 秒；键 {rows / every:N0} 个写入 {keysPath}");
        Console.WriteLine($"FIELD={key.FieldName}");
        return 0;
    }

    /// <summary>A valid raw text for a column, unique per row for the key column.</summary>
    private static string Value(ColumnConverter converter, Random random, string[] regions, int i)
    {
        var column = converter.Column;
        var inv = CultureInfo.InvariantCulture;
        switch (converter.Validator?.Rule)
        {
            case ValueRules.CreditCode:
                return CreditCode.Create('9', '1', regions[random.Next(regions.Length)], i.ToString("D8", inv)).Value;
            case ValueRules.IdCard:
            {
                var body = regions[random.Next(regions.Length)] + new DateOnly(1950, 1, 1).AddDays(random.Next(20_000)).ToString("yyyyMMdd", inv)
                                                             + (i % 1000).ToString("D3", inv);
                return body + IdNumberValidator.CheckCharacter(body);
            }
            case ValueRules.Region:
                return regions[random.Next(regions.Length)];
            case ValueRules.Phone:
                return "138" + random.Next(0, 100_000_000).ToString("D8", inv);
        }
        if (converter.ChecksDomain && converter.Domain.Entries.Count > 0)
        {
            var entry = converter.Domain.Entries[random.Next(converter.Domain.Entries.Count)];
            return entry.Code ?? entry.Label;
        }
        switch (column.Kind)
        {
            case ColumnKind.Decimal:
            {
                var scale = column.Precision ?? 2;
                var integerDigits = Math.Clamp((column.Length ?? 12) - scale, 1, 12);
                var max = (long)Math.Pow(10, integerDigits) - 1;
                var whole = random.NextInt64(0, Math.Min(max, 99_999_999) + 1);
                return scale == 0 ? whole.ToString(inv) : whole.ToString(inv) + "." + random.Next(0, (int)Math.Pow(10, Math.Min(scale, 6))).ToString("D" + Math.Min(scale, 6), inv);
            }
            case ColumnKind.Double: return Math.Round(random.NextDouble() * 1000, 4).ToString("R", inv);
            case ColumnKind.Integer: return random.Next(0, 100_000).ToString(inv);
            case ColumnKind.Date: return new DateOnly(1990, 1, 1).AddDays(random.Next(12_000)).ToString("yyyy-MM-dd", inv);
            case ColumnKind.Timestamp: return new DateTime(2015, 1, 1).AddSeconds(random.Next(340_000_000)).ToString("yyyy-MM-dd HH:mm:ss", inv);
            case ColumnKind.Boolean: return random.Next(2) == 0 ? "是" : "否";
        }
        var text = column.IsKey ? $"{column.ItemName}{i}" : $"{column.ItemName}{random.Next(1, 100_000)}";
        var max2 = converter.MaxLength ?? 200;
        if (text.Length > max2) text = column.IsKey ? i.ToString(inv) : text[..max2];
        return text;
    }

    private static string Csv(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    public static async Task<int> LimitAsync(string[] args)
    {
        var code = Text(args, "--code") ?? "102003/1";
        var keysPath = Text(args, "--keys") ?? throw new ArgumentException("--keys 必填");
        var connections = Math.Max(1, Number(args, "--connections", 16));
        var seconds = Math.Max(1, Number(args, "--seconds", 30));
        var warmup = Math.Max(0, Number(args, "--warmup", 5));
        var keys = await File.ReadAllLinesAsync(keysPath);
        await using var services = Services();
        var settings = services.GetRequiredService<DatabaseSettings>();
        TableLayout layout;
        long rowCount;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DataDb>();
            var text = ResourceCode.Parse(code).ToString();
            var resource = await db.Resources.AsNoTracking().FirstAsync(r => r.ResourceCode == text);
            var version = await db.Versions.AsNoTracking().FirstAsync(v => v.Id == resource.CurrentVersionId);
            layout = ColumnsJson.LayoutOf(version);
            rowCount = version.RowCount;
        }
        var key = layout.KeyColumns.Single();
        var select = string.Join(", ", layout.Columns.Select(c => c.ColumnName).Append(TableLayout.RowIdColumn));
        var sql = $"SELECT {select} FROM {layout.TableName} WHERE {key.ColumnName} = @k";
        Console.WriteLine($"表 {layout.TableName}：{rowCount:N0} 行，主键列 {key.ColumnName}（{key.FieldName}）；{keys.Length:N0} 个键；{connections} 个连接；预热 {warmup} 秒，测量 {seconds} 秒；负载 {Ingest.IngestBenchmark.LoadAverage()}");
        await ExplainAsync(settings, "极限（本命令）", sql, keys[0]);
        await ExplainAsync(settings, "API 的数据页", $"SELECT {select} FROM {layout.TableName} WHERE {key.ColumnName} = @k ORDER BY {TableLayout.RowIdColumn} ASC LIMIT 2", keys[0]);
        await ExplainAsync(settings, "API 的总数", $"SELECT count(*) FROM {layout.TableName} WHERE {key.ColumnName} = @k", keys[0]);

        if (warmup > 0) await RunAsync(settings, sql, keys, connections, TimeSpan.FromSeconds(warmup));
        var (requests, elapsed, latencies) = await RunAsync(settings, sql, keys, connections, TimeSpan.FromSeconds(seconds));
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LIMIT requests={requests} seconds={elapsed:F2} rps={requests / elapsed:F0} p50_ms={P(0.50):F3} p90_ms={P(0.90):F3} p99_ms={P(0.99):F3} max_ms={latencies[^1]:F3}"));
        return 0;
    }

    private static async Task<(long Requests, double Seconds, List<double> LatenciesMs)> RunAsync(
        DatabaseSettings settings, string sql, string[] keys, int connections, TimeSpan duration)
    {
        var start = new TaskCompletionSource();
        var sw = new Stopwatch();
        var stopAt = 0L;
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var random = new Random(w * 7919 + 1);
            var latencies = new List<double>(1 << 16);
            await using var connection = settings.CreateConnection();
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            var p = cmd.CreateParameter();
            p.ParameterName = "@k";
            p.Value = keys[0];
            cmd.Parameters.Add(p);
            await cmd.PrepareAsync();
            await start.Task;
            long done = 0;
            while (sw.ElapsedTicks < Volatile.Read(ref stopAt))
            {
                var t0 = Stopwatch.GetTimestamp();
                p.Value = keys[random.Next(keys.Length)];
                var found = 0;
                await using (var reader = await cmd.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        for (var i = 0; i < reader.FieldCount; i++) _ = reader.IsDBNull(i) ? null : reader.GetValue(i);
                        found++;
                    }
                }
                if (found != 1) throw new InvalidOperationException($"键 {p.Value} 查到 {found} 行");
                latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                done++;
            }
            return (done, latencies);
        })).ToList();
        await Task.Delay(200); // every connection open and prepared
        Volatile.Write(ref stopAt, (long)(duration.TotalSeconds * Stopwatch.Frequency));
        sw.Start();
        start.SetResult();
        var results = await Task.WhenAll(workers);
        sw.Stop();
        var all = new List<double>(results.Sum(r => r.latencies.Count));
        foreach (var r in results) all.AddRange(r.latencies);
        return (results.Sum(r => r.done), sw.Elapsed.TotalSeconds, all);
    }

    private static async Task ExplainAsync(DatabaseSettings settings, string label, string sql, string key)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = (settings.IsPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql;
        var p = cmd.CreateParameter();
        p.ParameterName = "@k";
        p.Value = key;
        cmd.Parameters.Add(p);
        var lines = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                lines.Add(settings.IsPostgres ? reader.GetString(0) : reader.GetString(reader.FieldCount - 1));
        Console.WriteLine($"计划（{label}）：{sql}");
        foreach (var l in lines) Console.WriteLine("    " + l);
    }

    private static ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddGovData(configuration, Directory.GetCurrentDirectory());
        return services.BuildServiceProvider();
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Number(string[] args, string name, int fallback) =>
        int.TryParse(Text(args, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
