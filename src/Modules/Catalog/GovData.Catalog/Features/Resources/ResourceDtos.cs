using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Persistence;

namespace GovData.Catalog.Features.Resources;

/// <summary>The parts of a resource code, stored separately.</summary>
internal sealed record CodePartsDto(int ClassCode, string ClassName, string ItemCode, string CategoryCode, string DetailPath, long Sequence, string Prefix);

/// <summary>One information item.</summary>
internal sealed record ItemDto(int Ordinal, string Name, string? FieldCode, string? DataType, int? Length, int? Precision, string TypeText,
    bool Required, bool IsKey, string? ValueDomain, string Sensitivity, string MaskingRule, string? Description);

/// <summary>A reviewer's reason attached to a field.</summary>
internal sealed record ReviewCommentDto(string Field, string FieldLabel, string Message, string? ReviewerName, DateTime CreatedAt);

/// <summary>One revision: the 13 core metadata and the extended metadata, with Chinese terms as values.</summary>
internal sealed record RevisionDto(
    int Number, string Status,
    string Name, string? Abstract, string? ProviderName, string? ProviderCode,
    string? FormatCategory, string? FormatType, string? FormatDescription,
    IReadOnlyList<ItemDto> Items,
    string? ShareType, string? ShareCondition, string? ShareBasis, string? ShareChannel, string? ShareMethodType,
    string? OpenType, string? IsOpen, string? OpenCondition,
    string? UpdateCycle, string? UpdateCycleNote, string? PublishDate,
    IReadOnlyList<string> RelatedCodes, IReadOnlyList<string> Keywords,
    string? MetadataMaintainer, DateTime MetadataUpdatedAt, string? OnlineLink, string? SecurityClass, string? Hierarchy,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? SubmittedAt, DateTime? ReviewedAt, string? ReviewerName, string? ReviewSummary,
    IReadOnlyList<ReviewCommentDto> Comments)
{
    public static RevisionDto From(ResourceRevision r) => new(
        r.Number, CatalogTerms.Label(r.Status),
        r.Name, r.Abstract, r.ProviderName, r.ProviderCode,
        CatalogTerms.Label(r.FormatCategory), r.FormatType, r.FormatDescription,
        r.Items.OrderBy(i => i.Ordinal).Select(i => new ItemDto(i.Ordinal, i.Name, i.FieldCode, i.DataType is { } t ? CatalogTerms.Label(t) : null,
            i.Length, i.Precision, i.DataType is { } t2 ? new DataTypeSpec(t2, i.Length, i.Precision).ToString() : "",
            i.IsRequired, i.IsKey, i.ValueDomain, CatalogTerms.Label(i.Sensitivity), CatalogTerms.Label(i.MaskingRule), i.Description)).ToList(),
        CatalogTerms.Label(r.ShareType), r.ShareCondition, r.ShareBasis, CatalogTerms.Label(r.ShareChannel), CatalogTerms.Label(r.ShareMethodType),
        CatalogTerms.Label(r.OpenType), r.OpenType is { } o ? OpenAttributes.YesNo(o) : null, r.OpenCondition,
        CatalogTerms.Label(r.UpdateCycle), r.UpdateCycleNote, r.PublishDate?.ToString("yyyy-MM-dd"),
        ResourceRevision.SplitList(r.RelatedCodes), ResourceRevision.SplitList(r.Keywords),
        r.MetadataMaintainer, r.MetadataUpdatedAt, r.OnlineLink, CatalogTerms.Label(r.SecurityClass), CatalogTerms.Label(r.Hierarchy),
        r.CreatedAt, r.UpdatedAt, r.SubmittedAt, r.ReviewedAt, r.ReviewerName, r.ReviewSummary,
        r.Comments.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Select(c => new ReviewCommentDto(c.Field, c.FieldLabel, c.Message, c.ReviewerName, c.CreatedAt)).ToList());
}

/// <summary>
/// A catalog entry: its code, classification, department and state, the published content (what the catalogs show)
/// and the revision being compiled or reviewed, if any.
/// </summary>
internal sealed record EntryDto(
    Guid Id, string Code, CodePartsDto CodeParts, string ClassificationCode, string ClassificationPath,
    Guid DepartmentId, string DepartmentName, string Status, string Phase, int Version, string MetadataIdentifier,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? FirstPublishedAt, DateTime? OfflineAt, string? OfflineReason,
    RevisionDto? Published, RevisionDto? Working, IReadOnlyList<string> AllowedActions);

/// <summary>A line of the compiler's or reviewer's list.</summary>
internal sealed record EntrySummaryDto(
    Guid Id, string Code, string Name, string ClassificationCode, string ClassificationPath, Guid DepartmentId, string DepartmentName,
    string Status, string Phase, string? ShareType, string? OpenType, string? UpdateCycle, string? FormatCategory, int ItemCount,
    DateTime UpdatedAt, int Version);

/// <summary>One line of an entry's history.</summary>
internal sealed record HistoryDto(long Id, string Action, string ActionLabel, int? RevisionNumber, string ActorName, Guid? ActorId, DateTime OccurredAt,
    string Summary, IReadOnlyList<FieldChange> Changes);

/// <summary>A page of results.</summary>
internal sealed record PageDto<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>What a client sends with every state change: the version it read (optimistic concurrency).</summary>
internal sealed record VersionRequest(int? Version);

/// <summary>Edit of an entry: the content plus the version read.</summary>
internal sealed record UpdateResourceRequest(int? Version, ResourceInput? Resource);

/// <summary>Approval.</summary>
internal sealed record ApproveRequest(int? Version, string? Comment);

/// <summary>Rejection with reasons per field (field key → reason), e.g. {"name": "名称应体现数据内容", "items[2].dataType": "应为 D,10"}.</summary>
internal sealed record RejectRequest(int? Version, string? Summary, Dictionary<string, string>? Reasons);

/// <summary>Taking an entry offline (下线) with the reason.</summary>
internal sealed record WithdrawRequest(int? Version, string? Reason);

/// <summary>Result of a dry-run validation: the code the entry would get and the errors.</summary>
internal sealed record ValidationPreviewDto(string? CodePreview, bool Valid, IReadOnlyDictionary<string, string[]> Errors);
