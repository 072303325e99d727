using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Identity.Features.Account;

[AllowAnonymous]
internal sealed class LogoutModel(IdentityDb db) : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            SecurityJournal.Add(db, HttpContext, SecurityEventTypes.Logout, true, null);
            await db.SaveChangesAsync();
        }
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/account/login");
    }
}
