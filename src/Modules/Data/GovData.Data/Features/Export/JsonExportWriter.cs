using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using GovData.Data.Domain;

namespace GovData.Data.Features.Export;

/// <summary>
/// Streams rows as JSON (<c>[{"field":value,…},…]</c>) or NDJSON (one object per line, <c>\n</c>-terminated), keyed by
/// the field name (<see cref="DataColumn.FieldName"/>: field code, or the item name when it has none). Typed values:
/// text as strings, decimals/doubles/integers as numbers (NaN and infinities, which JSON has no number for, as the
/// strings "NaN", "Infinity", "-Infinity"), booleans, dates as <c>"yyyy-MM-dd"</c>, timestamps as ISO 8601
/// <c>"yyyy-MM-ddTHH:mm:ss"</c> without offset (local time as loaded), null; masked values are strings.
/// Chinese text is written as is (not \u-escaped); HTML-sensitive characters are escaped.
/// A <see cref="Utf8JsonWriter"/> fills a pooled buffer that is written to the output every 64 KiB.
/// </summary>
internal static class JsonExportWriter
{
    private const int FlushThreshold = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>Writes all rows; returns the number written. <paramref name="lines"/> selects NDJSON.</summary>
    public static async Task<long> WriteAsync(IReadOnlyList<DataColumn> columns, IAsyncEnumerable<object?[]> rows, Stream output,
        bool raw, bool lines, CancellationToken ct = default)
    {
        var mask = ExportValues.MaskFlags(columns, raw);
        var names = columns.Select(c => JsonEncodedText.Encode(c.FieldName, WriterOptions.Encoder)).ToArray();
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        await using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        long count = 0;

        if (!lines) writer.WriteStartArray();
        await foreach (var row in rows.WithCancellation(ct))
        {
            count++;
            ExportValues.Prepare(row, columns, mask, count);
            writer.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                writer.WritePropertyName(names[i]);
                WriteValue(writer, row[i]);
            }
            writer.WriteEndObject();
            if (lines)
            {
                // One root value per line: flush the writer into the buffer, end the line, start a fresh document.
                writer.Flush();
                buffer.Write("\n"u8);
                writer.Reset(buffer);
            }
            if (writer.BytesPending + buffer.WrittenCount >= FlushThreshold)
            {
                writer.Flush();
                await output.WriteAsync(buffer.WrittenMemory, ct);
                buffer.ResetWrittenCount();
            }
        }
        if (!lines) writer.WriteEndArray();
        writer.Flush();
        if (!lines) buffer.Write("\n"u8);
        await output.WriteAsync(buffer.WrittenMemory, ct);
        await output.FlushAsync(ct);
        return count;
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            case int i: writer.WriteNumberValue(i); break;
            case decimal d: writer.WriteNumberValue(d); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case double d: writer.WriteStringValue(ExportValues.FormatDouble(d)); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case DateOnly d:
                Span<char> date = stackalloc char[10];
                d.TryFormat(date, out var n, ExportValues.DateFormat, CultureInfo.InvariantCulture);
                writer.WriteStringValue(date[..n]);
                break;
            case DateTime t: writer.WriteStringValue(DateTime.SpecifyKind(t, DateTimeKind.Unspecified)); break;
            default: writer.WriteStringValue(ExportValues.ToText(value)); break;
        }
    }
}
