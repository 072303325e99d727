using F = GovData.Catalog.Domain.ResourceFields;
using GovData.Catalog.Features.Resources;
using GovData.SharedKernel.Web;

namespace GovData.Catalog.Features.Shared;

/// <summary>One line of the read-only entry view: the field key (null when reviewers cannot comment on it), its label and value.</summary>
internal sealed record EntryViewRow(string? Key, string Label, string? Value, string? GuideNumber = null, bool Long = false);

/// <summary>A group of lines (基本信息, 共享属性 …).</summary>
internal sealed record EntryViewGroup(string Title, IReadOnlyList<EntryViewRow> Rows);

/// <summary>
/// The read-only view of one revision of an entry, used by the reviewer's page (with an input for a reason next to
/// every field) and by the compiler's page while the entry cannot be edited.
/// </summary>
internal sealed class EntryView
{
    public required EntryDto Entry { get; init; }
    public required RevisionDto Revision { get; init; }

    /// <summary>Changes of this revision against the published content (revisions of published entries).</summary>
    public IReadOnlyList<FieldChange> Changes { get; init; } = [];

    /// <summary>Show a reason input next to every field (reviewer).</summary>
    public bool ReviewInputs { get; init; }

    /// <summary>Reasons typed so far (field key → text), re-shown when the page comes back with an error.</summary>
    public IReadOnlyDictionary<string, string> Reasons { get; init; } = new Dictionary<string, string>();

    /// <summary>Errors per reason (<c>reasons.{field}</c>).</summary>
    public FieldMessages Errors { get; init; } = new();

    public bool Changed(string key) => Changes.Any(c => c.Field == key);

    public string? Before(string key) => Changes.FirstOrDefault(c => c.Field == key)?.Before;

    public IReadOnlyList<EntryViewGroup> Groups()
    {
        var r = Revision;
        var e = Entry;
        return
        [
            new("分类与代码",
            [
                new(F.Classification, "信息资源分类", $"{e.ClassificationCode} {e.ClassificationPath}", "1"),
                new(null, "信息资源代码", e.Code, "3"),
            ]),
            new("基本信息",
            [
                new(F.Name, "信息资源名称", r.Name, "2"),
                new(F.ProviderName, "信息资源提供方", r.ProviderName, "4"),
                new(F.ProviderCode, "信息资源提供方代码", r.ProviderCode, "5"),
                new(F.Abstract, "信息资源摘要", r.Abstract, "6", Long: true),
                new(F.FormatCategory, "信息资源格式分类", r.FormatCategory, "7"),
                new(F.FormatType, "信息资源格式类型", r.FormatType),
                new(F.FormatDescription, "信息资源格式说明", r.FormatDescription),
            ]),
            new("共享属性",
            [
                new(F.ShareType, "共享类型", r.ShareType, "9"),
                new(F.ShareCondition, "共享条件", r.ShareCondition, Long: true),
                new(F.ShareBasis, "不予共享依据", r.ShareBasis, Long: true),
                new(F.ShareChannel, "共享方式分类", r.ShareChannel),
                new(F.ShareMethodType, "共享方式类型", r.ShareMethodType),
            ]),
            new("开放属性",
            [
                new(F.OpenType, "开放类型", r.OpenType is null ? null : $"{r.OpenType}（是否开放：{r.IsOpen}）", "10"),
                new(F.OpenCondition, "开放条件", r.OpenCondition, Long: true),
            ]),
            new("更新与关联",
            [
                new(F.UpdateCycle, "更新周期", r.UpdateCycle, "11"),
                new(F.UpdateCycleNote, "更新周期说明", r.UpdateCycleNote),
                new(null, "发布日期", r.PublishDate ?? (e.Published?.PublishDate is { } pd ? $"{pd}（已发布版本）" : "审核通过时生成"), "12"),
                new(F.RelatedCodes, "关联资源代码", r.RelatedCodes.Count == 0 ? null : string.Join("；", r.RelatedCodes), "13"),
            ]),
            new("扩展元数据",
            [
                new(null, "元数据标识符", e.MetadataIdentifier),
                new(F.MetadataMaintainer, "元数据维护方", r.MetadataMaintainer),
                new(null, "元数据更新日期", ConsoleFormat.Time(r.MetadataUpdatedAt)),
                new(F.Keywords, "关键字", r.Keywords.Count == 0 ? null : string.Join("、", r.Keywords)),
                new(F.OnlineLink, "在线资源链接地址", r.OnlineLink),
                new(F.SecurityClass, "涉密属性", r.SecurityClass),
                new(F.Hierarchy, "层级属性", r.Hierarchy),
            ]),
        ];
    }
}
