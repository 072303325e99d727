using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GovData.Catalog.Contracts;

/// <summary>
/// 信息资源代码 (1272 guide): <c>前段码/后段码</c>. 前段码 = 类 (1 digit) + 项 (2 digits) + 目 (3 digits) +
/// 细目 (variable digits, possibly none); 后段码 = 信息资源顺序码 within that 细目. The 细目 digits cannot be split
/// into their levels without the classification tree, so the parts are kept separately and the text is
/// rendered from them. Example: <c>303026010201/1</c> = 3 部门类 · 03 国务院 · 026 审计署 · 细目 010201 / 1.
/// </summary>
public sealed partial record ResourceCode
{
    /// <summary>Longest 前段码 accepted (类+项+目 = 6, 细目 at most 4 levels of at most 4 digits, with room to spare).</summary>
    public const int MaxPrefixLength = 30;

    /// <summary>Longest 顺序码 accepted.</summary>
    public const int MaxSequenceDigits = 9;

    /// <summary>The shape every code must have (digits only is practice, not the guide).</summary>
    public const string ShapePattern = @"^[1-3]\d{2}\d{3}\d*/\d+$";

    [GeneratedRegex(ShapePattern, RegexOptions.CultureInvariant)]
    private static partial Regex ShapeRegex();

    private ResourceCode(int classCode, string itemCode, string categoryCode, string detailPath, long sequence)
    {
        ClassCode = classCode;
        ItemCode = itemCode;
        CategoryCode = categoryCode;
        DetailPath = detailPath;
        Sequence = sequence;
    }

    /// <summary>类 code: 1 基础类, 2 主题类, 3 部门类.</summary>
    public int ClassCode { get; }

    /// <summary>项 code, two digits.</summary>
    public string ItemCode { get; }

    /// <summary>目 code, three digits.</summary>
    public string CategoryCode { get; }

    /// <summary>细目 digits below the 目, concatenated over all 细目 levels (empty when the resource hangs directly under a 目).</summary>
    public string DetailPath { get; }

    /// <summary>信息资源顺序码 (后段码), from 1.</summary>
    public long Sequence { get; }

    /// <summary>The resource class.</summary>
    public ResourceClass Class => (ResourceClass)ClassCode;

    /// <summary>前段码: 类 + 项 + 目 + 细目, i.e. the full code of the classification node the resource hangs under.</summary>
    public string Prefix => string.Concat(ClassCode.ToString(CultureInfo.InvariantCulture), ItemCode, CategoryCode, DetailPath);

    /// <summary>后段码 (the 顺序码 as text).</summary>
    public string Suffix => Sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>The code as written: <c>前段码/后段码</c>.</summary>
    public override string ToString() => Prefix + "/" + Suffix;

    /// <summary>The code with '/' escaped for use as one URL path segment (303026010201%2F1).</summary>
    public string ToPathSegment() => Uri.EscapeDataString(ToString());

    /// <summary>Builds a code from its parts; throws <see cref="FormatException"/> with the Chinese reason when a part is invalid.</summary>
    public static ResourceCode Create(int classCode, string itemCode, string categoryCode, string? detailPath, long sequence)
    {
        var error = ValidateParts(classCode, itemCode, categoryCode, detailPath ?? "", sequence);
        if (error is not null) throw new FormatException(error);
        return new ResourceCode(classCode, itemCode, categoryCode, detailPath ?? "", sequence);
    }

    /// <summary>Builds a code from a classification node's full code (前段码) and a 顺序码.</summary>
    public static ResourceCode FromPrefix(string prefix, long sequence)
    {
        if (ValidatePrefix(prefix) is { } error) throw new FormatException(error);
        return Create(prefix[0] - '0', prefix.Substring(1, 2), prefix.Substring(3, 3), prefix[6..], sequence);
    }

    /// <summary>Parses <c>前段码/后段码</c>; throws <see cref="FormatException"/> with the Chinese reason.</summary>
    public static ResourceCode Parse(string? text) =>
        TryParse(text, out var code, out var error) ? code : throw new FormatException(error);

    /// <summary>Parses a code, accepting a URL-escaped '/' (%2F) as well.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ResourceCode? code, [NotNullWhen(false)] out string? error)
    {
        code = null;
        error = Validate(text);
        if (error is not null) return false;
        var s = Normalize(text!);
        var slash = s.IndexOf('/');
        var prefix = s[..slash];
        code = new ResourceCode(prefix[0] - '0', prefix.Substring(1, 2), prefix.Substring(3, 3), prefix[6..],
            long.Parse(s[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>Parses a code; returns null on failure.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ResourceCode? code) =>
        TryParse(text, out code, out _);

    /// <summary>True when <paramref name="text"/> has the shape <c>^[1-3]\d{2}\d{3}\d*/\d+$</c> (no other checks).</summary>
    public static bool HasValidShape(string? text) => text is not null && ShapeRegex().IsMatch(text);

    /// <summary>Returns null when <paramref name="text"/> is a valid code, otherwise the Chinese reason.</summary>
    public static string? Validate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "信息资源代码不能为空";
        var s = Normalize(text);
        var slashes = s.Count(c => c == '/');
        if (slashes == 0) return $"信息资源代码“{s}”缺少“/”：应写作“前段码/后段码”，如 303026010201/1";
        if (slashes > 1) return $"信息资源代码“{s}”只能包含一个“/”";
        var slash = s.IndexOf('/');
        var prefix = s[..slash];
        var suffix = s[(slash + 1)..];
        if (ValidatePrefix(prefix) is { } p) return p;
        if (suffix.Length == 0) return "信息资源代码的后段码（信息资源顺序码）不能为空";
        if (!suffix.All(char.IsAsciiDigit)) return $"后段码（信息资源顺序码）“{suffix}”只能包含数字";
        if (suffix[0] == '0') return $"后段码（信息资源顺序码）“{suffix}”应为从1开始的正整数，不能以0开头";
        if (suffix.Length > MaxSequenceDigits) return $"后段码（信息资源顺序码）不能超过{MaxSequenceDigits}位";
        return ShapeRegex().IsMatch(s) ? null : $"信息资源代码“{s}”不符合“前段码/后段码”格式";
    }

    /// <summary>Returns null when <paramref name="prefix"/> is a valid 前段码 (类+项+目+细目), otherwise the Chinese reason.</summary>
    public static string? ValidatePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix)) return "前段码不能为空";
        if (!prefix.All(char.IsAsciiDigit)) return $"前段码“{prefix}”只能包含数字";
        if (prefix.Length < 6) return $"前段码“{prefix}”应至少6位（类1位、项2位、目3位），实际为{prefix.Length}位";
        if (prefix.Length > MaxPrefixLength) return $"前段码“{prefix}”不能超过{MaxPrefixLength}位";
        return ValidateParts(prefix[0] - '0', prefix.Substring(1, 2), prefix.Substring(3, 3), prefix[6..], 1);
    }

    private static string? ValidateParts(int classCode, string? itemCode, string? categoryCode, string detailPath, long sequence)
    {
        if (classCode is < 1 or > 3) return $"类代码“{classCode}”无效：只能是1（基础类）、2（主题类）或3（部门类）";
        if (itemCode is null || itemCode.Length != 2 || !itemCode.All(char.IsAsciiDigit)) return $"项代码“{itemCode}”应为2位数字";
        if (itemCode == "00") return "项代码不能为00";
        if (categoryCode is null || categoryCode.Length != 3 || !categoryCode.All(char.IsAsciiDigit)) return $"目代码“{categoryCode}”应为3位数字";
        if (categoryCode == "000") return "目代码不能为000";
        if (!detailPath.All(char.IsAsciiDigit)) return $"细目代码“{detailPath}”只能包含数字";
        if (6 + detailPath.Length > MaxPrefixLength) return $"细目代码过长：前段码不能超过{MaxPrefixLength}位";
        if (sequence < 1) return "信息资源顺序码应从1开始";
        if (sequence.ToString(CultureInfo.InvariantCulture).Length > MaxSequenceDigits) return $"信息资源顺序码不能超过{MaxSequenceDigits}位";
        return null;
    }

    private static string Normalize(string text)
    {
        var s = text.Trim();
        if (s.Contains('%')) s = s.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        return s.Replace('／', '/');
    }
}
