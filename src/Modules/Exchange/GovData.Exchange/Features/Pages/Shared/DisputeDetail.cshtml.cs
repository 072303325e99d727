using GovData.Exchange.Features.Disputes;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Shared;

/// <summary>One dispute with its history; the provider corrects (naming the corrected data version) or rejects with a reason, the consumer may withdraw.</summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class DisputeDetailModel(DisputeService disputes) : ExchangePageModel
{
    [BindProperty(Name = "version")] public int? Version { get; set; }
    [BindProperty(Name = "reason")] public string? Reason { get; set; }
    [BindProperty(Name = "note")] public string? Note { get; set; }
    [BindProperty(Name = "correctedVersion")] public string? CorrectedVersion { get; set; }

    public DisputeDto Dispute { get; private set; } = null!;

    public bool Can(string action) => Dispute.AllowedActions.Contains(action);
    public IHtmlContent Show(string form, string field) => FailedForm == form ? Errors.Show(field) : HtmlString.Empty;
    public string? Value(string form, string? value) => FailedForm == form ? value : null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostCorrectAsync(Guid id, CancellationToken ct)
    {
        var version = Errors.Number(CorrectedVersion, "correctedVersion", "更正后的数据版本", 1, int.MaxValue);
        return Run(id, "correct", "已核实更正", (a, c) => disputes.CorrectAsync(a, id, new CorrectDisputeInput(Version, Note, (int?)version), c), ct);
    }

    public Task<IActionResult> OnPostRejectAsync(Guid id, CancellationToken ct) =>
        Run(id, "reject", "已驳回异议，理由已记录", (a, c) => disputes.RejectAsync(a, id, new DisputeReasonInput(Version, Reason), c), ct);

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct) =>
        Run(id, "withdraw", "已撤回异议", (a, c) => disputes.WithdrawAsync(a, id, new DisputeReasonInput(Version, Reason), c), ct);

    private async Task<IActionResult> Run(Guid id, string form, string done, Func<SharingActor, CancellationToken, Task<SharingResult<DisputeDto>>> act,
        CancellationToken ct)
    {
        var back = $"/console/exchange/disputes/{id}";
        if (!Errors.Any)
        {
            var result = await act(await ActorAsync(ct), ct);
            if (result.Ok)
            {
                TempData["Message"] = done;
                return Redirect(back);
            }
            if (Failure(result, back) is { } response) return response;
        }
        FailedForm = form;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var dto = await disputes.GetAsync(await ActorAsync(ct), id, ct);
        if (dto is null) return false;
        Dispute = dto;
        return true;
    }
}
