using CommandBehavior = System.Data.CommandBehavior;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using GovData.Data.Domain;
using GovData.SharedKernel.Persistence;

namespace GovData.Data.Features.Export;

/// <summary>
/// Reads a version's table as the module's CLR values, one <c>object?[]</c> per row in <c>_row</c> order, streaming
/// (the data reader is consumed row by row; nothing is buffered). Storage per engine:
/// <list type="bullet">
/// <item>PostgreSQL: native types (text, numeric → decimal, double precision, bigint, date → DateOnly,
/// timestamp → DateTime of kind Unspecified, boolean).</item>
/// <item>SQLite: TEXT; NUMERIC (stored as INTEGER, REAL or TEXT by affinity) → decimal; REAL → double; INTEGER → long;
/// TEXT <c>yyyy-MM-dd</c> → DateOnly; TEXT <c>yyyy-MM-dd HH:mm:ss[.fffffff]</c> → DateTime; INTEGER 0/1 → bool.</item>
/// </list>
/// The SQL is built only from the layout's generated identifiers (checked against their generated shape as well);
/// <see cref="Convert"/> is public to the module so query results can be converted the same way.
/// </summary>
internal static partial class TableRowReader
{
    [GeneratedRegex(@"^data_rows_[0-9a-f]{12}_v[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TableNameShape();

    [GeneratedRegex(@"^c[0-9]{3,}$", RegexOptions.CultureInvariant)]
    private static partial Regex ColumnNameShape();

    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    /// <summary>
    /// <c>SELECT c001, c002 … FROM data_rows_… ORDER BY _row</c> for the selected columns (all of the layout's when null).
    /// Throws when a column is not one of the layout's or an identifier does not have its generated shape.
    /// </summary>
    public static string SelectSql(TableLayout layout, IReadOnlyList<DataColumn>? columns = null)
    {
        if (!TableNameShape().IsMatch(layout.TableName))
            throw new ArgumentException($"表名“{layout.TableName}”不是生成的数据表名", nameof(layout));
        columns ??= layout.Columns;
        var sql = new StringBuilder("SELECT ");
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            if (!ColumnNameShape().IsMatch(c.ColumnName) || !layout.Columns.Any(l => l.ColumnName == c.ColumnName))
                throw new ArgumentException($"列“{c.ColumnName}”（{c.ItemName}）不属于数据表 {layout.TableName}", nameof(columns));
            if (i > 0) sql.Append(", ");
            sql.Append(c.ColumnName);
        }
        if (columns.Count == 0) sql.Append(TableLayout.RowIdColumn);   // no column selected: still one row per row
        return sql.Append(" FROM ").Append(layout.TableName).Append(" ORDER BY ").Append(TableLayout.RowIdColumn).ToString();
    }

    /// <summary>
    /// Streams the rows of a whole version on an open connection (the caller owns it, and a transaction if any).
    /// </summary>
    public static async IAsyncEnumerable<object?[]> ReadAsync(DbConnection connection, DatabaseProvider provider, TableLayout layout,
        IReadOnlyList<DataColumn>? columns = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        columns ??= layout.Columns;
        await using var command = connection.CreateCommand();
        command.CommandText = SelectSql(layout, columns);
        command.CommandTimeout = 0;   // a big export may take minutes; the request's cancellation ends it
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        var width = columns.Count;
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[width];
            for (var i = 0; i < width; i++) row[i] = Convert(reader, i, columns[i], provider);
            yield return row;
        }
    }

    /// <summary>The CLR value of column <paramref name="ordinal"/> of the current row, per the column's kind and the engine.</summary>
    public static object? Convert(DbDataReader reader, int ordinal, DataColumn column, DatabaseProvider provider)
    {
        if (reader.IsDBNull(ordinal)) return null;
        if (provider == DatabaseProvider.PostgreSql)
        {
            return column.Kind switch
            {
                ColumnKind.Text => reader.GetString(ordinal),
                ColumnKind.Decimal => reader.GetDecimal(ordinal),
                ColumnKind.Double => reader.GetDouble(ordinal),
                ColumnKind.Integer => reader.GetInt64(ordinal),
                ColumnKind.Date => reader.GetFieldValue<DateOnly>(ordinal),
                ColumnKind.Timestamp => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Unspecified),
                ColumnKind.Boolean => reader.GetBoolean(ordinal),
                _ => throw new ArgumentOutOfRangeException(nameof(column)),
            };
        }
        // SQLite: read the stored value and convert by the column kind (the storage class may differ per row).
        var value = reader.GetValue(ordinal);
        return column.Kind switch
        {
            ColumnKind.Text => value as string ?? ExportValues.ToText(value),
            ColumnKind.Decimal => value switch
            {
                long l => (decimal)l,
                double d => (decimal)d,   // NUMERIC affinity stored numeric text as REAL (15 significant digits); (decimal) rounds to those
                string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
            },
            ColumnKind.Double => value is double d ? d : System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
            ColumnKind.Integer => value is long l ? l : System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ColumnKind.Date => value is string s
                ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture)
                : throw Unexpected(column, value),
            ColumnKind.Timestamp => value is string t
                ? DateTime.ParseExact(t, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None)
                : throw Unexpected(column, value),
            ColumnKind.Boolean => value switch
            {
                long l => l != 0,
                string s => s is "1" or "true" or "TRUE",
                _ => System.Convert.ToBoolean(value, CultureInfo.InvariantCulture),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        };
    }

    private static InvalidDataException Unexpected(DataColumn column, object value) =>
        new($"列 {column.ColumnName}（{column.ItemName}）的存储值“{value}”不是 {column.Kind} 类型的文本");
}
