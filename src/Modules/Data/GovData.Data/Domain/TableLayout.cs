using System.Globalization;
using System.Text;
using GovData.Catalog.Contracts;
using GovData.SharedKernel.Persistence;

namespace GovData.Data.Domain;

/// <summary>
/// The physical layout of one dataset version: a generated table name and the typed columns of the resource's
/// information items, plus <see cref="RowIdColumn"/>, the row's position in the load (1, 2, 3 ...; primary key, used
/// for stable order and keyset paging). Identifiers are generated here and only here, so they are always safe to
/// splice into SQL; values always travel as parameters.
/// </summary>
internal sealed record TableLayout(string TableName, IReadOnlyList<DataColumn> Columns)
{
    /// <summary>Row id column: the row's position in the version (bigint primary key).</summary>
    public const string RowIdColumn = "_row";

    /// <summary>
    /// Table name of a resource's version: <c>data_rows_{last 12 hex of the data resource id}_v{number}</c>. The last
    /// digits are the random part of a version-7 GUID (the first 12 are its millisecond timestamp, shared by resources
    /// created in the same millisecond).
    /// </summary>
    public static string TableNameOf(Guid resourceId, int versionNumber) =>
        "data_rows_" + resourceId.ToString("N")[^12..] + "_v" + versionNumber.ToString(CultureInfo.InvariantCulture);

    /// <summary>The layout for a catalog resource's published items.</summary>
    public static TableLayout For(Guid resourceId, int versionNumber, IEnumerable<CatalogItem> items) =>
        new(TableNameOf(resourceId, versionNumber), items.OrderBy(i => i.Ordinal).Select((item, i) => DataColumn.From(item, i + 1)).ToList());

    /// <summary>Columns that are keys (incremental upserts and 核验 lookups).</summary>
    public IReadOnlyList<DataColumn> KeyColumns => Columns.Where(c => c.IsKey).ToList();

    /// <summary>The column an API field name refers to (field code or item name, case-insensitive for codes), or null.</summary>
    public DataColumn? Find(string field) =>
        Columns.FirstOrDefault(c => string.Equals(c.FieldName, field, StringComparison.OrdinalIgnoreCase))
        ?? Columns.FirstOrDefault(c => c.ItemName == field)
        ?? Columns.FirstOrDefault(c => c.FieldCode is not null && string.Equals(c.FieldCode, field, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The SQL type of a column on a provider. PostgreSQL text is <c>COLLATE "C"</c>: code-point order, the order the query
    /// API sorts and compares text in on both engines (equality is the same under every deterministic collation), so
    /// indexes on text columns — the key index above all — are built by byte comparison instead of the database
    /// locale's rules and serve sorting and ranges too.
    /// </summary>
    public static string SqlType(DataColumn column, DatabaseProvider provider) => provider == DatabaseProvider.PostgreSql
        ? column.Kind switch
        {
            ColumnKind.Text when column.DataType == ItemDataType.C && column.Length is > 0 and <= 10485760 => $"varchar({column.Length}) COLLATE \"C\"",
            ColumnKind.Text => "text COLLATE \"C\"",
            ColumnKind.Decimal => "numeric",
            ColumnKind.Double => "double precision",
            ColumnKind.Integer => "bigint",
            ColumnKind.Date => "date",
            ColumnKind.Timestamp => "timestamp without time zone",
            ColumnKind.Boolean => "boolean",
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        }
        : column.Kind switch
        {
            ColumnKind.Text or ColumnKind.Date or ColumnKind.Timestamp => "TEXT",
            ColumnKind.Decimal => "NUMERIC",
            ColumnKind.Double => "REAL",
            ColumnKind.Integer or ColumnKind.Boolean => "INTEGER",
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        };

    /// <summary>CREATE TABLE for this layout. Constraints (NOT NULL, lengths) are enforced by validation while loading,
    /// so a rejected row never reaches the table; the table itself only carries the types. On SQLite <see cref="RowIdColumn"/>
    /// is declared <c>INTEGER PRIMARY KEY</c>, an alias of the rowid: no separate index, rows stored in <c>_row</c> order.
    /// <paramref name="primaryKey"/> false leaves the primary key out, for a bulk load that adds it afterwards
    /// (<see cref="AddPrimaryKeySql"/>; PostgreSQL builds the index once instead of row by row).</summary>
    public string CreateTableSql(DatabaseProvider provider, bool primaryKey = true)
    {
        if (!primaryKey && provider != DatabaseProvider.PostgreSql)
            throw new ArgumentException("SQLite 的行号列是 rowid，只能在建表时声明为主键", nameof(primaryKey));
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE ").Append(TableName).Append(" (").Append(RowIdColumn)
            .Append(provider == DatabaseProvider.Sqlite ? " INTEGER NOT NULL" : " bigint NOT NULL").Append(primaryKey ? " PRIMARY KEY" : "");
        foreach (var c in Columns) sql.Append(", ").Append(c.ColumnName).Append(' ').Append(SqlType(c, provider));
        sql.Append(')');
        return sql.ToString();
    }

    /// <summary>PostgreSQL: adds the primary key on <see cref="RowIdColumn"/> to a table created without it.</summary>
    public string AddPrimaryKeySql() => "ALTER TABLE " + TableName + " ADD PRIMARY KEY (" + RowIdColumn + ")";

    /// <summary>DROP TABLE IF EXISTS for this layout.</summary>
    public string DropTableSql() => "DROP TABLE IF EXISTS " + TableName;
}
