using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Departments;

/// <summary>提供部门: the departments that open data, grouped by region, with their numbers of open datasets.</summary>
[AllowAnonymous]
internal sealed class DepartmentsModel(IOpenCatalog catalog, IDepartmentDirectory departments, RegionDirectory regions) : PageModel
{
    public List<(string Region, List<(DepartmentInfo Department, int Count)> Departments)> Groups { get; } = [];
    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var page = (await catalog.SearchAsync(new OpenCatalogQuery { Limit = 0 }, ct)).Page ?? throw new InvalidOperationException("开放目录检索失败");
        var counts = page.Facets.Departments.ToDictionary(f => f.Value, f => f.Count);
        var all = await departments.ListAsync(ct);
        var opening = all.Where(d => counts.GetValueOrDefault(d.Id.ToString()) > 0).ToList();
        Total = opening.Count;
        foreach (var g in opening.GroupBy(d => d.RegionCode).OrderBy(g => g.Key, StringComparer.Ordinal))
            Groups.Add((regions.FullName(g.Key), g.OrderBy(d => d.SortOrder).ThenBy(d => d.Name, StringComparer.Ordinal)
                .Select(d => (d, counts[d.Id.ToString()])).ToList()));
    }
}
