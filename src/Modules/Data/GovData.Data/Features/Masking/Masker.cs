using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;

namespace GovData.Data.Features.Masking;

/// <summary>
/// Applies an information item's 脱敏规则 to a value on its way out (query and export). Masking works on the text form
/// and counts characters by text elements, so Chinese names and surrogate pairs are masked as people read them.
/// Values of columns without a rule, and nulls, pass unchanged.
/// </summary>
internal static class Masker
{
    /// <summary>Whether values of the column are masked for callers not entitled to raw values.</summary>
    public static bool Masks(DataColumn column) => column.Masking != MaskingRule.None;

    /// <summary>The value as a caller not entitled to raw values sees it. Masked values are always text.</summary>
    public static object? Apply(DataColumn column, object? value) =>
        value is null || value is DBNull || column.Masking == MaskingRule.None ? value : Apply(column.Masking, ToText(value));

    /// <summary>Masks a text value with a rule.</summary>
    public static string? Apply(MaskingRule rule, string? value)
    {
        if (string.IsNullOrEmpty(value) || rule == MaskingRule.None) return value;
        var chars = Elements(value);
        return rule switch
        {
            MaskingRule.Name => chars.Length == 1 ? "*" : chars[0] + new string('*', chars.Length - 1),                    // 张三 → 张*
            MaskingRule.IdNumber => Keep(chars, 6, 4),                                                                    // 110101********1234
            MaskingRule.Mobile => Keep(chars, 3, 4),                                                                      // 138****1234
            MaskingRule.BankCard => Keep(chars, 0, 4),                                                                    // ************1234
            MaskingRule.Address => Address(value, chars),
            MaskingRule.KeepEnds => chars.Length <= 2 ? Keep(chars, 1, 0) : Keep(chars, 1, 1),
            MaskingRule.Full => new string('*', chars.Length),
            MaskingRule.Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))),
            _ => new string('*', chars.Length),   // an unknown rule never leaks the value
        };
    }

    private static string Keep(string[] chars, int head, int tail)
    {
        // Short values keep less so at least half of them is hidden.
        if (head + tail >= chars.Length)
        {
            var keep = chars.Length / 2;
            head = Math.Min(head, keep);
            tail = Math.Min(tail, keep - head);
        }
        var sb = new StringBuilder();
        for (var i = 0; i < chars.Length; i++) sb.Append(i < head || i >= chars.Length - tail ? chars[i] : "*");
        return sb.ToString();
    }

    // Keep the address up to the county/district level (省/市/区/县/旗), hide the rest.
    private static string Address(string value, string[] chars)
    {
        var cut = -1;
        foreach (var marker in new[] { "县", "区", "旗", "市" })
        {
            var i = value.IndexOf(marker, StringComparison.Ordinal);
            if (i >= 0 && i < value.Length - 1) cut = Math.Max(cut, i + 1);
        }
        if (cut <= 0) return Keep(chars, Math.Min(6, chars.Length / 2), 0);
        return value[..cut] + new string('*', Math.Max(1, Elements(value[cut..]).Length));
    }

    private static string[] Elements(string value)
    {
        var list = new List<string>(value.Length);
        var e = StringInfo.GetTextElementEnumerator(value);
        while (e.MoveNext()) list.Add((string)e.Current);
        return [.. list];
    }

    private static string ToText(object value) => value switch
    {
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
