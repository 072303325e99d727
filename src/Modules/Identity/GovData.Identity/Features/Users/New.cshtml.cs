using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Identity.Features.Users;

/// <summary>New account, inside the caller's manageable departments.</summary>
[Authorize(Policy = Policies.ManageUsers)]
internal sealed class NewModel(UserAdministration admin, IdentityDb db, DepartmentScope scope) : UserFormPage(db, scope)
{
    [BindProperty(Name = "userName")] public string? UserName { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        IsActive = true;
        DepartmentId = User.GetDepartmentId();
        await LoadChoicesAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(string? password, CancellationToken ct)
    {
        Errors.AddBindingErrors(ModelState, BindingMessages);
        if (!Errors.Any)
        {
            var r = await admin.CreateAsync(User, ToInput(UserName, password), ct);
            if (r.Ok)
            {
                TempData["Message"] = $"已创建账号“{r.Value!.UserName}”，请将初始密码通过安全渠道告知本人";
                return Redirect($"/console/users/{r.Value.Id}");
            }
            Errors.AddRange(r.Errors);
            if (r.Forbidden is { } f) Errors.Add("departmentId", f);
        }
        await LoadChoicesAsync(ct);
        return Page();
    }
}
