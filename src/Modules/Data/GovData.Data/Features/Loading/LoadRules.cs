namespace GovData.Data.Features.Loading;

/// <summary>
/// Rule codes the loader itself reports (value rules — types, lengths, dates, code check digits, value domains — come
/// from value conversion). Each code has a Chinese label for the report.
/// </summary>
internal static class LoadRules
{
    /// <summary>The record is malformed (broken quoting, wrong number of fields, not an object).</summary>
    public const string Record = "RECORD";
    /// <summary>A required (or key) item is empty.</summary>
    public const string Required = "REQUIRED";
    /// <summary>Text longer than the item's length.</summary>
    public const string Length = "LENGTH";
    /// <summary>Characters a database cannot store (NUL).</summary>
    public const string Character = "CHARACTER";
    /// <summary>The key repeats the key of an earlier row of the same file.</summary>
    public const string DuplicateKey = "DUPLICATE_KEY";
    /// <summary>Append mode: the key already exists in the current version.</summary>
    public const string KeyExists = "KEY_EXISTS";

    private static readonly Dictionary<string, string> Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        [Record] = "记录格式错误",
        [Required] = "必填项为空",
        [Length] = "超出长度",
        [Character] = "非法字符",
        [DuplicateKey] = "主键重复",
        [KeyExists] = "主键已存在",
    };

    /// <summary>Labels registered by value conversion (rule code → Chinese label).</summary>
    private static readonly Dictionary<string, string> Registered = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds labels of value rules (called once by the ingestion adapter).</summary>
    public static void Register(IEnumerable<KeyValuePair<string, string>> labels)
    {
        lock (Registered)
            foreach (var (code, label) in labels) Registered[code] = label;
    }

    /// <summary>The Chinese label of a rule code (the code itself when unknown).</summary>
    public static string Label(string rule)
    {
        if (Labels.TryGetValue(rule, out var label)) return label;
        lock (Registered) return Registered.TryGetValue(rule, out label) ? label : rule;
    }
}
