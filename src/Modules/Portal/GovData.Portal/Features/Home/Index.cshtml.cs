using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Home;

/// <summary>门户首页: totals, the 领域 grid, the latest updated and the most viewed open datasets.</summary>
[AllowAnonymous]
internal sealed class HomeModel(IOpenCatalog catalog, IDepartmentDirectory departments, DatasetViews views) : PageModel
{
    public int DatasetCount { get; private set; }
    public int DepartmentCount { get; private set; }
    public int UnconditionalCount { get; private set; }
    public IReadOnlyList<OpenCatalogFacetValue> Domains { get; private set; } = [];
    public IReadOnlyList<OpenDataset> Latest { get; private set; } = [];
    public IReadOnlyList<(OpenDataset Dataset, long Views)> MostViewed { get; private set; } = [];
    public IReadOnlyDictionary<Guid, DepartmentInfo> Directory { get; private set; } = new Dictionary<Guid, DepartmentInfo>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var result = await catalog.SearchAsync(new OpenCatalogQuery
        {
            Limit = 8,
            Sort = [new(OpenCatalogSortField.Updated, true)],
        }, ct);
        var page = result.Page ?? throw new InvalidOperationException("开放目录检索失败");
        DatasetCount = page.Total;
        DepartmentCount = page.Facets.Departments.Count(d => d.Count > 0);
        UnconditionalCount = page.Facets.OpenTypes.FirstOrDefault(o => o.Value == CatalogTerms.Label(OpenType.Unconditional))?.Count ?? 0;
        var counts = page.Facets.Domains.ToDictionary(d => d.Value, d => d.Count);
        Domains = CatalogDomains.Names.Select(n => new OpenCatalogFacetValue(n, n, counts.GetValueOrDefault(n), false)).ToList();
        Latest = page.Items.Select(h => h.Dataset).ToList();
        Directory = (await departments.ListAsync(ct)).ToDictionary(d => d.Id);

        var top = await views.TopAsync(30, 8, ct);
        var datasets = (await catalog.GetAsync(top.Select(t => t.EntryId).ToList(), ct)).ToDictionary(d => d.EntryId);
        MostViewed = top.Where(t => datasets.ContainsKey(t.EntryId)).Select(t => (datasets[t.EntryId], t.Views)).ToList();
    }
}
