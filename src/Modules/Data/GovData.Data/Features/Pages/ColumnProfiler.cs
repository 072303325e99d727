using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GovData.Data.Domain;
using GovData.Data.Features.Masking;
using GovData.Data.Features.Query;
using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.Options;

namespace GovData.Data.Features.Pages;

/// <summary>One of a column's most frequent values.</summary>
internal sealed record TopValue(object? Value, long Count);

/// <summary>The profile of one column over the profiled rows. Min/max are null for booleans (no order) and empty columns.</summary>
internal sealed record ColumnProfile(DataColumn Column, long Nulls, long Distinct, object? Min, object? Max, IReadOnlyList<TopValue> Top, bool Masked);

/// <summary>A version's column profile: how many rows it covers out of how many.</summary>
internal sealed record TableProfile(long RowsProfiled, long RowsTotal, IReadOnlyList<ColumnProfile> Columns, TimeSpan Elapsed)
{
    /// <summary>The profile covers only the first rows (the table is larger than <see cref="DataPagesOptions.ProfileRowLimit"/>).</summary>
    public bool Partial => RowsProfiled < RowsTotal;
}

/// <summary>
/// 字段概况: per column the empty values, distinct values, minimum, maximum and the 5 most frequent values of a version's
/// table, computed on demand (the page's 计算 button) with parameterised SQL over the generated identifiers only (table
/// and <c>cNNN</c> names are checked against their generated shapes). Nothing is cached: the page shows what the table
/// holds when asked, whatever incremental loads changed since. Work is bounded: the rows profiled are the first
/// <see cref="DataPagesOptions.ProfileRowLimit"/> by load position (a primary-key range), one statement computes counts,
/// distinct counts and min/max for all columns in a single scan, and one grouped statement per column finds its top values.
/// For callers not entitled to raw values, columns with a masking rule show counts only — and their top values masked.
/// </summary>
internal sealed partial class ColumnProfiler(DatabaseSettings settings, IOptions<DataPagesOptions> options)
{
    /// <summary>Top values per column.</summary>
    public const int TopCount = 5;

    private const int TimeoutSeconds = 120;

    [GeneratedRegex("^data_rows_[0-9a-f]{12}_v[0-9]{1,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex TableNameShape();

    [GeneratedRegex("^c[0-9]{3,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex ColumnNameShape();

    public async Task<TableProfile> ProfileAsync(ResolvedTable table, bool raw, CancellationToken ct)
    {
        var layout = table.Layout;
        if (!TableNameShape().IsMatch(layout.TableName)) throw new InvalidOperationException($"表名“{layout.TableName}”不是生成的名称，拒绝执行");
        foreach (var c in layout.Columns)
            if (!ColumnNameShape().IsMatch(c.ColumnName)) throw new InvalidOperationException($"列名“{c.ColumnName}”不是生成的名称，拒绝执行");

        var started = DateTime.UtcNow;
        var limit = (long)Math.Max(1, options.Value.ProfileRowLimit);
        var pg = settings.IsPostgres;
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync(ct);
        // One snapshot for every statement (PostgreSQL REPEATABLE READ, SQLite read transaction).
        await using var tx = pg
            ? await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct)
            : await connection.BeginTransactionAsync(ct);

        long total;
        await using (var count = Command(connection, tx, $"SELECT count(*) FROM {layout.TableName}"))
            total = Convert.ToInt64(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);

        // The profiled rows: the first N by position, as a derived table every statement reads.
        var sample = $"(SELECT * FROM {layout.TableName} ORDER BY {TableLayout.RowIdColumn} LIMIT @limit) s";
        var sql = new StringBuilder("SELECT count(*)");
        foreach (var c in layout.Columns)
        {
            var ordered = Ordered(c, pg);
            sql.Append(", count(").Append(c.ColumnName).Append("), count(DISTINCT ").Append(c.ColumnName).Append(')');
            if (c.Kind == ColumnKind.Boolean) sql.Append(", NULL, NULL");
            else sql.Append(", min(").Append(ordered).Append("), max(").Append(ordered).Append(')');
        }
        sql.Append(" FROM ").Append(sample);

        long profiled;
        var stats = new List<(long NonNull, long Distinct, object? Min, object? Max)>();
        await using (var command = Command(connection, tx, sql.ToString(), ("@limit", limit)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            profiled = reader.GetInt64(0);
            for (var i = 0; i < layout.Columns.Count; i++)
            {
                var o = 1 + i * 4;
                var kind = layout.Columns[i].Kind;
                stats.Add((Convert.ToInt64(reader.GetValue(o), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(o + 1), CultureInfo.InvariantCulture),
                    kind == ColumnKind.Boolean ? null : QueryValues.Read(reader, o + 2, kind),
                    kind == ColumnKind.Boolean ? null : QueryValues.Read(reader, o + 3, kind)));
            }
        }

        var profiles = new List<ColumnProfile>(layout.Columns.Count);
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            var c = layout.Columns[i];
            var masked = !raw && Masker.Masks(c);
            var top = new List<TopValue>();
            if (stats[i].NonNull > 0)
            {
                var topSql = $"SELECT {c.ColumnName}, count(*) AS n FROM {sample} WHERE {c.ColumnName} IS NOT NULL GROUP BY {c.ColumnName} "
                    + $"ORDER BY n DESC, {Ordered(c, pg)} LIMIT {TopCount}";
                await using var command = Command(connection, tx, topSql, ("@limit", limit));
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var value = QueryValues.Read(reader, 0, c.Kind);
                    top.Add(new TopValue(masked ? Masker.Apply(c, value) : value, reader.GetInt64(1)));
                }
            }
            var (nonNull, distinct, min, max) = stats[i];
            profiles.Add(new ColumnProfile(c, profiled - nonNull, distinct, masked ? null : min, masked ? null : max, top, masked));
        }
        await tx.CommitAsync(ct);
        return new TableProfile(profiled, total, profiles, DateTime.UtcNow - started);
    }

    /// <summary>Text is ordered by code point on PostgreSQL too (as the query API does), so both engines agree.</summary>
    private static string Ordered(DataColumn c, bool pg) => pg && c.Kind == ColumnKind.Text ? c.ColumnName + " COLLATE \"C\"" : c.ColumnName;

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.CommandTimeout = TimeoutSeconds;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command;
    }
}
