namespace GovData.Data.Contracts;

/// <summary>Export file formats.</summary>
public enum DataExportFormat
{
    /// <summary>RFC 4180 CSV.</summary>
    Csv = 1,
    /// <summary>One JSON array of objects.</summary>
    Json = 2,
    /// <summary>One JSON object per line.</summary>
    Ndjson = 3,
    /// <summary>Office Open XML workbook.</summary>
    Xlsx = 4,
    /// <summary>XML <c>&lt;dataset&gt;&lt;row&gt;…</c>.</summary>
    Xml = 5,
}

/// <summary>How to export (the options of <c>GET /api/v1/data/{code}/export</c>).</summary>
/// <param name="Format">File format.</param>
/// <param name="Bom">CSV only: UTF-8 byte-order mark (for Excel).</param>
/// <param name="Gb18030">CSV only: GB18030 (GBK superset) instead of UTF-8; not with <paramref name="Bom"/>.</param>
/// <param name="FieldCodeHeader">CSV/XLSX only: header of field names instead of item names.</param>
public sealed record DataExportRequest(DataExportFormat Format, bool Bom = false, bool Gb18030 = false, bool FieldCodeHeader = false);

/// <summary>
/// A checked export, ready to stream (from <see cref="IGovernedDataAccess.PrepareExportAsync"/>). Writing reads the rows
/// in one database snapshot in constant memory.
/// </summary>
public sealed class GovernedExport
{
    private readonly Func<Stream, CancellationToken, Task<long>> _write;

    internal GovernedExport(string resourceCode, int version, string contentType, string fileName, string contentDisposition,
        IReadOnlyList<DataFieldDescription> fields, Func<Stream, CancellationToken, Task<long>> write)
    {
        ResourceCode = resourceCode;
        Version = version;
        ContentType = contentType;
        FileName = fileName;
        ContentDisposition = contentDisposition;
        Fields = fields;
        _write = write;
    }

    /// <summary>资源代码.</summary>
    public string ResourceCode { get; }

    /// <summary>The version exported.</summary>
    public int Version { get; }

    /// <summary>Content-Type of the file (e.g. <c>text/csv; charset=utf-8</c>).</summary>
    public string ContentType { get; }

    /// <summary>File name <c>{资源名称}_{版本}.{扩展名}</c>.</summary>
    public string FileName { get; }

    /// <summary>A <c>Content-Disposition: attachment</c> value with the Chinese name (RFC 5987) and an ASCII fallback.</summary>
    public string ContentDisposition { get; }

    /// <summary>The exported fields, in order.</summary>
    public IReadOnlyList<DataFieldDescription> Fields { get; }

    /// <summary>Writes the file to <paramref name="output"/>; returns the number of data rows written.</summary>
    public Task<long> WriteToAsync(Stream output, CancellationToken ct = default) => _write(output, ct);
}
