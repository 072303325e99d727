using GovData.Data.Domain;

namespace GovData.Data.Features.Export;

/// <summary>What is exported: the resource, the version and the selected columns (in output order).</summary>
/// <param name="ResourceCode">资源代码 as written (<c>303026010201/1</c>).</param>
/// <param name="ResourceName">资源名称 (file name, XML attribute).</param>
/// <param name="Version">Version number.</param>
/// <param name="Columns">Selected columns; each row carries one value per column, in this order.</param>
internal sealed record ExportDataset(string ResourceCode, string ResourceName, int Version, IReadOnlyList<DataColumn> Columns);

/// <summary>
/// The one entry point of the export writers: writes the rows (the module's CLR values: string, decimal,
/// double, long, DateOnly, DateTime, bool, null — one per selected column) to the output in the format
/// of the options, streaming in constant memory. Unless raw, every column with a
/// masking rule goes through <c>Masker.Apply</c>; whether the caller is entitled to raw values is decided by the
/// caller (HTTP endpoint, exchange grants), never here. A whole version comes from <see cref="TableRowReader"/>;
/// a query's filtered rows (the query helper's SQL) are fed to the same method.
/// </summary>
internal static class DataExporter
{
    /// <summary>Writes the export; returns the number of data rows written.</summary>
    public static Task<long> WriteAsync(ExportOptions options, ExportDataset dataset, IAsyncEnumerable<object?[]> rows, Stream output,
        bool raw, CancellationToken ct = default) => options.Format switch
    {
        ExportFormat.Csv => CsvExportWriter.WriteAsync(dataset.Columns, rows, output, raw, options, ct),
        ExportFormat.Json => JsonExportWriter.WriteAsync(dataset.Columns, rows, output, raw, lines: false, ct),
        ExportFormat.Ndjson => JsonExportWriter.WriteAsync(dataset.Columns, rows, output, raw, lines: true, ct),
        ExportFormat.Xlsx => XlsxExportWriter.WriteAsync(dataset.Columns, rows, output, raw, options.Header, ct),
        ExportFormat.Xml => XmlExportWriter.WriteAsync(dataset, rows, output, raw, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };
}
