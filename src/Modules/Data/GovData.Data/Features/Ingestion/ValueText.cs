using System.Globalization;

namespace GovData.Data.Features.Ingestion;

/// <summary>Outcome of reading a number's syntax.</summary>
internal enum NumberSyntax
{
    Ok,
    Invalid,
    Grouping,
    Percent,
    TooLong,
}

/// <summary>
/// Hand-written scanners for the texts real files hold (hot path: no regular expressions, no allocations).
/// </summary>
internal static class ValueText
{
    /// <summary>Longest number text accepted (decimal holds 28–29 significant digits; exponents and separators add a few).</summary>
    public const int MaxNumberLength = 80;

    /// <summary>The value of an ASCII or full-width digit, or -1.</summary>
    public static int Digit(char c)
    {
        var d = c - '0';
        if ((uint)d <= 9) return d;
        d = c - '０';
        return (uint)d <= 9 ? d : -1;
    }

    /// <summary>
    /// Rewrites a number as written in real files — thousands separators (<c>1,234,567.89</c>), full-width digits and
    /// punctuation, a leading <c>+</c>, a currency sign <c>¥</c>/<c>￥</c>, an exponent — into the invariant form
    /// <c>[-]digits[.digits][E[±]digits]</c> in <paramref name="dest"/> (at least as long as <paramref name="s"/>).
    /// </summary>
    public static NumberSyntax NormalizeNumber(ReadOnlySpan<char> s, Span<char> dest, out int written)
    {
        written = 0;
        if (s.Length > MaxNumberLength) return NumberSyntax.TooLong;
        var i = 0;
        var w = 0;
        bool sawSign = false, sawCurrency = false, negative = false;
        while (i < s.Length)
        {
            var c = s[i];
            if (!sawCurrency && c is '¥' or '￥') { sawCurrency = true; i++; }
            else if (!sawSign && c is '+' or '＋') { sawSign = true; i++; }
            else if (!sawSign && c is '-' or '－' or '−') { sawSign = true; negative = true; i++; }
            else if (sawCurrency && c == ' ') i++;
            else break;
        }
        if (negative) dest[w++] = '-';

        var intDigits = 0;
        var group = -1; // digits since the last thousands separator; -1 before the first one
        for (; i < s.Length; i++)
        {
            var c = s[i];
            var d = Digit(c);
            if (d >= 0)
            {
                dest[w++] = (char)('0' + d);
                intDigits++;
                if (group >= 0) group++;
            }
            else if (c is ',' or '，')
            {
                if (intDigits == 0) return NumberSyntax.Invalid;
                if (group < 0 ? intDigits > 3 : group != 3) return NumberSyntax.Grouping;
                group = 0;
            }
            else break;
        }
        if (group >= 0 && group != 3) return NumberSyntax.Grouping;

        var fracDigits = 0;
        if (i < s.Length && s[i] is '.' or '．')
        {
            dest[w++] = '.';
            for (i++; i < s.Length; i++)
            {
                var d = Digit(s[i]);
                if (d < 0) break;
                dest[w++] = (char)('0' + d);
                fracDigits++;
            }
        }
        if (intDigits + fracDigits == 0) return NumberSyntax.Invalid;

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            dest[w++] = 'E';
            i++;
            if (i < s.Length && s[i] is '+' or '-') dest[w++] = s[i++];
            var expDigits = 0;
            for (; i < s.Length; i++)
            {
                var d = Digit(s[i]);
                if (d < 0) break;
                dest[w++] = (char)('0' + d);
                expDigits++;
            }
            if (expDigits == 0) return NumberSyntax.Invalid;
        }
        if (i < s.Length)
            return i == s.Length - 1 && s[i] is '%' or '％' ? NumberSyntax.Percent : NumberSyntax.Invalid;
        written = w;
        return NumberSyntax.Ok;
    }

    /// <summary>Significant digits of a decimal: integer digits (no leading zeros) and fraction digits (no trailing zeros).</summary>
    public static (int IntegerDigits, int FractionDigits) DigitsOf(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        int total;
        if (bits[2] == 0)
        {
            // the common case: the mantissa fits in 64 bits, where division by 10 is cheap
            var m = (uint)bits[0] | ((ulong)(uint)bits[1] << 32);
            while (scale > 0 && m % 10 == 0)
            {
                m /= 10;
                scale--;
            }
            total = 0;
            for (; m > 0; m /= 10) total++;
        }
        else
        {
            var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
            while (scale > 0 && mantissa % 10 == 0)
            {
                mantissa /= 10;
                scale--;
            }
            total = 0;
            for (var m = mantissa; m > 0; m /= 10) total++;
        }
        return (Math.Max(0, total - scale), scale);
    }

    /// <summary>Boolean texts: 是/否, 真/假, true/false, t/f, yes/no, y/n, 1/0 (ASCII case ignored).</summary>
    public static bool TryParseBoolean(ReadOnlySpan<char> s, out bool value)
    {
        value = false;
        switch (s.Length)
        {
            case 1:
                switch (s[0])
                {
                    case '是' or '真' or '1' or 'y' or 'Y' or 't' or 'T' or '１': value = true; return true;
                    case '否' or '假' or '0' or 'n' or 'N' or 'f' or 'F' or '０': return true;
                    default: return false;
                }
            case 2:
                return s.Equals("no", StringComparison.OrdinalIgnoreCase);
            case 3:
                return value = s.Equals("yes", StringComparison.OrdinalIgnoreCase);
            case 4:
                return value = s.Equals("true", StringComparison.OrdinalIgnoreCase);
            case 5:
                return s.Equals("false", StringComparison.OrdinalIgnoreCase);
            default:
                return false;
        }
    }

    /// <summary>Number of characters (Unicode code points) of a text: a surrogate pair counts once, as in PostgreSQL varchar(n).</summary>
    public static int CharacterCount(ReadOnlySpan<char> s)
    {
        var n = s.Length;
        foreach (var c in s)
            if (char.IsLowSurrogate(c)) n--;
        return n;
    }

    /// <summary>Shortens a value for a message.</summary>
    public static string Excerpt(ReadOnlySpan<char> s, int max = 40) =>
        s.Length <= max ? s.ToString() : string.Concat(s[..max], "…");

    public static string Invariant(long v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Outcome of reading a date or timestamp text.</summary>
internal enum DateSyntax
{
    Ok,
    Invalid,
    OutOfRange,
}

/// <summary>
/// Dates and times as real files write them: <c>2018-08-31</c>, <c>2018/8/31</c>, <c>2018.08.31</c>, <c>20180831</c>,
/// <c>2018年8月31日</c> (or 号), optionally followed (after spaces or <c>T</c>) by <c>22:14:50</c>, <c>9:05</c>,
/// <c>22:14:50.123</c>, <c>22时14分50秒</c>, and a trailing <c>Z</c> or offset (<c>+08:00</c>, <c>+0800</c>, <c>+08</c>);
/// and the compact <c>20180831221450</c>.
/// </summary>
internal static class DateText
{
    public static DateSyntax TryParse(ReadOnlySpan<char> s, TimeSpan localOffset, out DateTime value, out bool hasTime, out string? rangeError)
    {
        value = default;
        hasTime = false;
        rangeError = null;
        var i = 0;
        var lead = CountDigits(s, 0);
        int year, month, day, hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        var chinese = false;
        if (lead == 8 || lead == 14)
        {
            year = Number(s, 0, 4);
            month = Number(s, 4, 2);
            day = Number(s, 6, 2);
            i = 8;
            if (lead == 14)
            {
                hour = Number(s, 8, 2);
                minute = Number(s, 10, 2);
                second = Number(s, 12, 2);
                hasTime = true;
                i = 14;
            }
        }
        else if (lead == 4 && s.Length > 5)
        {
            year = Number(s, 0, 4);
            var sep = s[4];
            if (sep is not ('-' or '/' or '.' or '年' or '－' or '／' or '．')) return DateSyntax.Invalid;
            chinese = sep == '年';
            i = 5;
            if (!ReadNumber(s, ref i, 2, out month)) return DateSyntax.Invalid;
            if (i >= s.Length || s[i] != (chinese ? '月' : sep)) return DateSyntax.Invalid;
            i++;
            if (!ReadNumber(s, ref i, 2, out day)) return DateSyntax.Invalid;
            if (chinese && i < s.Length && s[i] is '日' or '号') i++;
        }
        else return DateSyntax.Invalid;

        if (!hasTime && i < s.Length)
        {
            // separator: spaces, or T; the Chinese form may run straight on (2018年8月31日22时14分)
            var start = i;
            while (i < s.Length && s[i] is ' ' or '\u3000') i++;
            if (i == start && i < s.Length && s[i] is 'T' or 't') i++;
            else if (i == start && !chinese) return DateSyntax.Invalid;
            if (i >= s.Length) return DateSyntax.Invalid;

            if (!ReadNumber(s, ref i, 2, out hour)) return DateSyntax.Invalid;
            if (i >= s.Length) return DateSyntax.Invalid;
            var cjkTime = s[i] is '时' or '点';
            if (!cjkTime && s[i] is not (':' or '：')) return DateSyntax.Invalid;
            i++;
            if (!ReadNumber(s, ref i, 2, out minute)) return DateSyntax.Invalid;
            if (cjkTime)
            {
                if (i < s.Length && s[i] == '分') i++;
                if (i < s.Length && Digit(s[i]))
                {
                    if (!ReadNumber(s, ref i, 2, out second)) return DateSyntax.Invalid;
                    if (i < s.Length && s[i] == '秒') i++;
                }
            }
            else if (i < s.Length && s[i] is ':' or '：')
            {
                i++;
                if (!ReadNumber(s, ref i, 2, out second)) return DateSyntax.Invalid;
                if (i < s.Length && s[i] is '.' or ',')
                {
                    i++;
                    var digits = 0;
                    long scale = TimeSpan.TicksPerSecond;
                    for (; i < s.Length && Digit(s[i]); i++, digits++)
                    {
                        scale /= 10;
                        fractionTicks += ValueText.Digit(s[i]) * scale; // beyond 7 digits scale is 0: truncated
                    }
                    if (digits == 0 || digits > 9) return DateSyntax.Invalid;
                }
            }
            hasTime = true;
        }

        TimeSpan? offset = null;
        if (hasTime && i < s.Length)
        {
            if (s[i] == ' ' && i + 1 < s.Length && s[i + 1] is '+' or '-') i++;
            if (s[i] is 'Z' or 'z')
            {
                offset = TimeSpan.Zero;
                i++;
            }
            else if (s[i] is '+' or '-')
            {
                var negative = s[i] == '-';
                i++;
                if (CountDigits(s, i) < 2) return DateSyntax.Invalid;
                var oh = Number(s, i, 2);
                i += 2;
                var om = 0;
                if (i < s.Length && s[i] == ':') i++;
                if (i < s.Length)
                {
                    if (CountDigits(s, i) != 2) return DateSyntax.Invalid;
                    om = Number(s, i, 2);
                    i += 2;
                }
                if (oh > 14 || om > 59) return DateSyntax.Invalid;
                offset = new TimeSpan(negative ? -oh : oh, negative ? -om : om, 0);
            }
        }
        if (i != s.Length) return DateSyntax.Invalid;

        if (year < 1) { rangeError = "年份不能为0"; return DateSyntax.OutOfRange; }
        if (month is < 1 or > 12) { rangeError = $"月份应为1至12，实际为{month}"; return DateSyntax.OutOfRange; }
        if (day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            rangeError = $"{year}年{month}月没有{day}日";
            return DateSyntax.OutOfRange;
        }
        if (hour > 23) { rangeError = $"小时应为0至23，实际为{hour}"; return DateSyntax.OutOfRange; }
        if (minute > 59) { rangeError = $"分钟应为0至59，实际为{minute}"; return DateSyntax.OutOfRange; }
        if (second > 59) { rangeError = $"秒应为0至59，实际为{second}"; return DateSyntax.OutOfRange; }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        if (offset is { } o)
        {
            ticks += (localOffset - o).Ticks;
            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            {
                rangeError = "换算时区后超出日期范围";
                return DateSyntax.OutOfRange;
            }
        }
        value = new DateTime(ticks, DateTimeKind.Unspecified);
        return DateSyntax.Ok;
    }

    private static bool Digit(char c) => ValueText.Digit(c) >= 0;

    private static int CountDigits(ReadOnlySpan<char> s, int from)
    {
        var n = 0;
        while (from + n < s.Length && Digit(s[from + n])) n++;
        return n;
    }

    private static int Number(ReadOnlySpan<char> s, int from, int count)
    {
        var v = 0;
        for (var k = 0; k < count; k++) v = v * 10 + ValueText.Digit(s[from + k]);
        return v;
    }

    /// <summary>Reads 1 to <paramref name="max"/> digits (not more: 2018-008-31 is refused).</summary>
    private static bool ReadNumber(ReadOnlySpan<char> s, ref int i, int max, out int value)
    {
        var n = CountDigits(s, i);
        value = 0;
        if (n == 0 || n > max) return false;
        value = Number(s, i, n);
        i += n;
        return true;
    }
}
