using System.Data.Common;
using System.Globalization;
using System.Text;
using GovData.Data.Domain;
using GovData.SharedKernel.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GovData.Data.Features.Loading;

/// <summary>
/// DDL and set operations on the generated row tables (<c>data_rows_*</c>) and load staging tables. Every identifier
/// comes from a <see cref="TableLayout"/> (generated names only); values travel as parameters.
/// </summary>
internal static class RowTables
{
    /// <summary>Creates a version's table.</summary>
    public static Task CreateAsync(DbConnection connection, TableLayout layout, DatabaseProvider provider, CancellationToken ct, DbTransaction? tx = null) =>
        ExecuteAsync(connection, layout.CreateTableSql(provider), ct, tx);

    /// <summary>
    /// A session-local staging table for an incremental load (PostgreSQL <c>TEMP</c>; SQLite <c>temp</c> schema, whose writes do
    /// not take the main database's write lock). Same columns as the target; <c>_row</c> is the staging order.
    /// </summary>
    public static TableLayout StageLayout(TableLayout target, Guid loadId) => new("data_stage_" + loadId.ToString("N")[..16], target.Columns);

    public static Task CreateStageAsync(DbConnection connection, TableLayout stage, DatabaseProvider provider, CancellationToken ct) =>
        ExecuteAsync(connection, "CREATE TEMP TABLE" + stage.CreateTableSql(provider)["CREATE TABLE".Length..], ct);

    /// <summary>
    /// Drops a table if it exists. On PostgreSQL a reader still holding the table makes DROP wait; it waits at most
    /// <paramref name="lockTimeout"/> and then fails (false), so the caller can retry later instead of hanging.
    /// </summary>
    public static async Task<bool> DropAsync(DbConnection connection, string tableName, DatabaseProvider provider, CancellationToken ct, TimeSpan? lockTimeout = null)
    {
        EnsureGenerated(tableName);
        try
        {
            if (provider == DatabaseProvider.PostgreSql)
            {
                var ms = (int)(lockTimeout ?? TimeSpan.FromSeconds(10)).TotalMilliseconds;
                await ExecuteAsync(connection, $"SET lock_timeout = {ms.ToString(CultureInfo.InvariantCulture)}", ct);
                try { await ExecuteAsync(connection, "DROP TABLE IF EXISTS " + tableName, ct); }
                finally { await ExecuteAsync(connection, "SET lock_timeout = 0", CancellationToken.None); }
            }
            else await ExecuteAsync(connection, "DROP TABLE IF EXISTS " + tableName, ct);
            return true;
        }
        catch (NpgsqlException ex) when (ex is PostgresException { SqlState: "55P03" })
        {
            return false;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            return false;
        }
    }

    /// <summary>True when the table exists (main schema).</summary>
    public static async Task<bool> ExistsAsync(DbConnection connection, string tableName, DatabaseProvider provider, CancellationToken ct, DbTransaction? tx = null)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = provider == DatabaseProvider.PostgreSql
            ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @n"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @n";
        AddParameter(cmd, "@n", tableName);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Names of the existing version tables (<c>data_rows_*</c>).</summary>
    public static async Task<HashSet<string>> ListRowTablesAsync(DbConnection connection, DatabaseProvider provider, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = provider == DatabaseProvider.PostgreSql
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'data\\_rows\\_%'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'data\\_rows\\_%' ESCAPE '\\'";
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>Row count.</summary>
    public static async Task<long> CountAsync(DbConnection connection, string tableName, CancellationToken ct, DbTransaction? tx = null)
    {
        EnsureGenerated(tableName);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT count(*) FROM " + tableName;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>Name of the unique index on a table's key columns.</summary>
    public static string KeyIndexName(string tableName) => "ux_" + tableName + "_key";

    /// <summary>
    /// Creates the unique index on the key columns; false when existing rows have duplicate keys (nothing created).
    /// </summary>
    public static async Task<bool> TryCreateKeyIndexAsync(DbConnection connection, TableLayout layout, CancellationToken ct)
    {
        var keys = layout.KeyColumns;
        if (keys.Count == 0) return true;
        try
        {
            await ExecuteAsync(connection, $"CREATE UNIQUE INDEX {KeyIndexName(layout.TableName)} ON {layout.TableName} ({string.Join(", ", keys.Select(k => k.ColumnName))})", ct);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            return false;
        }
    }

    /// <summary>
    /// Rows whose key repeats the key of an earlier row (by <c>_row</c>): (row, first row with that key), in row order.
    /// </summary>
    public static async Task<List<(long Row, long First)>> FindDuplicateKeysAsync(DbConnection connection, TableLayout layout, CancellationToken ct)
    {
        var keys = string.Join(", ", layout.KeyColumns.Select(k => k.ColumnName));
        var result = new List<(long, long)>();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT d._row, d.first_row FROM (
                SELECT {TableLayout.RowIdColumn} AS _row, min({TableLayout.RowIdColumn}) OVER (PARTITION BY {keys}) AS first_row FROM {layout.TableName}
            ) d WHERE d._row <> d.first_row ORDER BY d._row
            """;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result.Add((reader.GetInt64(0), reader.GetInt64(1)));
        return result;
    }

    /// <summary>Staged rows whose key already exists in the target table (append mode): (staged row, target row).</summary>
    public static async Task<List<(long Row, long Existing)>> FindExistingKeysAsync(DbConnection connection, TableLayout stage, TableLayout target, CancellationToken ct)
    {
        // Text columns of tables created before text became COLLATE "C" (PostgreSQL) carry the database's default collation:
        // comparing one with a staged "C" column needs an explicit collation (equality is the same under both).
        var pg = connection is NpgsqlConnection;
        var on = string.Join(" AND ", target.KeyColumns.Select(k => pg && k.Kind == ColumnKind.Text
            ? $"t.{k.ColumnName} COLLATE \"C\" = s.{k.ColumnName} COLLATE \"C\""
            : $"t.{k.ColumnName} = s.{k.ColumnName}"));
        var result = new List<(long, long)>();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT s._row, t._row FROM {stage.TableName} s JOIN {target.TableName} t ON {on} ORDER BY s._row";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result.Add((reader.GetInt64(0), reader.GetInt64(1)));
        return result;
    }

    /// <summary>Reads rows by <c>_row</c> (values in layout order, as the driver returns them).</summary>
    public static async Task<Dictionary<long, object?[]>> ReadRowsAsync(DbConnection connection, TableLayout layout, IReadOnlyList<long> rows, CancellationToken ct)
    {
        var result = new Dictionary<long, object?[]>();
        foreach (var chunk in rows.Chunk(500))
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT {TableLayout.RowIdColumn}, {string.Join(", ", layout.Columns.Select(c => c.ColumnName))} FROM {layout.TableName} WHERE {TableLayout.RowIdColumn} IN ({string.Join(", ", chunk.Select(r => r.ToString(CultureInfo.InvariantCulture)))})";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var values = new object?[layout.Columns.Count];
                for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i + 1) ? null : reader.GetValue(i + 1);
                result[reader.GetInt64(0)] = values;
            }
        }
        return result;
    }

    /// <summary>Deletes rows by <c>_row</c>.</summary>
    public static async Task DeleteRowsAsync(DbConnection connection, string tableName, IReadOnlyList<long> rows, CancellationToken ct)
    {
        EnsureGenerated(tableName);
        foreach (var chunk in rows.Chunk(500))
            await ExecuteAsync(connection, $"DELETE FROM {tableName} WHERE {TableLayout.RowIdColumn} IN ({string.Join(", ", chunk.Select(r => r.ToString(CultureInfo.InvariantCulture)))})", ct);
    }

    /// <summary>
    /// Moves the staged rows into the target in the caller's transaction: append → new <c>_row</c>s after the last one;
    /// upsert → new keys appended, existing keys' values replaced in place (their <c>_row</c> kept). Returns the rows written.
    /// </summary>
    public static async Task<long> ApplyStageAsync(DbConnection connection, DbTransaction tx, TableLayout stage, TableLayout target, bool upsert, CancellationToken ct)
    {
        var columns = string.Join(", ", target.Columns.Select(c => c.ColumnName));
        var sql = new StringBuilder();
        sql.Append("INSERT INTO ").Append(target.TableName).Append(" (").Append(TableLayout.RowIdColumn).Append(", ").Append(columns).Append(") ")
            .Append("SELECT (SELECT coalesce(max(").Append(TableLayout.RowIdColumn).Append("), 0) FROM ").Append(target.TableName).Append(") + s.")
            .Append(TableLayout.RowIdColumn).Append(", ").Append(string.Join(", ", target.Columns.Select(c => "s." + c.ColumnName)))
            .Append(" FROM ").Append(stage.TableName).Append(" s WHERE true");
        if (upsert)
        {
            sql.Append(" ON CONFLICT (").Append(string.Join(", ", target.KeyColumns.Select(k => k.ColumnName))).Append(") DO ");
            var updates = target.Columns.Where(c => !c.IsKey).Select(c => $"{c.ColumnName} = excluded.{c.ColumnName}").ToList();
            if (updates.Count == 0) sql.Append("NOTHING");
            else sql.Append("UPDATE SET ").Append(string.Join(", ", updates));
        }
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql.ToString();
        cmd.CommandTimeout = 0;
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct, DbTransaction? tx = null)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    /// <summary>Refuses any table name this module did not generate (defence in depth: names are spliced into SQL).</summary>
    public static void EnsureGenerated(string tableName)
    {
        if (!(tableName.StartsWith("data_rows_", StringComparison.Ordinal) || tableName.StartsWith("data_stage_", StringComparison.Ordinal))
            || !tableName.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            throw new InvalidOperationException($"表名“{tableName}”不是数据模块生成的名称");
    }
}
