using GovData.Exchange.Features.Access;
using GovData.Exchange.Features.Disputes;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Shared;

/// <summary>
/// One grant: items, row scope, modes, expiry, quota and rate with today's use, and its history; the consumer may ask for a
/// renewal or raise a data dispute, the provider (or a platform administrator) may revoke it with a reason.
/// </summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class GrantDetailModel(GrantService grants, SharingService sharing, DisputeService disputes, AccessGate gate, AccessStore store,
    TimeProvider clock) : ExchangePageModel
{
    [BindProperty(Name = "version")] public int? Version { get; set; }
    [BindProperty(Name = "reason")] public string? Reason { get; set; }
    [BindProperty(Name = "durationDays")] public string? DurationDays { get; set; }
    [BindProperty(Name = "recordKey")] public string? RecordKey { get; set; }
    [BindProperty(Name = "field")] public string? Field { get; set; }
    [BindProperty(Name = "reportedValue")] public string? ReportedValue { get; set; }
    [BindProperty(Name = "expectedValue")] public string? ExpectedValue { get; set; }
    [BindProperty(Name = "description")] public string? Description { get; set; }
    [BindProperty(Name = "evidence")] public string? Evidence { get; set; }
    [BindProperty(Name = "dataVersion")] public string? DataVersion { get; set; }

    public GrantDto Grant { get; private set; } = null!;
    public long UsedToday { get; private set; }
    public bool IsConsumer { get; private set; }
    public bool CanRevoke { get; private set; }

    public IHtmlContent Show(string form, string field) => FailedForm == form ? Errors.Show(field) : HtmlString.Empty;
    public string? Value(string form, string? value) => FailedForm == form ? value : null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRenewAsync(Guid id, CancellationToken ct)
    {
        var back = $"/console/exchange/grants/{id}";
        var days = Errors.Number(DurationDays, "durationDays", "续期天数", 1, 100_000);
        if (!Errors.Any)
        {
            var result = await sharing.RenewAsync(await ActorAsync(ct), id, new RenewalInput((int?)days, Reason), ct);
            if (result.Ok)
            {
                TempData["Message"] = $"已提交续期申请（当前状态：{result.Value!.StatusLabel}）";
                return Redirect($"/console/exchange/requests/{result.Value.Id}");
            }
            if (Failure(result, back) is { } response) return response;
        }
        FailedForm = "renew";
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        var back = $"/console/exchange/grants/{id}";
        var result = await grants.RevokeAsync(await ActorAsync(ct), id, new RevokeInput(Version, Reason), ct);
        if (result.Ok)
        {
            TempData["Message"] = "授权已撤销，立即生效";
            return Redirect(back);
        }
        if (Failure(result, back) is { } response) return response;
        FailedForm = "revoke";
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostDisputeAsync(Guid id, CancellationToken ct)
    {
        var back = $"/console/exchange/grants/{id}";
        var version = Errors.Number(DataVersion, "dataVersion", "数据版本", 1, int.MaxValue);
        if (!Errors.Any)
        {
            var input = new CreateDisputeInput(id.ToString(), RecordKey, string.IsNullOrWhiteSpace(Field) ? null : Field, ReportedValue, ExpectedValue,
                Description, Evidence, (int?)version);
            var result = await disputes.CreateAsync(await ActorAsync(ct), input, ct);
            if (result.Ok)
            {
                TempData["Message"] = "数据异议已提交，等待提供部门核实";
                return Redirect($"/console/exchange/disputes/{result.Value!.Id}");
            }
            if (Failure(result, back) is { } response) return response;
        }
        FailedForm = "dispute";
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        var dto = await grants.GetAsync(actor, id, ct);
        if (dto is null) return false;
        Grant = dto;
        IsConsumer = actor.IsConsumerOf(dto.ConsumerDepartmentId);
        CanRevoke = dto.Status == "active" && (actor.IsProviderOf(dto.ProviderDepartmentId) || actor.IsPlatformAdmin);
        var (dayStart, _) = gate.LocalDay(clock.GetUtcNow());
        UsedToday = await store.UsedAsync(dto.Id, AccessStore.Day, dayStart, ct);
        return true;
    }
}
