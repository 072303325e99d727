using GovData.SharedKernel.Web;
using GovData.Exchange.Features.Disputes;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Shared;

/// <summary>数据异议: disputes about the department's resources (provider's queue) or raised by the department (consumer).</summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class DisputesModel(DisputeService disputes) : ExchangePageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "as")] public string? View { get; set; }
    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public IReadOnlyList<DisputeDto> Disputes { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public bool CanProvide { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        CanProvide = actor.IsDepartmentAdmin;
        View ??= actor.IsDepartmentAdmin ? "provider" : "consumer";
        var result = await disputes.ListAsync(actor, View, Status, null, Math.Max(1, PageNumber ?? 1), PageSize, ct);
        if (result.Forbidden is not null) return Forbid();
        if (!result.Ok)
        {
            Errors.AddRange(result.Errors);
            View = actor.IsDepartmentAdmin ? "provider" : "consumer";
            result = await disputes.ListAsync(actor, View, null, null, 1, PageSize, ct);
            if (!result.Ok) return Forbid();
        }
        var page = result.Value!;
        Disputes = page.Items;
        Pager = new Pager(page.Page, PageSize, page.Total, n => ExchangePages.Link("/console/exchange/disputes", ("as", View), ("status", Status), ("page", n.ToString())));
        return Page();
    }
}
