using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.ApiKeys;

/// <summary>
/// The caller's API keys and the form to create one. The new key's secret is rendered in the POST response only
/// (never stored, redirected, or put in TempData), and that response is marked no-store.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class IndexModel(ApiKeyService keys, IdentityDb db) : PageModel
{
    public const int DefaultExpiryDays = 180;

    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "scopes")] public List<string>? Scopes { get; set; }
    [BindProperty(Name = "expiresInDays")] public int? ExpiresInDays { get; set; }

    /// <summary>Platform administrators may list every account's keys (to revoke a leaked one).</summary>
    [BindProperty(SupportsGet = true, Name = "all")] public bool ShowAll { get; set; }

    public List<ApiKeyDto> Keys { get; private set; } = [];
    public Dictionary<Guid, string> Owners { get; private set; } = [];
    public CreatedApiKeyDto? Created { get; private set; }
    public FormErrors Errors { get; } = new();
    public bool IsPlatformAdmin => User.IsInRole(Roles.PlatformAdmin);
    public bool ListingAll => ShowAll && IsPlatformAdmin;

    public async Task OnGetAsync(CancellationToken ct)
    {
        ExpiresInDays = DefaultExpiryDays;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Errors.AddBindingErrors(ModelState, new Dictionary<string, string> { ["expiresInDays"] = $"有效期应为1至{ApiKeyService.MaxExpiryDays}之间的整数（天），或留空表示永不过期" });
        if (User.IsApiKeyCaller()) Errors.Add("name", "不能使用 API 密钥创建新的 API 密钥，请登录控制台创建");
        if (!Errors.Any)
        {
            var (created, errors) = await keys.CreateAsync(User.GetUserId()!.Value, User, Name, Scopes, ExpiresInDays, ct);
            Errors.AddRange(errors);
            if (created is not null)
            {
                Created = created;
                Response.Headers.CacheControl = "no-store";
                Name = null;
                Scopes = null;
                ExpiresInDays = DefaultExpiryDays;
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var me = User.GetUserId() ?? Guid.Empty;
        var query = keys.Visible(User);
        if (!ListingAll) query = query.Where(k => k.UserId == me);
        Keys = (await query.OrderByDescending(k => k.CreatedAt).ToListAsync(ct)).Select(keys.ToDto).ToList();
        if (ListingAll)
        {
            var ids = Keys.Select(k => k.UserId).Distinct().ToList();
            Owners = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, ct);
        }
    }

    public static string StatusCss(string status) => status switch { "有效" => "badge-ok", "已过期" => "badge-warn", _ => "badge-err" };
}
