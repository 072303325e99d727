namespace GovData.Catalog.Features.Quality;

/// <summary>Severity of a finding.</summary>
internal static class Severities
{
    public const string Error = "error";
    public const string Warning = "warning";
    public const string Info = "info";

    public static readonly string[] All = [Error, Warning, Info];

    public static string Label(string severity) => severity switch
    {
        Error => "错误",
        Warning => "警告",
        Info => "提示",
        _ => severity,
    };

    public static string Badge(string severity) => severity switch
    {
        Error => "badge-err",
        Warning => "badge-warn",
        _ => "badge-accent",
    };

    /// <summary>Parses the code or its Chinese label.</summary>
    public static string? Parse(string? text) => text?.Trim() switch
    {
        null or "" => null,
        "error" or "错误" => Error,
        "warning" or "警告" => Warning,
        "info" or "提示" => Info,
        _ => null,
    };
}

/// <summary>A quality rule: its code, the assessment indicator it serves (seed 000, catalog-standard.md §6) and what it checks.</summary>
internal sealed record QualityRule(string Code, string Indicator, string Title, string Description);

/// <summary>
/// The checks of a quality run, grouped by the third-party assessment's indicators: 目录规范性 (no blank items against the
/// template), 代码合规性 (codes per the guide), 快速校核 (一数多源, share types), 更新机制 (updated within the cycle) and
/// 目录覆盖度 (the 12 domains and the region's departments, ≥80%).
/// </summary>
internal static class QualityRules
{
    public const string MissingItem = "NORM-01";
    public const string MissingConditional = "NORM-02";
    public const string IncompleteItems = "NORM-03";
    public const string ProviderName = "NORM-04";
    public const string CodeShape = "CODE-01";
    public const string ClassificationPath = "CODE-02";
    public const string ProviderCode = "CODE-03";
    public const string MultipleSources = "DUP-01";
    public const string BasicShare = "SHARE-01";
    public const string NotSharedBasis = "SHARE-02";
    public const string ShareOpenConflict = "SHARE-03";
    public const string Stale = "UPDATE-01";
    public const string DomainCoverage = "COVER-01";
    public const string DepartmentCoverage = "COVER-02";

    public const string Normative = "目录规范性";
    public const string CodeCompliance = "代码合规性";
    public const string QuickCheck = "快速校核";
    public const string UpdateMechanism = "更新机制";
    public const string Coverage = "目录覆盖度";

    /// <summary>Every rule in report order.</summary>
    public static IReadOnlyList<QualityRule> All { get; } =
    [
        new(MissingItem, Normative, "必填元数据为空", "核心元数据与扩展元数据中模板要求填写的项（摘要、提供方、提供方代码、格式、共享类型与方式、开放类型、更新周期、发布日期、元数据维护方、涉密属性、层级属性）不得为空。"),
        new(MissingConditional, Normative, "条件必填项为空", "有条件共享须填共享条件；有条件开放须填开放条件；自描述格式/其他须说明格式；更新周期为其他须说明；经共享平台共享须填共享方式类型。"),
        new(IncompleteItems, Normative, "信息项不完整", "结构化资源（数据库、电子表格、服务接口）须描述信息项；每个信息项须有字段代码、数据类型及合规的数据长度。"),
        new(ProviderName, Normative, "提供方名称与编目部门不一致", "信息资源提供方应为编目部门的现名（部门更名后须更新目录）。"),
        new(CodeShape, CodeCompliance, "信息资源代码不合规", "代码须为“前段码/后段码”：类(1位)+项(2位)+目(3位)+细目，/ 顺序码（^[1-3]\\d{2}\\d{3}\\d*/\\d+$），且与所属分类一致。"),
        new(ClassificationPath, CodeCompliance, "分类路径不存在或已停用", "代码的类/项/目/细目须在分类表中逐级存在且启用。"),
        new(ProviderCode, CodeCompliance, "提供方代码不合规", "提供方代码须为编目部门的统一社会信用代码（GB 32100，18位，校验码正确）。"),
        new(MultipleSources, QuickCheck, "一数多源", "同一数据元（按规范名称或字段代码识别，如统一社会信用代码/tyshxydm、公民身份号码/sfzh）由多个部门的已发布资源提供：权威来源为主管部门指定的资源，未指定时为唯一的基础类资源；没有或有多个候选时须指定权威来源，其他部门的资源应在关联资源代码中引用权威来源。"),
        new(BasicShare, QuickCheck, "基础信息共享类型不合规", "人口、法人、自然资源和空间地理、电子证照基础信息资源的共享类型应为“无条件共享”。"),
        new(NotSharedBasis, QuickCheck, "不予共享缺少依据", "共享类型为“不予共享”的须注明法律、行政法规或国家政策依据。"),
        new(ShareOpenConflict, QuickCheck, "共享与开放属性矛盾", "不予共享的资源不应向社会开放；涉密资源应不予共享、不予开放。"),
        new(Stale, UpdateMechanism, "未按更新周期更新", "按更新周期加宽限期检查元数据更新日期（不定期、其他按一年计）。数据模块上线后改用数据实际入库时间。"),
        new(DomainCoverage, Coverage, "领域覆盖度", "已发布资源应覆盖 企业、人社、教育、医疗卫生、民政、建设、交通运输、文化、科技、农业、安全生产、环保 12 个领域中的至少 80%。"),
        new(DepartmentCoverage, Coverage, "部门覆盖度", "范围内至少 80% 的部门应有已发布的信息资源。"),
    ];

    private static readonly Dictionary<string, QualityRule> ByCode = All.ToDictionary(r => r.Code);

    public static QualityRule? Find(string? code) => code is not null && ByCode.TryGetValue(code.Trim().ToUpperInvariant(), out var r) ? r : null;

    public static QualityRule Get(string code) => ByCode[code];
}
