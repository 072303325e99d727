using System.Globalization;
using System.Text;
using System.Xml;
using GovData.Data.Domain;
using GovData.Data.Features.Masking;

namespace GovData.Data.Features.Export;

/// <summary>
/// Text forms of the module's CLR values shared by the export writers: dates <c>yyyy-MM-dd</c>, timestamps
/// <c>yyyy-MM-dd HH:mm:ss</c> (fractional seconds only when present), decimals and doubles invariant and without
/// exponent, booleans <c>true</c>/<c>false</c>; plus masking and the character clean-up XML needs.
/// </summary>
internal static class ExportValues
{
    /// <summary>Date format of text exports.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Timestamp format of text exports (CSV); fractional seconds are written only when not zero.</summary>
    public const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    /// <summary>Which columns go through <see cref="Masker"/>: none when <paramref name="raw"/>, else those with a rule.</summary>
    public static bool[] MaskFlags(IReadOnlyList<DataColumn> columns, bool raw) =>
        columns.Select(c => !raw && Masker.Masks(c)).ToArray();

    /// <summary>Checks a row's width and applies masking in place (the row array belongs to the writer once yielded).</summary>
    public static object?[] Prepare(object?[] row, IReadOnlyList<DataColumn> columns, bool[] mask, long rowNumber)
    {
        if (row.Length != columns.Count)
            throw new InvalidOperationException($"导出第 {rowNumber} 行有 {row.Length} 个值，但选定了 {columns.Count} 列");
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] is DBNull) row[i] = null;
            else if (mask[i]) row[i] = Masker.Apply(columns[i], row[i]);
        }
        return row;
    }

    /// <summary>The invariant text of a value (null → null).</summary>
    public static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString(DateFormat, CultureInfo.InvariantCulture),
        DateTime t => t.ToString(TimestampFormat, CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>
    /// A double in invariant positional notation that parses back to the same value (shortest round-trip digits,
    /// exponent expanded: 1E+20 → 100000000000000000000, 1.5E-07 → 0.00000015). NaN and infinities as NaN, Infinity, -Infinity.
    /// </summary>
    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOfAny(['E', 'e']);
        return e < 0 ? r : ExpandExponent(r, e);
    }

    private static string ExpandExponent(string r, int e)
    {
        var negative = r[0] == '-';
        var mantissa = r[(negative ? 1 : 0)..e];
        var exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.');
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;   // position of the decimal point within digits
        var sb = new StringBuilder(digits.Length + Math.Abs(exponent) + 3);
        if (negative) sb.Append('-');
        if (point <= 0) sb.Append("0.").Append('0', -point).Append(digits);
        else if (point >= digits.Length) sb.Append(digits).Append('0', point - digits.Length);
        else sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        return sb.ToString();
    }

    /// <summary>True for text a spreadsheet would take as a formula (starts with = + - @, tab or carriage return).</summary>
    public static bool LooksLikeFormula(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>
    /// Text XML 1.0 can carry: characters outside the XML character range (most C0 controls, lone surrogates, U+FFFE/FFFF)
    /// cannot be written even as references, so they become U+FFFD. Returns the same instance when nothing changes.
    /// </summary>
    public static string CleanXml(string text)
    {
        var bad = FirstInvalidXmlChar(text);
        if (bad < 0) return text;
        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, bad);
        for (var i = bad; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { sb.Append(c).Append(text[++i]); continue; }
            sb.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
        }
        return sb.ToString();
    }

    /// <summary>Index of the first character XML cannot carry, or -1.</summary>
    public static int FirstInvalidXmlChar(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= 0x20 && c < 0xD800) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (!XmlConvert.IsXmlChar(c)) return i;
        }
        return -1;
    }
}
