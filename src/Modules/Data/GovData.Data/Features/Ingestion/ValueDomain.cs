using System.Globalization;
using System.Text;

namespace GovData.Data.Features.Ingestion;

/// <summary>What an item's 值域 text was understood as.</summary>
internal enum ValueDomainKind
{
    /// <summary>Empty, or free text that is not a recognisable list: not checked.</summary>
    None = 0,
    /// <summary>A list of codes and/or names: values must be one of them.</summary>
    Enumeration = 1,
    /// <summary>A national standard: a code validator when the platform has one (GB 32100, GB 11643, GB/T 2260).</summary>
    Standard = 2,
}

/// <summary>One permitted value of an enumeration: a code (1, 01, A) with its name, or a name alone.</summary>
internal sealed record DomainEntry(string? Code, string Label);

/// <summary>
/// The value domain (值域) of an information item, parsed tolerantly from what compilers write:
/// <list type="bullet">
/// <item>code–name lists: <c>1-男;2-女</c>, <c>01:汉族,02:蒙古族</c>, <c>0：否；1：是</c>, <c>1=在职，2=离职</c>, <c>A.国有 B.集体</c>
/// (entries separated by ; , 、 | or line breaks — or by spaces when every entry is code+name; code = up to 10 ASCII
/// letters/digits; between code and name one of - : = . ) or a space);</item>
/// <item>name lists: <c>男/女</c>, <c>是、否</c>, <c>高;中;低</c> (names of at most 20 characters without digits);</item>
/// <item>standards: text citing GB 32100, GB 11643 or GB/T 2260 selects the code validator; GB/T 2261.1 is the built-in
/// sex code list (0 未知的性别, 1 男性, 2 女性, 9 未说明的性别; 男/女 accepted as names); other standards are noted, not checked.</item>
/// </list>
/// A value matches an enumeration when it equals a code or a name (ASCII case ignored) and is stored as written.
/// Anything else (ranges like <c>0-100</c>, formats, "参见……", units such as <c>元/平方米</c> on numeric items) is not
/// treated as an enumeration, so a free-text domain never rejects data.
/// </summary>
internal sealed class ValueDomain
{
    private static readonly string[] NotLabelWords =
        ["见", "参照", "参考", "详", "依据", "按照", "标准", "大于", "小于", "等于", "以上", "以下", "不超过", "不少于", "不低于", "格式", "yyyy", "单位", "范围"];

    /// <summary>Units of measure: "元/平方米" or "人/次" describe a quantity, not a list of values.</summary>
    private static readonly HashSet<string> Units =
    [
        "元", "万元", "亿元", "平方米", "平方公里", "立方米", "米", "千米", "公里", "公斤", "千克", "克", "吨", "亩", "公顷", "人", "人次", "次",
        "户", "个", "件", "台", "辆", "套", "间", "天", "日", "月", "年", "小时", "分钟", "秒", "千瓦时", "度", "升", "毫升",
    ];

    private readonly HashSet<string> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly HashSet<long> _integerCodes = [];

    private ValueDomain(string? text, ValueDomainKind kind, string? standard, IReadOnlyList<DomainEntry> entries, IEnumerable<string>? aliases = null)
    {
        Text = text;
        Kind = kind;
        Standard = standard;
        Entries = entries;
        foreach (var e in entries)
        {
            if (e.Code is not null) _values.Add(e.Code);
            _values.Add(e.Label);
        }
        foreach (var a in aliases ?? []) _values.Add(a);
        _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
        AllNumeric = entries.Count > 0 && entries.All(e => long.TryParse(e.Code ?? e.Label, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        if (AllNumeric)
            foreach (var e in entries) _integerCodes.Add(long.Parse(e.Code ?? e.Label, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
    }

    /// <summary>No domain.</summary>
    public static ValueDomain None { get; } = new(null, ValueDomainKind.None, null, []);

    /// <summary>The text as written on the item.</summary>
    public string? Text { get; }

    public ValueDomainKind Kind { get; }

    /// <summary>The cited standard in its usual spelling ("GB 32100", "GB/T 2260" ...), when <see cref="Kind"/> is Standard or the list is a standard's.</summary>
    public string? Standard { get; }

    /// <summary>The permitted values of an enumeration.</summary>
    public IReadOnlyList<DomainEntry> Entries { get; }

    /// <summary>True when every code (or name, for name lists) is an integer: the list may apply to numeric items.</summary>
    public bool AllNumeric { get; }

    /// <summary>True when the value is one of the enumeration's codes or names (ASCII case ignored).</summary>
    public bool Contains(ReadOnlySpan<char> value) => _lookup.Contains(value);

    /// <summary>True when the number is one of an all-numeric enumeration's codes (so 1 matches 01).</summary>
    public bool ContainsInteger(long value) => _integerCodes.Contains(value);

    /// <summary>A Chinese description for the data dictionary and messages.</summary>
    public string Describe()
    {
        if (Kind == ValueDomainKind.Enumeration)
        {
            var list = string.Join("；", Entries.Take(12).Select(e => e.Code is null ? e.Label : $"{e.Code}-{e.Label}"));
            return Entries.Count > 12 ? $"{list}；等{Entries.Count}项" : list;
        }
        if (Kind == ValueDomainKind.Standard) return Standard!;
        return Text ?? "";
    }

    /// <summary>Parses a value-domain text; never throws.</summary>
    public static ValueDomain Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return None;
        text = text.Trim();
        var compact = HeaderText.Normalize(text);
        if (compact.Contains("gb32100", StringComparison.Ordinal)) return new(text, ValueDomainKind.Standard, "GB 32100", []);
        if (compact.Contains("gb11643", StringComparison.Ordinal)) return new(text, ValueDomainKind.Standard, "GB 11643", []);
        if (compact.Contains("gb/t2260", StringComparison.Ordinal) || compact.Contains("gb2260", StringComparison.Ordinal))
            return new(text, ValueDomainKind.Standard, "GB/T 2260", []);
        if (compact.Contains("gb/t2261.1", StringComparison.Ordinal))
            return new(text, ValueDomainKind.Enumeration, "GB/T 2261.1",
                [new("0", "未知的性别"), new("1", "男性"), new("2", "女性"), new("9", "未说明的性别")], ["男", "女"]);
        var cited = CitedStandard(text);
        if (cited is not null) return new(text, ValueDomainKind.Standard, cited, []);

        var entries = ParseEnumeration(text);
        return entries is null ? new(text, ValueDomainKind.None, null, []) : new(text, ValueDomainKind.Enumeration, null, entries);
    }

    private static List<DomainEntry>? ParseEnumeration(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            var c = ch;
            if (c is >= '\uFF01' and <= '\uFF5E') c = (char)(c - 0xFEE0);
            else if (c == '\u3000') c = ' ';
            else if (c is '、' or '，') c = ',';
            else if (c is '\r' or '\n') c = ';';
            sb.Append(c);
        }
        var s = sb.ToString();

        string[] parts;
        var bySpace = false;
        if (s.AsSpan().IndexOfAny(";,|") >= 0) parts = s.Split([';', ',', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        else if (s.Contains('/')) parts = s.Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        else
        {
            parts = s.Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            bySpace = true;
        }
        if (parts.Length < 2) return null;

        var coded = new List<DomainEntry>(parts.Length);
        var named = new List<DomainEntry>(parts.Length);
        foreach (var part in parts)
        {
            if (TryCodeLabel(part, out var entry)) coded.Add(entry);
            else if (!bySpace && IsPlainLabel(part)) named.Add(new DomainEntry(null, part));
            else return null;
        }
        if (coded.Count == parts.Length) return coded;
        if (named.Count == parts.Length && parts.Length <= 200 && !named.All(e => Units.Contains(e.Label))) return named;
        return null;
    }

    private static bool TryCodeLabel(string part, out DomainEntry entry)
    {
        entry = null!;
        var n = 0;
        while (n < part.Length && char.IsAsciiLetterOrDigit(part[n])) n++;
        if (n is 0 or > 10 || n >= part.Length - 1) return false;
        if (part[n] is not ('-' or ':' or '=' or '.' or ')' or ' ')) return false;
        var label = part[(n + 1)..].Trim();
        if (label.Length is 0 or > 30) return false;
        if (label.All(c => char.IsAsciiDigit(c) || c is '.' or '-' or ' ')) return false; // 0-100, 1.5: a range or a number
        entry = new DomainEntry(part[..n], label);
        return true;
    }

    private static bool IsPlainLabel(string part)
    {
        if (part.Length > 20) return false;
        if (part.All(char.IsAsciiDigit)) return part.Length <= 10; // 0/1
        foreach (var c in part)
            if (char.IsAsciiDigit(c) || c is ' ' or '<' or '>' or '≤' or '≥' or '~' or '～') return false;
        foreach (var w in NotLabelWords)
            if (part.Contains(w, StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }

    /// <summary>"GB/T 4754-2017" or "GA 214.12" cited in the text: noted, not checked.</summary>
    private static string? CitedStandard(string text)
    {
        var t = text.ToUpperInvariant();
        foreach (var prefix in new[] { "GB/T", "GB", "GA/T", "GA", "JR/T", "DB" })
        {
            var at = t.IndexOf(prefix, StringComparison.Ordinal);
            if (at < 0) continue;
            var i = at + prefix.Length;
            while (i < t.Length && t[i] == ' ') i++;
            var start = i;
            while (i < t.Length && (char.IsAsciiDigit(t[i]) || t[i] == '.')) i++;
            if (i > start) return $"{prefix} {t[start..i]}";
        }
        return null;
    }
}
