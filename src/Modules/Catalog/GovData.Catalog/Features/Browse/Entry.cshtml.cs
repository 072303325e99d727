using GovData.Catalog.Contracts;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Browse;

/// <summary>
/// Read-only page of one catalog entry: every metadata item, the information items, share and open attributes,
/// related resources and the history. Others see the published content; the department, its reviewers, platform
/// administrators and auditors can also look at the revision being compiled or reviewed (<c>?revision=working</c>).
/// </summary>
[Authorize(Policy = CatalogPolicies.Read)]
internal sealed class EntryModel(ResourceService resources, IDepartmentDirectory departments, CatalogDb db) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "revision")] public string? Revision { get; set; }

    public EntryDto Entry { get; private set; } = null!;
    /// <summary>The revision shown: the published one unless the working one was asked for (or nothing is published).</summary>
    public RevisionDto? Shown { get; private set; }
    public bool ShowingWorking { get; private set; }
    public List<HistoryDto> History { get; private set; } = [];
    public List<RelatedResource> Related { get; private set; } = [];

    /// <summary>A related resource code and, when it is published, the entry it names.</summary>
    public sealed record RelatedResource(string Code, Guid? Id, string? Name);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var actor = await CatalogActor.FromPrincipalAsync(User, departments, ct);
        if (await resources.GetAsync(actor, id.ToString(), ct) is not { } entry) return NotFound();
        Entry = entry;
        ShowingWorking = entry.Working is not null && (entry.Published is null || Revision == "working");
        Shown = ShowingWorking ? entry.Working : entry.Published;
        var history = await resources.HistoryAsync(actor, id.ToString(), ct);
        History = history.Value ?? [];

        var codes = Shown?.RelatedCodes ?? [];
        if (codes.Count > 0)
        {
            var list = codes.ToList();
            var found = await (from e in db.Entries.AsNoTracking()
                               join r in db.Revisions.AsNoTracking() on e.PublishedRevisionId equals (Guid?)r.Id
                               where list.Contains(e.Code) && e.Status == EntryStatus.Published
                               select new { e.Code, e.Id, r.Name }).ToListAsync(ct);
            var byCode = found.ToDictionary(x => x.Code);
            Related = list.Select(c => byCode.TryGetValue(c, out var x) ? new RelatedResource(c, x.Id, x.Name) : new RelatedResource(c, null, null)).ToList();
        }
        return Page();
    }
}
