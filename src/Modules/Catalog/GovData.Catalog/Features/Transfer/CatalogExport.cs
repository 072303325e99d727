using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Views;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Transfer;

/// <summary>A file to download.</summary>
internal sealed record CatalogFile(byte[] Content, string ContentType, string FileName);

/// <summary>
/// Exports the catalog in the exchange layout: the actor's workspace (current content, drafts included) or one of
/// the three catalogs (published content only); and the blank template with an example.
/// </summary>
internal sealed class CatalogExport(CatalogDb db, ResourceService resources, IDepartmentDirectory departments)
{
    public Task<CatalogFile> ExportAsync(CatalogActor actor, CatalogView? view, bool csv, CancellationToken ct = default) =>
        ExportAsync(actor, view, csv, null, ct);

    /// <summary>Exports the workspace or a catalog, optionally only some departments' entries.</summary>
    /// <param name="actor">Who exports: without a view, the file holds the entries of the actor's workspace scope.</param>
    /// <param name="view">A catalog (published content only), or null for the workspace (current content, drafts included).</param>
    /// <param name="csv">A ZIP of two CSV files instead of an XLSX workbook.</param>
    /// <param name="selection">Only these departments' entries, named in the file name (see <see cref="ExportScope"/>); null for no further restriction.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<CatalogFile> ExportAsync(CatalogActor actor, CatalogView? view, bool csv, ExportSelection? selection, CancellationToken ct = default)
    {
        var entries = db.Entries.AsNoTracking();
        if (selection?.DepartmentIds is { } departmentIds)
        {
            var only = departmentIds.ToList();
            entries = entries.Where(e => only.Contains(e.DepartmentId));
        }
        if (view is null)
        {
            var scope = resources.ScopeOf(actor, await departments.ListAsync(ct));
            if (scope is not null) entries = entries.Where(e => scope.Contains(e.DepartmentId));
        }
        else
        {
            entries = entries.Where(e => e.Status == EntryStatus.Published);
        }
        var rows = await (view is null
                ? from e in entries join r in db.Revisions.AsNoTracking() on (e.WorkingRevisionId ?? e.PublishedRevisionId) equals (Guid?)r.Id select new { e, r }
                : from e in entries join r in db.Revisions.AsNoTracking() on e.PublishedRevisionId equals (Guid?)r.Id select new { e, r })
            .ToListAsync(ct);
        if (view == CatalogView.Shared) rows = rows.Where(x => x.r.ShareType is ShareType.Unconditional or ShareType.Conditional).ToList();
        if (view == CatalogView.Open) rows = rows.Where(x => x.r.OpenType is OpenType.Unconditional or OpenType.Conditional).ToList();
        var ids = rows.Select(x => x.r.Id).ToList();
        var items = (await db.Items.AsNoTracking().Where(i => ids.Contains(i.RevisionId)).ToListAsync(ct)).ToLookup(i => i.RevisionId);
        var names = (await db.Classifications.AsNoTracking().ToListAsync(ct)).ToDictionary(c => c.Code, c => c.Name);

        var resourceRows = new List<IReadOnlyList<string>> { CatalogWorkbook.ResourceColumns.Select(c => c.Header).ToList() };
        var itemRows = new List<IReadOnlyList<string>> { CatalogWorkbook.ItemColumns.Select(c => c.Header).ToList() };
        foreach (var x in rows.OrderBy(x => x.e.ClassificationCode, StringComparer.Ordinal).ThenBy(x => x.e.Sequence))
        {
            var phase = Lifecycle.PhaseOf(x.e.Status, x.e.WorkingRevisionId is null ? null : x.r.Status);
            resourceRows.Add(ResourceRow(x.e.Code, x.e.ClassificationCode, names.GetValueOrDefault(x.e.ClassificationCode, ""), x.r,
                x.e.MetadataIdentifier, view is null ? Lifecycle.Label(phase) : CatalogTerms.Label(EntryStatus.Published)));
            var ordinal = 1;
            foreach (var i in items[x.r.Id].OrderBy(i => i.Ordinal))
                itemRows.Add(ItemRow(x.e.Code, x.r.Name, ordinal++, i));
        }
        var label = view is { } v ? CatalogViews.Label(v) : "编目工作台";
        return new CatalogFile(CatalogWorkbook.Write(csv, resourceRows, itemRows), csv ? CatalogWorkbook.ZipContentType : CatalogWorkbook.XlsxContentType,
            $"政务信息资源目录-{label}{(selection is null ? "" : "-" + selection.Label)}-{DateTime.UtcNow.AddHours(8):yyyyMMdd}.{(csv ? "zip" : "xlsx")}");
    }

    /// <summary>The blank template with one filled example (seed 002's 企业法人库), provider columns left to default.</summary>
    public static CatalogFile Template(bool csv)
    {
        var example = new ResourceRevision
        {
            Name = "企业法人库（示例）",
            Abstract = "全省企业法人的登记基本信息，包括统一社会信用代码、法人名称、批准机关、批准时间、法人类型和状态。",
            FormatCategory = FormatCategory.Database, FormatType = "oracle",
            ShareType = ShareType.Unconditional, ShareChannel = ShareChannel.Platform, ShareMethodType = ShareMethodType.Api,
            OpenType = OpenType.Conditional, OpenCondition = "注册用户申请后开放非个人信息字段", UpdateCycle = UpdateCycle.Daily,
            Keywords = "企业；法人；登记", SecurityClass = SecurityClass.NonClassified, Hierarchy = CatalogHierarchy.Department,
        };
        var resourceRows = new List<IReadOnlyList<string>>
        {
            CatalogWorkbook.ResourceColumns.Select(c => c.Header).ToList(),
            ResourceRow("", "102003", "企业单位法人", example, "", ""),
        };
        InformationItem[] items =
        [
            new() { Name = "统一社会信用代码", FieldCode = "credit_code", DataType = ItemDataType.C, Length = 18, IsRequired = true, IsKey = true, Sensitivity = ItemSensitivity.Public, ValueDomain = "GB 32100" },
            new() { Name = "法人名称", FieldCode = "legal_name", DataType = ItemDataType.C, Length = 50, IsRequired = true, Sensitivity = ItemSensitivity.Public },
            new() { Name = "批准时间", FieldCode = "approval_date", DataType = ItemDataType.D, Length = 10, Sensitivity = ItemSensitivity.Public },
            new() { Name = "法人类型", FieldCode = "legal_type", DataType = ItemDataType.C, Length = 6, Sensitivity = ItemSensitivity.Public },
            new() { Name = "法定代表人身份证号码", FieldCode = "representative_id", DataType = ItemDataType.C, Length = 18, Sensitivity = ItemSensitivity.Sensitive, MaskingRule = MaskingRule.IdNumber },
        ];
        var itemRows = new List<IReadOnlyList<string>> { CatalogWorkbook.ItemColumns.Select(c => c.Header).ToList() };
        for (var i = 0; i < items.Length; i++) itemRows.Add(ItemRow("", example.Name, i + 1, items[i]));
        return new CatalogFile(CatalogWorkbook.Write(csv, resourceRows, itemRows), csv ? CatalogWorkbook.ZipContentType : CatalogWorkbook.XlsxContentType,
            $"政务信息资源目录导入模板.{(csv ? "zip" : "xlsx")}");
    }

    private static List<string> ResourceRow(string code, string classification, string classificationName, ResourceRevision r, string metadataId, string status) =>
    [
        code, classification, classificationName, r.Name, r.ProviderName ?? "", r.ProviderCode ?? "", r.Abstract ?? "",
        CatalogTerms.Label(r.FormatCategory) ?? "", r.FormatType ?? "", r.FormatDescription ?? "",
        CatalogTerms.Label(r.ShareType) ?? "", r.ShareCondition ?? "", r.ShareBasis ?? "", CatalogTerms.Label(r.ShareChannel) ?? "", CatalogTerms.Label(r.ShareMethodType) ?? "",
        r.OpenType is { } o ? OpenAttributes.YesNo(o) : "", CatalogTerms.Label(r.OpenType) ?? "", r.OpenCondition ?? "",
        CatalogTerms.Label(r.UpdateCycle) ?? "", r.UpdateCycleNote ?? "", r.PublishDate?.ToString("yyyy-MM-dd") ?? "",
        r.RelatedCodes ?? "", r.Keywords ?? "", metadataId, r.MetadataMaintainer ?? "",
        r.MetadataUpdatedAt == default ? "" : r.MetadataUpdatedAt.AddHours(8).ToString("yyyy-MM-dd"),
        r.OnlineLink ?? "", CatalogTerms.Label(r.SecurityClass) ?? "", CatalogTerms.Label(r.Hierarchy) ?? "", status,
    ];

    private static List<string> ItemRow(string code, string resourceName, int ordinal, InformationItem i) =>
    [
        code, resourceName, ordinal.ToString(), i.Name, i.FieldCode ?? "",
        i.DataType is { } t ? new DataTypeSpec(t, i.Length, i.Precision).ToString() : "",
        CatalogWorkbook.YesNo(i.IsRequired), CatalogWorkbook.YesNo(i.IsKey), i.ValueDomain ?? "",
        CatalogTerms.Label(i.Sensitivity), i.MaskingRule == MaskingRule.None ? "" : CatalogTerms.Label(i.MaskingRule), i.Description ?? "",
    ];
}
