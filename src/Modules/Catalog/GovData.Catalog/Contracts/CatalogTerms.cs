using System.Collections.Concurrent;
using System.Reflection;

namespace GovData.Catalog.Contracts;

/// <summary>The Chinese term of an enumeration value, plus the other spellings accepted on input.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class TermAttribute(string label, params string[] aliases) : Attribute
{
    /// <summary>The standard's wording, used in the API, exports and pages.</summary>
    public string Label { get; } = label;

    /// <summary>Other spellings accepted when parsing (e.g. the guide's 是否开放 wording or short forms).</summary>
    public IReadOnlyList<string> Aliases { get; } = aliases;
}

/// <summary>
/// Labels and lenient parsing of the catalog's enumerations. Values travel as the standard's Chinese terms
/// (无条件共享, 每月 ...); parsing also accepts the enum name and listed aliases.
/// </summary>
public static class CatalogTerms
{
    private static readonly ConcurrentDictionary<Type, (Dictionary<long, string> Labels, Dictionary<string, long> Lookup)> Cache = new();

    /// <summary>The Chinese term of a value.</summary>
    public static string Label<T>(T value) where T : struct, Enum =>
        Table(typeof(T)).Labels.TryGetValue(Convert.ToInt64(value), out var l) ? l : value.ToString();

    /// <summary>The Chinese term of a nullable value, or null.</summary>
    public static string? Label<T>(T? value) where T : struct, Enum => value is { } v ? Label(v) : null;

    /// <summary>All values with their terms, in declaration order.</summary>
    public static IReadOnlyList<(T Value, string Label)> All<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (v, Label(v))).ToList();

    /// <summary>All terms of an enumeration, in declaration order.</summary>
    public static IReadOnlyList<string> Labels<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Label).ToList();

    /// <summary>Parses a term, alias or enum name (case-insensitive, surrounding blanks ignored).</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (!Table(typeof(T)).Lookup.TryGetValue(text.Trim(), out var raw)) return false;
        value = (T)Enum.ToObject(typeof(T), raw);
        return true;
    }

    private static (Dictionary<long, string> Labels, Dictionary<string, long> Lookup) Table(Type type) => Cache.GetOrAdd(type, t =>
    {
        var labels = new Dictionary<long, string>();
        var lookup = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in t.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var raw = Convert.ToInt64(field.GetValue(null));
            var term = field.GetCustomAttribute<TermAttribute>();
            labels[raw] = term?.Label ?? field.Name;
            lookup.TryAdd(field.Name, raw);
            if (term is null) continue;
            lookup.TryAdd(term.Label, raw);
            foreach (var alias in term.Aliases) lookup.TryAdd(alias, raw);
        }
        return (labels, lookup);
    });
}

/// <summary>信息资源分类的“类”.</summary>
public enum ResourceClass
{
    /// <summary>基础信息资源.</summary>
    [Term("基础类", "基础信息资源", "1")] Basic = 1,
    /// <summary>主题信息资源.</summary>
    [Term("主题类", "主题信息资源", "2")] Thematic = 2,
    /// <summary>部门信息资源.</summary>
    [Term("部门类", "部门信息资源", "3")] Departmental = 3,
}

/// <summary>共享类型.</summary>
public enum ShareType
{
    /// <summary>无条件共享.</summary>
    [Term("无条件共享", "无条件")] Unconditional = 1,
    /// <summary>有条件共享: 共享条件 required.</summary>
    [Term("有条件共享", "有条件")] Conditional = 2,
    /// <summary>不予共享: must cite its legal or policy basis.</summary>
    [Term("不予共享", "不共享")] NotShared = 3,
}

/// <summary>共享方式分类 (the guide).</summary>
public enum ShareChannel
{
    /// <summary>共享平台方式.</summary>
    [Term("共享平台方式", "共享平台", "共享平台网站", "平台")] Platform = 1,
    /// <summary>邮件方式.</summary>
    [Term("邮件方式", "邮件")] Email = 2,
    /// <summary>介质方式.</summary>
    [Term("介质方式", "介质")] Media = 3,
}

/// <summary>共享方式类型 (practice).</summary>
public enum ShareMethodType
{
    /// <summary>数据库（库表）.</summary>
    [Term("数据库(库表)", "数据库（库表）", "库表", "数据库")] Database = 1,
    /// <summary>文件（下载）.</summary>
    [Term("文件(下载)", "文件（下载）", "文件", "下载")] File = 2,
    /// <summary>接口（服务）.</summary>
    [Term("接口(服务)", "接口（服务）", "接口", "服务")] Api = 3,
}

/// <summary>开放类型. The guide's 是否开放 是/否 + 开放条件 maps onto it (see <see cref="OpenAttributes"/>).</summary>
public enum OpenType
{
    /// <summary>无条件开放 (是否开放 = 是, no condition).</summary>
    [Term("无条件开放")] Unconditional = 1,
    /// <summary>有条件开放 (是否开放 = 是, with 开放条件).</summary>
    [Term("有条件开放")] Conditional = 2,
    /// <summary>不予开放 (是否开放 = 否).</summary>
    [Term("不予开放", "不开放")] NotOpen = 3,
}

/// <summary>更新周期: the guide's list plus practice additions (每旬, 每半年, 不定期, 其他).</summary>
public enum UpdateCycle
{
    /// <summary>实时.</summary>
    [Term("实时")] Realtime = 1,
    /// <summary>每日.</summary>
    [Term("每日", "日", "每天")] Daily = 2,
    /// <summary>每周.</summary>
    [Term("每周", "周")] Weekly = 3,
    /// <summary>每旬 (practice).</summary>
    [Term("每旬", "旬")] TenDays = 4,
    /// <summary>每月.</summary>
    [Term("每月", "月")] Monthly = 5,
    /// <summary>每季度.</summary>
    [Term("每季度", "季度", "季", "每季")] Quarterly = 6,
    /// <summary>每半年 (practice).</summary>
    [Term("每半年", "半年")] HalfYearly = 7,
    /// <summary>每年.</summary>
    [Term("每年", "年")] Yearly = 8,
    /// <summary>不定期 (practice).</summary>
    [Term("不定期")] Irregular = 9,
    /// <summary>其他 (practice): must be described.</summary>
    [Term("其他")] Other = 10,
}

/// <summary>信息资源格式分类.</summary>
public enum FormatCategory
{
    /// <summary>电子文件.</summary>
    [Term("电子文件", "文件类", "文件")] ElectronicFile = 1,
    /// <summary>电子表格.</summary>
    [Term("电子表格", "表格")] Spreadsheet = 2,
    /// <summary>数据库.</summary>
    [Term("数据库", "数据库类")] Database = 3,
    /// <summary>图形图像.</summary>
    [Term("图形图像", "图像")] Image = 4,
    /// <summary>流媒体.</summary>
    [Term("流媒体")] StreamingMedia = 5,
    /// <summary>自描述格式: described by the provider.</summary>
    [Term("自描述格式")] SelfDescribing = 6,
    /// <summary>服务接口 (practice).</summary>
    [Term("服务接口", "接口")] ServiceInterface = 7,
    /// <summary>其他: must be described.</summary>
    [Term("其他")] Other = 9,
}

/// <summary>信息项数据类型 (the guide's list).</summary>
public enum ItemDataType
{
    /// <summary>字符型.</summary>
    [Term("C", "字符型")] C = 1,
    /// <summary>数值型.</summary>
    [Term("N", "数值型")] N = 2,
    /// <summary>货币型.</summary>
    [Term("Y", "货币型")] Y = 3,
    /// <summary>日期型.</summary>
    [Term("D", "日期型")] D = 4,
    /// <summary>日期时间型.</summary>
    [Term("T", "日期时间型")] T = 5,
    /// <summary>逻辑型.</summary>
    [Term("L", "逻辑型")] L = 6,
    /// <summary>备注型.</summary>
    [Term("M", "备注型")] M = 7,
    /// <summary>通用型.</summary>
    [Term("G", "通用型")] G = 8,
    /// <summary>双精度型.</summary>
    [Term("B", "双精度型")] B = 9,
    /// <summary>整型.</summary>
    [Term("I", "整型")] I = 10,
    /// <summary>浮点型.</summary>
    [Term("F", "浮点型")] F = 11,
}

/// <summary>信息项敏感级别.</summary>
public enum ItemSensitivity
{
    /// <summary>公开: may be shown to anyone entitled to the resource.</summary>
    [Term("公开", "一般")] Public = 1,
    /// <summary>内部.</summary>
    [Term("内部")] Internal = 2,
    /// <summary>敏感 (e.g. personal information): a masking rule is required.</summary>
    [Term("敏感")] Sensitive = 3,
    /// <summary>重要: a masking rule is required.</summary>
    [Term("重要", "高度敏感")] Critical = 4,
}

/// <summary>脱敏规则 applied when a sensitive item leaves its department.</summary>
public enum MaskingRule
{
    /// <summary>不脱敏.</summary>
    [Term("不脱敏", "无")] None = 0,
    /// <summary>姓名: keep the surname (张**).</summary>
    [Term("姓名脱敏", "姓名")] Name = 1,
    /// <summary>身份证号: keep the first 6 and last 4 characters.</summary>
    [Term("身份证号脱敏", "身份证号", "证件号码脱敏")] IdNumber = 2,
    /// <summary>手机号: keep the first 3 and last 4 digits.</summary>
    [Term("手机号脱敏", "手机号", "电话脱敏")] Mobile = 3,
    /// <summary>银行卡号: keep the last 4 digits.</summary>
    [Term("银行卡号脱敏", "银行卡号")] BankCard = 4,
    /// <summary>地址: keep up to the county.</summary>
    [Term("地址脱敏", "地址")] Address = 5,
    /// <summary>保留首尾 (first and last character).</summary>
    [Term("保留首尾")] KeepEnds = 6,
    /// <summary>全部遮盖.</summary>
    [Term("全部遮盖", "遮盖")] Full = 7,
    /// <summary>哈希 (SHA-256), keeps joinability without the value.</summary>
    [Term("哈希", "摘要")] Hash = 8,
}

/// <summary>涉密属性.</summary>
public enum SecurityClass
{
    /// <summary>非涉密.</summary>
    [Term("非涉密")] NonClassified = 1,
    /// <summary>涉密: never shared or opened through this platform.</summary>
    [Term("涉密")] Classified = 2,
}

/// <summary>层级属性.</summary>
public enum CatalogHierarchy
{
    /// <summary>部门目录.</summary>
    [Term("部门目录")] Department = 1,
    /// <summary>国家目录.</summary>
    [Term("国家目录")] National = 2,
}

/// <summary>Lifecycle status of a catalog entry (目录状态).</summary>
public enum EntryStatus
{
    /// <summary>草稿: being compiled, never submitted or recalled.</summary>
    [Term("草稿")] Draft = 1,
    /// <summary>待审核: submitted (报送) to the competent department.</summary>
    [Term("待审核")] Pending = 2,
    /// <summary>已发布: approved; visible in the catalogs. A revision may be in progress.</summary>
    [Term("已发布")] Published = 3,
    /// <summary>已驳回: returned for rectification (退回修改) with reasons.</summary>
    [Term("已驳回", "退回修改")] Rejected = 4,
    /// <summary>已下线: withdrawn (撤销); the code stays reserved.</summary>
    [Term("已下线", "已撤销")] Offline = 5,
}

/// <summary>Status of one revision of an entry.</summary>
public enum RevisionStatus
{
    /// <summary>草稿.</summary>
    [Term("草稿")] Draft = 1,
    /// <summary>待审核.</summary>
    [Term("待审核")] Pending = 2,
    /// <summary>已驳回.</summary>
    [Term("已驳回")] Rejected = 3,
    /// <summary>已发布 (the entry's current published content).</summary>
    [Term("已发布")] Published = 4,
    /// <summary>已被替代 (an earlier published revision).</summary>
    [Term("已替代")] Superseded = 5,
    /// <summary>已下线.</summary>
    [Term("已下线")] Offline = 6,
    /// <summary>已放弃 (a revision draft dropped by its compiler).</summary>
    [Term("已放弃")] Discarded = 7,
}

/// <summary>The guide's open attributes (是否开放 + 开放条件) and their mapping to <see cref="OpenType"/>.</summary>
public static class OpenAttributes
{
    /// <summary>是否开放 是/否 + 开放条件 → 开放类型: 否 → 不予开放; 是 without a condition → 无条件开放; 是 with one → 有条件开放.</summary>
    public static OpenType FromGuide(bool isOpen, string? condition) =>
        !isOpen ? OpenType.NotOpen : string.IsNullOrWhiteSpace(condition) ? OpenType.Unconditional : OpenType.Conditional;

    /// <summary>开放类型 → 是否开放 (是 = true).</summary>
    public static bool IsOpen(OpenType type) => type != OpenType.NotOpen;

    /// <summary>“是” or “否”.</summary>
    public static string YesNo(OpenType type) => IsOpen(type) ? "是" : "否";
}
