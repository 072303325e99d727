using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GovData.Data.Features.Ingestion;
using GovData.Data.Persistence;

namespace GovData.Data.Features.Loading;

/// <summary>
/// What the submitter chose for a load (stored as <c>data_loads.options_json</c>). Nulls mean "detect" or "default".
/// </summary>
internal sealed record LoadOptions
{
    public LoadMode Mode { get; init; } = LoadMode.Full;

    /// <summary>Corrections of the header mapping: source column name → field (field code or item name).</summary>
    public IReadOnlyDictionary<string, string>? Mapping { get; init; }

    /// <summary>Texts read as empty (besides the empty cell), e.g. <c>-</c>, <c>NULL</c>, <c>无</c>.</summary>
    public IReadOnlyList<string>? NullMarkers { get; init; }

    /// <summary>Error threshold as submitted ("5%", "100", "0"); null → <see cref="ErrorThreshold.Default"/>.</summary>
    public string? Threshold { get; init; }

    public SourceFormat? Format { get; init; }

    /// <summary>Forced encoding ("utf-8", "gb18030"); null → detected over the whole file.</summary>
    public string? Encoding { get; init; }

    /// <summary>Forced delimiter; null → detected.</summary>
    public char? Delimiter { get; init; }

    /// <summary>XLSX sheet; null → the first.</summary>
    public string? Sheet { get; init; }

    /// <summary>The reader options these choices imply.</summary>
    public SourceOptions ToSourceOptions() => new() { Format = Format, Encoding = Encoding, Delimiter = Delimiter, Sheet = Sheet };

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static LoadOptions FromJson(string json) => JsonSerializer.Deserialize<LoadOptions>(json, Json) ?? new LoadOptions();

    /// <summary>
    /// Parses the submitted option texts; returns the options or per-field Chinese errors (keys: mode, threshold, delimiter,
    /// encoding, format, mapping, nullMarkers).
    /// </summary>
    public static (LoadOptions? Options, Dictionary<string, string[]>? Errors) Parse(
        string? mode, string? mapping, string? nullMarkers, string? threshold, string? encoding, string? delimiter, string? sheet, string? format)
    {
        var errors = new Dictionary<string, string[]>();
        var m = ParseMode(mode);
        if (m is null) errors["mode"] = [$"加载方式“{mode}”无效：只能是 full（全量，生成新版本）、append（追加）或 upsert（按主键更新）"];
        if (!string.IsNullOrWhiteSpace(threshold) && ErrorThreshold.Parse(threshold, out var thresholdError) is null)
            errors["threshold"] = [thresholdError!];
        char? delim = null;
        if (!string.IsNullOrEmpty(delimiter))
        {
            var d = delimiter switch { "\\t" or "tab" or "TAB" or "制表符" => "\t", "，" => ",", _ => delimiter };
            if (d.Length != 1 || d[0] is '"' or '\r' or '\n') errors["delimiter"] = [$"分隔符“{delimiter}”无效：应为单个字符，如 , ; | 或 \\t（制表符）"];
            else delim = d[0];
        }
        string? enc = null;
        if (!string.IsNullOrWhiteSpace(encoding))
        {
            enc = encoding.Trim().ToLowerInvariant() switch
            {
                "utf8" or "utf-8" or "utf-8-bom" or "utf8bom" => "utf-8",
                "gbk" or "gb2312" or "gb18030" or "cp936" => "gb18030",
                var other => other,
            };
            if (enc is not ("utf-8" or "gb18030")) errors["encoding"] = [$"编码“{encoding}”不受支持：可选 utf-8 或 gb18030（兼容 GBK、GB2312），不填则自动检测"];
        }
        SourceFormat? fmt = null;
        if (!string.IsNullOrWhiteSpace(format))
        {
            fmt = format.Trim().TrimStart('.').ToLowerInvariant() switch
            {
                "csv" or "tsv" or "txt" => SourceFormat.Csv,
                "xlsx" => SourceFormat.Xlsx,
                "json" => SourceFormat.Json,
                "ndjson" or "jsonl" => SourceFormat.Ndjson,
                _ => null,
            };
            if (fmt is null) errors["format"] = [$"文件格式“{format}”不受支持：可选 csv、xlsx、json、ndjson，不填则按文件名与内容判断"];
        }
        IReadOnlyDictionary<string, string>? map = null;
        if (!string.IsNullOrWhiteSpace(mapping))
        {
            try
            {
                var parsed = JsonSerializer.Deserialize<Dictionary<string, string>>(mapping);
                if (parsed is null || parsed.Any(p => string.IsNullOrWhiteSpace(p.Key)))
                    errors["mapping"] = ["列映射应为 JSON 对象：{\"文件中的列名\": \"信息项字段名或名称\"}，列名不能为空"];
                else map = parsed.ToDictionary(p => p.Key.Trim(), p => p.Value?.Trim() ?? "");
            }
            catch (JsonException)
            {
                errors["mapping"] = ["列映射不是有效的 JSON 对象，应写作 {\"文件中的列名\": \"信息项字段名或名称\"}（值为空字符串表示忽略该列）"];
            }
        }
        IReadOnlyList<string>? nulls = null;
        if (nullMarkers is not null)
        {
            nulls = nullMarkers.Split([',', '，'], StringSplitOptions.TrimEntries).Where(s => s.Length > 0).Distinct().ToList();
            if (nulls.Any(s => s.Length > 50)) errors["nullMarkers"] = ["空值标记每个不能超过 50 个字符"];
        }
        if (errors.Count > 0) return (null, errors);
        return (new LoadOptions
        {
            Mode = m!.Value, Mapping = map, NullMarkers = nulls, Threshold = string.IsNullOrWhiteSpace(threshold) ? null : threshold.Trim(),
            Encoding = enc, Delimiter = delim, Sheet = string.IsNullOrWhiteSpace(sheet) ? null : sheet.Trim(), Format = fmt,
        }, null);
    }

    /// <summary>full / append / upsert (also 全量 / 追加 / 更新); null or empty → full; unknown → null.</summary>
    public static LoadMode? ParseMode(string? mode) => mode?.Trim().ToLowerInvariant() switch
    {
        null or "" or "full" or "全量" => LoadMode.Full,
        "append" or "追加" => LoadMode.Append,
        "upsert" or "更新" or "按主键更新" => LoadMode.Upsert,
        _ => null,
    };

    /// <summary>全量 / 追加 / 按主键更新.</summary>
    public static string ModeLabel(LoadMode mode) => mode switch
    {
        LoadMode.Full => "全量",
        LoadMode.Append => "追加",
        LoadMode.Upsert => "按主键更新",
        _ => mode.ToString(),
    };

    /// <summary>The text of a mode in the API (full, append, upsert).</summary>
    public static string ModeCode(LoadMode mode) => DataDb.DbText(mode);
}

/// <summary>
/// When a load is refused: more rejected rows than <see cref="MaxRows"/>, or a larger share of the rows read than
/// <see cref="MaxPercent"/>. "0" refuses any error; the default is 5% (<see cref="Default"/>): a file with a few bad rows
/// among many loads (the bad rows are reported and offered as a file), a file that is mostly wrong (wrong column order,
/// wrong file) does not.
/// </summary>
internal sealed record ErrorThreshold(long? MaxRows, double? MaxPercent)
{
    /// <summary>5% of the rows read.</summary>
    public static ErrorThreshold Default { get; } = new(null, 5);

    /// <summary>"5%" (share of rows read), "100" (rows), "0" (none); null when invalid (with the Chinese reason).</summary>
    public static ErrorThreshold? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return Default;
        var s = text.Trim().Replace('％', '%');
        if (s.EndsWith('%'))
        {
            if (double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) && pct is >= 0 and <= 100)
                return new ErrorThreshold(null, pct);
        }
        else if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var rows))
            return new ErrorThreshold(rows, null);
        error = $"错误阈值“{text}”无效：写作百分比（如 5%，按读取行数计算）或行数（如 100），0 表示不允许任何错误行";
        return null;
    }

    /// <summary>True when <paramref name="rejected"/> of <paramref name="read"/> rows exceeds the threshold.</summary>
    public bool IsExceeded(long rejected, long read) => MaxRows is { } max
        ? rejected > max
        : rejected > 0 && read > 0 && rejected * 100.0 > MaxPercent!.Value * read;

    /// <summary>True when the count alone already exceeds the threshold (the load can stop early).</summary>
    public bool IsExceededEarly(long rejected) => MaxRows is { } max && rejected > max;

    public string Describe() => MaxRows is { } max
        ? max == 0 ? "不允许错误行" : $"错误行不超过 {max} 行"
        : MaxPercent == 0 ? "不允许错误行" : $"错误行不超过读取行数的 {MaxPercent!.Value.ToString("0.##", CultureInfo.InvariantCulture)}%";
}
