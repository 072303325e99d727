using GovData.Catalog.Contracts;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Versions;
using GovData.Data.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.Features.Pages;

/// <summary>A resource as every tab of its pages shows it in the header.</summary>
internal sealed record ResourceHeader(
    string Code, string Name, Guid DepartmentId, string? Provider, CatalogResource Catalog, DataResource? Row, DataVersion? Current,
    Timeliness Timeliness, bool CanManage, bool IsInsider)
{
    /// <summary>Has information items (a table); unstructured resources only have files and links.</summary>
    public bool Structured => Catalog.Items.Count > 0;

    /// <summary>Data can be loaded (已发布; an offline entry keeps its history readable).</summary>
    public bool Published => Catalog.Status == EntryStatus.Published;

    /// <summary>The managers' actions are offered.</summary>
    public bool CanLoad => CanManage && Published && Structured;

    public string Path(string suffix = "") => DataUi.ResourcePath(Code, suffix);

    public string Api(string suffix = "") => DataUi.ApiPath(Code, suffix);
}

/// <summary>
/// Base of the pages of one resource (<c>/console/data/{code}</c> and its tabs): parses the percent-encoded code, finds
/// the published (or formerly published) resource, checks that the caller may view it (staff of the providing
/// department, 目录审核员, 平台管理员 — others get 403 through the access-denied page) and builds the header.
/// </summary>
[Authorize]
internal abstract class ResourcePageModel : PageModel
{
    public ResourceHeader Resource { get; private set; } = null!;

    /// <summary>The tab this page is (dictionary, preview, profile, loads, versions, export, files, upload).</summary>
    public abstract string Tab { get; }

    protected T Service<T>() where T : notnull => HttpContext.RequestServices.GetRequiredService<T>();

    /// <summary>Loads the resource of the route's code; a result to return instead of the page (404, 403), or null.</summary>
    protected async Task<IActionResult?> LoadResourceAsync(string code, CancellationToken ct)
    {
        if (!DataPageAccess.IsStaff(User)) return Forbid();
        var parsed = DataResources.ParseCode(code, out _);
        if (parsed is null) return NotFound();
        var found = await Service<DataResources>().LookupAsync(parsed, ct);
        if (!found.Ok) return NotFound();
        var lookup = found.Value!;
        if (!DataPageAccess.CanView(User, lookup.DepartmentId)) return Forbid();
        var db = Service<DataDb>();
        var current = lookup.Row?.CurrentVersionId is { } id ? await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct) : null;
        var timeliness = UpdateTimeliness.Evaluate(lookup.Catalog.UpdateCycle, current?.LoadedAt, Service<TimeProvider>().GetUtcNow().UtcDateTime);
        Resource = new ResourceHeader(lookup.Code, lookup.Name, lookup.DepartmentId, lookup.Catalog.ProviderName, lookup.Catalog, lookup.Row, current,
            timeliness, DataAccess.CanManage(User, lookup.DepartmentId), DataAccess.IsInsider(User, lookup.DepartmentId));
        return null;
    }

    /// <summary>403 through the access-denied page unless the caller manages the resource.</summary>
    protected IActionResult? RequireManage() => Resource.CanManage ? null : Forbid();
}
