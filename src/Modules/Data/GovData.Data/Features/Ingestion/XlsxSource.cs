using System.Globalization;
using System.IO.Packaging;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace GovData.Data.Features.Ingestion;

/// <summary>
/// Streaming reader of one sheet of an Excel 2007+ workbook. DocumentFormat.OpenXml opens the package and reads the
/// workbook, sheet list and styles; the worksheet and shared-string XML are read forward-only with <see cref="XmlReader"/>
/// over the part streams (SAX: one row in memory at a time; measured about 5 times faster, with 5 times less garbage per row, than
/// loading each row as an OpenXml element through OpenXmlReader). The shared string table is held in memory — its size follows the number of
/// DISTINCT texts, not the number of rows.
/// <list type="bullet">
/// <item>Sheet: <see cref="SourceOptions.Sheet"/> (by name, case and blanks ignored), else the first sheet of the workbook.</item>
/// <item>Header: the first row with any non-blank cell; trailing empty header cells dropped.</item>
/// <item>Cells: shared strings, inline strings (phonetic guides left out), formula results, booleans as true/false,
/// errors as written (#N/A); numbers as invariant text rounded to Excel's 15 significant digits (0.30000000000000004 → 0.3);
/// numbers in a date/time cell style (built-in formats 14–22, 27–36, 45–47, 50–58, or a custom format with y/d/h/s)
/// as text <c>yyyy-MM-dd</c>, <c>yyyy-MM-dd HH:mm:ss</c> or <c>HH:mm:ss</c> (1900 and 1904 date systems).</item>
/// <item>Sparse rows: missing cells are null; rows without any value are skipped; a value right of the header is a WIDTH problem.</item>
/// <item>Row numbers are the sheet's row numbers.</item>
/// </list>
/// </summary>
internal sealed class XlsxSource : ITabularSource
{
    internal enum DateKind : byte { None, Date, DateTime, Time }

    private readonly Stream _file;
    private readonly CountingStream _counter;
    private readonly SpreadsheetDocument _document;
    private readonly string[] _sharedStrings;
    private readonly DateKind[] _styles;
    private readonly bool _date1904;
    private readonly XmlReader _reader;
    private readonly List<string?> _cells = new(32);
    private bool _started;
    private bool _disposed;

    private XlsxSource(Stream file, CountingStream counter, SpreadsheetDocument document, string sheetName, string[] sharedStrings,
        DateKind[] styles, bool date1904, XmlReader reader)
    {
        _file = file;
        _counter = counter;
        _document = document;
        SheetName = sheetName;
        _sharedStrings = sharedStrings;
        _styles = styles;
        _date1904 = date1904;
        _reader = reader;
        BytesTotal = file.Length;
    }

    public SourceFormat Format => SourceFormat.Xlsx;

    public string Description => $"Excel 工作簿（.xlsx），工作表“{SheetName}”";

    public string SheetName { get; }

    public IReadOnlyList<string> Header { get; private set; } = [];

    /// <summary>The sheet row the header was found on.</summary>
    public long HeaderRowNumber { get; private set; }

    public long BytesTotal { get; }

    public long BytesRead => Math.Min(_counter.Count, BytesTotal);

    public static Task<XlsxSource> OpenAsync(string path, SourceOptions options, CancellationToken ct = default)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Task.FromResult(Open(file, options, ct));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Opens a workbook held in a seekable stream; the source owns and disposes it.</summary>
    public static XlsxSource Open(Stream file, SourceOptions options, CancellationToken ct = default)
    {
        var counter = new CountingStream(file);
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(counter, false);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException or ArgumentException)
        {
            throw new SourceFormatException("无法读取 XLSX 文件：文件已损坏，或不是 Excel 2007 及以上版本的 .xlsx 工作簿", ex);
        }
        try
        {
            var workbook = document.WorkbookPart ?? throw new SourceFormatException("XLSX 文件缺少工作簿内容");
            var sheets = workbook.Workbook?.Sheets?.Elements<Sheet>().ToList() ?? [];
            if (sheets.Count == 0) throw new SourceFormatException("工作簿中没有工作表");
            Sheet sheet;
            if (options.Sheet is { Length: > 0 } wanted)
            {
                var key = HeaderText.Normalize(wanted);
                sheet = sheets.FirstOrDefault(s => HeaderText.Normalize(s.Name?.Value) == key)
                    ?? throw new SourceFormatException(
                        $"工作簿中没有名为“{wanted}”的工作表，现有工作表：{string.Join("、", sheets.Select(s => $"“{s.Name?.Value}”"))}");
            }
            else sheet = sheets[0];
            if (sheet.Id?.Value is not { } relId || workbook.GetPartById(relId) is not WorksheetPart part)
                throw new SourceFormatException($"工作表“{sheet.Name?.Value}”不是数据工作表（可能是图表工作表）");

            var date1904 = workbook.Workbook!.WorkbookProperties?.Date1904?.Value ?? false;
            var shared = ReadSharedStrings(workbook.SharedStringTablePart, ct);
            var styles = ReadDateStyles(workbook.WorkbookStylesPart);
            var reader = XmlReader.Create(part.GetStream(FileMode.Open, FileAccess.Read), XmlSettings);
            var source = new XlsxSource(counter.Inner, counter, document, sheet.Name?.Value ?? "", shared, styles, date1904, reader);
            source.ReadHeader();
            return source;
        }
        catch (Exception ex) when (ex is not SourceFormatException and not OperationCanceledException)
        {
            document.Dispose();
            throw new SourceFormatException("无法读取 XLSX 文件：工作簿结构已损坏", ex);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private void ReadHeader()
    {
        while (NextRow() is { } row)
        {
            if (row.Cells.All(string.IsNullOrWhiteSpace)) continue;
            var header = row.Cells.Select(HeaderText.CleanHeader).ToList();
            while (header.Count > 0 && header[^1].Length == 0) header.RemoveAt(header.Count - 1);
            Header = header;
            HeaderRowNumber = row.Number;
            return;
        }
        throw new SourceFormatException($"工作表“{SheetName}”为空：没有表头行");
    }

    public async IAsyncEnumerable<SourceRecord> ReadRecordsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started) throw new InvalidOperationException("数据记录只能读取一次");
        _started = true;
        var width = Header.Count;
        var count = 0;
        await Task.CompletedTask;
        while (NextRow() is { } row)
        {
            if ((++count & 1023) == 0) ct.ThrowIfCancellationRequested();
            var cells = row.Cells;
            var last = cells.Count - 1;
            while (last >= 0 && string.IsNullOrEmpty(cells[last])) last--;
            if (last < 0) continue; // a row without values
            if (last >= width)
            {
                yield return new SourceRecord(row.Number, cells.Take(last + 1).ToArray(),
                    $"第{last + 1}列（{ColumnLetters(last)}列）有值，但表头只有{width}列") { Rule = ValueRules.Width };
                continue;
            }
            var values = new string?[width];
            for (var i = 0; i <= last; i++) values[i] = cells[i];
            yield return new SourceRecord(row.Number, values, null);
        }
    }

    private readonly record struct SheetRowData(long Number, List<string?> Cells);

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private long _lastRow;

    /// <summary>The next &lt;row&gt; of the sheet, cells placed by their references (gaps are null). The list is reused.</summary>
    private SheetRowData? NextRow()
    {
        var x = _reader;
        while (x.Read())
        {
            if (x.NodeType != XmlNodeType.Element || x.LocalName != "row") continue;
            var number = long.TryParse(x.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : _lastRow + 1;
            _lastRow = number;
            var cells = _cells;
            cells.Clear();
            if (x.IsEmptyElement) return new SheetRowData(number, cells);
            var depth = x.Depth;
            x.Read();
            while (!(x.NodeType == XmlNodeType.EndElement && x.Depth == depth) && !x.EOF)
            {
                if (x.NodeType == XmlNodeType.Element && x.LocalName == "c")
                {
                    var column = ColumnIndex(x.GetAttribute("r")) ?? cells.Count;
                    var text = ReadCell(x);
                    while (cells.Count < column) cells.Add(null);
                    if (column < cells.Count) cells[column] = text;
                    else cells.Add(text);
                    continue;
                }
                if (x.NodeType == XmlNodeType.Element) x.Skip();
                else x.Read();
            }
            return new SheetRowData(number, cells);
        }
        return null;
    }

    /// <summary>Reads a &lt;c&gt; element (the reader ends after it) and returns its text.</summary>
    private string? ReadCell(XmlReader x)
    {
        var type = x.GetAttribute("t");
        var style = uint.TryParse(x.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0u;
        string? raw = null;
        string? inline = null;
        if (x.IsEmptyElement)
        {
            x.Read();
            return null;
        }
        var depth = x.Depth;
        x.Read();
        while (!(x.NodeType == XmlNodeType.EndElement && x.Depth == depth) && !x.EOF)
        {
            if (x.NodeType == XmlNodeType.Element)
            {
                switch (x.LocalName)
                {
                    case "v":
                        raw = x.ReadElementContentAsString();
                        continue;
                    case "is":
                        inline = ReadItem(x);
                        continue;
                    default:
                        x.Skip(); // <f> formulas, extensions
                        continue;
                }
            }
            x.Read();
        }
        x.Read(); // past </c>
        return CellText(type, style, raw, inline);
    }

    private string? CellText(string? type, uint style, string? raw, string? inline)
    {
        if (type == "inlineStr") return inline;
        if (raw is null) return inline;
        switch (type)
        {
            case "s":
                return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < _sharedStrings.Length ? _sharedStrings[i] : null;
            case "b":
                return raw.Trim() == "1" ? "true" : "false";
            case null or "n":
                break;
            default:
                return raw; // str (formula text), e (#N/A), d (ISO date)
        }
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return raw;
        var kind = style < _styles.Length ? _styles[style] : DateKind.None;
        return kind == DateKind.None ? number.ToString("G15", CultureInfo.InvariantCulture) : SerialText(number, kind, _date1904) ?? raw;
    }

    /// <summary>
    /// Text of a shared string item (&lt;si&gt;) or inline string (&lt;is&gt;): its &lt;t&gt; elements, rich-text runs
    /// joined, phonetic runs (&lt;rPh&gt;) left out. The reader ends after the element.
    /// </summary>
    private static string ReadItem(XmlReader x)
    {
        if (x.IsEmptyElement)
        {
            x.Read();
            return "";
        }
        var depth = x.Depth;
        string? single = null;
        StringBuilder? sb = null;
        x.Read();
        while (!(x.NodeType == XmlNodeType.EndElement && x.Depth == depth) && !x.EOF)
        {
            if (x.NodeType == XmlNodeType.Element)
            {
                if (x.LocalName is "rPh" or "phoneticPr" or "rPr")
                {
                    x.Skip();
                    continue;
                }
                if (x.LocalName == "t")
                {
                    var t = DecodeEscapes(x.ReadElementContentAsString());
                    if (single is null && sb is null) single = t;
                    else (sb ??= new StringBuilder(single)).Append(t);
                    continue;
                }
            }
            x.Read();
        }
        x.Read();
        return sb?.ToString() ?? single ?? "";
    }

    /// <summary>
    /// Decodes the ST_Xstring escapes of OOXML text: <c>_xHHHH_</c> is the UTF-16 unit HHHH (Excel writes CR as
    /// <c>_x000D_</c> and control characters likewise; a literal "_x" is written <c>_x005F_x</c>).
    /// </summary>
    internal static string DecodeEscapes(string text)
    {
        var i = text.IndexOf("_x", StringComparison.Ordinal);
        if (i < 0) return text;
        var sb = new StringBuilder(text.Length);
        var start = 0;
        while (i >= 0)
        {
            if (i + 7 <= text.Length && text[i + 6] == '_'
                && ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
            {
                sb.Append(text, start, i - start).Append((char)unit);
                start = i + 7;
                i = text.IndexOf("_x", start, StringComparison.Ordinal);
            }
            else i = text.IndexOf("_x", i + 1, StringComparison.Ordinal);
        }
        return sb.Append(text, start, text.Length - start).ToString();
    }

    /// <summary>An Excel serial date as text, or null when out of range.</summary>
    private static string? SerialText(double serial, DateKind kind, bool date1904)
    {
        if (date1904) serial += 1462;
        if (serial is < 0 or > 2958465.99999) return null;
        if (kind == DateKind.Time)
        {
            var seconds = (long)Math.Round((serial - Math.Floor(serial)) * 86400) % 86400;
            return TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        }
        if (serial < 61) serial += 1; // Excel counts a 29 February 1900 that never was
        var dt = DateTime.FromOADate(serial);
        dt = new DateTime((dt.Ticks + TimeSpan.TicksPerSecond / 2) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond);
        return kind == DateKind.Date
            ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }

    private static string[] ReadSharedStrings(SharedStringTablePart? part, CancellationToken ct)
    {
        if (part is null) return [];
        var list = new List<string>();
        using var x = XmlReader.Create(part.GetStream(FileMode.Open, FileAccess.Read), XmlSettings);
        while (!x.EOF)
        {
            if (x.NodeType == XmlNodeType.Element && x.LocalName == "si")
            {
                list.Add(ReadItem(x));
                if ((list.Count & 4095) == 0) ct.ThrowIfCancellationRequested();
                continue;
            }
            x.Read();
        }
        return list.ToArray();
    }

    private static DateKind[] ReadDateStyles(WorkbookStylesPart? part)
    {
        var stylesheet = part?.Stylesheet;
        if (stylesheet?.CellFormats is null) return [];
        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .GroupBy(f => f.NumberFormatId!.Value)
            .ToDictionary(g => g.Key, g => g.First().FormatCode?.Value ?? "") ?? [];
        return stylesheet.CellFormats.Elements<CellFormat>()
            .Select(f =>
            {
                var id = f.NumberFormatId?.Value ?? 0;
                return custom.TryGetValue(id, out var code) ? KindOfFormat(code) : KindOfBuiltIn(id);
            })
            .ToArray();
    }

    private static DateKind KindOfBuiltIn(uint id) => id switch
    {
        14 or 15 or 16 or 17 or 27 or 28 or 29 or 30 or 31 or 36 or 50 or 51 or 54 or 57 or 58 => DateKind.Date,
        22 => DateKind.DateTime,
        18 or 19 or 20 or 21 or 32 or 33 or 34 or 35 or 45 or 46 or 47 or 52 or 53 or 55 or 56 => DateKind.Time,
        _ => DateKind.None,
    };

    /// <summary>Whether a custom number format shows a date, a time or both (quoted text, [colour]/[$-locale] and escapes ignored).</summary>
    internal static DateKind KindOfFormatCode(string code) => KindOfFormat(code);

    private static DateKind KindOfFormat(string code)
    {
        var section = code.Split(';')[0];
        bool date = false, time = false, month = false;
        for (var i = 0; i < section.Length; i++)
        {
            var c = char.ToLowerInvariant(section[i]);
            switch (c)
            {
                case '"':
                    var close = section.IndexOf('"', i + 1);
                    i = close < 0 ? section.Length : close;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case '[':
                    var end = section.IndexOf(']', i + 1);
                    var inner = end < 0 ? "" : section[(i + 1)..end].ToLowerInvariant();
                    if (inner is "h" or "hh" or "m" or "mm" or "s" or "ss") time = true; // elapsed time
                    i = end < 0 ? section.Length : end;
                    break;
                case 'y' or 'd':
                    date = true;
                    break;
                case 'h' or 's':
                    time = true;
                    break;
                case 'm':
                    month = true;
                    break;
            }
        }
        if (section.Contains("General", StringComparison.OrdinalIgnoreCase) && !date && !time) return DateKind.None;
        if (month && !time) date = true; // m without h/s is a month (mmm-yy)
        return date && time ? DateKind.DateTime : date ? DateKind.Date : time ? DateKind.Time : DateKind.None;
    }

    internal static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var n = 0;
        foreach (var c in reference)
        {
            var u = char.ToUpperInvariant(c);
            if (u is < 'A' or > 'Z') break;
            n = n * 26 + (u - 'A' + 1);
        }
        return n == 0 ? null : n - 1;
    }

    internal static string ColumnLetters(int index)
    {
        var s = "";
        for (index++; index > 0; index = (index - 1) / 26) s = (char)('A' + (index - 1) % 26) + s;
        return s;
    }

    public ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        _disposed = true;
        _reader.Dispose();
        _document.Dispose();
        _file.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Counts the bytes the package reads from the file (progress).</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public Stream Inner => inner;
        public long Count { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            Count += n;
            return n;
        }

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            Count += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
