using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.ApiKeys;

/// <summary>Confirmation page for revoking a key (works without JavaScript). Keys outside <see cref="ApiKeyService.Visible"/> are 404.</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class RevokeModel(ApiKeyService keys) : PageModel
{
    public ApiKeyDto Key { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var key = await keys.Visible(User).FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return NotFound();
        Key = keys.ToDto(key);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var key = await keys.RevokeAsync(User, id, ct);
        if (key is null) return NotFound();
        TempData["Message"] = $"已吊销 API 密钥 {key.Prefix}（{key.Name}），使用该密钥的调用将被拒绝";
        return Redirect("/console/apikeys");
    }
}
