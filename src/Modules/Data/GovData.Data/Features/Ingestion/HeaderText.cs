using System.Text;

namespace GovData.Data.Features.Ingestion;

/// <summary>Normal forms of names for tolerant matching (headers, item names, field codes, value-domain texts).</summary>
internal static class HeaderText
{
    /// <summary>
    /// Full-width ASCII (Ａ, １, （, ＿) to half-width, white space (including U+3000), BOM and zero-width characters
    /// removed, ASCII letters lower-cased. "统一社会信用代码 ", "ＵＳＣＣ" and "uscc" normalise alike.
    /// </summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            var c = ch;
            if (c is >= '\uFF01' and <= '\uFF5E') c = (char)(c - 0xFEE0);
            if (char.IsWhiteSpace(c) || c is '\uFEFF' or '\u200B' or '\u200C' or '\u200D') continue;
            if (c is >= 'A' and <= 'Z') c = (char)(c + 32);
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Removes a BOM, zero-width characters and surrounding white space from a header cell.</summary>
    public static string CleanHeader(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        return text.Trim().Trim('\uFEFF', '\u200B').Trim();
    }
}
