using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Identity.Features.Registration;

/// <summary>
/// The link of the verification mail. GET only shows a confirmation button (mail scanners that prefetch links must not
/// use the token); POST uses it. Bad, used and expired tokens answer with a clear message and change nothing.
/// </summary>
[AllowAnonymous]
internal sealed class VerifyModel(RegistrationService registration, AccountSettings settings) : PageModel
{
    public VerifyOutcome Outcome { get; private set; }
    public string? Token { get; private set; }
    public bool Done { get; private set; }
    public int TokenHours => (int)settings.TokenLifetime.TotalHours;

    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken ct)
    {
        Token = token;
        Outcome = await registration.CheckAsync(token, ct);
        if (Outcome is VerifyOutcome.Invalid or VerifyOutcome.Expired) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? token, CancellationToken ct)
    {
        Token = token;
        Outcome = await registration.VerifyAsync(HttpContext, token, ct);
        Done = Outcome == VerifyOutcome.Verified;
        if (Outcome is VerifyOutcome.Invalid or VerifyOutcome.Expired) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
