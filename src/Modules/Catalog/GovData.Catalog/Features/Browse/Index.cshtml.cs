using GovData.Catalog.Contracts;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Views;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Catalog.Features.Browse;

/// <summary>
/// 目录浏览: the 业务目录, 共享目录 and 开放目录, each listing only what belongs to it, browsed by the classification tree
/// (类/项/目/细目 with counts) or by department, with a keyword and share/open type filter and a paged table.
/// </summary>
[Authorize(Policy = CatalogPolicies.Read)]
internal sealed class BrowseModel(CatalogViews views, IDepartmentDirectory departments, RegionDirectory regions) : PageModel
{
    public const int PageSize = 20;
    public const string Path = "/console/catalog/browse";

    [BindProperty(SupportsGet = true, Name = "catalog")] public string? Catalog { get; set; }
    [BindProperty(SupportsGet = true, Name = "by")] public string? By { get; set; }
    [BindProperty(SupportsGet = true, Name = "node")] public string? Node { get; set; }
    [BindProperty(SupportsGet = true, Name = "dept")] public string? Dept { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "shareType")] public string? ShareType { get; set; }
    [BindProperty(SupportsGet = true, Name = "openType")] public string? OpenType { get; set; }
    [BindProperty(SupportsGet = true, Name = "pageNumber")] public int? PageNumber { get; set; }

    public CatalogView View { get; private set; }
    public bool ByDepartment => By == "dept";
    public Guid? DepartmentId { get; private set; }
    public CatalogViewFacetsDto Facets { get; private set; } = new("", 0, [], []);
    public IReadOnlyList<CatalogViewItemDto> Items { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public List<string> Errors { get; } = [];
    public ILookup<string?, NodeCountDto> Children { get; private set; } = Array.Empty<NodeCountDto>().ToLookup(n => n.ParentCode);
    public HashSet<string> OpenPath { get; } = new(StringComparer.Ordinal);
    public string? SelectedName { get; private set; }
    public List<(string Region, List<DepartmentCountDto> Departments)> DepartmentGroups { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!CatalogUi.TryParseCatalog(Catalog, out var view))
            Errors.Add($"目录类型“{Catalog}”无效，可选：business（业务目录）、share（共享目录）、open（开放目录），已显示业务目录");
        View = view;
        if (!string.IsNullOrWhiteSpace(Dept))
        {
            if (Guid.TryParse(Dept, out var d)) DepartmentId = d;
            else Errors.Add($"部门参数“{Dept}”无效");
        }
        Node = string.IsNullOrWhiteSpace(Node) ? null : Node.Trim();

        Facets = await views.FacetsAsync(View, ct);
        Children = Facets.Classifications.ToLookup(n => n.ParentCode);
        if (Node is not null)
        {
            var byCode = Facets.Classifications.ToDictionary(n => n.Code);
            if (byCode.TryGetValue(Node, out var selected))
            {
                SelectedName = selected.Name;
                for (var n = selected; n is not null; n = n.ParentCode is { } p ? byCode.GetValueOrDefault(p) : null) OpenPath.Add(n.Code);
            }
            else SelectedName = Node;
        }

        var all = (await departments.ListAsync(ct)).ToDictionary(d => d.Id);
        foreach (var g in Facets.Departments
                     .GroupBy(d => all.TryGetValue(d.DepartmentId, out var info) ? info.RegionCode : "")
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
            DepartmentGroups.Add((g.Key.Length == 0 ? "其他" : regions.FullName(g.Key),
                g.OrderBy(d => all.TryGetValue(d.DepartmentId, out var info) ? info.SortOrder : int.MaxValue).ThenBy(d => d.DepartmentName, StringComparer.Ordinal).ToList()));
        if (DepartmentId is { } id)
            SelectedName = Facets.Departments.FirstOrDefault(d => d.DepartmentId == id)?.DepartmentName ?? (all.TryGetValue(id, out var dept) ? dept.Name : "（未知部门）");

        var page = Pager.Normalize(PageNumber);
        var (result, errors) = await views.ListAsync(View, new CatalogViewQuery(Node, DepartmentId, Query, ShareType, OpenType, page, PageSize), ct);
        if (errors is not null) Errors.AddRange(errors.Values.SelectMany(m => m));
        else
        {
            Items = result!.Items;
            Pager = new Pager(result.Page, PageSize, result.Total, n => Link(pageNumber: n));
        }
    }

    /// <summary>A link to this page with the current state, some of it changed.</summary>
    public string Link(CatalogView? view = null, string? by = null, string? node = null, Guid? dept = null, bool keepSelection = true,
        bool keepFilters = true, int? pageNumber = null) =>
        ConsoleFormat.Link(Path,
            ("catalog", CatalogUi.CatalogKey(view ?? View)),
            ("by", by ?? (ByDepartment ? "dept" : null)),
            ("node", node ?? (keepSelection ? Node : null)),
            ("dept", (dept ?? (keepSelection ? DepartmentId : null))?.ToString()),
            ("q", keepFilters ? Query : null),
            ("shareType", keepFilters ? ShareType : null),
            ("openType", keepFilters ? OpenType : null),
            ("pageNumber", pageNumber is > 1 ? pageNumber.ToString() : null));

    /// <summary>Share types worth filtering by in this catalog (the 共享目录 holds no 不予共享).</summary>
    public IReadOnlyList<string> ShareTypes => View == CatalogView.Shared
        ? [CatalogTerms.Label(Contracts.ShareType.Unconditional), CatalogTerms.Label(Contracts.ShareType.Conditional)]
        : CatalogTerms.Labels<Contracts.ShareType>();

    /// <summary>Open types worth filtering by in this catalog (the 开放目录 holds no 不予开放).</summary>
    public IReadOnlyList<string> OpenTypes => View == CatalogView.Open
        ? [CatalogTerms.Label(Contracts.OpenType.Unconditional), CatalogTerms.Label(Contracts.OpenType.Conditional)]
        : CatalogTerms.Labels<Contracts.OpenType>();
}
