using GovData.Catalog.Contracts;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Views;

/// <summary>The three catalogs (catalog-standard.md §5).</summary>
internal enum CatalogView
{
    /// <summary>业务目录: every published resource of the departments.</summary>
    Business,
    /// <summary>共享目录: published resources shared with other departments (无条件/有条件共享).</summary>
    Shared,
    /// <summary>开放目录: published resources opened to society (无条件/有条件开放).</summary>
    Open,
}

/// <summary>Filter of a catalog view.</summary>
internal sealed record CatalogViewQuery(string? ClassificationCode = null, Guid? DepartmentId = null, string? Keyword = null,
    string? ShareType = null, string? OpenType = null, int Page = 1, int PageSize = 20);

/// <summary>One published resource in a catalog view.</summary>
internal sealed record CatalogViewItemDto(
    Guid Id, string Code, string Name, string? Abstract, string ClassificationCode, string ClassificationPath,
    Guid DepartmentId, string? ProviderName, string? ProviderCode, string? FormatCategory, string? FormatType,
    string? ShareType, string? ShareCondition, string? ShareChannel, string? ShareMethodType,
    string? OpenType, string? IsOpen, string? OpenCondition, string? UpdateCycle, string? PublishDate, int ItemCount, IReadOnlyList<string> Keywords);

/// <summary>Counts of a view per classification node (aggregated up the tree) and per department, for browsing.</summary>
internal sealed record CatalogViewFacetsDto(string View, int Total, IReadOnlyList<NodeCountDto> Classifications, IReadOnlyList<DepartmentCountDto> Departments);

internal sealed record NodeCountDto(string Code, string Name, int Depth, string? ParentCode, int Count);

internal sealed record DepartmentCountDto(Guid DepartmentId, string DepartmentName, int Count);

/// <summary>Reads the 业务目录, 共享目录 and 开放目录 from the published revisions.</summary>
internal sealed class CatalogViews(CatalogDb db, IDepartmentDirectory departments)
{
    public static string Label(CatalogView view) => view switch
    {
        CatalogView.Business => "业务目录",
        CatalogView.Shared => "共享目录",
        _ => "开放目录",
    };

    /// <summary>共享类型 of the resources in the 共享目录 (also used by the search).</summary>
    internal static readonly ShareType[] SharedTypes = [ShareType.Unconditional, ShareType.Conditional];

    /// <summary>开放类型 of the resources in the 开放目录 (also used by the search).</summary>
    internal static readonly OpenType[] OpenedTypes = [OpenType.Unconditional, OpenType.Conditional];

    private IQueryable<PublishedRow> Published(CatalogView view)
    {
        var q = from e in db.Entries.AsNoTracking()
                join r in db.Revisions.AsNoTracking() on e.PublishedRevisionId equals (Guid?)r.Id
                where e.Status == EntryStatus.Published
                select new PublishedRow { Entry = e, Revision = r };
        return view switch
        {
            CatalogView.Shared => q.Where(x => x.Revision.ShareType != null && SharedTypes.Contains(x.Revision.ShareType.Value)),
            CatalogView.Open => q.Where(x => x.Revision.OpenType != null && OpenedTypes.Contains(x.Revision.OpenType.Value)),
            _ => q,
        };
    }

    private sealed class PublishedRow
    {
        public required CatalogEntry Entry { get; init; }
        public required ResourceRevision Revision { get; init; }
    }

    /// <summary>A page of a view, filtered by classification subtree, department, keyword, share or open type.</summary>
    public async Task<(PageDto<CatalogViewItemDto>? Page, Dictionary<string, string[]>? Errors)> ListAsync(CatalogView view, CatalogViewQuery query, CancellationToken ct = default)
    {
        var (page, size) = ResourceService.Paging(query.Page, query.PageSize);
        var q = Published(view);
        if (query.ClassificationCode?.Trim() is { Length: > 0 } prefix) q = q.Where(x => x.Entry.ClassificationCode.StartsWith(prefix));
        if (query.DepartmentId is { } d) q = q.Where(x => x.Entry.DepartmentId == d);
        if (query.Keyword?.Trim() is { Length: > 0 } kw) q = q.Where(x => x.Revision.Name.Contains(kw) || x.Entry.Code.Contains(kw));
        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(query.ShareType))
        {
            if (CatalogTerms.TryParse<ShareType>(query.ShareType, out var st)) q = q.Where(x => x.Revision.ShareType == st);
            else errors["shareType"] = [$"共享类型“{query.ShareType}”无效，可选：{string.Join("、", CatalogTerms.Labels<ShareType>())}"];
        }
        if (!string.IsNullOrWhiteSpace(query.OpenType))
        {
            if (CatalogTerms.TryParse<OpenType>(query.OpenType, out var ot)) q = q.Where(x => x.Revision.OpenType == ot);
            else errors["openType"] = [$"开放类型“{query.OpenType}”无效，可选：{string.Join("、", CatalogTerms.Labels<OpenType>())}"];
        }
        if (errors.Count > 0) return (null, errors);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(x => x.Entry.Code).Skip((page - 1) * size).Take(size)
            .Select(x => new { x.Entry, x.Revision, Items = db.Items.Count(i => i.RevisionId == x.Revision.Id) }).ToListAsync(ct);
        var paths = ClassificationService.PathNames(await db.Classifications.AsNoTracking().ToListAsync(ct));
        var open = view == CatalogView.Open;
        var items = rows.Select(x =>
        {
            var r = x.Revision;
            return new CatalogViewItemDto(x.Entry.Id, x.Entry.Code, r.Name, r.Abstract, x.Entry.ClassificationCode, paths.GetValueOrDefault(x.Entry.ClassificationCode, ""),
                x.Entry.DepartmentId, r.ProviderName, r.ProviderCode, CatalogTerms.Label(r.FormatCategory), r.FormatType,
                CatalogTerms.Label(r.ShareType), open ? null : r.ShareCondition, open ? null : CatalogTerms.Label(r.ShareChannel), open ? null : CatalogTerms.Label(r.ShareMethodType),
                CatalogTerms.Label(r.OpenType), r.OpenType is { } o ? OpenAttributes.YesNo(o) : null, r.OpenCondition,
                CatalogTerms.Label(r.UpdateCycle), r.PublishDate?.ToString("yyyy-MM-dd"), x.Items, ResourceRevision.SplitList(r.Keywords));
        }).ToList();
        return (new PageDto<CatalogViewItemDto>(items, total, page, size), null);
    }

    /// <summary>Counts per classification node (each resource counted in every ancestor) and per department.</summary>
    public async Task<CatalogViewFacetsDto> FacetsAsync(CatalogView view, CancellationToken ct = default)
    {
        var byNode = await Published(view).GroupBy(x => x.Entry.ClassificationCode).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var byDept = await Published(view).GroupBy(x => x.Entry.DepartmentId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var nodes = await db.Classifications.AsNoTracking().ToListAsync(ct);
        var parents = nodes.ToDictionary(n => n.Code, n => n.ParentCode);
        var counts = new Dictionary<string, int>();
        foreach (var row in byNode)
            for (string? code = row.Key; code is not null; code = parents.GetValueOrDefault(code))
                counts[code] = counts.GetValueOrDefault(code) + row.Count;
        var names = (await departments.ListAsync(ct)).ToDictionary(d => d.Id, d => d.Name);
        return new CatalogViewFacetsDto(Label(view), byNode.Sum(x => x.Count),
            nodes.Where(n => counts.ContainsKey(n.Code)).OrderBy(n => n.Code, StringComparer.Ordinal)
                .Select(n => new NodeCountDto(n.Code, n.Name, n.Depth, n.ParentCode, counts[n.Code])).ToList(),
            byDept.OrderByDescending(x => x.Count).Select(x => new DepartmentCountDto(x.Key, names.GetValueOrDefault(x.Key, "（已撤销的部门）"), x.Count)).ToList());
    }
}
