using IsolationLevel = System.Data.IsolationLevel;
using CommandBehavior = System.Data.CommandBehavior;
using System.Data.Common;
using System.Runtime.CompilerServices;
using GovData.Data.Domain;
using GovData.Data.Features.Masking;
using GovData.SharedKernel.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GovData.Data.Features.Query;

/// <summary>A page of rows: values aligned with <see cref="Columns"/>, the total (null when not asked) and the keyset cursor
/// of the next page (null on the last page).</summary>
internal sealed record RowPage(IReadOnlyList<DataColumn> Columns, IReadOnlyList<object?[]> Rows, long? Total, string? Next);

/// <summary>A page of groups: each row holds the group values then the aggregate values, in query order.</summary>
internal sealed record AggregatePage(IReadOnlyList<DataColumn> Group, IReadOnlyList<AggregateSpec> Aggregates, IReadOnlyList<object?[]> Rows, long? Total);

/// <summary>The table of a resolved version disappeared while being read (dropped by retention after a version switch).</summary>
internal sealed class DataTableGoneException(string table, Exception inner) : Exception($"数据表 {table} 已不存在（版本已切换或已清理）", inner);

/// <summary>
/// Runs row and aggregate queries against a resolved version's table on either engine (raw ADO.NET on a connection from
/// <see cref="DatabaseSettings"/>). Entitlement is a parameter: <c>raw</c> true returns stored values; false passes every
/// column with a masking rule through <see cref="Masker"/>, and refuses filtering, sorting, grouping and value
/// aggregates on masked columns (they would reveal what the mask hides).
/// </summary>
internal sealed class RowQueryService(DatabaseSettings settings, IOptions<RowQueryOptions> options)
{
    private const int TimeoutSeconds = 60;

    /// <summary>One page of rows.</summary>
    public async Task<RowPage> QueryAsync(ResolvedTable table, RowQuery query, bool raw, CancellationToken ct)
    {
        if (!raw) EnsureAllowed(query);
        var limit = query.Limit ?? options.Value.MaxLimit;
        var select = QuerySql.Rows(table.Layout, settings.Provider, query, limit + 1);
        await using var connection = settings.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            await using var tx = query.Count ? await BeginSnapshotAsync(connection, ct) : null;
            long? total = null;
            if (query.Count)
            {
                await using var countCommand = QuerySql.Count(table.Layout, settings.Provider, query.AllFilters).CreateCommand(connection, tx, TimeoutSeconds);
                total = Convert.ToInt64(await countCommand.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            }
            var (rows, next) = limit == 0   // limit=0: only the total
                ? ([], null)
                : await ReadPageAsync(connection, tx, select, query, limit, raw, ct);
            if (tx is not null) await tx.CommitAsync(ct);
            return new RowPage(query.Fields, rows, total, next);
        }
        catch (DbException ex) when (IsMissingTable(ex))
        {
            throw new DataTableGoneException(table.Layout.TableName, ex);
        }
    }

    private static async Task<(List<object?[]> Rows, string? Next)> ReadPageAsync(DbConnection connection, DbTransaction? tx,
        RowSelect select, RowQuery query, int limit, bool raw, CancellationToken ct)
    {
        var rows = new List<object?[]>(Math.Min(limit, 1000));
        await using var command = select.Statement.CreateCommand(connection, tx, TimeoutSeconds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var fetched = select.Fetched;
        object?[] lastSortValues = [];
        long lastRow = 0;
        while (await reader.ReadAsync(ct))
        {
            // The statement asks for limit + 1 rows: reading one more than the page means there is a next page,
            // which continues after the last row returned.
            if (rows.Count == limit) return (rows, CursorCodec.Encode(query.SortSpec, lastSortValues, lastRow));
            var values = new object?[fetched.Count];
            for (var i = 0; i < fetched.Count; i++) values[i] = QueryValues.Read(reader, i, fetched[i].Kind);
            lastRow = reader.GetInt64(fetched.Count);
            lastSortValues = query.Sort.Select(s => values[IndexOf(fetched, s.Column)]).ToArray();
            rows.Add(Project(values, fetched, query.Fields, raw));
        }
        return (rows, null);
    }

    /// <summary>
    /// Every row of a query as it is read (constant memory; export of a whole version or a query result). Honours the
    /// query's filters, fields, sort, offset/after and limit (none when <see cref="RowQuery.Limit"/> is null).
    /// </summary>
    public async IAsyncEnumerable<object?[]> StreamAsync(ResolvedTable table, RowQuery query, bool raw, [EnumeratorCancellation] CancellationToken ct)
    {
        if (!raw) EnsureAllowed(query);
        var select = QuerySql.Rows(table.Layout, settings.Provider, query, query.Limit);
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync(ct);
        // One read transaction: a consistent snapshot for the whole stream; PostgreSQL streams rows without buffering.
        await using var tx = await BeginSnapshotAsync(connection, ct);
        await using var command = select.Statement.CreateCommand(connection, tx, 0);
        DbDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        }
        catch (DbException ex) when (IsMissingTable(ex))
        {
            throw new DataTableGoneException(table.Layout.TableName, ex);
        }
        await using (reader)
        {
            var fetched = select.Fetched;
            while (await reader.ReadAsync(ct))
            {
                var values = new object?[fetched.Count];
                for (var i = 0; i < fetched.Count; i++) values[i] = QueryValues.Read(reader, i, fetched[i].Kind);
                yield return Project(values, fetched, query.Fields, raw);
            }
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// 核验 of several questions on one connection, one indexed lookup each (<see cref="QuerySql.Verify"/>): per question
    /// null when no row has the keys (within <paramref name="scope"/>), true when every claim equals the stored value,
    /// false otherwise. No stored value is read.
    /// </summary>
    public async Task<IReadOnlyList<bool?>> VerifyAsync(ResolvedTable table,
        IReadOnlyList<(IReadOnlyList<QueryFilter> Keys, IReadOnlyList<QueryFilter> Claims)> questions, IReadOnlyList<QueryFilter> scope,
        CancellationToken ct)
    {
        var answers = new bool?[questions.Count];
        await using var connection = settings.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            for (var i = 0; i < questions.Count; i++)
            {
                var (keys, claims) = questions[i];
                await using var command = QuerySql.Verify(table.Layout, settings.Provider, keys, claims, scope).CreateCommand(connection, null, TimeoutSeconds);
                var result = await command.ExecuteScalarAsync(ct);
                answers[i] = result is null or DBNull ? null : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture) == 1;
            }
            return answers;
        }
        catch (DbException ex) when (IsMissingTable(ex))
        {
            throw new DataTableGoneException(table.Layout.TableName, ex);
        }
    }

    /// <summary>
    /// Reads a change-feed statement (<see cref="QuerySql.Changes"/>) in one snapshot: per row its kind (1 added, 2 changed,
    /// 3 removed), the key values and — unless removed — the values, masked per column unless <paramref name="raw"/>.
    /// </summary>
    public async Task<IReadOnlyList<(int Kind, object?[] Key, object?[]? Values)>> ChangesAsync(SqlStatement statement, IReadOnlyList<DataColumn> keys,
        IReadOnlyList<DataColumn> values, bool raw, string tableForErrors, CancellationToken ct)
    {
        var rows = new List<(int, object?[], object?[]?)>();
        await using var connection = settings.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            await using var tx = await BeginSnapshotAsync(connection, ct);
            await using (var command = statement.CreateCommand(connection, tx, TimeoutSeconds))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var kind = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
                    var key = new object?[keys.Count];
                    for (var i = 0; i < keys.Count; i++) key[i] = QueryValues.Read(reader, 1 + i, keys[i].Kind);
                    object?[]? row = null;
                    if (kind != 3)
                    {
                        row = new object?[values.Count];
                        for (var i = 0; i < values.Count; i++)
                        {
                            var value = QueryValues.Read(reader, 1 + keys.Count + i, values[i].Kind);
                            row[i] = raw ? value : Masker.Apply(values[i], value);
                        }
                    }
                    rows.Add((kind, key, row));
                }
            }
            await tx.CommitAsync(ct);
            return rows;
        }
        catch (DbException ex) when (IsMissingTable(ex))
        {
            throw new DataTableGoneException(tableForErrors, ex);
        }
    }

    /// <summary>One page of groups with their aggregates.</summary>
    public async Task<AggregatePage> AggregateAsync(ResolvedTable table, AggregateQuery query, bool raw, CancellationToken ct)
    {
        if (!raw) EnsureAllowed(query);
        var statement = QuerySql.Aggregate(table.Layout, settings.Provider, query);
        await using var connection = settings.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            await using var tx = query.Count ? await BeginSnapshotAsync(connection, ct) : null;
            long? total = null;
            if (query.Count)
            {
                await using var countCommand = QuerySql.GroupCount(table.Layout, settings.Provider, query).CreateCommand(connection, tx, TimeoutSeconds);
                total = Convert.ToInt64(await countCommand.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            }
            var rows = new List<object?[]>();
            await using (var command = statement.CreateCommand(connection, tx, TimeoutSeconds))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                var width = query.Group.Count + query.Aggregates.Count;
                while (await reader.ReadAsync(ct))
                {
                    var values = new object?[width];
                    for (var i = 0; i < query.Group.Count; i++) values[i] = QueryValues.Read(reader, i, query.Group[i].Kind);
                    for (var j = 0; j < query.Aggregates.Count; j++)
                    {
                        var ordinal = query.Group.Count + j;
                        values[ordinal] = reader.IsDBNull(ordinal) ? null : AggregateValue(query.Aggregates[j], reader.GetValue(ordinal));
                    }
                    rows.Add(values);
                }
            }
            if (tx is not null) await tx.CommitAsync(ct);
            return new AggregatePage(query.Group, query.Aggregates, rows, total);
        }
        catch (DbException ex) when (IsMissingTable(ex))
        {
            throw new DataTableGoneException(table.Layout.TableName, ex);
        }
    }

    /// <summary>The API type of an aggregate's values: count integer, avg double, sum decimal (double for double columns),
    /// min/max the column's own type.</summary>
    public static string AggregateType(AggregateSpec spec) => spec.Function switch
    {
        AggregateFunction.Count => "integer",
        AggregateFunction.Avg => "double",
        AggregateFunction.Sum => spec.Column!.Kind == ColumnKind.Double ? "double" : "decimal",
        _ => QueryValues.ApiType(spec.Column!.Kind),
    };

    // Engines differ in result types (PostgreSQL sum(bigint) is numeric, avg(numeric) numeric; SQLite gives INTEGER or
    // REAL); normalise so both return the same JSON.
    private static object? AggregateValue(AggregateSpec spec, object raw) => spec.Function switch
    {
        AggregateFunction.Count => Convert.ToInt64(raw, System.Globalization.CultureInfo.InvariantCulture),
        AggregateFunction.Avg => Convert.ToDouble(raw, System.Globalization.CultureInfo.InvariantCulture),
        AggregateFunction.Sum when spec.Column!.Kind == ColumnKind.Double => Convert.ToDouble(raw, System.Globalization.CultureInfo.InvariantCulture),
        AggregateFunction.Sum => QueryValues.FromDatabase(ColumnKind.Decimal, raw),
        _ => QueryValues.FromDatabase(spec.Column!.Kind, raw),
    };

    private static object?[] Project(object?[] values, IReadOnlyList<DataColumn> fetched, IReadOnlyList<DataColumn> fields, bool raw)
    {
        if (fetched.Count == fields.Count && raw) return values;
        var row = new object?[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            var value = values[IndexOf(fetched, fields[i])];
            row[i] = raw ? value : Masker.Apply(fields[i], value);
        }
        return row;
    }

    private static int IndexOf(IReadOnlyList<DataColumn> columns, DataColumn column)
    {
        for (var i = 0; i < columns.Count; i++) if (ReferenceEquals(columns[i], column) || columns[i] == column) return i;
        throw new InvalidOperationException($"列 {column.ColumnName} 不在结果中");
    }

    private async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        settings.IsPostgres
            ? await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct)
            : ((SqliteConnection)connection).BeginTransaction(deferred: true);

    private static bool IsMissingTable(DbException ex) => ex switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UndefinedTable,
        SqliteException sqlite => sqlite.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    internal static void EnsureAllowed(RowQuery query)
    {
        foreach (var f in query.Filters) RefuseMasked(f.Parameter, f.Column, "筛选");
        foreach (var s in query.Sort) RefuseMasked(QueryParameters.Sort, s.Column, "排序");
    }

    private static void EnsureAllowed(AggregateQuery query)
    {
        foreach (var f in query.Filters) RefuseMasked(f.Parameter, f.Column, "筛选");
        foreach (var g in query.Group) RefuseMasked(QueryParameters.Group, g, "分组");
        foreach (var a in query.Aggregates)
            if (a.Column is { } c && a.Function != AggregateFunction.Count) RefuseMasked(QueryParameters.Agg, c, a.Function.ToString().ToLowerInvariant() + " 聚合");
    }

    private static void RefuseMasked(string parameter, DataColumn column, string action)
    {
        if (Masker.Masks(column))
            throw new QueryException(parameter,
                $"参数“{parameter}”：字段“{column.FieldName}”（{column.ItemName}）按脱敏规则对外提供，无权查看原始值的调用方不能按其{action}", forbidden: true);
    }
}
