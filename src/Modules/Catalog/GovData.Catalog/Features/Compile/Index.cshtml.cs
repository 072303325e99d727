using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Compile;

/// <summary>
/// 目录编制 workspace: the entries of the compiler's own department (whatever other roles the account holds), with
/// filters by status, classification and text. Listing goes through <see cref="ResourceService.ListAsync"/>.
/// </summary>
[Authorize(Roles = Roles.Cataloger)]
internal sealed class IndexModel(ResourceService service, CatalogDb db, IDepartmentDirectory departments) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "classification")] public string? Classification { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "pageNumber")] public int? PageNumber { get; set; }

    public IReadOnlyList<EntrySummaryDto> Entries { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public string DepartmentName { get; private set; } = "";
    public string? FilterError { get; private set; }

    /// <summary>类 and 项 the department files under: (code, indented text).</summary>
    public IReadOnlyList<(string Code, string Text)> ClassificationOptions { get; private set; } = [];

    public static IReadOnlyList<string> Statuses => CatalogTerms.Labels<EntryStatus>();

    /// <summary>Counts per status for the summary line (all of the department's entries).</summary>
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    /// <summary>Whether the lifecycle allows editing in the phase shown (link text 编辑 / 查看).</summary>
    public static bool CanEdit(string phaseLabel) =>
        Enum.GetValues<LifecyclePhase>().Any(p => Lifecycle.Label(p) == phaseLabel && Lifecycle.AllowedActions(p).Contains(LifecycleAction.Edit));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = await CatalogActor.FromPrincipalAsync(User, departments, ct);
        if (actor.Department is not { } dept) return Forbid();
        DepartmentName = dept.Name;
        var query = new EntryListQuery(Status: Status, DepartmentId: dept.Id, ClassificationCode: Classification, Keyword: Query,
            Page: Pager.Normalize(PageNumber), PageSize: PageSize);
        var r = await service.ListAsync(actor, query, ct);
        if (r.Errors is { } errors)
        {
            FilterError = string.Join("；", errors.Values.SelectMany(m => m));
            Status = null;
            r = await service.ListAsync(actor, query with { Status = null }, ct);
        }
        var page = r.Value!;
        Entries = page.Items;
        Pager = new Pager(page.Page, PageSize, page.Total, n => ConsoleFormat.Link("/console/catalog/resources",
            ("status", Status), ("classification", Classification), ("q", Query), ("pageNumber", n.ToString())));

        var counts = await db.Entries.AsNoTracking().Where(e => e.DepartmentId == dept.Id).GroupBy(e => e.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Counts = counts.ToDictionary(c => CatalogTerms.Label(c.Key), c => c.Count);

        var nodes = await db.Classifications.AsNoTracking().Where(x => x.IsActive && x.Depth <= 3).ToListAsync(ct);
        var ownCategories = nodes.Where(x => x.ClassCode == 3 && x.Depth == 3 && x.DepartmentId == dept.Id).Select(x => x.Code).ToList();
        ClassificationOptions = nodes
            .Where(x => x.Depth == 1 || (x.Depth == 2 && (x.ClassCode != 3 || ownCategories.Any(c => c.StartsWith(x.Code, StringComparison.Ordinal)))) || (x.Depth == 3 && ownCategories.Contains(x.Code)))
            .OrderBy(x => x.Code, StringComparer.Ordinal)
            .Select(x => (x.Code, new string('\u3000', x.Depth - 1) + $"{x.Code} {x.Name}"))
            .ToList();
        return Page();
    }
}
