using GovData.Data.Features.Ingestion;

namespace GovData.Data.Features.Loading;

/// <summary>
/// Rule codes of a load report. Value and record rules (types, lengths, dates, code check digits, value domains,
/// quoting, ragged rows) are <see cref="ValueRules"/> from ingestion; the loader adds its own checks below.
/// </summary>
internal static class LoadRules
{
    /// <summary>A malformed record the reader did not classify.</summary>
    public const string Record = ValueRules.Record;
    /// <summary>A required (or key) item is empty.</summary>
    public const string Required = ValueRules.Required;
    /// <summary>Text longer than the item's length.</summary>
    public const string Length = ValueRules.Length;
    /// <summary>Characters a database cannot store (NUL).</summary>
    public const string Character = "CHARACTER";
    /// <summary>The key repeats the key of an earlier row of the same file.</summary>
    public const string DuplicateKey = "DUPLICATE_KEY";
    /// <summary>Append mode: the key already exists in the current version.</summary>
    public const string KeyExists = "KEY_EXISTS";

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [Character] = "非法字符",
        [DuplicateKey] = "主键重复",
        [KeyExists] = "主键已存在",
    };

    /// <summary>The Chinese label of a rule code (the code itself when unknown).</summary>
    public static string Label(string rule) => Labels.TryGetValue(rule, out var label) ? label : ValueRules.Label(rule);
}
