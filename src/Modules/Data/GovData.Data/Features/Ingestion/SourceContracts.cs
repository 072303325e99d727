namespace GovData.Data.Features.Ingestion;

/// <summary>File formats a load accepts.</summary>
internal enum SourceFormat
{
    /// <summary>Delimited text (CSV/TSV), UTF-8 (with or without BOM) or GBK/GB18030.</summary>
    Csv = 1,
    /// <summary>Excel 2007+ workbook; the first sheet unless one is named.</summary>
    Xlsx = 2,
    /// <summary>A JSON array of objects.</summary>
    Json = 3,
    /// <summary>One JSON object per line.</summary>
    Ndjson = 4,
}

/// <summary>
/// One record of a source file. <see cref="RowNumber"/> is what a user finds in the file: the line (CSV: the line the
/// record starts on, header = 1), the sheet row (XLSX) or the 1-based object position (JSON). <see cref="Values"/> are
/// aligned with the source's header. <see cref="Problem"/> is set when the record itself is malformed (broken quoting,
/// more or fewer fields than the header, not an object): such a record is rejected whole, with this Chinese reason.
/// </summary>
/// <remarks>
/// When <see cref="Problem"/> is set, <see cref="Values"/> hold the fields as far as they could be read (their count may
/// differ from the header's) and <see cref="Rule"/> names the rule (<see cref="ValueRules.Quote"/>,
/// <see cref="ValueRules.Width"/> or <see cref="ValueRules.Record"/>) for the per-rule counts of the load report.
/// </remarks>
internal sealed record SourceRecord(long RowNumber, string?[] Values, string? Problem)
{
    /// <summary>The <see cref="ValueRules"/> code of <see cref="Problem"/>; null when the record is well formed.</summary>
    public string? Rule { get; init; }
}

/// <summary>How to open a source file. Nulls mean "detect".</summary>
internal sealed record SourceOptions
{
    public SourceFormat? Format { get; init; }
    /// <summary>Web name of a forced encoding ("utf-8", "gb18030"); null → detected over the whole file.</summary>
    public string? Encoding { get; init; }
    /// <summary>Forced delimiter; null → detected.</summary>
    public char? Delimiter { get; init; }
    /// <summary>XLSX sheet name; null → the first sheet.</summary>
    public string? Sheet { get; init; }
}

/// <summary>A streaming reader over one source file, in constant memory whatever its size.</summary>
internal interface ITabularSource : IAsyncDisposable
{
    SourceFormat Format { get; }

    /// <summary>What was detected, in Chinese, e.g. “CSV，GB18030 编码，逗号分隔”.</summary>
    string Description { get; }

    /// <summary>Column names from the header (XLSX/CSV first row; JSON: keys in first-seen order).</summary>
    IReadOnlyList<string> Header { get; }

    /// <summary>File size in bytes (progress).</summary>
    long BytesTotal { get; }

    /// <summary>Bytes consumed so far (progress).</summary>
    long BytesRead { get; }

    /// <summary>The records after the header, in file order.</summary>
    IAsyncEnumerable<SourceRecord> ReadRecordsAsync(CancellationToken ct = default);
}
