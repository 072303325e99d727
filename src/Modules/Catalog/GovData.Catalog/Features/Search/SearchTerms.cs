using System.Net;
using System.Text;

namespace GovData.Catalog.Features.Search;

/// <summary>
/// How a query becomes search terms, and how text is folded and highlighted. There is no Chinese word segmenter, so
/// a term is a substring: the query is cut at blanks and at every character that is not a letter or digit (quotes,
/// brackets, '*', operators' punctuation …), except the joiners <c>. - _ / ·</c> inside a term (PM2.5, GB/T).
/// Terms are AND-ed; each must occur in one of the searched fields. Matching folds ASCII letters only, exactly as
/// SQLite's <c>lower()</c> and the PostgreSQL function <c>catalog_search_fold</c> do.
/// </summary>
internal static class SearchTerms
{
    public const int MaxQueryLength = 200;
    public const int MaxTerms = 10;
    public const int MaxTermLength = 50;

    /// <summary>Terms of up to this many characters are looked up in the 1/2-character gram index; longer ones by trigrams.</summary>
    public const int ShortTermLength = 2;

    private const string Joiners = ".-_/·";

    /// <summary>ASCII-only lower-casing (length-preserving, so positions in the folded text are positions in the original).</summary>
    public static string Fold(string text)
    {
        var i = 0;
        while (i < text.Length && text[i] is not (>= 'A' and <= 'Z')) i++;
        if (i == text.Length) return text;
        return string.Create(text.Length, text, static (span, s) =>
        {
            for (var k = 0; k < s.Length; k++) span[k] = s[k] is >= 'A' and <= 'Z' ? (char)(s[k] + 32) : s[k];
        });
    }

    /// <summary>The distinct folded terms of a query, in order of appearance.</summary>
    public static List<string> Parse(string? query)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(query)) return terms;
        var current = new StringBuilder();
        void Flush()
        {
            var term = current.ToString().Trim(Joiners.ToCharArray());
            current.Clear();
            if (term.Length == 0) return;
            term = Fold(term);
            if (!terms.Contains(term, StringComparer.Ordinal)) terms.Add(term);
        }
        foreach (var rune in query.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || rune.IsBmp && Joiners.Contains((char)rune.Value)) current.Append(rune.ToString());
            else Flush();
        }
        Flush();
        return terms;
    }

    /// <summary>Length in characters (Unicode scalar values, as SQLite and PostgreSQL count them).</summary>
    public static int Length(string term)
    {
        var n = 0;
        foreach (var _ in term.EnumerateRunes()) n++;
        return n;
    }

    public static bool IsShort(string term) => Length(term) <= ShortTermLength;

    /// <summary>A gram as stored in SQLite's gram index: the hex of its UTF-8 bytes (what SQLite's <c>hex()</c> returns).</summary>
    public static string Hex(string gram) => Convert.ToHexString(Encoding.UTF8.GetBytes(gram));

    /// <summary>A LIKE pattern matching the term anywhere, with LIKE's wildcards and the escape character escaped.</summary>
    public static string ContainsPattern(string term) =>
        "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>True when the folded text contains any of the terms.</summary>
    public static bool ContainsAny(string? text, IReadOnlyList<string> terms)
    {
        if (string.IsNullOrEmpty(text)) return false;
        var folded = Fold(text);
        foreach (var t in terms) if (folded.Contains(t, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>
    /// The text HTML-escaped, with every occurrence of a term wrapped in <c>&lt;mark&gt;</c>. Hits are found in the raw
    /// text and each segment is escaped on its own, so markup in the data can never break out and a term can never
    /// match inside an entity.
    /// </summary>
    public static string Highlight(string? text, IReadOnlyList<string> terms)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var folded = Fold(text);
        var hit = new bool[text.Length];
        var any = false;
        foreach (var term in terms)
        {
            if (term.Length == 0) continue;
            for (var at = folded.IndexOf(term, StringComparison.Ordinal); at >= 0; at = folded.IndexOf(term, at + 1, StringComparison.Ordinal))
            {
                for (var k = at; k < at + term.Length; k++) hit[k] = true;
                any = true;
            }
        }
        if (!any) return WebUtility.HtmlEncode(text);
        var html = new StringBuilder(text.Length + 32);
        var start = 0;
        while (start < text.Length)
        {
            var end = start;
            while (end < text.Length && hit[end] == hit[start]) end++;
            var segment = WebUtility.HtmlEncode(text[start..end]);
            if (hit[start]) html.Append("<mark>").Append(segment).Append("</mark>");
            else html.Append(segment);
            start = end;
        }
        return html.ToString();
    }
}
