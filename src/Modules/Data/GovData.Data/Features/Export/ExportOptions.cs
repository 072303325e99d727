using System.Globalization;
using System.Text;

namespace GovData.Data.Features.Export;

/// <summary>File format of an export.</summary>
internal enum ExportFormat
{
    /// <summary>RFC 4180 CSV (UTF-8, optionally with BOM, or GB18030).</summary>
    Csv = 1,
    /// <summary>One JSON array of objects keyed by field name, typed values.</summary>
    Json = 2,
    /// <summary>Newline-delimited JSON: one object per line.</summary>
    Ndjson = 3,
    /// <summary>Office Open XML workbook, typed cells, one sheet per 1,048,575 data rows.</summary>
    Xlsx = 4,
    /// <summary><c>&lt;dataset&gt;&lt;row&gt;&lt;field&gt;value&lt;/field&gt;…&lt;/row&gt;&lt;/dataset&gt;</c>.</summary>
    Xml = 5,
}

/// <summary>Character encoding of a CSV export.</summary>
internal enum ExportEncoding
{
    /// <summary>UTF-8 (the default).</summary>
    Utf8 = 1,
    /// <summary>
    /// GB18030, asked for as <c>gbk</c> or <c>gb18030</c>. GB18030 is a superset of GBK that encodes every GBK
    /// character with the same bytes, and the rare characters outside GBK (e.g. some 生僻字 in names) as four-byte
    /// sequences instead of '?', so nothing is silently lost.
    /// </summary>
    Gb18030 = 2,
}

/// <summary>What the header row of CSV and XLSX exports shows.</summary>
internal enum ExportHeader
{
    /// <summary>信息项名称 (the default: what people read).</summary>
    Name = 1,
    /// <summary>The API field name: the item's field code, or its name when it has none.</summary>
    Code = 2,
}

/// <summary>
/// How to export: format plus the CSV/XLSX options. Parsed from the query string of
/// <c>GET /api/v1/data/{code}/export?format=csv&amp;bom=true&amp;encoding=gbk&amp;header=code</c>.
/// </summary>
internal sealed record ExportOptions(ExportFormat Format, bool Bom = false, ExportEncoding Encoding = ExportEncoding.Utf8, ExportHeader Header = ExportHeader.Name)
{
    /// <summary>Default: UTF-8 CSV without BOM, header of item names.</summary>
    public static ExportOptions Default { get; } = new(ExportFormat.Csv);

    /// <summary>
    /// CSV meant for Excel/WPS (a BOM was asked for, or a GBK encoding): text values starting with = + - @ tab or
    /// carriage return get a leading apostrophe so a spreadsheet does not evaluate them as formulas (CSV injection).
    /// </summary>
    public bool ExcelSafe => Format == ExportFormat.Csv && (Bom || Encoding == ExportEncoding.Gb18030);

    /// <summary>The text encoding of the body.</summary>
    public Encoding TextEncoding => Encoding == ExportEncoding.Gb18030 ? Gb18030 : Utf8NoBom;

    /// <summary>UTF-8 without a byte-order mark (the BOM is written explicitly when asked for).</summary>
    public static readonly Encoding Utf8NoBom = new UTF8Encoding(false);

    /// <summary>GB18030 from the code pages provider.</summary>
    public static Encoding Gb18030
    {
        get
        {
            System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return System.Text.Encoding.GetEncoding("GB18030");
        }
    }

    /// <summary>File extension, without the dot.</summary>
    public string Extension => Format switch
    {
        ExportFormat.Csv => "csv",
        ExportFormat.Json => "json",
        ExportFormat.Ndjson => "ndjson",
        ExportFormat.Xlsx => "xlsx",
        ExportFormat.Xml => "xml",
        _ => throw new ArgumentOutOfRangeException(nameof(Format)),
    };

    /// <summary>Content-Type of the response.</summary>
    public string ContentType => Format switch
    {
        ExportFormat.Csv => Encoding == ExportEncoding.Gb18030 ? "text/csv; charset=gb18030" : "text/csv; charset=utf-8",
        ExportFormat.Json => "application/json; charset=utf-8",
        ExportFormat.Ndjson => "application/x-ndjson; charset=utf-8",
        ExportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ExportFormat.Xml => "application/xml; charset=utf-8",
        _ => throw new ArgumentOutOfRangeException(nameof(Format)),
    };

    /// <summary>
    /// The download file name <c>{资源名称}_{version}.{ext}</c>; characters not allowed in file names on Windows or
    /// Unix (\ / : * ? " &lt; &gt; | and control characters) become '_'.
    /// </summary>
    public string FileName(string resourceName, int version)
    {
        var sb = new StringBuilder(resourceName.Length + 12);
        foreach (var c in resourceName.Trim())
            sb.Append(c < 32 || c == 127 || "\\/:*?\"<>|".Contains(c) ? '_' : c);
        if (sb.Length == 0) sb.Append("data");
        if (sb.Length > 100) sb.Length = 100;
        return sb.Append('_').Append(version.ToString(CultureInfo.InvariantCulture)).Append('.').Append(Extension).ToString();
    }

    /// <summary>
    /// <c>Content-Disposition: attachment</c> with an ASCII <c>filename</c> for old clients (the resource code with '/'
    /// as '-', which is always ASCII) and the real, Chinese name as RFC 5987/6266 <c>filename*=UTF-8''…</c>.
    /// </summary>
    public string ContentDisposition(string resourceName, string resourceCode, int version)
    {
        var ascii = new StringBuilder();
        foreach (var c in resourceCode) ascii.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '-');
        if (ascii.Length == 0) ascii.Append("data");
        ascii.Append('_').Append(version.ToString(CultureInfo.InvariantCulture)).Append('.').Append(Extension);
        return $"attachment; filename=\"{ascii}\"; filename*=UTF-8''{Rfc5987(FileName(resourceName, version))}";
    }

    // RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"; everything else %XX of UTF-8.
    private static string Rfc5987(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (b < 128 && (char.IsAsciiLetterOrDigit(c) || "!#$&+-.^_`|~".Contains(c))) sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>The accepted values, for messages and documentation.</summary>
    public const string FormatList = "csv、json、ndjson、xlsx、xml";

    /// <summary>
    /// Parses the query parameters. Unknown values and options that do not apply to the format give Chinese messages
    /// keyed by the parameter name (for a 400 validation problem); null parameters take the defaults.
    /// </summary>
    public static bool TryParse(string? format, string? bom, string? encoding, string? header,
        out ExportOptions options, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>();
        options = Default;
        var f = ExportFormat.Csv;
        if (!string.IsNullOrWhiteSpace(format))
        {
            switch (format.Trim().ToLowerInvariant())
            {
                case "csv": f = ExportFormat.Csv; break;
                case "json": f = ExportFormat.Json; break;
                case "ndjson" or "jsonl" or "jsonlines": f = ExportFormat.Ndjson; break;
                case "xlsx" or "excel": f = ExportFormat.Xlsx; break;
                case "xml": f = ExportFormat.Xml; break;
                default:
                    errors["format"] = [$"不支持的导出格式“{format.Trim()}”，可选：{FormatList}"];
                    break;
            }
        }

        var withBom = false;
        if (!string.IsNullOrWhiteSpace(bom))
        {
            if (!TryParseFlag(bom, out withBom)) errors["bom"] = [$"参数 bom 的值“{bom.Trim()}”无效，应为 true 或 false"];
            else if (withBom && f != ExportFormat.Csv) errors["bom"] = ["参数 bom 仅适用于 CSV 导出（format=csv）"];
        }

        var enc = ExportEncoding.Utf8;
        if (!string.IsNullOrWhiteSpace(encoding))
        {
            switch (encoding.Trim().ToLowerInvariant())
            {
                case "utf-8" or "utf8": enc = ExportEncoding.Utf8; break;
                case "gbk" or "gb18030" or "gb2312" or "cp936": enc = ExportEncoding.Gb18030; break;
                default:
                    errors["encoding"] = [$"不支持的字符编码“{encoding.Trim()}”，可选：utf-8、gbk（按 GB18030 输出）"];
                    break;
            }
            if (enc != ExportEncoding.Utf8 && f != ExportFormat.Csv && !errors.ContainsKey("format"))
                errors["encoding"] = ["参数 encoding 仅适用于 CSV 导出（format=csv）；JSON、XML 与 XLSX 始终为 UTF-8"];
            else if (enc == ExportEncoding.Gb18030 && withBom)
                errors["bom"] = ["参数 bom 只能用于 UTF-8 编码，GBK 文件没有字节顺序标记"];
        }

        var h = ExportHeader.Name;
        if (!string.IsNullOrWhiteSpace(header))
        {
            switch (header.Trim().ToLowerInvariant())
            {
                case "name": h = ExportHeader.Name; break;
                case "code" or "field": h = ExportHeader.Code; break;
                default:
                    errors["header"] = [$"参数 header 的值“{header.Trim()}”无效，可选：name（信息项名称）、code（字段代码）"];
                    break;
            }
            if (h == ExportHeader.Code && f is not (ExportFormat.Csv or ExportFormat.Xlsx) && !errors.ContainsKey("format"))
                errors["header"] = ["参数 header 仅适用于 CSV 与 XLSX 导出；JSON 与 XML 始终以字段名为键"];
        }

        if (errors.Count > 0) return false;
        options = new ExportOptions(f, withBom, enc, h);
        return true;
    }

    /// <summary>Parses true/false (also 1/0, yes/no, 是/否).</summary>
    public static bool TryParseFlag(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "是": value = true; return true;
            case "false" or "0" or "no" or "否": value = false; return true;
            default: value = false; return false;
        }
    }
}
