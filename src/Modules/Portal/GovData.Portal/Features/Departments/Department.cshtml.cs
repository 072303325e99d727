using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Shared;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Departments;

/// <summary>A department's page: who it is, its open datasets by 领域 and the latest updated ones (404 when it opens nothing).</summary>
[AllowAnonymous]
internal sealed class DepartmentModel(IOpenCatalog catalog, IDepartmentDirectory departments, RegionDirectory regions) : PageModel
{
    public const int PageSize = 20;

    public int PageNumber { get; private set; } = 1;

    public DepartmentInfo? Department { get; private set; }
    public string Name { get; private set; } = "";
    public string RegionName { get; private set; } = "";
    public OpenCatalogPage? Result { get; private set; }
    public int PageCount => Result is null ? 0 : Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        Name = name;
        var department = PortalNames.FindOrganization(await departments.ListAsync(ct), name);
        // “page” is a route value of Razor Pages: read the query string itself.
        var page = int.TryParse(Request.Query["page"], out var p) ? Math.Clamp(p, 1, 10_000) : 1;
        PageNumber = page;
        if (department is not null)
            Result = (await catalog.SearchAsync(new OpenCatalogQuery
            {
                DepartmentId = department.Id,
                Sort = [new(OpenCatalogSortField.Updated, true)],
                Offset = (page - 1) * PageSize,
                Limit = PageSize,
            }, ct)).Page;
        if (department is null || Result is null || Result.Total == 0)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Result = null;
            return Page();
        }
        Department = department;
        RegionName = regions.FullName(department.RegionCode);
        return Page();
    }
}
