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
/// The write side of a load, before and after the changes made from this profile: the generated file's rows read and
/// converted, then written — PostgreSQL: binary COPY into the first DDL (inline <c>_row</c> primary key, text in the
/// database's collation) and its key index, against the platform's RowWriter (table without the primary key during the
/// COPY, key added after it, text <c>COLLATE "C"</c>) and its key index; each step with wall time, the client's CPU and
/// the cluster's CPU. SQLite (<c>--sqlite</c>): the RowWriter into <c>_row bigint PRIMARY KEY</c> (rowid plus a unique
/// index) against <c>_row INTEGER PRIMARY KEY</c> (the rowid), wall and CPU.
/// <para>Run: <c>dotnet run -c Release --project bench/GovData.Bench -- ingest-writers [--rows 1000000] [--sqlite]</c></para>
/// </summary>
internal static class WriterProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        var i0 = Array.IndexOf(args, "--rows");
        var rows = i0 >= 0 ? int.Parse(args[i0 + 1], CultureInfo.InvariantCulture) : 1_000_000;
        var file = await IngestFile.EnsureAsync(Path.Combine(Path.GetTempPath(), "govdata-bench"), rows);
        var layout = TableLayout.For(Guid.CreateVersion7(), 1, IngestFile.Items);
        if (args.Contains("--sqlite")) return await SqliteAsync(file, layout, rows);
        var columns = string.Join(", ", layout.Columns.Select(x => x.ColumnName).Prepend(TableLayout.RowIdColumn));
        var pg = await ThrowawayPostgres.StartAsync(fsync: true);
        try
        {
            var postmaster = int.Parse(File.ReadLines(Path.Combine(pg.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            _server = CpuSampler.Cluster(postmaster);
            var settings = new DatabaseSettings(pg.ConnectionString);
            Console.WriteLine($"{pg.Version}；{rows:N0} 行（{file}），负载 {IngestBenchmark.LoadAverage()}");
            // "before": the DDL of the first Data module version — inline _row primary key, text in the database's collation.
            var before = layout.CreateTableSql(DatabaseProvider.PostgreSql).Replace(" COLLATE \"C\"", "", StringComparison.Ordinal);
            for (var round = 0; round < 2; round++)
            {
                await TimeAsync("before 1: binary COPY into the table with inline _row PK, default collation", settings, async c =>
                {
                    await Exec(c, before);
                    var types = layout.Columns.Select(PostgresRowWriter.TypeOf).ToArray();
                    await using var imp = await c.BeginBinaryImportAsync($"COPY {layout.TableName} ({columns}) FROM STDIN (FORMAT BINARY)");
                    await ForEachRowAsync(file, layout, (i, v) =>
                    {
                        imp.StartRow();
                        imp.Write(i, NpgsqlDbType.Bigint);
                        for (var k = 0; k < v.Length; k++)
                            if (v[k] is null) imp.WriteNull(); else imp.Write(v[k], types[k]);
                    });
                    await imp.CompleteAsync();
                }, layout.TableName, drop: false);
                await TimeAsync("before 2:   CREATE UNIQUE INDEX on the key (default collation)", settings,
                    c => RowTables.TryCreateKeyIndexAsync(c, layout, CancellationToken.None), layout.TableName, drop: true);

                await TimeAsync("platform 1: RowWriter (COPY without PK, then ADD PRIMARY KEY; text COLLATE \"C\")", settings, async c =>
                {
                    await using var w = await RowWriter.OpenAsync(c, layout, DatabaseProvider.PostgreSql, create: true, temp: false, CancellationToken.None);
                    await ForEachRowAsync(file, layout, (i, v) => w.Write(i, v));
                    await w.CompleteAsync(CancellationToken.None);
                }, layout.TableName, drop: false);
                await TimeAsync("platform 2:   CREATE UNIQUE INDEX on the key (COLLATE \"C\" column)", settings,
                    c => RowTables.TryCreateKeyIndexAsync(c, layout, CancellationToken.None), layout.TableName, drop: true);
            }
        }
        finally
        {
            await pg.DisposeAsync();
        }
        return 0;
    }

    private static Func<int, int, string, bool> _server = (_, _, _) => false;

    /// <summary>SQLite: the platform's RowWriter into the table as created, and into the same table with <c>_row</c> as the rowid.</summary>
    private static async Task<int> SqliteAsync(string file, TableLayout layout, int rows)
    {
        var folder = Path.Combine("/tmp", "govdata-bench-writers-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            Console.WriteLine($"SQLite；{rows:N0} 行（{file}），负载 {IngestBenchmark.LoadAverage()}");
            for (var round = 0; round < 2; round++)
            {
                foreach (var (name, ddl) in new[]
                {
                    ("before: _row bigint PRIMARY KEY (rowid + a unique index)", layout.CreateTableSql(DatabaseProvider.Sqlite).Replace("_row INTEGER NOT NULL PRIMARY KEY", "_row bigint NOT NULL PRIMARY KEY", StringComparison.Ordinal)),
                    ("platform: _row INTEGER PRIMARY KEY (the rowid itself)", layout.CreateTableSql(DatabaseProvider.Sqlite)),
                })
                {
                    var db = Path.Combine(folder, $"w{round}-{name.Length}.db");
                    var settings = new DatabaseSettings($"Data Source={db}");
                    await using var c = (Microsoft.Data.Sqlite.SqliteConnection)settings.CreateConnection();
                    await c.OpenAsync();
                    await using (var cmd = c.CreateCommand()) { cmd.CommandText = "PRAGMA journal_mode=WAL; " + ddl; await cmd.ExecuteNonQueryAsync(); }
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    await using (var w = await RowWriter.OpenAsync(c, layout, DatabaseProvider.Sqlite, create: false, temp: false, CancellationToken.None))
                    {
                        var last = Stopwatch.StartNew();
                        await ForEachRowAsync(file, layout, (i, v) =>
                        {
                            w.Write(i, v);
                            if (last.ElapsedMilliseconds >= 1000) { w.Checkpoint(CancellationToken.None).GetAwaiter().GetResult(); last.Restart(); }
                        });
                        await w.CompleteAsync(CancellationToken.None);
                    }
                    var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                    Print(name, sw, used, db);
                }
                {
                    var db = Path.Combine(folder, $"w{round}-raw.db");
                    var settings = new DatabaseSettings($"Data Source={db}");
                    await using var c = (Microsoft.Data.Sqlite.SqliteConnection)settings.CreateConnection();
                    await c.OpenAsync();
                    await using (var cmd = c.CreateCommand()) { cmd.CommandText = "PRAGMA journal_mode=WAL; " + layout.CreateTableSql(DatabaseProvider.Sqlite); await cmd.ExecuteNonQueryAsync(); }
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    var names = layout.Columns.Select(x => x.ColumnName).Prepend(TableLayout.RowIdColumn).ToList();
                    var sql = $"INSERT INTO {layout.TableName} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select((_, k) => "?" + (k + 1).ToString(CultureInfo.InvariantCulture)))})";
                    SQLitePCL.raw.sqlite3_prepare_v2(c.Handle, sql, out var stmt).ShouldBeOk(c);
                    var kinds = layout.Columns.Select(x => x.Kind).ToArray();
                    var tx = c.BeginTransaction();
                    var last = Stopwatch.StartNew();
                    var buffer = new char[64];
                    await ForEachRowAsync(file, layout, (i, v) =>
                    {
                        SQLitePCL.raw.sqlite3_bind_int64(stmt, 1, i);
                        for (var k = 0; k < v.Length; k++)
                        {
                            var p = k + 2;
                            switch (v[k])
                            {
                                case null: SQLitePCL.raw.sqlite3_bind_null(stmt, p); break;
                                case string t: SQLitePCL.raw.sqlite3_bind_text16(stmt, p, t.AsSpan()); break;
                                case long l: SQLitePCL.raw.sqlite3_bind_int64(stmt, p, l); break;
                                case bool b: SQLitePCL.raw.sqlite3_bind_int64(stmt, p, b ? 1 : 0); break;
                                case double d: SQLitePCL.raw.sqlite3_bind_double(stmt, p, d); break;
                                case decimal m: m.TryFormat(buffer, out var n1, default, CultureInfo.InvariantCulture); SQLitePCL.raw.sqlite3_bind_text16(stmt, p, buffer.AsSpan(0, n1)); break;
                                case DateOnly d: d.TryFormat(buffer, out var n2, "yyyy-MM-dd", CultureInfo.InvariantCulture); SQLitePCL.raw.sqlite3_bind_text16(stmt, p, buffer.AsSpan(0, n2)); break;
                                case DateTime t: t.TryFormat(buffer, out var n3, "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture); SQLitePCL.raw.sqlite3_bind_text16(stmt, p, buffer.AsSpan(0, n3)); break;
                            }
                        }
                        if (SQLitePCL.raw.sqlite3_step(stmt) != SQLitePCL.raw.SQLITE_DONE) throw new InvalidOperationException(SQLitePCL.raw.sqlite3_errmsg(c.Handle).utf8_to_string());
                        SQLitePCL.raw.sqlite3_reset(stmt);
                        if (last.ElapsedMilliseconds >= 1000) { tx.Commit(); tx.Dispose(); tx = c.BeginTransaction(); last.Restart(); }
                    });
                    tx.Commit();
                    tx.Dispose();
                    stmt.Dispose();
                    Print("raw SQLitePCL binding (by index, text16 spans, no per-value strings)", sw, Process.GetCurrentProcess().TotalProcessorTime - cpu, db);
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }

    private static void ShouldBeOk(this int rc, Microsoft.Data.Sqlite.SqliteConnection c)
    {
        if (rc != SQLitePCL.raw.SQLITE_OK) throw new InvalidOperationException(SQLitePCL.raw.sqlite3_errmsg(c.Handle).utf8_to_string());
    }

    private static void Print(string name, Stopwatch sw, TimeSpan used, string db) =>
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {name,-70} {sw.Elapsed.TotalSeconds,6:F1} s  CPU {used.TotalSeconds,5:F1} s  文件 {new FileInfo(db).Length / 1e6 + (File.Exists(db + "-wal") ? new FileInfo(db + "-wal").Length / 1e6 : 0),7:F0} MB  负载 {IngestBenchmark.LoadAverage()}"));

    private static async Task ForEachRowAsync(string file, TableLayout layout, Action<long, object?[]> write)
    {
        var values = new object?[layout.Columns.Count];
        var failures = new List<ValueFailure>();
        long i = 0;
        await using var bound = await BoundSource.OpenAsync(file, layout.Columns, new SourceOptions(), ConversionOptions.Default, null);
        await foreach (var r in bound.ReadRecordsAsync())
        {
            failures.Clear();
            Array.Clear(values);
            if (r.Problem is null && bound.Convert(r, values, failures)) write(++i, values);
        }
    }

    private static async Task TimeAsync(string name, DatabaseSettings settings, Func<NpgsqlConnection, Task> action, string table, bool drop)
    {
        await using var c = (NpgsqlConnection)settings.CreateConnection();
        await c.OpenAsync();
        var server = new CpuSampler(_server);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await action(c);
        sw.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await server.DisposeAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-75} {sw.Elapsed.TotalSeconds,6:F1} s  客户端 CPU {used.TotalSeconds,5:F1} s  服务器 CPU {server.Seconds,5:F1} s  负载 {IngestBenchmark.LoadAverage()}"));
        if (drop) await Exec(c, "DROP TABLE IF EXISTS " + table);
    }

    private static async Task Exec(NpgsqlConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
