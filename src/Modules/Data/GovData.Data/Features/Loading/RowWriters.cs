using System.Data.Common;
using System.Globalization;
using GovData.Data.Domain;
using GovData.SharedKernel.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace GovData.Data.Features.Loading;

/// <summary>
/// Bulk writer of typed rows into a row or staging table. <see cref="Checkpoint"/> is called about once a second (before
/// progress is written): the SQLite writer commits its batch there, so the single database writer lock is held for at
/// most about a second at a time and the progress update (another connection) never waits for the load.
/// </summary>
internal abstract class RowWriter : IAsyncDisposable
{
    /// <summary>Writes one row; <paramref name="row"/> is the <c>_row</c> value, <paramref name="values"/> follow the layout.</summary>
    public abstract void Write(long row, object?[] values);

    /// <summary>Makes the rows written so far durable where the engine needs it (SQLite batch commit).</summary>
    public abstract Task Checkpoint(CancellationToken ct);

    /// <summary>Finishes the write (PostgreSQL: completes COPY and commits).</summary>
    public abstract Task CompleteAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    /// <summary>Opens a writer into <paramref name="layout"/>'s table; <paramref name="create"/> creates the table first (PostgreSQL: in the COPY's transaction).</summary>
    public static async Task<RowWriter> OpenAsync(DbConnection connection, TableLayout layout, DatabaseProvider provider, bool create, bool temp, CancellationToken ct)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            var w = new PostgresRowWriter((NpgsqlConnection)connection, layout);
            await w.StartAsync(create, temp, ct);
            return w;
        }
        if (create)
        {
            if (temp) await RowTables.CreateStageAsync(connection, layout, provider, ct);
            else await RowTables.CreateAsync(connection, layout, provider, ct);
        }
        return new SqliteRowWriter((SqliteConnection)connection, layout, temp);
    }
}

/// <summary>
/// PostgreSQL: binary COPY (<see cref="NpgsqlBinaryImporter"/>) with the column types of the layout. A new version's table
/// is created in the same transaction as its COPY, so a crash or cancellation leaves no table behind; a table the writer
/// creates gets its <c>_row</c> primary key when the COPY is complete, in that same transaction.
/// </summary>
internal sealed class PostgresRowWriter(NpgsqlConnection connection, TableLayout layout) : RowWriter
{
    private NpgsqlTransaction? _tx;
    private NpgsqlBinaryImporter? _importer;
    private bool _addKey;
    private readonly NpgsqlDbType[] _types = layout.Columns.Select(TypeOf).ToArray();
    private readonly ColumnKind[] _kinds = layout.Columns.Select(c => c.Kind).ToArray();

    public async Task StartAsync(bool create, bool temp, CancellationToken ct)
    {
        if (!temp) _tx = await connection.BeginTransactionAsync(ct);
        if (create)
        {
            // A new table gets its primary key after the COPY: one index build instead of an insert per row.
            _addKey = !temp;
            var sql = layout.CreateTableSql(DatabaseProvider.PostgreSql, primaryKey: temp);
            if (temp) sql = "CREATE TEMP TABLE" + sql["CREATE TABLE".Length..];
            await RowTables.ExecuteAsync(connection, sql, ct, _tx);
        }
        var columns = string.Join(", ", layout.Columns.Select(c => c.ColumnName).Prepend(TableLayout.RowIdColumn));
        _importer = await connection.BeginBinaryImportAsync($"COPY {layout.TableName} ({columns}) FROM STDIN (FORMAT BINARY)", ct);
    }

    public static NpgsqlDbType TypeOf(DataColumn column) => column.Kind switch
    {
        ColumnKind.Text => NpgsqlDbType.Text,
        ColumnKind.Decimal => NpgsqlDbType.Numeric,
        ColumnKind.Double => NpgsqlDbType.Double,
        ColumnKind.Integer => NpgsqlDbType.Bigint,
        ColumnKind.Date => NpgsqlDbType.Date,
        ColumnKind.Timestamp => NpgsqlDbType.Timestamp,
        ColumnKind.Boolean => NpgsqlDbType.Boolean,
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    public override void Write(long row, object?[] values)
    {
        var importer = _importer!;
        importer.StartRow();
        importer.Write(row, NpgsqlDbType.Bigint);
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (v is null) { importer.WriteNull(); continue; }
            switch (_kinds[i])
            {
                case ColumnKind.Text: importer.Write((string)v, _types[i]); break;
                case ColumnKind.Decimal: importer.Write(System.Convert.ToDecimal(v, CultureInfo.InvariantCulture), NpgsqlDbType.Numeric); break;
                case ColumnKind.Double: importer.Write(System.Convert.ToDouble(v, CultureInfo.InvariantCulture), NpgsqlDbType.Double); break;
                case ColumnKind.Integer: importer.Write(System.Convert.ToInt64(v, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint); break;
                case ColumnKind.Date: importer.Write(v is DateTime d ? DateOnly.FromDateTime(d) : (DateOnly)v, NpgsqlDbType.Date); break;
                case ColumnKind.Timestamp: importer.Write(DateTime.SpecifyKind((DateTime)v, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp); break;
                case ColumnKind.Boolean: importer.Write((bool)v, NpgsqlDbType.Boolean); break;
                default: throw new InvalidOperationException("未知的列类型");
            }
        }
    }

    public override Task Checkpoint(CancellationToken ct) => Task.CompletedTask;

    public override async Task CompleteAsync(CancellationToken ct)
    {
        await _importer!.CompleteAsync(ct);
        await _importer.DisposeAsync();
        _importer = null;
        if (_addKey) await RowTables.ExecuteAsync(connection, layout.AddPrimaryKeySql(), ct, _tx);
        if (_tx is not null)
        {
            await _tx.CommitAsync(ct);
            await _tx.DisposeAsync();
            _tx = null;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        // Without CompleteAsync the COPY is cancelled and the transaction (with the new table) rolled back.
        if (_importer is not null)
        {
            try { await _importer.DisposeAsync(); }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException) { }
        }
        if (_tx is not null)
        {
            try { await _tx.RollbackAsync(); }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException) { }
            await _tx.DisposeAsync();
        }
    }
}

/// <summary>
/// SQLite: one prepared INSERT, bound by position through SQLitePCL (the library under Microsoft.Data.Sqlite) for every
/// row — text as UTF-16 spans, dates, timestamps and decimals formatted into one reused buffer — inside a transaction per
/// checkpoint (about a second of rows). Going around <see cref="SqliteCommand"/> saves its per-execution work (a data
/// reader, parameter lookup by name, a UTF-8 copy and a formatted string per value), about a quarter of a load's CPU.
/// Staging tables live in the connection's <c>temp</c> schema: their transactions are deferred and never take the main
/// database's write lock.
/// </summary>
internal sealed class SqliteRowWriter : RowWriter
{
    private readonly SqliteConnection _connection;
    private readonly bool _temp;
    private readonly sqlite3_stmt _insert;
    private readonly ColumnKind[] _kinds;
    private readonly char[] _buffer = new char[64];
    private SqliteTransaction? _tx;

    public SqliteRowWriter(SqliteConnection connection, TableLayout layout, bool temp)
    {
        _connection = connection;
        _temp = temp;
        _kinds = layout.Columns.Select(c => c.Kind).ToArray();
        var names = layout.Columns.Select(c => c.ColumnName).Prepend(TableLayout.RowIdColumn).ToList();
        var sql = $"INSERT INTO {layout.TableName} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select((_, i) => "?" + (i + 1).ToString(CultureInfo.InvariantCulture)))})";
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out _insert);
        if (rc != raw.SQLITE_OK)
        {
            _insert.Dispose();
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
    }

    public override void Write(long row, object?[] values)
    {
        _tx ??= _connection.BeginTransaction(deferred: _temp);
        raw.sqlite3_bind_int64(_insert, 1, row);
        for (var i = 0; i < values.Length; i++) Bind(i + 2, _kinds[i], values[i]);
        var rc = raw.sqlite3_step(_insert);
        raw.sqlite3_reset(_insert);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
    }

    /// <summary>Binds a CLR value in its SQLite storage form (see <see cref="TableLayout"/>).</summary>
    private void Bind(int index, ColumnKind kind, object? value)
    {
        var inv = CultureInfo.InvariantCulture;
        int n;
        switch (value)
        {
            case null: raw.sqlite3_bind_null(_insert, index); break;
            case string s: raw.sqlite3_bind_text16(_insert, index, s.AsSpan()); break;
            case long l: raw.sqlite3_bind_int64(_insert, index, l); break;
            case double d: raw.sqlite3_bind_double(_insert, index, d); break;
            case bool b: raw.sqlite3_bind_int64(_insert, index, b ? 1 : 0); break;
            case decimal m:
                m.TryFormat(_buffer, out n, default, inv);
                raw.sqlite3_bind_text16(_insert, index, _buffer.AsSpan(0, n));
                break;
            case DateOnly d:
                d.TryFormat(_buffer, out n, "yyyy-MM-dd", inv);
                raw.sqlite3_bind_text16(_insert, index, _buffer.AsSpan(0, n));
                break;
            case DateTime t:
                t.TryFormat(_buffer, out n, kind == ColumnKind.Date ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", inv);
                raw.sqlite3_bind_text16(_insert, index, _buffer.AsSpan(0, n));
                break;
            case int or short or byte: raw.sqlite3_bind_int64(_insert, index, System.Convert.ToInt64(value, inv)); break;
            default: throw new InvalidOperationException($"列值类型 {value.GetType().Name} 不能写入数据表");
        }
    }

    public override Task Checkpoint(CancellationToken ct)
    {
        if (_tx is not null)
        {
            _tx.Commit();
            _tx.Dispose();
            _tx = null;
        }
        return Task.CompletedTask;
    }

    public override Task CompleteAsync(CancellationToken ct) => Checkpoint(ct);

    public override ValueTask DisposeAsync()
    {
        _insert.Dispose();
        if (_tx is not null)
        {
            try { _tx.Rollback(); }
            catch (SqliteException) { }
            _tx.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Runs a <see cref="RowWriter"/> on its own task, fed through a bounded channel of row batches, so reading and validating
/// (the caller) overlap with writing (this task and, on PostgreSQL, the server process). Memory stays bounded
/// (<see cref="Capacity"/> batches of <see cref="BatchSize"/> rows). A checkpoint waits until everything sent before it
/// is written and <see cref="RowWriter.Checkpoint"/> ran (SQLite: the batch transaction is committed before progress is
/// written on another connection). A writer failure surfaces as its own exception at the caller's next call.
/// </summary>
internal sealed class WritePipe : IAsyncDisposable
{
    public const int BatchSize = 512;
    public const int Capacity = 16;

    private readonly RowWriter _writer;
    private readonly System.Threading.Channels.Channel<Batch> _channel = System.Threading.Channels.Channel.CreateBounded<Batch>(
        new System.Threading.Channels.BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _outer;
    private readonly Task _consumer;
    private Batch _current;
    private bool _completed;

    public WritePipe(RowWriter writer, CancellationToken ct)
    {
        _writer = writer;
        _outer = ct;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _current = new Batch(BatchSize);
        _consumer = Task.Run(ConsumeAsync, CancellationToken.None);
    }

    /// <summary>Queues a row; <paramref name="values"/> is copied.</summary>
    public async ValueTask AddAsync(long row, object?[] values)
    {
        _current.Add(row, (object?[])values.Clone());
        if (_current.Count == BatchSize) await SendAsync(new Batch(BatchSize));
    }

    /// <summary>Waits until every row queued so far is written and the writer's checkpoint ran.</summary>
    public async Task CheckpointAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _current.Checkpoint = done;
        await SendAsync(new Batch(BatchSize));
        try
        {
            await done.Task.WaitAsync(_stop.Token);
        }
        catch (OperationCanceledException) when (!_outer.IsCancellationRequested)
        {
            await _consumer;   // stopped by the writer's failure: rethrows the writer's exception
            throw;
        }
    }

    /// <summary>Writes the rest and waits for the writer task.</summary>
    public async Task CompleteAsync()
    {
        if (_current.Count > 0) await SendAsync(new Batch(BatchSize));
        _channel.Writer.TryComplete();
        _completed = true;
        await _consumer;
    }

    private async ValueTask SendAsync(Batch next)
    {
        var batch = _current;
        _current = next;
        try
        {
            await _channel.Writer.WriteAsync(batch, _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException && !_outer.IsCancellationRequested)
        {
            await _consumer;   // stopped by the writer's failure: rethrows the writer's exception
            throw;
        }
    }

    private async Task ConsumeAsync()
    {
        try
        {
            await foreach (var batch in _channel.Reader.ReadAllAsync(_stop.Token))
            {
                for (var i = 0; i < batch.Count; i++) _writer.Write(batch.Rows[i], batch.Values[i]);
                if (batch.Checkpoint is { } done)
                {
                    await _writer.Checkpoint(_stop.Token);
                    done.TrySetResult();
                }
            }
        }
        catch (Exception)
        {
            await _stop.CancelAsync();   // unblocks the caller waiting on a full channel or a checkpoint
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            _channel.Writer.TryComplete();
            await _stop.CancelAsync();
            try { await _consumer; }
            catch (Exception) { /* the caller is already failing; the writer is disposed next */ }
        }
        _stop.Dispose();
    }

    private sealed class Batch(int size)
    {
        public readonly long[] Rows = new long[size];
        public readonly object?[][] Values = new object?[size][];
        public int Count;
        public TaskCompletionSource? Checkpoint;

        public void Add(long row, object?[] values)
        {
            Rows[Count] = row;
            Values[Count] = values;
            Count++;
        }
    }
}
