namespace GovData.Data.Features.Ingestion;

/// <summary>
/// Opens a source file with the right reader: <see cref="SourceOptions.Format"/> when given; otherwise the file's
/// content when it carries an unmistakable signature (a ZIP package → XLSX, an OLE compound file → the old .xls, refused
/// with advice); otherwise the extension (.csv .tsv .txt → CSV, .xlsx .xlsm → XLSX, .json → JSON, .ndjson .jsonl → NDJSON);
/// otherwise the first character ([ or { → JSON, anything else → CSV). Files that cannot be read raise
/// <see cref="SourceFormatException"/> with a Chinese message.
/// </summary>
internal static class TabularSources
{
    /// <summary>File name extensions offered in upload forms.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".csv", ".tsv", ".txt", ".xlsx", ".json", ".ndjson", ".jsonl"];

    /// <summary>The format an extension implies, or null.</summary>
    public static SourceFormat? FormatOfExtension(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".csv" or ".tsv" or ".txt" => SourceFormat.Csv,
        ".xlsx" or ".xlsm" => SourceFormat.Xlsx,
        ".json" => SourceFormat.Json,
        ".ndjson" or ".jsonl" => SourceFormat.Ndjson,
        _ => null,
    };

    public static async Task<ITabularSource> OpenAsync(string path, SourceOptions options, CancellationToken ct = default)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new SourceFormatException($"找不到文件“{info.Name}”");
        if (info.Length == 0) throw new SourceFormatException($"文件“{info.Name}”为空");

        var format = options.Format ?? await DetectAsync(path, ct);
        try
        {
            return format switch
            {
                SourceFormat.Csv => await CsvSource.OpenAsync(path, options, ct),
                SourceFormat.Xlsx => await XlsxSource.OpenAsync(path, options, ct),
                SourceFormat.Json or SourceFormat.Ndjson => await JsonSource.OpenAsync(path, options, ct),
                _ => throw new SourceFormatException($"不支持的文件格式 {format}"),
            };
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new SourceFormatException($"没有读取文件“{info.Name}”的权限", ex);
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            throw new SourceFormatException($"读取文件“{info.Name}”失败：{ex.Message}", ex);
        }
    }

    /// <summary>The format of a file from its signature, extension and first character.</summary>
    public static async Task<SourceFormat> DetectAsync(string path, CancellationToken ct = default)
    {
        var head = new byte[4096];
        int n;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous))
            n = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var bytes = head.AsSpan(0, n);
        var name = Path.GetFileName(path);

        if (bytes.StartsWith("PK\u0003\u0004"u8)) return SourceFormat.Xlsx;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
            throw new SourceFormatException($"“{name}”是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再上传");
        if (bytes.StartsWith("%PDF"u8)) throw new SourceFormatException($"“{name}”是 PDF 文件，不是表格数据");

        var byExtension = FormatOfExtension(name);
        if (byExtension == SourceFormat.Xlsx) throw new SourceFormatException($"“{name}”不是有效的 .xlsx 工作簿（文件头不是 ZIP 格式）");
        if (byExtension is { } f) return f;

        var text = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes;
        var utf16 = bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
        if (!utf16 && text.IndexOf((byte)0) >= 0) throw new SourceFormatException($"“{name}”不是文本文件，也不是 .xlsx 工作簿，无法读取");
        foreach (var b in text)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b is (byte)'[' or (byte)'{' ? SourceFormat.Json : SourceFormat.Csv;
        }
        return SourceFormat.Csv;
    }
}
