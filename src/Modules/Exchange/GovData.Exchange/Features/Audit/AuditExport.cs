using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Xml;
using GovData.Exchange.Persistence;
using GovData.SharedKernel.IO;
using GovData.SharedKernel.Spreadsheets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Exchange.Features.Audit;

/// <summary>
/// Streams the entries of a search (oldest first) as CSV (UTF-8 with BOM) or XLSX. Rows are read from the database as
/// they are written, so memory does not grow with the log: CSV goes out row by row; XLSX is a ZIP written in streaming
/// mode (data descriptors) through a small spool drained to the response after each row, the worksheets written with a
/// plain <see cref="XmlWriter"/> (inline strings, so no shared-string table in memory). Past Excel's 1,048,576 rows the
/// workbook continues on a new sheet. Times are written in ISO 8601 with the server's offset (Beijing time in deployment).
/// A failure after the first bytes aborts the connection, so a client never keeps a silently truncated file.
/// </summary>
internal sealed class AuditExportResult(AuditQuery query, string format) : IResult, IEndpointMetadataProvider
{
    /// <summary>Rows per worksheet in Excel, header included.</summary>
    public const int ExcelMaxRows = 1_048_576;

    internal static readonly string[] Header =
    [
        "序号", "记录时间", "类型", "类型代码", "结果", "结果代码", "用数部门", "提供部门", "应用（client id）", "用户", "资源代码", "授权", "共享申请",
        "用途/应用场景", "事由（X-GovData-Issue）", "请求编号（X-GovData-Request-Id）", "返回行数", "请求哈希", "响应哈希", "说明", "记录哈希", "链哈希",
    ];

    public async Task ExecuteAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var db = http.RequestServices.GetRequiredService<ExchangeDb>();
        var names = http.RequestServices.GetRequiredService<AuditNames>();
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GovData.Exchange.Audit.Export");
        var response = http.Response;
        var xlsx = format == "xlsx";
        var stamp = DateTime.Now.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
        var fileName = $"交换审计日志-{stamp}.{(xlsx ? "xlsx" : "csv")}";
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"audit-{stamp}.{(xlsx ? "xlsx" : "csv")}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        try
        {
            var entries = query.Apply(db).OrderBy(e => e.Seq).AsAsyncEnumerable();
            var rows = Rows(entries, names, ct);
            var count = xlsx ? await WriteXlsxAsync(rows, response.Body, ct) : await WriteCsvAsync(rows, response.Body, ct);
            logger.LogInformation("导出交换审计日志 {Format}：{Rows} 条，用户 {User}", format, count, http.User.Identity?.Name);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (response.HasStarted)
        {
            logger.LogError(ex, "导出交换审计日志中途失败，连接已中止");
            http.Abort();
        }
    }

    private static async IAsyncEnumerable<string?[]> Rows(IAsyncEnumerable<AuditEntry> entries, AuditNames names,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in entries.WithCancellation(ct))
        {
            yield return
            [
                e.Seq.ToString(CultureInfo.InvariantCulture),
                new DateTimeOffset(DateTime.SpecifyKind(e.RecordedAt, DateTimeKind.Utc)).ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
                AuditTerms.KindName(e.Kind), e.Kind, AuditTerms.OutcomeName(e.Outcome), e.Outcome,
                await names.DepartmentAsync(e.ConsumerDepartmentId, ct), await names.DepartmentAsync(e.ProviderDepartmentId, ct),
                e.ClientId, await names.UserAsync(e.UserId, ct) ?? e.UserId?.ToString(), e.ResourceCode, e.GrantId?.ToString(), e.RequestId?.ToString(),
                e.Purpose, e.Issue, e.MessageId, e.RowsReturned.ToString(CultureInfo.InvariantCulture), e.RequestHash, e.ResponseHash, e.Detail,
                e.EntryHash.Trim(), e.ChainHash.Trim(),
            ];
        }
    }

    /// <summary>CSV, UTF-8 with BOM (Excel opens Chinese text correctly); fields quoted when needed; text starting with = + - @ prefixed with ' (formula injection).</summary>
    internal static async Task<long> WriteCsvAsync(IAsyncEnumerable<string?[]> rows, Stream output, CancellationToken ct)
    {
        var sb = new StringBuilder(1024);
        await output.WriteAsync(Encoding.UTF8.GetPreamble(), ct);
        AppendCsvRow(sb, Header!);
        long count = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            AppendCsvRow(sb, row);
            count++;
            if (sb.Length >= 32 * 1024)
            {
                await output.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), ct);
                sb.Clear();
            }
        }
        if (sb.Length > 0) await output.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), ct);
        await output.FlushAsync(ct);
        return count;
    }

    private static void AppendCsvRow(StringBuilder sb, string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) sb.Append(',');
            var value = cells[i] ?? "";
            if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0) sb.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
            else sb.Append(value);
        }
        sb.Append("\r\n");
    }

    internal static async Task<long> WriteXlsxAsync(IAsyncEnumerable<string?[]> rows, Stream output, CancellationToken ct, int maxRowsPerSheet = ExcelMaxRows)
    {
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
                    if (sheet is null || sheet.Rows >= maxRowsPerSheet)
                    {
                        sheet?.Dispose();
                        sheet = new SheetWriter(zip, ++sheets);
                    }
                    sheet.WriteRow(row, isNumber: NumberColumns);
                    count++;
                    if (spool.ShouldDrain) await spool.DrainAsync(output, ct);
                }
                sheet ??= new SheetWriter(zip, ++sheets);
            }
            finally
            {
                sheet?.Dispose();
            }
            WritePart(zip, "xl/workbook.xml", WorkbookXml(sheets));
            WritePart(zip, "xl/_rels/workbook.xml.rels", WorkbookRelsXml(sheets));
            WritePart(zip, "xl/styles.xml", StylesXml);
            WritePart(zip, "_rels/.rels", RootRelsXml);
            WritePart(zip, "[Content_Types].xml", ContentTypesXml(sheets));
        }
        await spool.DrainAsync(output, ct);
        await output.FlushAsync(ct);
        return count;
    }

    /// <summary>序号 and 返回行数 are numbers; every other column is text.</summary>
    private static readonly bool[] NumberColumns = Header.Select(h => h is "序号" or "返回行数").ToArray();

    private static void WritePart(ZipArchive zip, string name, string xml)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(Encoding.UTF8.GetBytes(xml));
    }

    private sealed class SheetWriter : IDisposable
    {
        private const string Ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        private readonly Stream _entry;
        private readonly XmlWriter _xml;
        private readonly string[] _letters = Enumerable.Range(0, Header.Length).Select(TabularFile.ColumnName).ToArray();

        public SheetWriter(ZipArchive zip, int number)
        {
            _entry = zip.CreateEntry($"xl/worksheets/sheet{number.ToString(CultureInfo.InvariantCulture)}.xml", CompressionLevel.Fastest).Open();
            _xml = XmlWriter.Create(_entry, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CheckCharacters = false });
            _xml.WriteStartDocument(true);
            _xml.WriteStartElement("worksheet", Ns);
            _xml.WriteStartElement("sheetViews", Ns);
            _xml.WriteStartElement("sheetView", Ns);
            _xml.WriteAttributeString("workbookViewId", "0");
            _xml.WriteStartElement("pane", Ns);
            _xml.WriteAttributeString("ySplit", "1");
            _xml.WriteAttributeString("topLeftCell", "A2");
            _xml.WriteAttributeString("activePane", "bottomLeft");
            _xml.WriteAttributeString("state", "frozen");
            _xml.WriteEndElement();
            _xml.WriteEndElement();
            _xml.WriteEndElement();
            _xml.WriteStartElement("sheetData", Ns);
            WriteRow(Header!, null, style: "1");
        }

        public int Rows { get; private set; }

        public void WriteRow(string?[] cells, bool[]? isNumber, string? style = null)
        {
            Rows++;
            var r = Rows.ToString(CultureInfo.InvariantCulture);
            _xml.WriteStartElement("row", Ns);
            _xml.WriteAttributeString("r", r);
            for (var i = 0; i < cells.Length; i++)
            {
                var value = cells[i];
                if (value is null) continue;
                _xml.WriteStartElement("c", Ns);
                _xml.WriteAttributeString("r", _letters[i] + r);
                if (style is not null) _xml.WriteAttributeString("s", style);
                if (isNumber is not null && isNumber[i])
                {
                    _xml.WriteElementString("v", Ns, value);
                }
                else
                {
                    _xml.WriteAttributeString("t", "inlineStr");
                    _xml.WriteStartElement("is", Ns);
                    _xml.WriteStartElement("t", Ns);
                    var text = CellText(value);
                    if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
                        _xml.WriteAttributeString("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve");
                    _xml.WriteString(text);
                    _xml.WriteEndElement();
                    _xml.WriteEndElement();
                }
                _xml.WriteEndElement();
            }
            _xml.WriteEndElement();
            _xml.Flush();
        }

        public void Dispose()
        {
            _xml.WriteEndElement(); // sheetData
            _xml.WriteEndElement(); // worksheet
            _xml.WriteEndDocument();
            _xml.Dispose();
            _entry.Dispose();
        }

        /// <summary>At most 32,767 characters; characters XML 1.0 cannot carry, and CR, become Excel's _xHHHH_ escapes.</summary>
        private static string CellText(string value)
        {
            if (value.Length > 32_767) value = value[..(char.IsHighSurrogate(value[32_766]) ? 32_766 : 32_767)];
            var clean = true;
            foreach (var c in value)
                if (c == '\r' || (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))) { clean = false; break; }
            if (clean) return value;
            var sb = new StringBuilder(value.Length + 8);
            foreach (var c in value)
                if (c == '\r' || (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))) sb.Append("_x").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('_');
                else sb.Append(c);
            return sb.ToString();
        }
    }

    private const string Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

    private static string WorkbookXml(int sheets)
    {
        var sb = new StringBuilder(Declaration);
        sb.Append("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>");
        for (var i = 1; i <= sheets; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<sheet name=\"审计日志{(i == 1 ? "" : i.ToString(CultureInfo.InvariantCulture))}\" sheetId=\"{i}\" r:id=\"rId{i}\"/>");
        return sb.Append("</sheets></workbook>").ToString();
    }

    private static string WorkbookRelsXml(int sheets)
    {
        var sb = new StringBuilder(Declaration);
        sb.Append("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        for (var i = 1; i <= sheets; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<Relationship Id=\"rId{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<Relationship Id=\"rId{sheets + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>");
        return sb.Append("</Relationships>").ToString();
    }

    private static string ContentTypesXml(int sheets)
    {
        var sb = new StringBuilder(Declaration);
        sb.Append("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
        sb.Append("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>");
        sb.Append("<Default Extension=\"xml\" ContentType=\"application/xml\"/>");
        sb.Append("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>");
        sb.Append("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>");
        for (var i = 1; i <= sheets; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
        return sb.Append("</Types>").ToString();
    }

    private const string RootRelsXml = Declaration +
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>" +
        "</Relationships>";

    private const string StylesXml = Declaration +
        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" +
        "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"等线\"/></font><font><b/><sz val=\"11\"/><name val=\"等线\"/></font></fonts>" +
        "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>" +
        "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>" +
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>" +
        "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>" +
        "</styleSheet>";

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream),
            ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]));
}
