using GovData.Catalog.Features.Shared;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Catalog.Features.Review;

/// <summary>目录审核 queue: pending entries of the departments in the reviewer's reach, the longest-waiting first.</summary>
[Authorize(Roles = Roles.CatalogReviewer)]
internal sealed class IndexModel(ReviewQueue queue, IDepartmentDirectory departments, TimeProvider clock) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "departmentId")] public Guid? DepartmentId { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "pageNumber")] public int? PageNumber { get; set; }

    public IReadOnlyList<QueueItem> Items { get; private set; } = [];
    public IReadOnlyList<DepartmentInfo> Reach { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;
    public string? CompetentDepartment { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = await CatalogActor.FromPrincipalAsync(User, departments, ct);
        CompetentDepartment = actor.Department is { IsCompetent: true } d ? d.Name : null;
        var page = Pager.Normalize(PageNumber);
        var (items, total, reach) = await queue.ListAsync(actor, DepartmentId, Query, page, PageSize, ct);
        Items = items;
        Reach = reach;
        Pager = new Pager(page, PageSize, total, n => ConsoleFormat.Link("/console/catalog/review",
            ("departmentId", DepartmentId?.ToString()), ("q", Query), ("pageNumber", n.ToString())));
        return Page();
    }
}
