using GovData.Identity.Contracts;
using GovData.Portal.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Apps;

/// <summary>
/// 我的应用: the developer's apps with key prefix, created, last used, today's calls, remaining quota and the minute's
/// limit; the form to create an app (the key is rendered in the POST response only, marked no-store, never again); for
/// a verified public account without the role 开发者 the one-button upgrade.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class AppsIndexModel(DeveloperApps apps, IDeveloperKeys keys) : PageModel
{
    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "description")] public string? Description { get; set; }
    [BindProperty(Name = "homepage")] public string? Homepage { get; set; }

    public DeveloperStanding? Standing { get; private set; }
    public IReadOnlyList<DeveloperApp> Apps { get; private set; } = [];
    public IReadOnlyDictionary<Guid, DeveloperKeyInfo> Keys { get; private set; } = new Dictionary<Guid, DeveloperKeyInfo>();
    public IReadOnlyDictionary<Guid, AppUsage> Usage { get; private set; } = new Dictionary<Guid, AppUsage>();
    public FormErrors Errors { get; } = new();
    public string? FormError { get; private set; }
    public DeveloperApp? CreatedApp { get; private set; }
    public IssuedDeveloperKey? CreatedKey { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.IsApiKeyCaller()) return StatusCode(StatusCodes.Status403Forbidden);
        var outcome = await apps.CreateAsync(User.GetUserId(), new AppForm(Name, Description, Homepage), ct);
        if (outcome.Ok)
        {
            CreatedApp = outcome.App;
            CreatedKey = outcome.Key;
            Name = Description = Homepage = null;
            Response.Headers.CacheControl = "no-store";
            Response.StatusCode = StatusCodes.Status201Created;
        }
        else
        {
            Show(outcome);
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>开通开发者: adds the role to a verified public account (and renews its sign-in).</summary>
    public async Task<IActionResult> OnPostDeveloperAsync(CancellationToken ct)
    {
        if (User.IsApiKeyCaller()) return StatusCode(StatusCodes.Status403Forbidden);
        var error = await keys.BecomeDeveloperAsync(HttpContext, User.GetUserId()!.Value, ct);
        if (error is null)
        {
            TempData["AppsMessage"] = "已开通开发者：现在可以创建应用并获取 API 密钥。";
            return Redirect(AppPaths.List);
        }
        FormError = error;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await LoadAsync(ct);
        return Page();
    }

    private void Show(AppOutcome outcome)
    {
        Response.StatusCode = outcome.Status;
        foreach (var (field, messages) in outcome.Errors)
        {
            if (field == "form") FormError = string.Join("；", messages);
            else foreach (var m in messages) Errors.Add(field, m);
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var me = User.GetUserId()!.Value;
        Standing = await keys.FindAsync(me, ct);
        Apps = await apps.ListAsync(me, ct);
        Keys = await apps.KeysAsync(me, Apps, ct);
        Usage = await apps.UsageAsync(Apps, ct);
    }
}
