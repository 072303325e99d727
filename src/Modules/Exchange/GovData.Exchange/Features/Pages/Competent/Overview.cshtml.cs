using GovData.Exchange.Features.Pages.Shared;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Competent;

/// <summary>交换总览 of the competent department: requests in reach by status, overdue, in the queue; grants (platform administrators).</summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class OverviewModel(SharingService sharing, GrantService grants) : ExchangePageModel
{
    public sealed record Count(string Label, int Value, string Href);

    public List<Count> ByStatus { get; } = [];
    public List<Count> Attention { get; } = [];
    public List<Count> Grants { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        if (!actor.HasCompetentRole) return Forbid();
        const string queue = "/console/exchange/competent";
        foreach (var (code, label) in RequestListModel.Statuses.Where(s => s.Code is not ("all" or "draft")))
            ByStatus.Add(new Count(label, await TotalAsync(actor, new RequestListQuery(code, PageSize: 1), ct), $"{queue}?status={code}"));
        Attention.Add(new Count("待办（合规审查、逾期、已提请协调）", await TotalAsync(actor, new RequestListQuery(PageSize: 1), ct), queue));
        Attention.Add(new Count("已逾期", await TotalAsync(actor, new RequestListQuery("all", true, PageSize: 1), ct), $"{queue}?status=all&overdue=true"));
        if (actor.IsPlatformAdmin)
            foreach (var (code, label) in new[] { ("active", "有效授权"), ("expired", "已过期授权"), ("revoked", "已撤销授权") })
                Grants.Add(new Count(label, (await grants.ListAsync(actor, "all", code, null, 1, 1, ct)).Value?.Total ?? 0, ""));
        return Page();
    }

    private async Task<int> TotalAsync(SharingActor actor, RequestListQuery q, CancellationToken ct) =>
        (await sharing.ListAsync(actor, RequestBox.Competent, q, ct)).Value?.Total ?? 0;
}
