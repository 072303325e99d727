using System.Globalization;
using GovData.Data.Domain;
using GovData.SharedKernel.IO;

namespace GovData.Data.Features.Export;

/// <summary>
/// Streams rows as RFC 4180 CSV: comma-separated, CRLF line ends, a field is quoted (with "" for a quote inside) when it
/// contains a comma, quote, CR or LF, or starts or ends with white space (which readers that trim would lose).
/// Values: text as is; dates <c>yyyy-MM-dd</c>; timestamps <c>yyyy-MM-dd HH:mm:ss</c> (fractional seconds only when
/// present); decimals and doubles invariant with '.' and never in exponent notation; integers; booleans
/// <c>true</c>/<c>false</c>; null as an empty field. The header row holds the item names (or field names with
/// <see cref="ExportHeader.Code"/>). With <see cref="ExportOptions.ExcelSafe"/> (BOM or GBK, i.e. meant for Excel/WPS),
/// text values starting with = + - @ tab or CR get a leading apostrophe so they are not evaluated as formulas.
/// </summary>
internal static class CsvExportWriter
{
    /// <summary>Writes the header and all rows; returns the number of data rows written.</summary>
    public static async Task<long> WriteAsync(IReadOnlyList<DataColumn> columns, IAsyncEnumerable<object?[]> rows, Stream output,
        bool raw, ExportOptions options, CancellationToken ct = default)
    {
        var mask = ExportValues.MaskFlags(columns, raw);
        var excel = options.ExcelSafe;
        using var spool = new SpoolStream();
        long count = 0;
        {
            await using var writer = new StreamWriter(spool, options.TextEncoding, bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
            if (options.Bom && options.Encoding == ExportEncoding.Utf8) spool.Write([0xEF, 0xBB, 0xBF]);
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0) writer.Write(',');
                WriteText(writer, options.Header == ExportHeader.Code ? columns[i].FieldName : columns[i].ItemName, excel);
            }
            writer.Write("\r\n");
            await foreach (var row in rows.WithCancellation(ct))
            {
                count++;
                ExportValues.Prepare(row, columns, mask, count);
                for (var i = 0; i < row.Length; i++)
                {
                    if (i > 0) writer.Write(',');
                    WriteValue(writer, row[i], excel);
                }
                writer.Write("\r\n");
                if (spool.ShouldDrain) await spool.DrainAsync(output, ct);
            }
            await writer.FlushAsync(ct);
        }
        await spool.DrainAsync(output, ct);
        await output.FlushAsync(ct);
        return count;
    }

    private static void WriteValue(StreamWriter writer, object? value, bool excel)
    {
        Span<char> buffer = stackalloc char[64];
        int n;
        switch (value)
        {
            case null:
                return;
            case string s:
                WriteText(writer, s, excel);
                return;
            case long l when l.TryFormat(buffer, out n, default, CultureInfo.InvariantCulture):
                writer.Write(buffer[..n]);
                return;
            case decimal d when d.TryFormat(buffer, out n, default, CultureInfo.InvariantCulture):
                writer.Write(buffer[..n]);
                return;
            case DateOnly d when d.TryFormat(buffer, out n, ExportValues.DateFormat, CultureInfo.InvariantCulture):
                writer.Write(buffer[..n]);
                return;
            case DateTime t when t.TryFormat(buffer, out n, ExportValues.TimestampFormat, CultureInfo.InvariantCulture):
                writer.Write(buffer[..n]);
                return;
            case bool b:
                writer.Write(b ? "true" : "false");
                return;
            case double d:
                writer.Write(ExportValues.FormatDouble(d));
                return;
            default:
                // Other CLR values (int, a masked value is always a string) take their invariant text, quoted as needed.
                WriteText(writer, ExportValues.ToText(value) ?? "", excel: false);
                return;
        }
    }

    private static void WriteText(StreamWriter writer, string text, bool excel)
    {
        var formula = excel && ExportValues.LooksLikeFormula(text);
        var quote = text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || text.AsSpan().IndexOfAny(",\"\r\n") >= 0);
        if (!quote && !formula)
        {
            writer.Write(text);
            return;
        }
        if (quote) writer.Write('"');
        if (formula) writer.Write('\'');
        if (quote)
        {
            var span = text.AsSpan();
            int q;
            while ((q = span.IndexOf('"')) >= 0)
            {
                writer.Write(span[..(q + 1)]);
                writer.Write('"');
                span = span[(q + 1)..];
            }
            writer.Write(span);
            writer.Write('"');
        }
        else writer.Write(text);
    }
}
