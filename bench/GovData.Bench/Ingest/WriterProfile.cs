using System.Diagnostics;
using System.Globalization;
using GovData.Bench.Search;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Loading;
using GovData.SharedKernel.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace GovData.Bench.Ingest;

/// <summary>
/// Where the PostgreSQL write side of a load spends its time: the same converted rows written by binary COPY in
/// variants, with the client's CPU time beside the wall time (client CPU ≈ wall → the client is the bottleneck).
/// <para>Run: <c>dotnet run -c Release --project bench/GovData.Bench -- ingest-writers [--rows 500000]</c></para>
/// </summary>
internal static class WriterProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 1 && args[0] == "--rows" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500_000;
        var file = await IngestFile.EnsureAsync(Path.Combine(Path.GetTempPath(), "govdata-bench"), 200_000);
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

        var pg = await ThrowawayPostgres.StartAsync(fsync: true);
        try
        {
            var settings = new DatabaseSettings(pg.ConnectionString);
            Console.WriteLine($"{pg.Version}；{rows:N0} 行，负载 {IngestBenchmark.LoadAverage()}");
            for (var round = 0; round < 2; round++)
            {
                await TimeAsync($"RowWriter (platform), table with _row PK", settings, rows, async c =>
                {
                    await using var w = await RowWriter.OpenAsync(c, layout, DatabaseProvider.PostgreSql, create: true, temp: false, CancellationToken.None);
                    for (var i = 0; i < rows; i++) w.Write(i + 1, cached[i % cached.Count]);
                    await w.CompleteAsync(CancellationToken.None);
                }, layout.TableName);
                await TimeAsync("generic Write<T> without NpgsqlDbType, same table", settings, rows, async c =>
                {
                    await Exec(c, layout.CreateTableSql(DatabaseProvider.PostgreSql));
                    var columns = string.Join(", ", layout.Columns.Select(x => x.ColumnName).Prepend(TableLayout.RowIdColumn));
                    await using var imp = await c.BeginBinaryImportAsync($"COPY {layout.TableName} ({columns}) FROM STDIN (FORMAT BINARY)");
                    for (var i = 0; i < rows; i++)
                    {
                        var v = cached[i % cached.Count];
                        imp.StartRow();
                        imp.Write((long)(i + 1));
                        imp.Write((string)v[0]!);
                        imp.Write((string)v[1]!);
                        if (v[2] is DateOnly d) imp.Write(d); else imp.WriteNull();
                        if (v[3] is DateTime t) imp.Write(t); else imp.WriteNull();
                        if (v[4] is decimal m) imp.Write(m); else imp.WriteNull();
                        if (v[5] is long l) imp.Write(l); else imp.WriteNull();
                        if (v[6] is double f) imp.Write(f); else imp.WriteNull();
                        if (v[7] is bool b) imp.Write(b); else imp.WriteNull();
                        if (v[8] is string s8) imp.Write(s8); else imp.WriteNull();
                        if (v[9] is string s9) imp.Write(s9); else imp.WriteNull();
                    }
                    await imp.CompleteAsync();
                }, layout.TableName);
                await TimeAsync("RowWriter-style calls, table without PK", settings, rows, async c =>
                {
                    await Exec(c, layout.CreateTableSql(DatabaseProvider.PostgreSql).Replace(" NOT NULL PRIMARY KEY", "", StringComparison.Ordinal));
                    var columns = string.Join(", ", layout.Columns.Select(x => x.ColumnName).Prepend(TableLayout.RowIdColumn));
                    var types = layout.Columns.Select(PostgresRowWriter.TypeOf).ToArray();
                    await using var imp = await c.BeginBinaryImportAsync($"COPY {layout.TableName} ({columns}) FROM STDIN (FORMAT BINARY)");
                    for (var i = 0; i < rows; i++)
                    {
                        var v = cached[i % cached.Count];
                        imp.StartRow();
                        imp.Write((long)(i + 1), NpgsqlDbType.Bigint);
                        for (var k = 0; k < v.Length; k++)
                            if (v[k] is null) imp.WriteNull(); else imp.Write(v[k], types[k]);
                    }
                    await imp.CompleteAsync();
                }, layout.TableName);
                await TimeAsync("text columns only (every value as its string), no PK", settings, rows, async c =>
                {
                    await Exec(c, $"CREATE TABLE {layout.TableName} (_row bigint, {string.Join(", ", layout.Columns.Select(x => x.ColumnName + " text"))})");
                    var columns = string.Join(", ", layout.Columns.Select(x => x.ColumnName).Prepend(TableLayout.RowIdColumn));
                    var texts = cached.Select(v => v.Select(x => x is null ? null : Convert.ToString(x, CultureInfo.InvariantCulture)).ToArray()).ToList();
                    await using var imp = await c.BeginBinaryImportAsync($"COPY {layout.TableName} ({columns}) FROM STDIN (FORMAT BINARY)");
                    for (var i = 0; i < rows; i++)
                    {
                        var v = texts[i % texts.Count];
                        imp.StartRow();
                        imp.Write((long)(i + 1), NpgsqlDbType.Bigint);
                        for (var k = 0; k < v.Length; k++)
                            if (v[k] is null) imp.WriteNull(); else imp.Write(v[k]!, NpgsqlDbType.Text);
                    }
                    await imp.CompleteAsync();
                }, layout.TableName);
            }
        }
        finally
        {
            await pg.DisposeAsync();
        }
        return 0;
    }

    private static async Task TimeAsync(string name, DatabaseSettings settings, int rows, Func<NpgsqlConnection, Task> action, string table)
    {
        await using (var c = (NpgsqlConnection)settings.CreateConnection())
        {
            await c.OpenAsync();
            await Exec(c, "DROP TABLE IF EXISTS " + table);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            await action(c);
            sw.Stop();
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-60} {sw.Elapsed.TotalSeconds,6:F1} s  {rows / sw.Elapsed.TotalSeconds,9:N0} 行/s  客户端 CPU {used.TotalSeconds,5:F1} s  负载 {IngestBenchmark.LoadAverage()}"));
            await Exec(c, "DROP TABLE IF EXISTS " + table);
        }
    }

    private static async Task Exec(NpgsqlConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
