using GovData.Catalog.Contracts;

namespace GovData.Catalog.Domain;

/// <summary>
/// One catalog entry as a compiler submits it (API body, form, import row). Enumerations travel as the
/// standard's Chinese terms (无条件共享, 每月, 数据库 ...); <see cref="ResourceValidator"/> parses and checks them.
/// </summary>
/// <param name="ClassificationCode">Full code of the 目 or 细目 the resource hangs under (its 前段码), e.g. 102003 or 330301010.</param>
/// <param name="Name">信息资源名称 (≤50).</param>
/// <param name="Abstract">信息资源摘要 (≤256).</param>
/// <param name="ProviderName">信息资源提供方; defaults to the compiling department.</param>
/// <param name="ProviderCode">信息资源提供方代码 (统一社会信用代码); defaults to the department's.</param>
/// <param name="FormatCategory">格式分类: 电子文件, 电子表格, 数据库, 图形图像, 流媒体, 自描述格式, 服务接口, 其他.</param>
/// <param name="FormatType">格式类型, e.g. xlsx, oracle, pdf.</param>
/// <param name="FormatDescription">Description for 自描述格式 / 其他.</param>
/// <param name="Items">信息项 (structured resources).</param>
/// <param name="ShareType">无条件共享 / 有条件共享 / 不予共享.</param>
/// <param name="ShareCondition">共享条件 (required for 有条件共享).</param>
/// <param name="ShareBasis">The legal or policy basis of 不予共享.</param>
/// <param name="ShareChannel">共享方式分类: 共享平台方式 / 邮件方式 / 介质方式.</param>
/// <param name="ShareMethodType">共享方式类型: 数据库(库表) / 文件(下载) / 接口(服务).</param>
/// <param name="OpenType">无条件开放 / 有条件开放 / 不予开放.</param>
/// <param name="IsOpen">The guide's 是否开放; used when <paramref name="OpenType"/> is absent.</param>
/// <param name="OpenCondition">开放条件 (required for 有条件开放).</param>
/// <param name="UpdateCycle">更新周期.</param>
/// <param name="UpdateCycleNote">Description when the cycle is 其他.</param>
/// <param name="RelatedCodes">关联资源代码.</param>
/// <param name="Keywords">关键字.</param>
/// <param name="MetadataMaintainer">元数据维护方; defaults to the department.</param>
/// <param name="OnlineLink">在线资源链接地址.</param>
/// <param name="SecurityClass">涉密属性: 非涉密 (default) / 涉密.</param>
/// <param name="Hierarchy">层级属性: 部门目录 (default) / 国家目录.</param>
internal sealed record ResourceInput(
    string? ClassificationCode = null,
    string? Name = null,
    string? Abstract = null,
    string? ProviderName = null,
    string? ProviderCode = null,
    string? FormatCategory = null,
    string? FormatType = null,
    string? FormatDescription = null,
    List<ItemInput>? Items = null,
    string? ShareType = null,
    string? ShareCondition = null,
    string? ShareBasis = null,
    string? ShareChannel = null,
    string? ShareMethodType = null,
    string? OpenType = null,
    bool? IsOpen = null,
    string? OpenCondition = null,
    string? UpdateCycle = null,
    string? UpdateCycleNote = null,
    List<string>? RelatedCodes = null,
    List<string>? Keywords = null,
    string? MetadataMaintainer = null,
    string? OnlineLink = null,
    string? SecurityClass = null,
    string? Hierarchy = null);

/// <summary>One 信息项 as submitted.</summary>
/// <param name="Name">信息项名称.</param>
/// <param name="FieldCode">English field code (字段名), e.g. credit_code.</param>
/// <param name="DataType">C/N/Y/D/T/L/M/G/B/I/F, optionally with length: “C,18”.</param>
/// <param name="Length">数据长度 when not written inside <paramref name="DataType"/>.</param>
/// <param name="Precision">小数位数 (N, Y, B, F).</param>
/// <param name="Required">必填.</param>
/// <param name="IsKey">主键/标识项.</param>
/// <param name="ValueDomain">值域 or dictionary (e.g. GB/T 2261.1 性别代码).</param>
/// <param name="Sensitivity">公开 / 内部 / 敏感 / 重要.</param>
/// <param name="MaskingRule">脱敏规则 (required for 敏感 and 重要).</param>
/// <param name="Description">说明.</param>
internal sealed record ItemInput(
    string? Name = null,
    string? FieldCode = null,
    string? DataType = null,
    int? Length = null,
    int? Precision = null,
    bool Required = false,
    bool IsKey = false,
    string? ValueDomain = null,
    string? Sensitivity = null,
    string? MaskingRule = null,
    string? Description = null);

/// <summary>The parsed, typed content of a revision. Nullable members may be empty in a draft.</summary>
internal sealed record ResourceContent
{
    public required string Name { get; init; }
    public string? Abstract { get; init; }
    public string? ProviderName { get; init; }
    public string? ProviderCode { get; init; }
    public FormatCategory? FormatCategory { get; init; }
    public string? FormatType { get; init; }
    public string? FormatDescription { get; init; }
    public IReadOnlyList<ItemContent> Items { get; init; } = [];
    public ShareType? ShareType { get; init; }
    public string? ShareCondition { get; init; }
    public string? ShareBasis { get; init; }
    public ShareChannel? ShareChannel { get; init; }
    public ShareMethodType? ShareMethodType { get; init; }
    public OpenType? OpenType { get; init; }
    public string? OpenCondition { get; init; }
    public UpdateCycle? UpdateCycle { get; init; }
    public string? UpdateCycleNote { get; init; }
    public IReadOnlyList<string> RelatedCodes { get; init; } = [];
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public string? MetadataMaintainer { get; init; }
    public string? OnlineLink { get; init; }
    public SecurityClass? SecurityClass { get; init; }
    public CatalogHierarchy? Hierarchy { get; init; }
}

/// <summary>One parsed 信息项.</summary>
internal sealed record ItemContent(
    string Name,
    string? FieldCode,
    ItemDataType? DataType,
    int? Length,
    int? Precision,
    bool Required,
    bool IsKey,
    string? ValueDomain,
    ItemSensitivity Sensitivity,
    MaskingRule MaskingRule,
    string? Description)
{
    /// <summary>“C,18” or empty when the type is missing.</summary>
    public string TypeText => DataType is { } t ? new DataTypeSpec(t, Length, Precision).ToString() : "";
}

/// <summary>A classification node as the validator needs it.</summary>
/// <param name="Code">Full code (前段码 of resources under it).</param>
/// <param name="Name">Name.</param>
/// <param name="Depth">1 类, 2 项, 3 目, 4+ 细目.</param>
/// <param name="DepartmentId">For a 部门类 目: the department; for a 细目: the department that manages it.</param>
/// <param name="RequiresUnconditionalShare">Set on (or inherited from) 基础信息 人口/法人/空间地理/电子证照.</param>
/// <param name="RuleSource">Name of the node that carries <paramref name="RequiresUnconditionalShare"/>, for the message.</param>
/// <param name="IsActive">Inactive nodes take no new resources.</param>
internal sealed record ClassificationNode(string Code, string Name, int Depth, Guid? DepartmentId, bool RequiresUnconditionalShare, string? RuleSource, bool IsActive)
{
    public ResourceClass Class => (ResourceClass)(Code[0] - '0');
}
