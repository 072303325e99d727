using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using GovData.Data.Domain;
using GovData.SharedKernel.Persistence;

namespace GovData.Data.Features.Query;

/// <summary>
/// Values of a column kind on their way in (query-string text → CLR value → database parameter) and out (database
/// value → CLR value), the same on both engines. CLR types: string, decimal, double, long, DateOnly, DateTime
/// (Kind Unspecified, second precision), bool. SQLite stores dates as 'yyyy-MM-dd', timestamps as
/// 'yyyy-MM-dd HH:mm:ss' and booleans as 0/1 (see <see cref="TableLayout.SqlType"/>), so parameters take that form there.
/// </summary>
internal static class QueryValues
{
    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"];

    /// <summary>Chinese name of a kind, for messages (文本, 数值 ...).</summary>
    public static string KindName(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => "文本",
        ColumnKind.Decimal => "数值",
        ColumnKind.Double => "浮点数",
        ColumnKind.Integer => "整数",
        ColumnKind.Date => "日期",
        ColumnKind.Timestamp => "日期时间",
        ColumnKind.Boolean => "布尔",
        _ => kind.ToString(),
    };

    /// <summary>The kind's name in the API (<c>fields[].type</c>).</summary>
    public static string ApiType(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => "text",
        ColumnKind.Decimal => "decimal",
        ColumnKind.Double => "double",
        ColumnKind.Integer => "integer",
        ColumnKind.Date => "date",
        ColumnKind.Timestamp => "timestamp",
        ColumnKind.Boolean => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>What a value of the kind looks like, for messages.</summary>
    public static string Expected(ColumnKind kind) => kind switch
    {
        ColumnKind.Decimal or ColumnKind.Double => "数字，如 1234.56",
        ColumnKind.Integer => "整数，如 42",
        ColumnKind.Date => "日期 yyyy-MM-dd，如 2018-08-31",
        ColumnKind.Timestamp => "日期时间 yyyy-MM-dd HH:mm:ss 或 yyyy-MM-ddTHH:mm:ss，如 2018-08-31 22:14:50",
        ColumnKind.Boolean => "true/false 或 是/否",
        _ => "文本",
    };

    /// <summary>Parses query-string text as a value of the column's kind (invariant culture); false when it does not parse.</summary>
    public static bool TryParse(ColumnKind kind, string text, out object value)
    {
        value = text;
        var s = text.Trim();
        switch (kind)
        {
            case ColumnKind.Text:
                return true;   // text is compared as given (not trimmed)
            case ColumnKind.Decimal:
                if (decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                        CultureInfo.InvariantCulture, out var m)) { value = m; return true; }
                return false;
            case ColumnKind.Double:
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) { value = d; return true; }
                return false;
            case ColumnKind.Integer:
                if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) { value = l; return true; }
                return false;
            case ColumnKind.Date:
                if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) { value = date; return true; }
                return false;
            case ColumnKind.Timestamp:
                if (DateTime.TryParseExact(s, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
                {
                    value = DateTime.SpecifyKind(t, DateTimeKind.Unspecified);
                    return true;
                }
                return false;
            case ColumnKind.Boolean:
                switch (s.ToLowerInvariant())
                {
                    case "true" or "1" or "是": value = true; return true;
                    case "false" or "0" or "否": value = false; return true;
                    default: return false;
                }
            default:
                return false;
        }
    }

    /// <summary>The parameter value for a CLR value of the kind on an engine.</summary>
    public static object ToParameter(ColumnKind kind, object value, DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.PostgreSql) return value;
        return (kind, value) switch
        {
            (ColumnKind.Date, DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            (ColumnKind.Timestamp, DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            (ColumnKind.Boolean, bool b) => b ? 1L : 0L,
            _ => value,
        };
    }

    /// <summary>Reads a column value as the CLR value of the kind (null for SQL NULL), whatever the engine stored.</summary>
    public static object? Read(DbDataReader reader, int ordinal, ColumnKind kind)
    {
        if (reader.IsDBNull(ordinal)) return null;
        var raw = reader.GetValue(ordinal);
        return FromDatabase(kind, raw);
    }

    /// <summary>Converts a value as an engine returns it (SQLite TEXT dates, INTEGER booleans, INTEGER/REAL numerics;
    /// Npgsql DateTime for dates ...) to the kind's CLR value.</summary>
    public static object? FromDatabase(ColumnKind kind, object? raw)
    {
        if (raw is null or DBNull) return null;
        return kind switch
        {
            ColumnKind.Text => raw as string ?? Convert.ToString(raw, CultureInfo.InvariantCulture),
            ColumnKind.Decimal => Normalize(raw switch
            {
                decimal m => m,
                long l => l,
                int i => i,
                double d => (decimal)d,     // SQLite REAL: decimal(double) keeps 15 significant digits
                string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => Convert.ToDecimal(raw, CultureInfo.InvariantCulture),
            }),
            ColumnKind.Double => Convert.ToDouble(raw, CultureInfo.InvariantCulture),
            ColumnKind.Integer => raw switch
            {
                long l => l,
                decimal m => (long)m,
                _ => Convert.ToInt64(raw, CultureInfo.InvariantCulture),
            },
            ColumnKind.Date => raw switch
            {
                DateOnly d => d,
                DateTime t => DateOnly.FromDateTime(t),
                string s => DateOnly.ParseExact(s.Length > 10 ? s[..10] : s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ => throw new InvalidCastException($"日期列的值类型 {raw.GetType().Name} 无法识别"),
            },
            ColumnKind.Timestamp => raw switch
            {
                DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Unspecified),
                string s => DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.None), DateTimeKind.Unspecified),
                _ => throw new InvalidCastException($"日期时间列的值类型 {raw.GetType().Name} 无法识别"),
            },
            ColumnKind.Boolean => raw switch
            {
                bool b => b,
                long l => l != 0,
                int i => i != 0,
                string s => s is "1" or "true" or "TRUE",
                _ => Convert.ToBoolean(raw, CultureInfo.InvariantCulture),
            },
            _ => raw,
        };
    }

    /// <summary>
    /// The decimal without trailing zeros (1000.00 → 1000, 12.50 → 12.5): PostgreSQL keeps the scale a value was written
    /// with, SQLite keeps 1000.00 as INTEGER 1000, so both engines print the same JSON number.
    /// </summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>Writes a CLR value as JSON the way the API shows it (cursor encoding; numbers as numbers).</summary>
    public static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case double d: writer.WriteNumberValue(d); break;
            case long l: writer.WriteNumberValue(l); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case DateOnly d: writer.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTime t: writer.WriteStringValue(t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)); break;
            default: throw new InvalidOperationException($"无法编码的值类型 {value.GetType().Name}");
        }
    }

    /// <summary>Reads a JSON value written by <see cref="WriteJson"/> back as the kind's CLR value; false when it does not fit.</summary>
    public static bool TryReadJson(ColumnKind kind, JsonElement element, out object? value)
    {
        value = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                if (kind is ColumnKind.Decimal or ColumnKind.Double or ColumnKind.Integer or ColumnKind.Boolean) return false;
                var ok = TryParse(kind, element.GetString()!, out var parsed);
                value = parsed;
                return ok;
            case JsonValueKind.Number:
                switch (kind)
                {
                    case ColumnKind.Decimal when element.TryGetDecimal(out var m): value = m; return true;
                    case ColumnKind.Double when element.TryGetDouble(out var d): value = d; return true;
                    case ColumnKind.Integer when element.TryGetInt64(out var l): value = l; return true;
                    default: return false;
                }
            case JsonValueKind.True or JsonValueKind.False:
                if (kind != ColumnKind.Boolean) return false;
                value = element.GetBoolean();
                return true;
            default:
                return false;
        }
    }
}
