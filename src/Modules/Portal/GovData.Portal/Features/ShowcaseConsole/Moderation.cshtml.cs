using GovData.Identity.Contracts;
using GovData.Portal.Features.Feedback;
using GovData.Portal.Features.Showcase;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.ShowcaseConsole;

/// <summary>
/// 应用展示审核 (platform administrator only): pending applications first; approve, refuse with a reason, hide an approved
/// one later with a reason, show a hidden one again.
/// </summary>
[Authorize(Policy = Policies.PlatformAdmin)]
internal sealed class ShowcaseModerationModel(ShowcaseService showcase) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? StatusFilter { get; set; }

    public IReadOnlyList<ShowcaseApp> Apps { get; private set; } = [];
    public string? Error { get; private set; }
    public Guid? ErrorApp { get; private set; }

    private async Task LoadAsync(CancellationToken ct) =>
        Apps = await showcase.ModerationListAsync(Enum.TryParse<ShowcaseStatus>(StatusFilter, true, out var s) && Enum.IsDefined(s) ? s : null, ct);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(Guid id, string? action, string? note, CancellationToken ct)
    {
        var result = await showcase.ModerateAsync(User, id, action, note, ct);
        if (result.Status == StatusCodes.Status404NotFound) return NotFound();
        if (!result.Ok)
        {
            Error = result.Error;
            ErrorApp = id;
            Response.StatusCode = result.Status;
            await LoadAsync(ct);
            return Page();
        }
        TempData["Message"] = action switch
        {
            "approve" => "已通过，应用已在应用展示中公开",
            "reject" => "已不予通过，作者可看到原因",
            _ => "已隐藏，应用不再公开显示",
        };
        return RedirectToPage(new { status = StatusFilter });
    }
}
