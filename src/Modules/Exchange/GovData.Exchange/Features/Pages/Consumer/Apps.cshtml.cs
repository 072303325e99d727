using GovData.Exchange.Features.Access;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Consumer;

/// <summary>
/// 应用与密钥: the department's applications; register one (client id + secret), rotate its secret, revoke it with a reason.
/// A new secret is rendered in the POST response only (never stored, redirected or put in TempData), marked no-store.
/// </summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class AppsModel(AppService apps) : ExchangePageModel
{
    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "description")] public string? Description { get; set; }
    [BindProperty(Name = "reason")] public string? Reason { get; set; }

    public List<AppDto> Apps { get; private set; } = [];
    public AppSecretResponse? Secret { get; private set; }
    public Guid? FailedApp { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : Forbid();

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var result = await apps.CreateAsync(User, new CreateAppRequest(Name, Description), ct);
        return await ShowSecretAsync(result, "create", ct);
    }

    public async Task<IActionResult> OnPostRotateAsync(Guid id, CancellationToken ct) =>
        await ShowSecretAsync(await apps.RotateAsync(User, id, ct), "rotate", ct);

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        var result = await apps.RevokeAsync(User, id, new RevokeAppRequest(Reason), ct);
        if (result.Ok)
        {
            TempData["Message"] = $"应用“{result.Value!.Name}”已吊销";
            return Redirect("/console/exchange/apps");
        }
        if (Failure(result, "/console/exchange/apps") is { } response) return response;
        FailedForm = "revoke";
        FailedApp = id;
        return await LoadAsync(ct) ? Page() : Forbid();
    }

    private async Task<IActionResult> ShowSecretAsync(SharingResult<AppSecretResponse> result, string form, CancellationToken ct)
    {
        if (result.Ok)
        {
            Secret = result.Value;
            Response.Headers.CacheControl = "no-store";
            Name = Description = null;
        }
        else
        {
            if (Failure(result, "/console/exchange/apps") is { } response) return response;
            FailedForm = form;
        }
        return await LoadAsync(ct) ? Page() : Forbid();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var result = await apps.ListAsync(User, null, ct);
        Apps = result.Value ?? [];
        return result.Ok;
    }
}
