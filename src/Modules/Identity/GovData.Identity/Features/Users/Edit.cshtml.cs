using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Users;

/// <summary>
/// One account. Editable when <see cref="UserAdministration.FindManageableAsync"/> returns it; read-only when the
/// caller may only see it (auditors, or a department administrator looking at a platform role in its department);
/// otherwise 404, so nobody learns whether an account outside their scope exists.
/// </summary>
[Authorize(Roles = $"{Roles.PlatformAdmin},{Roles.DepartmentAdmin},{Roles.SecurityAuditor}")]
internal sealed class EditModel(UserAdministration admin, IdentityDb db, DepartmentScope scope, TimeProvider clock) : UserFormPage(db, scope)
{
    private readonly IdentityDb _db = db;

    public Guid Id { get; private set; }

    /// <summary>The stored account (what the page header and status show).</summary>
    public User Account { get; private set; } = null!;
    public bool ReadOnly { get; private set; }
    public string? DepartmentName { get; private set; }
    public string? PasswordError { get; private set; }
    public bool IsLockedOut => Account.LockoutEnd > clock.GetUtcNow().UtcDateTime;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        if (!await LoadAsync(ct)) return NotFound();
        Fill(Account);
        if (!ReadOnly) await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        Errors.AddBindingErrors(ModelState, BindingMessages);
        if (!Errors.Any)
        {
            var r = await admin.UpdateAsync(User, id, ToInput(), ct);
            if (r.NotFound) return NotFound();
            if (r.Ok)
            {
                TempData["Message"] = $"已保存账号“{r.Value!.UserName}”";
                return Redirect("/console/users");
            }
            Conflict = r.Conflict;
            Errors.AddRange(r.Errors);
            if (r.Forbidden is { } f) Errors.Add("departmentId", f);
        }
        if (!await LoadAsync(ct) || ReadOnly) return NotFound();
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync(Guid id, string? newPassword, CancellationToken ct)
    {
        Id = id;
        var r = await admin.ResetPasswordAsync(User, id, newPassword, ct);
        if (r.NotFound) return NotFound();
        if (r.Ok)
        {
            TempData["Message"] = $"已重置“{r.Value!.UserName}”的密码，该账号需使用新密码重新登录";
            return Redirect($"/console/users/{id}");
        }
        PasswordError = r.Errors?.Values.SelectMany(m => m).FirstOrDefault();
        if (!await LoadAsync(ct) || ReadOnly) return NotFound();
        Fill(Account);
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUnlockAsync(Guid id, CancellationToken ct)
    {
        var r = await admin.UnlockAsync(User, id, ct);
        if (r.NotFound) return NotFound();
        TempData["Message"] = $"已解除“{r.Value!.UserName}”的登录锁定";
        return Redirect($"/console/users/{id}");
    }

    /// <summary>Loads the stored account: manageable → editable, only visible → read-only, else false (404).</summary>
    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var visible = await admin.VisibleUsersAsync(User, ct);
        var account = await visible.FirstOrDefaultAsync(u => u.Id == Id, ct);
        if (account is null) return false;
        ReadOnly = await admin.FindManageableAsync(User, Id, ct) is null;
        Account = account;
        DepartmentName = account.DepartmentId is { } d ? await _db.Departments.Where(x => x.Id == d).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        return true;
    }
}
