using System.Text.RegularExpressions;

namespace GovData.Catalog.Domain;

/// <summary>
/// Field keys of a catalog entry (as used in the API, validation errors, reviewer comments and history)
/// and their Chinese names from the 1272 guide.
/// </summary>
internal static partial class ResourceFields
{
    public const string Classification = "classificationCode";
    public const string Name = "name";
    public const string Code = "code";
    public const string ProviderName = "providerName";
    public const string ProviderCode = "providerCode";
    public const string Abstract = "abstract";
    public const string FormatCategory = "formatCategory";
    public const string FormatType = "formatType";
    public const string FormatDescription = "formatDescription";
    public const string Items = "items";
    public const string ShareType = "shareType";
    public const string ShareCondition = "shareCondition";
    public const string ShareBasis = "shareBasis";
    public const string ShareChannel = "shareChannel";
    public const string ShareMethodType = "shareMethodType";
    public const string OpenType = "openType";
    public const string OpenCondition = "openCondition";
    public const string UpdateCycle = "updateCycle";
    public const string UpdateCycleNote = "updateCycleNote";
    public const string PublishDate = "publishDate";
    public const string RelatedCodes = "relatedCodes";
    public const string Keywords = "keywords";
    public const string MetadataMaintainer = "metadataMaintainer";
    public const string OnlineLink = "onlineLink";
    public const string SecurityClass = "securityClass";
    public const string Hierarchy = "hierarchy";

    /// <summary>Entry-level fields → Chinese names, in the order of the 13 core metadata, then the extended ones.</summary>
    public static IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>
    {
        [Classification] = "信息资源分类",
        [Name] = "信息资源名称",
        [Code] = "信息资源代码",
        [ProviderName] = "信息资源提供方",
        [ProviderCode] = "信息资源提供方代码",
        [Abstract] = "信息资源摘要",
        [FormatCategory] = "信息资源格式分类",
        [FormatType] = "信息资源格式类型",
        [FormatDescription] = "信息资源格式说明",
        [Items] = "信息项信息",
        [ShareType] = "共享类型",
        [ShareCondition] = "共享条件",
        [ShareBasis] = "不予共享依据",
        [ShareChannel] = "共享方式分类",
        [ShareMethodType] = "共享方式类型",
        [OpenType] = "开放类型",
        [OpenCondition] = "开放条件",
        [UpdateCycle] = "更新周期",
        [UpdateCycleNote] = "更新周期说明",
        [PublishDate] = "发布日期",
        [RelatedCodes] = "关联资源代码",
        [Keywords] = "关键字",
        [MetadataMaintainer] = "元数据维护方",
        [OnlineLink] = "在线资源链接地址",
        [SecurityClass] = "涉密属性",
        [Hierarchy] = "层级属性",
    };

    /// <summary>Information-item fields → Chinese names.</summary>
    public static IReadOnlyDictionary<string, string> ItemLabels { get; } = new Dictionary<string, string>
    {
        ["name"] = "信息项名称",
        ["fieldCode"] = "字段代码",
        ["dataType"] = "数据类型",
        ["length"] = "数据长度",
        ["precision"] = "小数位数",
        ["required"] = "是否必填",
        ["isKey"] = "是否主键",
        ["valueDomain"] = "值域/字典",
        ["sensitivity"] = "敏感级别",
        ["maskingRule"] = "脱敏规则",
        ["description"] = "说明",
    };

    [GeneratedRegex(@"^items\[(?<i>\d{1,4})\](?:\.(?<f>[A-Za-z]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ItemKeyRegex();

    /// <summary>Key of an information item's field: <c>items[2].dataType</c> (0-based index).</summary>
    public static string ItemKey(int index, string field) => $"items[{index}].{field}";

    /// <summary>
    /// The Chinese name of a field key (entry field or <c>items[i].field</c>), or null when the key is unknown.
    /// </summary>
    public static string? LabelOf(string key)
    {
        if (Labels.TryGetValue(key, out var label)) return label;
        var m = ItemKeyRegex().Match(key);
        if (!m.Success) return null;
        var n = int.Parse(m.Groups["i"].Value) + 1;
        if (!m.Groups["f"].Success) return $"第{n}个信息项";
        return ItemLabels.TryGetValue(m.Groups["f"].Value, out var f) ? $"第{n}个信息项的{f}" : null;
    }
}
