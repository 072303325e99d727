using GovData.Identity.Contracts;
using GovData.Portal.Features.Feedback;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Showcase;

/// <summary>
/// 提交应用: the form for verified public accounts, and the account's own submissions with their status and the
/// administrator's reason. Refusals show the form again with the reason next to the field and the input kept, with the
/// status of <see cref="FeedbackResult"/> (400 invalid, 401 not signed in, 403 unverified, 422 sensitive word, 429 too many).
/// </summary>
[AllowAnonymous]
internal sealed class SubmitAppModel(ShowcaseService showcase, FeedbackService feedback) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty(Name = "Url")] public string? AppUrl { get; set; }
    [BindProperty] public string? Datasets { get; set; }

    public FeedbackResult? Refusal { get; private set; }
    public bool SignedIn => User.GetUserId() is not null;
    public IReadOnlyList<ShowcaseApp> Mine { get; private set; } = [];

    public string? ErrorFor(string field) => Refusal is { Field: var f, Error: var e } && f == field ? e : null;

    private async Task LoadAsync(CancellationToken ct)
    {
        if (User.GetUserId() is { } id) Mine = await showcase.MineAsync(id, ct);
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (_, denied) = await feedback.StandingAsync(User, ct);
        Refusal = denied;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (result, _) = await showcase.SubmitAsync(User, new ShowcaseInput(Name, Description, AppUrl, Datasets), ct);
        if (result.Ok)
        {
            TempData["ShowcaseMessage"] = "应用已提交，待平台管理员审核；审核通过后在应用展示中公开。";
            return RedirectToPage();
        }
        Refusal = result;
        Response.StatusCode = result.Status;
        await LoadAsync(ct);
        return Page();
    }
}
