namespace GovData.SharedKernel.Codes;

/// <summary>
/// 统一社会信用代码 (GB 32100-2015): 18 characters — registration authority, organisation kind,
/// GB/T 2260 region (3–8), GB 11714 organisation code (9–17) and a mod-31 check character.
/// </summary>
public readonly record struct CreditCode
{
    /// <summary>The 31 permitted characters; a character's value is its index (no I, O, S, V, Z).</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] OrgWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    private CreditCode(string value) => Value = value;

    /// <summary>The 18-character code in upper case.</summary>
    public string Value { get; }

    /// <summary>The six-digit region code in positions 3–8.</summary>
    public string RegionCode => Value.Substring(2, 6);

    /// <summary>The embedded 9-character organisation code (主体标识码), e.g. 16829134X.</summary>
    public string OrganizationCode => Value.Substring(8, 9);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Parses a code, throwing <see cref="FormatException"/> with the Chinese reason.</summary>
    public static CreditCode Parse(string? text) =>
        TryParse(text, out var code, out var error) ? code : throw new FormatException(error);

    /// <summary>Parses a code; on failure <paramref name="error"/> says in Chinese what is wrong.</summary>
    public static bool TryParse(string? text, out CreditCode code, out string? error)
    {
        code = default;
        error = Validate(text);
        if (error is not null) return false;
        code = new CreditCode(text!.Trim().ToUpperInvariant());
        return true;
    }

    /// <summary>Returns null when valid, otherwise a Chinese message naming the problem.</summary>
    public static string? Validate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "统一社会信用代码不能为空";
        var s = text.Trim().ToUpperInvariant();
        if (s.Length != 18) return $"统一社会信用代码“{text.Trim()}”应为18位，实际为{s.Length}位";
        for (var i = 0; i < 18; i++)
        {
            if (Alphabet.IndexOf(s[i]) < 0)
                return s[i] is 'I' or 'O' or 'S' or 'V' or 'Z'
                    ? $"统一社会信用代码第{i + 1}位不能使用字母{s[i]}（GB 32100 不使用 I、O、S、V、Z）"
                    : $"统一社会信用代码第{i + 1}位“{s[i]}”不是合法字符";
        }
        for (var i = 2; i < 8; i++)
            if (!char.IsAsciiDigit(s[i])) return "统一社会信用代码第3至8位应为行政区划代码（数字）";
        var expected = CheckCharacter(s.AsSpan(0, 17));
        if (s[17] != expected) return $"统一社会信用代码校验位错误：应为“{expected}”，实际为“{s[17]}”";
        return null;
    }

    /// <summary>Computes the GB 32100 check character for the first 17 characters.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) throw new ArgumentException("需要前17位", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = Alphabet.IndexOf(char.ToUpperInvariant(first17[i]));
            if (v < 0) throw new ArgumentException($"第{i + 1}位不是合法字符", nameof(first17));
            sum += v * Weights[i];
        }
        return Alphabet[(31 - sum % 31) % 31];
    }

    /// <summary>Computes the GB 11714 check character of an 8-character organisation code body.</summary>
    public static char OrganizationCheckCharacter(ReadOnlySpan<char> body8)
    {
        if (body8.Length != 8) throw new ArgumentException("组织机构代码本体应为8位", nameof(body8));
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = char.ToUpperInvariant(body8[i]);
            var v = char.IsAsciiDigit(c) ? c - '0' : c is >= 'A' and <= 'Z' ? c - 'A' + 10 : throw new ArgumentException("组织机构代码含非法字符", nameof(body8));
            sum += v * OrgWeights[i];
        }
        var check = 11 - sum % 11;
        return check switch { 10 => 'X', 11 => '0', _ => (char)('0' + check) };
    }

    /// <summary>
    /// Builds a valid code from its parts (used by demo data and tests): the organisation code's own
    /// GB 11714 check character and the GB 32100 check character are computed.
    /// </summary>
    public static CreditCode Create(char authority, char kind, string regionCode, string organizationBody8)
    {
        var org = organizationBody8.ToUpperInvariant() + OrganizationCheckCharacter(organizationBody8);
        var first17 = $"{authority}{kind}{regionCode}{org}".ToUpperInvariant();
        if (first17.Length != 17) throw new ArgumentException("统一社会信用代码各段长度不正确");
        return Parse(first17 + CheckCharacter(first17));
    }
}
