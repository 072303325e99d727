using Microsoft.AspNetCore.Http;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Identity.Features.Registration;

/// <summary>Registration of a public account (公众, optionally 开发者) with e-mail verification. Works without JavaScript.</summary>
[AllowAnonymous]
internal sealed class RegisterModel(RegistrationService registration, AccountSettings settings) : PageModel
{
    public FormErrors Errors { get; } = new();
    public string? Email { get; private set; }
    public string? DisplayName { get; private set; }
    public bool Developer { get; private set; }
    public bool Registered { get; private set; }
    public int TokenHours => (int)settings.TokenLifetime.TotalHours;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(string? email, string? displayName, string? password, string? confirmPassword, bool developer, CancellationToken ct)
    {
        Email = email?.Trim();
        DisplayName = displayName?.Trim();
        Developer = developer;
        var (userId, errors) = await registration.RegisterAsync(HttpContext, new RegistrationForm(email, displayName, password, confirmPassword, developer), ct);
        if (userId is null)
        {
            Errors.AddRange(errors);
            Response.StatusCode = errors.ContainsKey("form") ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
            return Page();
        }
        Email = RegistrationService.NormalizeEmail(email);
        Registered = true;
        return Page();
    }
}
