using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;

namespace GovData.Data.Features.Ingestion;

/// <summary>
/// Turns the raw texts of one column into the module's CLR values — string, decimal, double, long, DateOnly,
/// DateTime (Kind Unspecified), bool, or null — checking everything the information item declares: required, length,
/// type, precision, the code validator (from the value domain or the item name) and the value domain. Build one per
/// column per load with <see cref="For(DataColumn, ConversionOptions)"/>; <see cref="TryConvert"/> is thread-safe and allocates nothing on success
/// beyond the boxed result (and a trimmed copy when a text had surrounding blanks).
/// </summary>
internal sealed class ColumnConverter
{
    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;
    private static readonly ValueProblem RequiredEmpty = new(ValueRules.Required, "必填项为空");

    private const string NumberForms = "应为数字，如 1234.56、-12、1,234,567.89（可带 ¥、全角数字）";
    private const string IntegerForms = "应为整数，如 42、-7、1,234";
    private const string DateForms = "应为日期，如 2018-08-31、2018/8/31、20180831、2018年8月31日 或 2018.08.31";
    private const string TimestampForms = "应为日期时间，如 2018-08-31 22:14:50、2018/8/31 9:05、2018-08-31T22:14:50 或 20180831221450";
    private const string BooleanForms = "应为逻辑值：是/否、true/false、1/0、Y/N";

    private readonly string[] _nullMarkers;
    private readonly int _longestMarker;
    private readonly bool _trim;
    private readonly TimeSpan _localOffset;
    private readonly bool _checkDomain;
    private readonly Dictionary<string, ValueProblem> _markerProblems = new(StringComparer.Ordinal);

    private ColumnConverter(DataColumn column, ConversionOptions options)
    {
        Column = column;
        Options = options;
        _trim = options.Trim;
        _localOffset = options.LocalOffset;
        _nullMarkers = options.NullMarkers.IsDefault ? [] : options.NullMarkers.Where(m => m is not null && m.Length > 0).Distinct().ToArray();
        _longestMarker = _nullMarkers.Length == 0 ? 0 : _nullMarkers.Max(m => m.Length);
        foreach (var m in _nullMarkers) _markerProblems[m] = new(ValueRules.Required, $"必填项为空（“{m}”按空值处理）");

        Domain = ValueDomain.Parse(column.ValueDomain);
        if (Domain.Kind == ValueDomainKind.Standard && Domain.Standard is { } standard)
            Validator = CodeValidator.ForStandard(standard, options);
        else if (Domain.Kind == ValueDomainKind.None && column.Kind == ColumnKind.Text)
            Validator = CodeValidator.ForItemName(column.ItemName, options);

        _checkDomain = Domain.Kind == ValueDomainKind.Enumeration && column.Kind switch
        {
            ColumnKind.Text => true,
            ColumnKind.Integer or ColumnKind.Decimal or ColumnKind.Double => Domain.AllNumeric,
            _ => false, // dates and booleans: the domain only describes them
        };
        MaxLength = column.Kind == ColumnKind.Text && column.DataType == ItemDataType.C && column.Length is > 0 ? column.Length : null;
    }

    public DataColumn Column { get; }

    public ConversionOptions Options { get; }

    /// <summary>The code validator applied, or null.</summary>
    public CodeValidator? Validator { get; }

    /// <summary>The parsed value domain (Kind None when absent or free text).</summary>
    public ValueDomain Domain { get; }

    /// <summary>Maximum length in characters (C items with a length).</summary>
    public int? MaxLength { get; }

    /// <summary>Whether the enumeration in the value domain is enforced.</summary>
    public bool ChecksDomain => _checkDomain;

    public static ColumnConverter For(DataColumn column, ConversionOptions options) => new(column, options);

    /// <summary>Converters for a version's columns, in order.</summary>
    public static ColumnConverter[] For(IEnumerable<DataColumn> columns, ConversionOptions options) =>
        columns.Select(c => new ColumnConverter(c, options)).ToArray();

    /// <summary>What this column accepts and checks, in Chinese (data dictionary, upload page).</summary>
    public string Describe()
    {
        var parts = new List<string>();
        parts.Add(Column.Kind switch
        {
            ColumnKind.Text => MaxLength is { } max ? $"文本，最多{max}个字符" : "文本",
            ColumnKind.Decimal => Column.Length is { } l
                ? Column.Precision is { } p ? $"数值，总位数不超过{l}、小数不超过{p}位" : $"数值，总位数不超过{l}"
                : Column.Precision is { } p2 ? $"数值，小数不超过{p2}位" : "数值",
            ColumnKind.Double => "数值（双精度）",
            ColumnKind.Integer => "整数",
            ColumnKind.Date => "日期",
            ColumnKind.Timestamp => "日期时间",
            ColumnKind.Boolean => "逻辑值（是/否）",
            _ => "文本",
        });
        if (Column.IsRequired) parts.Add("必填");
        if (Validator is not null) parts.Add("校验" + Validator.Description);
        if (_checkDomain) parts.Add("值域：" + Domain.Describe());
        return string.Join("；", parts);
    }

    /// <summary>
    /// Converts one raw text. Returns true with the value (null for an empty text or a null marker in an optional
    /// column), or false with the problem (Chinese message without row, column or value — the caller adds them).
    /// </summary>
    public bool TryConvert(string? raw, out object? value, out ValueProblem? problem)
    {
        value = null;
        problem = null;
        var s = raw.AsSpan();
        if (_trim) s = s.Trim();
        if (s.IsEmpty)
        {
            if (!Column.IsRequired) return true;
            problem = RequiredEmpty;
            return false;
        }
        if (s.Length <= _longestMarker && NullMarker(s) is { } marker)
        {
            if (!Column.IsRequired) return true;
            problem = _markerProblems[marker];
            return false;
        }

        switch (Column.Kind)
        {
            case ColumnKind.Text:
                return ConvertText(raw!, s, out value, out problem);
            case ColumnKind.Decimal:
                return ConvertDecimal(s, out value, out problem);
            case ColumnKind.Double:
                return ConvertDouble(s, out value, out problem);
            case ColumnKind.Integer:
                return ConvertInteger(s, out value, out problem);
            case ColumnKind.Date:
            case ColumnKind.Timestamp:
                return ConvertDate(s, out value, out problem);
            case ColumnKind.Boolean:
                if (ValueText.TryParseBoolean(s, out var b))
                {
                    value = b ? BoxedTrue : BoxedFalse;
                    return true;
                }
                problem = new(ValueRules.Boolean, $"不是逻辑值，{BooleanForms}");
                return false;
            default:
                throw new InvalidOperationException($"未知的列类型 {Column.Kind}");
        }
    }

    private string? NullMarker(ReadOnlySpan<char> s)
    {
        foreach (var m in _nullMarkers)
            if (m.Length == s.Length && s.Equals(m, StringComparison.OrdinalIgnoreCase)) return m;
        return null;
    }

    private bool ConvertText(string raw, ReadOnlySpan<char> s, out object? value, out ValueProblem? problem)
    {
        value = null;
        problem = null;
        var text = s.Length == raw.Length ? raw : s.ToString();
        if (MaxLength is { } max && text.Length > max)
        {
            var count = ValueText.CharacterCount(text);
            if (count > max)
            {
                problem = new(ValueRules.Length, $"长度为{count}个字符，超过规定的{max}个字符");
                return false;
            }
        }
        if (Validator is not null && Validator.Check(ref text) is { } error)
        {
            problem = new(Validator.Rule, error);
            return false;
        }
        if (_checkDomain && !Domain.Contains(text))
        {
            problem = DomainProblem();
            return false;
        }
        value = text;
        return true;
    }

    private bool ConvertDecimal(ReadOnlySpan<char> s, out object? value, out ValueProblem? problem)
    {
        value = null;
        problem = null;
        Span<char> buffer = stackalloc char[ValueText.MaxNumberLength + 2];
        var syntax = ValueText.NormalizeNumber(s, buffer, out var written);
        if (syntax != NumberSyntax.Ok)
        {
            problem = NumberProblem(ValueRules.Number, syntax, NumberForms);
            return false;
        }
        if (!decimal.TryParse(buffer[..written], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var d))
        {
            problem = new(ValueRules.Number, "超出数值范围（有效数字不超过28位）");
            return false;
        }
        if (Column.Length is > 0 || Column.Precision is >= 0)
        {
            var (intDigits, fracDigits) = ValueText.DigitsOf(d);
            if (Column.Precision is { } p and >= 0 && fracDigits > p)
            {
                problem = new(ValueRules.Precision, $"小数部分有{fracDigits}位，超过规定的{p}位");
                return false;
            }
            if (Column.Length is { } l and > 0)
            {
                var maxInt = l - Math.Max(0, Column.Precision ?? 0);
                if (Column.Precision is null && intDigits + fracDigits > l)
                {
                    problem = new(ValueRules.Length, $"共有{intDigits + fracDigits}位数字，超过规定的长度{l}位");
                    return false;
                }
                if (intDigits > maxInt)
                {
                    problem = new(ValueRules.Length, $"整数部分有{intDigits}位，超过规定（长度{l}位、小数{Column.Precision}位，整数部分最多{Math.Max(0, maxInt)}位）");
                    return false;
                }
            }
        }
        if (_checkDomain && !(d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue && Domain.ContainsInteger((long)d)))
        {
            problem = DomainProblem();
            return false;
        }
        if (Validator is not null && CheckCode(s) is { } codeProblem)
        {
            problem = codeProblem;
            return false;
        }
        value = d;
        return true;
    }

    private bool ConvertDouble(ReadOnlySpan<char> s, out object? value, out ValueProblem? problem)
    {
        value = null;
        problem = null;
        Span<char> buffer = stackalloc char[ValueText.MaxNumberLength + 2];
        var syntax = ValueText.NormalizeNumber(s, buffer, out var written);
        if (syntax != NumberSyntax.Ok)
        {
            problem = NumberProblem(ValueRules.Number, syntax, NumberForms);
            return false;
        }
        if (!double.TryParse(buffer[..written], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
        {
            problem = new(ValueRules.Number, "超出双精度数值范围");
            return false;
        }
        if (_checkDomain && !(d == Math.Truncate(d) && Math.Abs(d) < 9e18 && Domain.ContainsInteger((long)d)))
        {
            problem = DomainProblem();
            return false;
        }
        value = d;
        return true;
    }

    private bool ConvertInteger(ReadOnlySpan<char> s, out object? value, out ValueProblem? problem)
    {
        value = null;
        problem = null;
        Span<char> buffer = stackalloc char[ValueText.MaxNumberLength + 2];
        var syntax = ValueText.NormalizeNumber(s, buffer, out var written);
        if (syntax != NumberSyntax.Ok)
        {
            problem = NumberProblem(ValueRules.Integer, syntax, IntegerForms);
            return false;
        }
        var text = buffer[..written];
        long n;
        if (text.IndexOfAny('.', 'E') < 0)
        {
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
            {
                problem = new(ValueRules.Integer, "超出整数范围（-9223372036854775808 至 9223372036854775807）");
                return false;
            }
        }
        else
        {
            // 42.0 (spreadsheets) and 1.2E3 are integers; 42.5 is not
            if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                    CultureInfo.InvariantCulture, out var d) || d != decimal.Truncate(d))
            {
                problem = new(ValueRules.Integer, $"含有小数部分，{IntegerForms}");
                return false;
            }
            if (d is < long.MinValue or > long.MaxValue)
            {
                problem = new(ValueRules.Integer, "超出整数范围（-9223372036854775808 至 9223372036854775807）");
                return false;
            }
            n = (long)d;
        }
        if (_checkDomain && !Domain.ContainsInteger(n))
        {
            problem = DomainProblem();
            return false;
        }
        if (Validator is not null && CheckCode(s) is { } codeProblem)
        {
            problem = codeProblem;
            return false;
        }
        value = n;
        return true;
    }

    private bool ConvertDate(ReadOnlySpan<char> s, out object? value, out ValueProblem? problem)
    {
        value = null;
        problem = null;
        var isDate = Column.Kind == ColumnKind.Date;
        var rule = isDate ? ValueRules.Date : ValueRules.Timestamp;
        switch (DateText.TryParse(s, _localOffset, out var dt, out var hasTime, out var rangeError))
        {
            case DateSyntax.Ok:
                break;
            case DateSyntax.OutOfRange:
                problem = new(rule, isDate ? $"不是有效日期：{rangeError}" : $"不是有效日期时间：{rangeError}");
                return false;
            default:
                problem = new(rule, isDate ? $"日期格式无法识别，{DateForms}" : $"日期时间格式无法识别，{TimestampForms}");
                return false;
        }
        if (isDate)
        {
            if (hasTime && dt.TimeOfDay != TimeSpan.Zero)
            {
                problem = new(rule, "日期型数据项不能带有时间（仅接受 00:00:00）；如需保留时间，请将数据项类型定为日期时间型（T）");
                return false;
            }
            value = DateOnly.FromDateTime(dt);
        }
        else value = dt;
        return true;
    }

    private ValueProblem? CheckCode(ReadOnlySpan<char> s)
    {
        var text = s.ToString();
        return Validator!.Check(ref text) is { } error ? new ValueProblem(Validator.Rule, error) : null;
    }

    private ValueProblem DomainProblem()
    {
        var list = Domain.Describe();
        return new(ValueRules.Domain, $"不在值域内，应为：{list}");
    }

    private static ValueProblem NumberProblem(string rule, NumberSyntax syntax, string forms) => syntax switch
    {
        NumberSyntax.Grouping => new(rule, "千位分隔符位置不正确，应每三位一组，如 1,234,567.89"),
        NumberSyntax.Percent => new(rule, "百分数不自动换算，请写成数值（如 12.5 或 0.125），单位在数据项说明中注明"),
        NumberSyntax.TooLong => new(rule, $"数值过长（超过{ValueText.MaxNumberLength}个字符）"),
        _ => new(rule, $"数值格式无法识别，{forms}"),
    };

    /// <summary>The value written back as text the way the stores and exports write it (invariant, dates ISO).</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
