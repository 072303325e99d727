using GovData.SharedKernel.Codes;
using GovData.SharedKernel.Regions;

namespace GovData.Data.Features.Ingestion;

/// <summary>
/// A check of a coded value (统一社会信用代码, 身份证号, 行政区划代码, 电话号码). <see cref="Check"/> returns null when the value is
/// valid — possibly replacing it by its normal form (upper-case letters) — or the Chinese reason.
/// </summary>
internal abstract class CodeValidator
{
    /// <summary>The <see cref="ValueRules"/> code problems are reported under.</summary>
    public abstract string Rule { get; }

    /// <summary>What is checked, in Chinese, for data dictionaries and load reports.</summary>
    public abstract string Description { get; }

    public abstract string? Check(ref string text);

    /// <summary>The validator of a known standard named in a value domain (GB 32100, GB 11643, GB/T 2260), or null.</summary>
    public static CodeValidator? ForStandard(string standard, ConversionOptions options) => standard switch
    {
        "GB 32100" => CreditCodeValidator.Instance,
        "GB 11643" => new IdNumberValidator(options),
        "GB/T 2260" => new RegionCodeValidator(options.Regions),
        _ => null,
    };

    /// <summary>
    /// The validator an item's name implies: 统一社会信用代码; 身份证号/身份证号码/公民身份号码/居民身份证号; 行政区划代码/区划代码;
    /// 手机/手机号/手机号码 and names ending in 电话 or 电话号码 (联系电话, 固定电话, 办公电话). Null when the name implies none.
    /// </summary>
    public static CodeValidator? ForItemName(string itemName, ConversionOptions options)
    {
        var name = HeaderText.Normalize(itemName);
        if (name.Contains("统一社会信用代码", StringComparison.Ordinal)) return CreditCodeValidator.Instance;
        if (name.Contains("身份证号", StringComparison.Ordinal) || name.Contains("公民身份号码", StringComparison.Ordinal)
            || name.Contains("身份证件号码", StringComparison.Ordinal))
            return new IdNumberValidator(options);
        if (name.EndsWith("行政区划代码", StringComparison.Ordinal) || name == "区划代码") return new RegionCodeValidator(options.Regions);
        if (name.Contains("手机", StringComparison.Ordinal) && !name.Contains("型号", StringComparison.Ordinal)
            || name.EndsWith("电话", StringComparison.Ordinal) || name.EndsWith("电话号码", StringComparison.Ordinal))
            return PhoneValidator.Instance;
        return null;
    }
}

/// <summary>统一社会信用代码 (GB 32100) through SharedKernel <see cref="CreditCode"/>; letters are stored in upper case.</summary>
internal sealed class CreditCodeValidator : CodeValidator
{
    public static CreditCodeValidator Instance { get; } = new();

    public override string Rule => ValueRules.CreditCode;

    public override string Description => "统一社会信用代码（GB 32100，18位，含校验位）";

    public override string? Check(ref string text)
    {
        // Fast path for the common case (18 upper-case characters of the alphabet, digits in 3–8): only the check character is computed.
        if (text.Length == 18 && IsCanonical(text))
            return CreditCode.CheckCharacter(text.AsSpan(0, 17)) == text[17] ? null : CreditCode.Validate(text);
        var error = CreditCode.Validate(text);
        if (error is null) text = text.ToUpperInvariant();
        return error;
    }

    /// <summary>Which ASCII characters are in the GB 32100 alphabet (derived from <see cref="CreditCode.Alphabet"/>).</summary>
    private static readonly bool[] InAlphabet = BuildAlphabet();

    private static bool[] BuildAlphabet()
    {
        var table = new bool[128];
        foreach (var c in CreditCode.Alphabet) table[c] = true;
        return table;
    }

    private static bool IsCanonical(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (i is >= 2 and < 8 ? !char.IsAsciiDigit(c) : c >= 128 || !InAlphabet[c]) return false;
        }
        return true;
    }
}

/// <summary>
/// 公民身份号码 (GB 11643-1999): 18 characters — 6-digit address code (its province part must be a GB/T 2260 province),
/// 8-digit birth date (a real date, not in the future), 3-digit sequence and the ISO 7064 MOD 11-2 check character
/// (0–9 or X). The 15-digit numbers issued before 1999 (6-digit address, yyMMdd birth date in the 1900s, 3-digit
/// sequence, no check) are accepted unless <see cref="ConversionOptions.AcceptOldIdNumbers"/> is false. A lower-case x
/// is stored as X.
/// </summary>
internal sealed class IdNumberValidator : CodeValidator
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private readonly bool _acceptOld;
    private readonly bool[] _provinces = new bool[100];

    public IdNumberValidator(ConversionOptions options)
    {
        _acceptOld = options.AcceptOldIdNumbers;
        foreach (var p in options.Regions.Provinces) _provinces[int.Parse(p.Code.AsSpan(0, 2))] = true;
        _provinces[83] = true; // 台湾居民居住证 (830000), GB 11643 address code used by residence permits
    }

    public override string Rule => ValueRules.IdCard;

    public override string Description => _acceptOld
        ? "身份证号（GB 11643，18位含校验位；也接受15位旧号码）"
        : "身份证号（GB 11643，18位含校验位）";

    /// <summary>The GB 11643 check character of the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) throw new ArgumentException("需要前17位", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(first17[i])) throw new ArgumentException("前17位应为数字", nameof(first17));
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    public override string? Check(ref string text)
    {
        var s = text.AsSpan();
        if (s.Length == 15 && _acceptOld)
        {
            if (!AllDigits(s)) return "15位旧身份证号应全部为数字";
            return Province(s) ?? BirthDate(1900 + Two(s, 6), Two(s, 8), Two(s, 10), "第7至12位");
        }
        if (s.Length != 18)
            return _acceptOld
                ? $"身份证号应为18位（或15位旧号码），实际为{s.Length}位"
                : $"身份证号应为18位，实际为{s.Length}位";
        if (!AllDigits(s[..17])) return "身份证号前17位应为数字";
        var last = s[17];
        if (!char.IsAsciiDigit(last) && last is not ('X' or 'x')) return "身份证号第18位（校验位）应为数字或 X";
        var error = Province(s) ?? BirthDate(Two(s, 6) * 100 + Two(s, 8), Two(s, 10), Two(s, 12), "第7至14位");
        if (error is not null) return error;
        var expected = CheckCharacter(s[..17]);
        if (char.ToUpperInvariant(last) != expected) return $"身份证号校验位错误：按 GB 11643 应为“{expected}”，实际为“{last}”";
        if (last == 'x') text = string.Concat(s[..17], "X");
        return null;
    }

    private string? Province(ReadOnlySpan<char> s) =>
        _provinces[Two(s, 0)] ? null : $"身份证号前两位“{s[..2]}”不是省级行政区划代码";

    private static string? BirthDate(int year, int month, int day, string where)
    {
        if (year < 1850 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return $"身份证号{where}的出生日期无效";
        if (new DateOnly(year, month, day) > DateOnly.FromDateTime(DateTime.Today))
            return $"身份证号{where}的出生日期晚于今天";
        return null;
    }

    private static int Two(ReadOnlySpan<char> s, int at) => (s[at] - '0') * 10 + (s[at + 1] - '0');

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}

/// <summary>行政区划代码: six digits listed in GB/T 2260 (the embedded 2024 list; codes abolished earlier are reported).</summary>
internal sealed class RegionCodeValidator(RegionDirectory regions) : CodeValidator
{
    public override string Rule => ValueRules.Region;

    public override string Description => "行政区划代码（GB/T 2260，6位，县级及以上）";

    public override string? Check(ref string text)
    {
        if (text.Length != 6) return $"行政区划代码应为6位数字，实际为{text.Length}位";
        foreach (var c in text)
            if (!char.IsAsciiDigit(c)) return "行政区划代码只能包含数字";
        return regions.IsValid(text) ? null : "不在 GB/T 2260 县级及以上行政区划代码表（2024年版）中";
    }
}

/// <summary>
/// Telephone numbers. Accepted: mobile numbers 1[3-9]xxxxxxxxx (optionally +86/0086/86 and spaces or hyphens inside,
/// 138-1234-5678); landlines with their area code (0531-88888888, (0531)88888888, 010 12345678, 02012345678; local part
/// 7–8 digits not starting with 0 or 1; an extension after 转/-/ext); 400/800 service numbers; short public service numbers
/// (110, 12345, 95588, 96xxx). Several numbers separated by ; , 、 / are checked one by one.
/// </summary>
internal sealed class PhoneValidator : CodeValidator
{
    public static PhoneValidator Instance { get; } = new();

    private const string Expected = "应为手机号（11位，如 13812345678）或带区号的固定电话（如 0531-88888888）";

    public override string Rule => ValueRules.Phone;

    public override string Description => "电话号码（手机号或带区号的固定电话）";

    public override string? Check(ref string text)
    {
        var rest = text.AsSpan();
        var count = 0;
        while (true)
        {
            var cut = rest.IndexOfAny(";；,，、/");
            var part = (cut < 0 ? rest : rest[..cut]).Trim();
            if (part.Length > 0)
            {
                count++;
                if (!IsPhone(part)) return count == 1 && cut < 0 ? $"电话号码格式不正确，{Expected}" : $"第{count}个电话号码格式不正确，{Expected}";
            }
            if (cut < 0) break;
            rest = rest[(cut + 1)..];
        }
        return count == 0 ? $"电话号码格式不正确，{Expected}" : null;
    }

    private static bool IsPhone(ReadOnlySpan<char> part)
    {
        // extension: 转123, ext123, 分机123
        var ext = part.IndexOf('转');
        if (ext < 0) ext = part.IndexOf("分机", StringComparison.Ordinal);
        if (ext < 0) ext = part.IndexOf("ext", StringComparison.OrdinalIgnoreCase);
        var hasExtension = ext > 0;
        if (hasExtension) part = part[..ext];

        Span<char> digits = stackalloc char[24];
        var n = 0;
        var groups = 1;
        var lastGroup = 0;
        var plus = false;
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            var d = ValueText.Digit(c);
            if (d >= 0)
            {
                if (n == digits.Length) return false;
                digits[n++] = (char)('0' + d);
                lastGroup++;
            }
            else if (c is '-' or '－' or '—')
            {
                groups++;
                lastGroup = 0;
            }
            else if (c is ' ' or '(' or ')' or '（' or '）') { }
            else if (c == '+' && i == 0) plus = true;
            else return false;
        }
        var number = digits[..n];
        if (plus || number.StartsWith("0086") || number.Length == 13 && number.StartsWith("86"))
        {
            if (number.StartsWith("0086")) number = number[4..];
            else if (number.StartsWith("86")) number = number[2..];
            else return false;
            return IsMobile(number) || number.Length > 0 && number[0] != '0' && IsLandline(("0" + number.ToString()).AsSpan());
        }
        if (IsMobile(number)) return true;
        if (number.Length == 10 && (number.StartsWith("400") || number.StartsWith("800"))) return true;
        if (number.Length is >= 3 and <= 5 && number[0] == '1' && !hasExtension) return true;                    // 110, 12345
        if (number.Length is 5 or 6 && number[0] == '9' && number[1] is '5' or '6' && !hasExtension) return true; // 95588, 96xxx
        if (number.Length > 0 && number[0] == '0')
        {
            if (IsLandline(number)) return true;
            // 0531-88888888-123: the last hyphen group is an extension
            if (groups >= 3 && lastGroup is >= 1 and <= 5 && !hasExtension) return IsLandline(number[..^lastGroup]);
        }
        return false;
    }

    private static bool IsMobile(ReadOnlySpan<char> d) => d.Length == 11 && d[0] == '1' && d[1] is >= '3' and <= '9';

    private static bool IsLandline(ReadOnlySpan<char> d)
    {
        if (d.Length < 2 || d[0] != '0') return false;
        var area = d[1] == '1' || d[1] == '2' ? 3 : 4; // 010, 02x; otherwise 0xxx
        var local = d.Length - area;
        return local is 7 or 8 && d[area] is >= '2' and <= '9';
    }
}
