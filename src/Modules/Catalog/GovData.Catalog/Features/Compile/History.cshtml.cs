using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Catalog.Features.Compile;

/// <summary>
/// 变更历史 of an entry: who did what when, with the field-level changes. Shown to the people who work on the entry —
/// its department's compilers, the reviewers in reach, platform administrators and auditors; anyone else gets 404.
/// </summary>
[Authorize(Roles = $"{Roles.Cataloger},{Roles.CatalogReviewer},{Roles.PlatformAdmin},{Roles.SecurityAuditor}")]
internal sealed class HistoryModel(ResourceService service, IDepartmentDirectory departments, RegionDirectory regions) : PageModel
{
    public EntryDto Entry { get; private set; } = null!;
    public IReadOnlyList<HistoryDto> Records { get; private set; } = [];

    /// <summary>Where “返回” leads: the compiler's form, or the reviewer's page.</summary>
    public string BackLink { get; private set; } = "/console/catalog/resources";
    public string BackText { get; private set; } = "目录编制";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var actor = await CatalogActor.FromPrincipalAsync(User, departments, ct);
        var entry = await service.GetAsync(actor, id.ToString(), ct);
        if (entry is null) return NotFound();
        var own = actor.Department?.Id == entry.DepartmentId;
        var reviews = actor.CanReview(await departments.FindAsync(entry.DepartmentId, ct), regions);
        if (!own && !reviews && !actor.SeesEverything) return NotFound();
        var history = await service.HistoryAsync(actor, id.ToString(), ct);
        if (!history.Ok) return NotFound();
        Entry = entry;
        Records = history.Value!;
        if (actor.CanCompile(entry.DepartmentId))
        {
            BackLink = $"/console/catalog/resources/{entry.Id}/edit";
        }
        else if (reviews)
        {
            BackLink = $"/console/catalog/review/{entry.Id}";
            BackText = "目录审核";
        }
        else
        {
            // Platform administrators and auditors read the history but have no compile or review page.
            BackLink = "/console";
            BackText = "工作台";
        }
        return Page();
    }

    public static string BadgeFor(string action) => action switch
    {
        HistoryActions.Approved => "badge-ok",
        HistoryActions.Rejected or HistoryActions.Deleted => "badge-err",
        HistoryActions.Submitted => "badge-warn",
        HistoryActions.Withdrawn or HistoryActions.RevisionDiscarded => "badge-muted",
        _ => "badge-accent",
    };
}
