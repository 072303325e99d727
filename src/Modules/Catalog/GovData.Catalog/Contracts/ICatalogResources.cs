namespace GovData.Catalog.Contracts;

/// <summary>An information item (信息项) of a published catalog resource, as other modules see it.</summary>
/// <param name="Ordinal">Position in the resource (1-based), stable within a revision.</param>
/// <param name="Name">信息项名称.</param>
/// <param name="FieldCode">English field code, when the compiler gave one.</param>
/// <param name="DataType">The guide's data type (C/N/Y/D/T/L/M/G/B/I/F); null when the compiler left it blank.</param>
/// <param name="Length">Length (C, N, Y ...).</param>
/// <param name="Precision">Decimal places (N, Y).</param>
/// <param name="IsRequired">Must not be empty in the data.</param>
/// <param name="IsKey">Part of the resource's key (incremental upserts, 核验 lookups).</param>
/// <param name="ValueDomain">值域 or dictionary as written by the compiler (e.g. "GB 32100", "1-男;2-女").</param>
/// <param name="Sensitivity">敏感级别.</param>
/// <param name="MaskingRule">脱敏规则 applied when the value leaves the providing department.</param>
/// <param name="Description">说明.</param>
public sealed record CatalogItem(
    int Ordinal, string Name, string? FieldCode, ItemDataType? DataType, int? Length, int? Precision,
    bool IsRequired, bool IsKey, string? ValueDomain, ItemSensitivity Sensitivity, MaskingRule MaskingRule, string? Description);

/// <summary>The published content of a catalog entry, as other modules see it.</summary>
/// <param name="EntryId">Catalog entry id (stable across revisions).</param>
/// <param name="Code">资源代码.</param>
/// <param name="Name">资源名称.</param>
/// <param name="DepartmentId">The providing department (提供方).</param>
/// <param name="ProviderName">信息资源提供方 as written in the entry.</param>
/// <param name="Status">Entry status (已发布 or 已下线 for entries that were published).</param>
/// <param name="ShareType">共享类型.</param>
/// <param name="OpenType">开放类型.</param>
/// <param name="UpdateCycle">更新周期.</param>
/// <param name="FormatCategory">信息资源格式分类.</param>
/// <param name="PublishedRevision">Number of the published revision the items come from.</param>
/// <param name="PublishedAt">When that revision was approved.</param>
/// <param name="Items">Information items in order.</param>
public sealed record CatalogResource(
    Guid EntryId, ResourceCode Code, string Name, Guid DepartmentId, string? ProviderName, EntryStatus Status,
    ShareType? ShareType, OpenType? OpenType, UpdateCycle? UpdateCycle, FormatCategory? FormatCategory,
    int PublishedRevision, DateTime? PublishedAt, IReadOnlyList<CatalogItem> Items)
{
    /// <summary>共享条件 (有条件共享), as written in the published revision.</summary>
    public string? ShareCondition { get; init; }

    /// <summary>The legal or policy basis of 不予共享.</summary>
    public string? ShareBasis { get; init; }

    /// <summary>共享方式分类 (共享平台方式 / 邮件方式 / 介质方式).</summary>
    public ShareChannel? ShareChannel { get; init; }

    /// <summary>共享方式类型 (数据库 / 文件 / 接口).</summary>
    public ShareMethodType? ShareMethodType { get; init; }
}

/// <summary>
/// Read access to published catalog resources for other modules (Data, Exchange, Portal): never the Catalog's tables.
/// Only entries that have a published revision are returned; drafts and pending first submissions are invisible.
/// </summary>
public interface ICatalogResources
{
    /// <summary>The published content of the entry with this code, or null.</summary>
    Task<CatalogResource?> FindAsync(ResourceCode code, CancellationToken ct = default);

    /// <summary>The published content of an entry, or null.</summary>
    Task<CatalogResource?> FindAsync(Guid entryId, CancellationToken ct = default);

    /// <summary>Published entries (status 已发布), optionally of one department, ordered by code.</summary>
    Task<IReadOnlyList<CatalogResource>> ListPublishedAsync(Guid? departmentId = null, CancellationToken ct = default);
}
