using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Home;

/// <summary>
/// 门户首页: totals (open datasets, departments, data records and APIs of the 无条件开放 datasets with loaded data, all
/// downloads and API calls), the 领域 grid, the latest updated, the most used (30 days) and the most viewed open datasets.
/// </summary>
[AllowAnonymous]
internal sealed class HomeModel(IOpenCatalog catalog, IDepartmentDirectory departments, DatasetViews views, IDataVolumes volumes, PortalStatistics statistics,
    Showcase.ShowcaseService showcase) : PageModel
{
    public int DatasetCount { get; private set; }
    public int DepartmentCount { get; private set; }
    public int UnconditionalCount { get; private set; }
    /// <summary>Rows of the current versions of the 无条件开放 datasets with loaded data.</summary>
    public long RecordCount { get; private set; }
    /// <summary>无条件开放 datasets with loaded data: each is served by the open API (rows, export, datastore_search).</summary>
    public int ApiCount { get; private set; }
    public long DownloadCount { get; private set; }
    public long CallCount { get; private set; }
    public IReadOnlyList<OpenCatalogFacetValue> Domains { get; private set; } = [];
    public IReadOnlyList<OpenDataset> Latest { get; private set; } = [];
    public IReadOnlyList<(OpenDataset Dataset, long Views)> MostViewed { get; private set; } = [];
    public IReadOnlyList<(OpenDataset Dataset, long Uses)> MostUsed { get; private set; } = [];
    /// <summary>应用展示 strip: the latest approved applications.</summary>
    public IReadOnlyList<Persistence.ShowcaseApp> Apps { get; private set; } = [];
    public int AppCount { get; private set; }
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

        // Records and APIs: the loaded data of the datasets the portal serves (无条件开放; 有条件开放 data is not open).
        var loaded = await volumes.CurrentAsync(ct);
        var open = (await catalog.GetAsync(loaded.Select(v => v.EntryId).Distinct().ToList(), ct))
            .Where(d => d.OpenType == OpenType.Unconditional).Select(d => d.EntryId).ToHashSet();
        var served = loaded.Where(v => open.Contains(v.EntryId)).ToList();
        RecordCount = served.Sum(v => v.RowCount);
        ApiCount = served.Select(v => v.EntryId).Distinct().Count();
        (DownloadCount, CallCount) = await statistics.AllTimeAsync(ct);
        MostUsed = await statistics.MostUsedAsync(30, 8, ct);
        (AppCount, Apps) = await showcase.PublicPageAsync(1, 6, ct);

        var top = await views.TopAsync(30, 8, ct);
        var datasets = (await catalog.GetAsync(top.Select(t => t.EntryId).ToList(), ct)).ToDictionary(d => d.EntryId);
        MostViewed = top.Where(t => datasets.ContainsKey(t.EntryId)).Select(t => (datasets[t.EntryId], t.Views)).ToList();
    }
}
