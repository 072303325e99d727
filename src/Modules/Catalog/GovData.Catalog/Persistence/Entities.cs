using GovData.Catalog.Contracts;

namespace GovData.Catalog.Persistence;

/// <summary>
/// A node of the classification tree (类 / 项 / 目 / 细目), keyed by its full code, which is also the 前段码 of the
/// resources under it. Codes never change; nodes are deactivated, not deleted, once used.
/// </summary>
internal sealed class Classification
{
    /// <summary>Full code: 类 “1”, 项 “102”, 目 “102003”, 细目 “102003” + 细目 segments.</summary>
    public required string Code { get; set; }
    public string? ParentCode { get; set; }
    /// <summary>1 类, 2 项, 3 目, 4 and deeper 细目.</summary>
    public int Depth { get; set; }
    /// <summary>This node's own part of the code (“02”, “003”, “01”).</summary>
    public required string Segment { get; set; }
    public required string Name { get; set; }
    public int ClassCode { get; set; }
    public string? ItemCode { get; set; }
    public string? CategoryCode { get; set; }
    /// <summary>细目 digits below the 目 (empty above 细目).</summary>
    public string DetailPath { get; set; } = "";
    /// <summary>部门类 目: the department it stands for; 细目: the department that manages it.</summary>
    public Guid? DepartmentId { get; set; }
    /// <summary>部门类 项: the GB/T 2260 region whose departments it groups.</summary>
    public string? RegionCode { get; set; }
    /// <summary>基础信息 人口/法人/空间地理/电子证照: resources under it must be 无条件共享.</summary>
    public bool RequiresUnconditionalShare { get; set; }
    /// <summary>guide (the 1272 guide), generated (from the department tree), custom (added by a province or department).</summary>
    public required string Origin { get; set; }
    public int SortOrder { get; set; }
    public bool IsActive { get; set; } = true;
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>Origins of classification nodes.</summary>
internal static class ClassificationOrigins
{
    public const string Guide = "guide";
    public const string Generated = "generated";
    public const string Custom = "custom";
}

/// <summary>
/// A catalog entry (one information resource): its code, owner and lifecycle. The content lives in
/// <see cref="ResourceRevision"/>s: the published one and, at most, one being worked on.
/// </summary>
internal sealed class CatalogEntry
{
    public Guid Id { get; set; }
    /// <summary>Rendered 信息资源代码 (前段码/后段码), unique, never reused.</summary>
    public required string Code { get; set; }
    /// <summary>The classification node (its full code = 前段码).</summary>
    public required string ClassificationCode { get; set; }
    public int ClassCode { get; set; }
    public required string ItemCode { get; set; }
    public required string CategoryCode { get; set; }
    public string DetailPath { get; set; } = "";
    public long Sequence { get; set; }
    public Guid DepartmentId { get; set; }
    public EntryStatus Status { get; set; }
    public Guid? PublishedRevisionId { get; set; }
    public Guid? WorkingRevisionId { get; set; }
    public int LastRevisionNumber { get; set; }
    /// <summary>元数据标识符.</summary>
    public required string MetadataIdentifier { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FirstPublishedAt { get; set; }
    public DateTime? OfflineAt { get; set; }
    public string? OfflineReason { get; set; }
    /// <summary>Optimistic concurrency: bumped by every change of the entry or its revisions.</summary>
    public int Version { get; set; }
}

/// <summary>One version of an entry's content (the 13 core metadata and the extended metadata).</summary>
internal sealed class ResourceRevision
{
    public Guid Id { get; set; }
    public Guid EntryId { get; set; }
    public int Number { get; set; }
    public RevisionStatus Status { get; set; }
    public required string Name { get; set; }
    public string? Abstract { get; set; }
    public string? ProviderName { get; set; }
    public string? ProviderCode { get; set; }
    public FormatCategory? FormatCategory { get; set; }
    public string? FormatType { get; set; }
    public string? FormatDescription { get; set; }
    public ShareType? ShareType { get; set; }
    public string? ShareCondition { get; set; }
    public string? ShareBasis { get; set; }
    public ShareChannel? ShareChannel { get; set; }
    public ShareMethodType? ShareMethodType { get; set; }
    public OpenType? OpenType { get; set; }
    public string? OpenCondition { get; set; }
    public UpdateCycle? UpdateCycle { get; set; }
    public string? UpdateCycleNote { get; set; }
    /// <summary>发布日期 (set when the revision is approved).</summary>
    public DateOnly? PublishDate { get; set; }
    /// <summary>关联资源代码, separated by '；'.</summary>
    public string? RelatedCodes { get; set; }
    /// <summary>关键字, separated by '；'.</summary>
    public string? Keywords { get; set; }
    public string? MetadataMaintainer { get; set; }
    /// <summary>元数据更新日期.</summary>
    public DateTime MetadataUpdatedAt { get; set; }
    public string? OnlineLink { get; set; }
    public SecurityClass? SecurityClass { get; set; }
    public CatalogHierarchy? Hierarchy { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Guid? UpdatedBy { get; set; }
    public DateTime? SubmittedAt { get; set; }
    public Guid? SubmittedBy { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public Guid? ReviewedBy { get; set; }
    public string? ReviewerName { get; set; }
    public string? ReviewSummary { get; set; }
    public List<InformationItem> Items { get; set; } = [];
    public List<ReviewComment> Comments { get; set; } = [];

    public const char ListSeparator = '；';

    public static string? JoinList(IEnumerable<string> values)
    {
        var s = string.Join(ListSeparator, values);
        return s.Length == 0 ? null : s;
    }

    public static IReadOnlyList<string> SplitList(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(ListSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>信息项 of a revision.</summary>
internal sealed class InformationItem
{
    public Guid Id { get; set; }
    public Guid RevisionId { get; set; }
    public int Ordinal { get; set; }
    public required string Name { get; set; }
    public string? FieldCode { get; set; }
    public ItemDataType? DataType { get; set; }
    public int? Length { get; set; }
    public int? Precision { get; set; }
    public bool IsRequired { get; set; }
    public bool IsKey { get; set; }
    public string? ValueDomain { get; set; }
    public ItemSensitivity Sensitivity { get; set; }
    public MaskingRule MaskingRule { get; set; }
    public string? Description { get; set; }
}

/// <summary>A reviewer's reason for returning a revision, attached to one field.</summary>
internal sealed class ReviewComment
{
    public long Id { get; set; }
    public Guid RevisionId { get; set; }
    public required string Field { get; set; }
    public required string FieldLabel { get; set; }
    public required string Message { get; set; }
    public Guid? ReviewerId { get; set; }
    public string? ReviewerName { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One line of an entry's history: who did what when, with the changed fields (JSON).</summary>
internal sealed class HistoryRecord
{
    public long Id { get; set; }
    public Guid EntryId { get; set; }
    public int? RevisionNumber { get; set; }
    public required string Action { get; set; }
    public Guid? ActorId { get; set; }
    public required string ActorName { get; set; }
    public DateTime OccurredAt { get; set; }
    public required string Summary { get; set; }
    /// <summary>JSON array of <c>{field, label, before, after}</c>.</summary>
    public string? Changes { get; set; }
}
