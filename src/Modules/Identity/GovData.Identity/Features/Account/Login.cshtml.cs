using GovData.Identity.Features.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Identity.Features.Account;

[AllowAnonymous]
internal sealed class LoginModel(LoginService login) : PageModel
{
    public string? Error { get; private set; }
    public string? UserName { get; private set; }
    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? userName, string? password, bool remember, string? returnUrl)
    {
        UserName = userName;
        ReturnUrl = returnUrl;
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            Error = "请输入用户名和密码";
            return Page();
        }
        var (outcome, lockedUntil) = await login.SignInAsync(HttpContext, userName, password, remember);
        switch (outcome)
        {
            case LoginOutcome.Succeeded:
                // Public accounts (no department) land in the portal's user centre, staff in the console.
                return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : await login.HasDepartmentAsync(userName) ? "/console" : "/portal/me");
            case LoginOutcome.LockedOut:
                Error = $"账号因多次密码错误已被锁定，请于 {lockedUntil?.ToLocalTime():HH:mm} 后再试，或联系管理员解锁";
                break;
            case LoginOutcome.Disabled:
                Error = "账号已停用，请联系管理员";
                break;
            default:
                Error = "用户名或密码错误";
                break;
        }
        return Page();
    }
}
