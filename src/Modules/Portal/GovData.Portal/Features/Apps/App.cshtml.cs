using GovData.Identity.Contracts;
using GovData.Portal.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Apps;

/// <summary>
/// One app: its key (prefix, created, last used), today's calls, remaining quota, this minute's calls and limit, calls per
/// day for the last 30 days; edit, rotate key (new key shown once, old one revoked in the same step), revoke app.
/// Someone else's app answers 403 (page and every POST), an unknown one 404.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class AppModel(DeveloperApps apps) : PageModel
{
    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "description")] public string? Description { get; set; }
    [BindProperty(Name = "homepage")] public string? Homepage { get; set; }
    [BindProperty(Name = "confirm")] public bool Confirm { get; set; }

    public DeveloperApp? App { get; private set; }
    public DeveloperKeyInfo? Key { get; private set; }
    public AppUsage? Usage { get; private set; }
    public IssuedDeveloperKey? NewKey { get; private set; }
    public FormErrors Errors { get; } = new();
    public string? FormError { get; private set; }
    public string? Denied { get; private set; }
    public bool IsActive => App?.Status == DeveloperApps.Active;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) && App is { } app)
        {
            Name = app.Name;
            Description = app.Description;
            Homepage = app.HomepageUrl;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateAsync(Guid id, CancellationToken ct)
    {
        if (User.IsApiKeyCaller()) return StatusCode(StatusCodes.Status403Forbidden);
        var outcome = await apps.UpdateAsync(User.GetUserId(), id, new AppForm(Name, Description, Homepage), ct);
        if (outcome.Ok) return Done(id, "应用信息已保存。");
        return await ShowAsync(id, outcome, ct);
    }

    public async Task<IActionResult> OnPostRotateAsync(Guid id, CancellationToken ct)
    {
        if (User.IsApiKeyCaller()) return StatusCode(StatusCodes.Status403Forbidden);
        var outcome = await apps.RotateAsync(User.GetUserId(), id, ct);
        if (!outcome.Ok) return await ShowAsync(id, outcome, ct);
        NewKey = outcome.Key;
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(id, ct);
        Name = App!.Name;
        Description = App.Description;
        Homepage = App.HomepageUrl;
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        if (User.IsApiKeyCaller()) return StatusCode(StatusCodes.Status403Forbidden);
        if (!Confirm)
        {
            var found = await apps.FindAsync(User.GetUserId() ?? Guid.Empty, id, ct);
            if (found.App is not null)
            {
                Errors.Add("confirm", "请勾选“确认吊销”：吊销后该应用的密钥立即失效，且不能恢复");
                return await ShowAsync(id, new AppOutcome(StatusCodes.Status400BadRequest, null, null, []), ct);
            }
        }
        var outcome = await apps.RevokeAsync(User.GetUserId(), id, ct);
        if (outcome.Ok) return Done(id, "应用已吊销，其 API 密钥立即失效。");
        return await ShowAsync(id, outcome, ct);
    }

    private RedirectResult Done(Guid id, string message)
    {
        TempData["AppsMessage"] = message;
        return Redirect(AppPaths.App(id));
    }

    private async Task<IActionResult> ShowAsync(Guid id, AppOutcome outcome, CancellationToken ct)
    {
        foreach (var (field, messages) in outcome.Errors)
        {
            if (field == "form") FormError = string.Join("；", messages);
            else foreach (var m in messages) Errors.Add(field, m);
        }
        await LoadAsync(id, ct);
        if (Denied is null) Response.StatusCode = outcome.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var me = User.GetUserId() ?? Guid.Empty;
        var (app, status) = await apps.FindAsync(me, id, ct);
        if (app is null)
        {
            Response.StatusCode = status;
            Denied = status == StatusCodes.Status403Forbidden ? "无权访问：该应用属于其他账号。" : "应用不存在。";
            FormError = null;
            return false;
        }
        App = app;
        Key = (await apps.KeysAsync(me, [app], ct)).GetValueOrDefault(app.ApiKeyId);
        Usage = (await apps.UsageAsync([app], ct))[app.Id];
        return true;
    }
}
