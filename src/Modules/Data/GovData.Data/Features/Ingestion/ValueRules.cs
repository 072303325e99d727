using System.Collections.Frozen;

namespace GovData.Data.Features.Ingestion;

/// <summary>
/// A value (or record) that breaks a rule: <see cref="Rule"/> is one of the <see cref="ValueRules"/> codes, <see cref="Message"/>
/// says in Chinese what is wrong and what form is expected. Messages do not name the row or column and do not repeat the
/// value (except SharedKernel CreditCode's messages for a wrong length or character): the caller reports row, column and
/// value next to them (and may have to mask the value).
/// </summary>
internal sealed record ValueProblem(string Rule, string Message)
{
    /// <summary>The rule's Chinese label, e.g. 必填项为空.</summary>
    public string Label => ValueRules.Label(Rule);
}

/// <summary>The rule codes a load reports problems under (counts per rule in the load report), with their Chinese labels.</summary>
internal static class ValueRules
{
    // Values
    public const string Required = "REQUIRED";
    public const string Length = "LENGTH";
    public const string Number = "NUMBER";
    public const string Integer = "INTEGER";
    public const string Precision = "PRECISION";
    public const string Date = "DATE";
    public const string Timestamp = "TIMESTAMP";
    public const string Boolean = "BOOLEAN";
    public const string CreditCode = "USCC";
    public const string IdCard = "IDCARD";
    public const string Region = "REGION";
    public const string Phone = "PHONE";
    public const string Domain = "DOMAIN";

    // Records (raised by the readers, carried in SourceRecord.Problem / SourceRecord.Rule)
    public const string Quote = "QUOTE";
    public const string Width = "WIDTH";
    public const string Record = "RECORD";

    private static readonly FrozenDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Required] = "必填项为空",
        [Length] = "超出长度",
        [Number] = "数值格式",
        [Integer] = "整数格式",
        [Precision] = "小数位数",
        [Date] = "日期格式",
        [Timestamp] = "日期时间格式",
        [Boolean] = "逻辑值格式",
        [CreditCode] = "统一社会信用代码校验",
        [IdCard] = "身份证号校验",
        [Region] = "行政区划代码",
        [Phone] = "电话号码格式",
        [Domain] = "值域",
        [Quote] = "引号不匹配",
        [Width] = "字段数与表头不符",
        [Record] = "记录格式",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>All rule codes, values first, then record rules.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Required, Length, Number, Integer, Precision, Date, Timestamp, Boolean, CreditCode, IdCard, Region, Phone, Domain, Quote, Width, Record];

    /// <summary>The Chinese label of a rule code; unknown codes are returned as they are.</summary>
    public static string Label(string rule) => Labels.TryGetValue(rule, out var label) ? label : rule;

    /// <summary>True for the rules a reader raises about a whole record (the record is rejected before any value is converted).</summary>
    public static bool IsRecordRule(string rule) => rule is Quote or Width or Record;
}
