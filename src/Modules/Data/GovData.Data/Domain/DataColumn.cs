using System.Globalization;
using GovData.Catalog.Contracts;

namespace GovData.Data.Domain;

/// <summary>The storage type of a column, from the information item's data type (the guide's C/N/Y/D/T/L/M/G/B/I/F).</summary>
internal enum ColumnKind
{
    /// <summary>C (with length), M, G: text.</summary>
    Text = 1,
    /// <summary>N, Y: exact decimal (PostgreSQL numeric; SQLite NUMERIC affinity).</summary>
    Decimal = 2,
    /// <summary>B, F: double precision.</summary>
    Double = 3,
    /// <summary>I: 64-bit integer.</summary>
    Integer = 4,
    /// <summary>D: date (SQLite: TEXT yyyy-MM-dd).</summary>
    Date = 5,
    /// <summary>T: timestamp without time zone, the local time written in the source (SQLite: TEXT yyyy-MM-dd HH:mm:ss).</summary>
    Timestamp = 6,
    /// <summary>L: boolean (SQLite: INTEGER 0/1).</summary>
    Boolean = 7,
}

/// <summary>
/// One column of a dataset version's table, derived from an information item. <see cref="ColumnName"/> is generated
/// (<c>c001</c>, <c>c002</c> ...) and never taken from user input; <see cref="FieldName"/> is the name the API uses
/// (the item's field code, or its Chinese name when it has none).
/// </summary>
internal sealed record DataColumn(
    int Ordinal,
    string ColumnName,
    string FieldName,
    string ItemName,
    string? FieldCode,
    ItemDataType DataType,
    ColumnKind Kind,
    int? Length,
    int? Precision,
    bool IsRequired,
    bool IsKey,
    string? ValueDomain,
    ItemSensitivity Sensitivity,
    MaskingRule Masking)
{
    /// <summary>Storage kind of a guide data type (blank → C).</summary>
    public static ColumnKind KindOf(ItemDataType? type) => type switch
    {
        ItemDataType.N or ItemDataType.Y => ColumnKind.Decimal,
        ItemDataType.B or ItemDataType.F => ColumnKind.Double,
        ItemDataType.I => ColumnKind.Integer,
        ItemDataType.D => ColumnKind.Date,
        ItemDataType.T => ColumnKind.Timestamp,
        ItemDataType.L => ColumnKind.Boolean,
        _ => ColumnKind.Text,
    };

    /// <summary>The generated column name of the item at a position (1-based).</summary>
    public static string ColumnNameOf(int ordinal) => "c" + ordinal.ToString("000", CultureInfo.InvariantCulture);

    /// <summary>The column for a catalog information item.</summary>
    public static DataColumn From(CatalogItem item, int position)
    {
        var code = string.IsNullOrWhiteSpace(item.FieldCode) ? null : item.FieldCode.Trim();
        return new DataColumn(position, ColumnNameOf(position), code ?? item.Name.Trim(), item.Name.Trim(), code,
            item.DataType ?? ItemDataType.C, KindOf(item.DataType), item.Length, item.Precision, item.IsRequired, item.IsKey,
            string.IsNullOrWhiteSpace(item.ValueDomain) ? null : item.ValueDomain.Trim(), item.Sensitivity, item.MaskingRule);
    }
}
