using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Identity.Features.Registration;

/// <summary>Asks for a new verification mail. The answer does not reveal whether the address is registered.</summary>
[AllowAnonymous]
internal sealed class ResendModel(RegistrationService registration, AccountSettings settings) : PageModel
{
    public string? Email { get; private set; }
    public bool Sent { get; private set; }
    public bool Limited { get; private set; }
    public int Limit => settings.ResendsPerHour;

    public void OnGet(string? email) => Email = email;

    public async Task<IActionResult> OnPostAsync(string? email, CancellationToken ct)
    {
        Email = email?.Trim();
        if (await registration.ResendAsync(HttpContext, email, ct)) Sent = true;
        else
        {
            Limited = true;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
        }
        return Page();
    }
}
