using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml;
using GovData.Data.Domain;
using GovData.SharedKernel.IO;
using GovData.SharedKernel.Spreadsheets;

namespace GovData.Data.Features.Export;

/// <summary>
/// Streams rows into an XLSX workbook in constant memory, on any output stream including a non-seekable HTTP response.
/// <para>
/// System.IO.Packaging (under <c>SpreadsheetDocument</c>) needs a seekable stream to create a package, so the package
/// is written here directly: a <see cref="ZipArchive"/> in Create mode over a <see cref="SpoolStream"/> (non-seekable,
/// so entries are streamed with data descriptors, Zip64 when an entry passes 4 GiB), drained asynchronously to the
/// output after each row. Worksheets are written with the SDK's SAX <see cref="OpenXmlWriter"/>; the small parts
/// ([Content_Types].xml, _rels/.rels, xl/workbook.xml, its rels, xl/styles.xml) are fixed XML written after the sheets,
/// when their number is known (part order inside a ZIP does not matter to OPC readers).
/// </para>
/// <para>
/// Cells: text as inline strings (no shared-string table, which would have to be held in memory); integers and
/// decimals as numbers when Excel can hold them exactly (at most 15 significant digits), otherwise as text so
/// 18-digit codes are not rounded; doubles as numbers; booleans as TRUE/FALSE; dates and timestamps from 1900-03-01 as
/// date serials with the styles <c>yyyy-mm-dd</c> / <c>yyyy-mm-dd hh:mm:ss</c> (earlier dates, which Excel's 1900
/// calendar cannot show, as text); null as no cell. Text is cut at Excel's 32,767 characters per cell; characters XML
/// cannot carry, and CR (which XML readers would fold into LF), are written as Excel's <c>_xHHHH_</c> escapes. Row 1 of each sheet is the bold header, frozen.
/// </para>
/// <para>
/// Excel holds 1,048,576 rows per sheet: after 1,048,575 data rows the export continues on a new sheet (数据2, 数据3 …),
/// each with its own header row.
/// </para>
/// </summary>
internal static class XlsxExportWriter
{
    /// <summary>Rows per worksheet in Excel (header included).</summary>
    public const int ExcelMaxRows = 1_048_576;

    /// <summary>Longest text an Excel cell holds.</summary>
    public const int ExcelMaxCellText = 32_767;

    /// <summary>Style indexes of styles.xml's cellXfs.</summary>
    internal const uint DateStyle = 1, TimestampStyle = 2, HeaderStyle = 3;

    private static readonly DateOnly FirstSerialDate = new(1900, 3, 1);
    private static readonly int SerialEpochDay = new DateOnly(1899, 12, 30).DayNumber;

    /// <summary>Name of the n-th worksheet (1-based).</summary>
    public static string SheetName(int number) => number == 1 ? "数据" : "数据" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the workbook; returns the number of data rows. <paramref name="maxRowsPerSheet"/> (header included) is
    /// Excel's limit unless a test lowers it.
    /// </summary>
    public static async Task<long> WriteAsync(IReadOnlyList<DataColumn> columns, IAsyncEnumerable<object?[]> rows, Stream output,
        bool raw, ExportHeader header, CancellationToken ct = default, int maxRowsPerSheet = ExcelMaxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRowsPerSheet, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRowsPerSheet, ExcelMaxRows);
        var mask = ExportValues.MaskFlags(columns, raw);
        using var spool = new SpoolStream();
        long count = 0;
        var sheets = 0;
        using (var zip = new ZipArchive(spool, ZipArchiveMode.Create, leaveOpen: true))
        {
            SheetWriter? sheet = null;
            try
            {
                await foreach (var row in rows.WithCancellation(ct))
                {
                    if (sheet is null || sheet.RowCount >= maxRowsPerSheet)
                    {
                        sheet?.Dispose();
                        sheet = new SheetWriter(zip, ++sheets, columns, header);
                    }
                    count++;
                    sheet.WriteRow(ExportValues.Prepare(row, columns, mask, count));
                    if (spool.ShouldDrain) await spool.DrainAsync(output, ct);
                }
                sheet ??= new SheetWriter(zip, ++sheets, columns, header);   // no rows: a sheet with the header only
            }
            finally
            {
                sheet?.Dispose();
            }
            WritePart(zip, "xl/styles.xml", StylesXml);
            WritePart(zip, "xl/workbook.xml", WorkbookXml(sheets));
            WritePart(zip, "xl/_rels/workbook.xml.rels", WorkbookRelsXml(sheets));
            WritePart(zip, "_rels/.rels", RootRelsXml);
            WritePart(zip, "[Content_Types].xml", ContentTypesXml(sheets));
        }
        await spool.DrainAsync(output, ct);
        await output.FlushAsync(ct);
        return count;
    }

    private static void WritePart(ZipArchive zip, string name, string xml)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(Encoding.UTF8.GetBytes(xml));
    }

    /// <summary>One worksheet being written: a ZIP entry with an OpenXmlWriter on it.</summary>
    private sealed class SheetWriter : IDisposable
    {
        private static readonly Cell CellElement = new();
        private static readonly CellValue ValueElement = new();
        private static readonly Row RowElement = new();
        private static readonly InlineString InlineElement = new();
        private static readonly Text TextElement = new();
        private static readonly OpenXmlAttribute Preserve = new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve");

        private readonly Stream _entry;
        private readonly OpenXmlWriter _writer;
        private readonly string[] _letters;
        private readonly List<OpenXmlAttribute> _attributes = new(3);
        private readonly List<OpenXmlAttribute> _rowAttributes = new(1);
        private readonly List<OpenXmlAttribute> _preserve = [Preserve];
        private readonly List<OpenXmlAttribute> _none = [];
        private static readonly string[] StyleText = ["0", "1", "2", "3"];
        private string _rowText = "";

        public SheetWriter(ZipArchive zip, int number, IReadOnlyList<DataColumn> columns, ExportHeader header)
        {
            _entry = zip.CreateEntry($"xl/worksheets/sheet{number.ToString(CultureInfo.InvariantCulture)}.xml", CompressionLevel.Fastest).Open();
            _writer = OpenXmlWriter.Create(_entry);
            _letters = Enumerable.Range(0, columns.Count).Select(TabularFile.ColumnName).ToArray();
            _writer.WriteStartDocument();
            _writer.WriteStartElement(new Worksheet());
            _writer.WriteElement(new SheetViews(new SheetView(
                new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
            { WorkbookViewId = 0 }));
            if (columns.Count > 0)
            {
                var cols = new Columns();
                for (var i = 0; i < columns.Count; i++)
                {
                    var title = header == ExportHeader.Code ? columns[i].FieldName : columns[i].ItemName;
                    cols.Append(new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = Width(columns[i], title), CustomWidth = true });
                }
                _writer.WriteElement(cols);
            }
            _writer.WriteStartElement(new SheetData());
            StartRow();
            for (var i = 0; i < columns.Count; i++)
                WriteText(i, header == ExportHeader.Code ? columns[i].FieldName : columns[i].ItemName, HeaderStyle);
            _writer.WriteEndElement();
        }

        /// <summary>Rows written to this sheet, header included.</summary>
        public int RowCount { get; private set; }

        public void WriteRow(object?[] row)
        {
            StartRow();
            for (var i = 0; i < row.Length; i++)
            {
                switch (row[i])
                {
                    case null: break;
                    case string s: WriteText(i, s, 0); break;
                    case long l when Math.Abs((double)l) < 1e15: WriteNumber(i, l.ToString(CultureInfo.InvariantCulture), 0); break;
                    case decimal d:
                        var text = d.ToString(CultureInfo.InvariantCulture);
                        if (SignificantDigits(text) <= 15) WriteNumber(i, text, 0);
                        else WriteText(i, text, 0);
                        break;
                    case double d when double.IsFinite(d): WriteNumber(i, d.ToString("R", CultureInfo.InvariantCulture), 0); break;
                    case bool b: WriteCell(i, 0, "b", b ? "1" : "0"); break;
                    case DateOnly d when d >= FirstSerialDate:
                        WriteNumber(i, (d.DayNumber - SerialEpochDay).ToString(CultureInfo.InvariantCulture), DateStyle);
                        break;
                    case DateTime t when DateOnly.FromDateTime(t) >= FirstSerialDate:
                        WriteNumber(i, t.ToOADate().ToString("R", CultureInfo.InvariantCulture), TimestampStyle);
                        break;
                    case var other: WriteText(i, ExportValues.ToText(other) ?? "", 0); break;
                }
            }
            _writer.WriteEndElement();
        }

        private void StartRow()
        {
            RowCount++;
            _rowText = RowCount.ToString(CultureInfo.InvariantCulture);
            _rowAttributes.Clear();
            _rowAttributes.Add(new OpenXmlAttribute("r", "", _rowText));
            _writer.WriteStartElement(RowElement, _rowAttributes);
        }

        private void StartCell(int column, uint style, string? type)
        {
            _attributes.Clear();
            _attributes.Add(new OpenXmlAttribute("r", "", string.Concat(_letters[column], _rowText)));
            if (style != 0) _attributes.Add(new OpenXmlAttribute("s", "", StyleText[style]));
            if (type is not null) _attributes.Add(new OpenXmlAttribute("t", "", type));
            _writer.WriteStartElement(CellElement, _attributes);
        }

        private void WriteNumber(int column, string value, uint style) => WriteCell(column, style, null, value);

        private void WriteCell(int column, uint style, string? type, string value)
        {
            StartCell(column, style, type);
            _writer.WriteStartElement(ValueElement, _none);
            _writer.WriteString(value);
            _writer.WriteEndElement();
            _writer.WriteEndElement();
        }

        private void WriteText(int column, string value, uint style)
        {
            var text = CellText(value);
            StartCell(column, style, "inlineStr");
            _writer.WriteStartElement(InlineElement, _none);
            _writer.WriteStartElement(TextElement, text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) ? _preserve : _none);
            _writer.WriteString(text);
            _writer.WriteEndElement();
            _writer.WriteEndElement();
            _writer.WriteEndElement();
        }

        public void Dispose()
        {
            _writer.WriteEndElement();   // sheetData
            _writer.WriteEndElement();   // worksheet
            _writer.Close();
            _entry.Dispose();
        }

        private static double Width(DataColumn column, string title)
        {
            var headerWidth = title.Sum(c => c > 0x2E80 ? 2 : 1) + 2;
            var dataWidth = column.Kind switch
            {
                ColumnKind.Date => 12,
                ColumnKind.Timestamp => 20,
                ColumnKind.Boolean => 8,
                ColumnKind.Integer or ColumnKind.Decimal or ColumnKind.Double => 14,
                _ => Math.Clamp(column.Length ?? 20, 8, 50),
            };
            return Math.Min(60, Math.Max(headerWidth, dataWidth));
        }
    }

    /// <summary>Significant digits of an invariant decimal text (sign, point, leading zeros and fraction's trailing zeros excluded).</summary>
    internal static int SignificantDigits(string text)
    {
        var span = text.AsSpan().TrimStart('-');
        if (span.Contains('.')) span = span.TrimEnd('0').TrimEnd('.');
        var digits = 0;
        var leading = true;
        foreach (var c in span)
        {
            if (c == '.') continue;
            if (leading && c == '0') continue;
            leading = false;
            digits++;
        }
        return digits;
    }

    /// <summary>
    /// Text as an Excel cell holds it: at most 32,767 characters; characters XML cannot carry, and CR, become
    /// <c>_xHHHH_</c> (Excel's escape, decoded when the file is opened; Excel itself writes CR as <c>_x000D_</c>), and a literal <c>_xHHHH_</c> in the text has its '_' escaped as
    /// <c>_x005F_</c> so it is not decoded.
    /// </summary>
    internal static string CellText(string value)
    {
        if (value.Length > ExcelMaxCellText)
        {
            var cut = ExcelMaxCellText;
            if (char.IsHighSurrogate(value[cut - 1])) cut--;
            value = value[..cut];
        }
        var bad = ExportValues.FirstInvalidXmlChar(value);
        if (bad < 0 && !value.Contains("_x", StringComparison.Ordinal) && !value.Contains('\r')) return value;
        var sb = new StringBuilder(value.Length + 16);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { sb.Append(c).Append(value[++i]); continue; }
            if (c == '_' && IsEscapeAt(value, i)) { sb.Append("_x005F_"); continue; }
            if (c != '\r' && System.Xml.XmlConvert.IsXmlChar(c)) sb.Append(c);
            else sb.Append("_x").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('_');
        }
        return sb.ToString();
    }

    private static bool IsEscapeAt(string s, int i) =>
        i + 6 < s.Length && s[i + 1] == 'x' && char.IsAsciiHexDigit(s[i + 2]) && char.IsAsciiHexDigit(s[i + 3])
        && char.IsAsciiHexDigit(s[i + 4]) && char.IsAsciiHexDigit(s[i + 5]) && s[i + 6] == '_';

    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

    private const string RootRelsXml = Declaration +
        "<Relationships xmlns=\"" + PackageRelNs + "\">" +
        "<Relationship Id=\"rId1\" Type=\"" + RelNs + "/officeDocument\" Target=\"xl/workbook.xml\"/>" +
        "</Relationships>";

    private const string StylesXml = Declaration +
        "<styleSheet xmlns=\"" + MainNs + "\">" +
        "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/><numFmt numFmtId=\"165\" formatCode=\"yyyy-mm-dd hh:mm:ss\"/></numFmts>" +
        "<fonts count=\"2\">" +
        "<font><sz val=\"11\"/><name val=\"等线\"/><family val=\"2\"/><charset val=\"134\"/></font>" +
        "<font><b/><sz val=\"11\"/><name val=\"等线\"/><family val=\"2\"/><charset val=\"134\"/></font>" +
        "</fonts>" +
        "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>" +
        "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>" +
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>" +
        "<cellXfs count=\"4\">" +
        "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>" +
        "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>" +
        "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>" +
        "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>" +
        "</cellXfs>" +
        "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>" +
        "</styleSheet>";

    private static string WorkbookXml(int sheets)
    {
        var sb = new StringBuilder(Declaration);
        sb.Append("<workbook xmlns=\"").Append(MainNs).Append("\" xmlns:r=\"").Append(RelNs).Append("\"><sheets>");
        for (var i = 1; i <= sheets; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<sheet name=\"{SheetName(i)}\" sheetId=\"{i}\" r:id=\"rId{i}\"/>");
        return sb.Append("</sheets></workbook>").ToString();
    }

    private static string WorkbookRelsXml(int sheets)
    {
        var sb = new StringBuilder(Declaration);
        sb.Append("<Relationships xmlns=\"").Append(PackageRelNs).Append("\">");
        for (var i = 1; i <= sheets; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<Relationship Id=\"rId{i}\" Type=\"{RelNs}/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<Relationship Id=\"rId{sheets + 1}\" Type=\"{RelNs}/styles\" Target=\"styles.xml\"/>");
        return sb.Append("</Relationships>").ToString();
    }

    private static string ContentTypesXml(int sheets)
    {
        var sb = new StringBuilder(Declaration);
        sb.Append("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
            .Append("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
            .Append("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
            .Append("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>")
            .Append("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>");
        for (var i = 1; i <= sheets; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
        return sb.Append("</Types>").ToString();
    }
}
