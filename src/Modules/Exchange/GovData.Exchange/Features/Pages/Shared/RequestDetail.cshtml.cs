using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Shared;

/// <summary>
/// One request for everyone who may see it (consumer, provider, competent department, auditor): content, working-day
/// timer, decisions and the event history, and a form for each action the caller may take now (the service's
/// <c>allowedActions</c>): withdraw / escalate (consumer), pass / fail compliance and coordinate (competent), approve with the
/// grant's terms / refuse with a reason (provider).
/// </summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class RequestDetailModel(SharingService sharing) : ExchangePageModel
{
    [BindProperty(Name = "version")] public int? Version { get; set; }
    [BindProperty(Name = "reason")] public string? Reason { get; set; }
    [BindProperty(Name = "note")] public string? Note { get; set; }
    [BindProperty(Name = "items")] public List<string> GrantItems { get; set; } = [];
    [BindProperty(Name = "rawAllowed")] public bool RawAllowed { get; set; }
    [BindProperty(Name = "dailyQuota")] public string? DailyQuota { get; set; }
    [BindProperty(Name = "quotaUnit")] public string? QuotaUnit { get; set; }
    [BindProperty(Name = "rateLimitPerMinute")] public string? RateLimit { get; set; }
    [BindProperty(Name = "expiresOn")] public string? ExpiresOn { get; set; }
    [BindProperty(Name = "dueOn")] public string? DueOn { get; set; }

    public RequestDto Item { get; private set; } = null!;

    public bool Can(string action) => Item.AllowedActions.Contains(action);

    /// <summary>The field's error, only inside the form that was posted.</summary>
    public IHtmlContent Show(string form, string field) => FailedForm == form ? Errors.Show(field) : HtmlString.Empty;

    public string? Value(string form, string? value) => FailedForm == form ? value : null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var dto = await sharing.GetAsync(await ActorAsync(ct), id, ct);
        if (dto is null) return NotFound();
        Item = dto;
        return Page();
    }

    public Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct) =>
        Run(id, "submit", "已提交申请", (a, c) => sharing.SubmitAsync(a, id, new TransitionInput(Version, Note: Note), c), ct);

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct) =>
        Run(id, "withdraw", "已撤回申请", (a, c) => sharing.WithdrawAsync(a, id, new TransitionInput(Version, Reason), c), ct);

    public Task<IActionResult> OnPostEscalateAsync(Guid id, CancellationToken ct) =>
        Run(id, "escalate", "已提请主管部门协调", (a, c) => sharing.EscalateAsync(a, id, new TransitionInput(Version, Reason), c), ct);

    public Task<IActionResult> OnPostPassAsync(Guid id, CancellationToken ct) =>
        Run(id, "pass", "合规审查通过", (a, c) => sharing.PassComplianceAsync(a, id, new TransitionInput(Version, Note: Note), c), ct);

    public Task<IActionResult> OnPostFailAsync(Guid id, CancellationToken ct) =>
        Run(id, "fail", "合规审查不通过，理由已记录", (a, c) => sharing.FailComplianceAsync(a, id, new TransitionInput(Version, Reason), c), ct);

    public Task<IActionResult> OnPostRefuseAsync(Guid id, CancellationToken ct) =>
        Run(id, "refuse", "已拒绝申请，理由已记录", (a, c) => sharing.RefuseAsync(a, id, new TransitionInput(Version, Reason), c), ct);

    public Task<IActionResult> OnPostCoordinateAsync(Guid id, CancellationToken ct) =>
        Run(id, "coordinate", "协调意见已记录", (a, c) => sharing.CoordinateAsync(a, id,
            new CoordinateInput(Version, Note, string.IsNullOrWhiteSpace(DueOn) ? null : DueOn.Trim()), c), ct);

    public Task<IActionResult> OnPostApproveAsync(Guid id, bool renewal, CancellationToken ct)
    {
        var quota = Errors.Number(DailyQuota, "dailyQuota", "每日限额", 1, long.MaxValue);
        var rate = Errors.Number(RateLimit, "rateLimitPerMinute", "每分钟调用次数", 1, int.MaxValue);
        var expires = string.IsNullOrWhiteSpace(ExpiresOn) ? null : ExpiresOn.Trim();
        var input = renewal
            ? new ApproveInput(Version, Note, ExpiresOn: expires)
            : new ApproveInput(Version, Note, GrantItems.Select(x => (string?)x).ToList(), RawAllowed, quota,
                string.IsNullOrWhiteSpace(QuotaUnit) ? null : QuotaUnit, (int?)rate, expires);
        return Run(id, "approve", "已批准，授权已生效", (a, c) => sharing.ApproveAsync(a, id, input, c), ct);
    }

    private async Task<IActionResult> Run(Guid id, string form, string done, Func<SharingActor, CancellationToken, Task<SharingResult<RequestDto>>> act,
        CancellationToken ct)
    {
        var back = $"/console/exchange/requests/{id}";
        if (!Errors.Any)
        {
            var result = await act(await ActorAsync(ct), ct);
            if (result.Ok)
            {
                TempData["Message"] = $"{done}（当前状态：{result.Value!.StatusLabel}）";
                return Redirect(back);
            }
            if (Failure(result, back) is { } response) return response;
        }
        FailedForm = form;
        var dto = await sharing.GetAsync(await ActorAsync(ct), id, ct);
        if (dto is null) return NotFound();
        Item = dto;
        return Page();
    }
}
