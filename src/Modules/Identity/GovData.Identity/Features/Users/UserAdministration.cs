using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Users;

/// <summary>Fields an administrator submits to create or change an account.</summary>
internal sealed record UserInput(
    string? UserName, string? DisplayName, string? Email, string? Phone, Guid? DepartmentId,
    IReadOnlyList<string>? Roles, string? Password, bool IsActive = true, int? Version = null);

/// <summary>Outcome of an administrative action: the value, or field errors, or a scope/concurrency refusal.</summary>
internal sealed record AdminResult<T>(T? Value, Dictionary<string, string[]>? Errors = null, bool NotFound = false, string? Forbidden = null, string? Conflict = null)
{
    public bool Ok => Errors is null && !NotFound && Forbidden is null && Conflict is null;
    public static AdminResult<T> Fail(string field, string message) => new(default, new() { [field] = [message] });
}

/// <summary>
/// Account administration shared by the API, the console pages and the CLI, with every rule in one place:
/// scope (a department administrator only inside its own department), separation of duties, password policy.
/// </summary>
internal sealed class UserAdministration(IdentityDb db, DepartmentScope scope, IHttpContextAccessor http)
{
    public async Task<AdminResult<User>> CreateAsync(ClaimsPrincipal actor, UserInput input, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var userName = input.UserName?.Trim() ?? "";
        if (userName.Length == 0) errors["userName"] = ["用户名不能为空"];
        else if (userName.Length is < 3 or > 64 || !userName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '@'))
            errors["userName"] = ["用户名应为3至64位字母、数字或 _ . - @"];
        else if (await db.Users.AnyAsync(u => u.UserName.ToLower() == userName.ToLower(), ct))
            errors["userName"] = [$"用户名“{userName}”已被使用"];
        if (PasswordPolicy.Validate(input.Password) is { } pwd) errors["password"] = [pwd];
        await ValidateCommonAsync(actor, input, errors, ct);
        if (errors.Count > 0) return new(null, errors);
        if (!await scope.CanManageAsync(actor, input.DepartmentId, ct))
            return new(null, Forbidden: "只能在本部门（及下属单位）内创建账号");

        var now = DateTime.UtcNow;
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            UserName = userName,
            DisplayName = input.DisplayName!.Trim(),
            Email = Blank(input.Email),
            Phone = Blank(input.Phone),
            DepartmentId = input.DepartmentId,
            IsActive = input.IsActive,
            PasswordHash = "",
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.PasswordHash = PasswordPolicy.Hash(user, input.Password!);
        user.Roles = (input.Roles ?? []).Distinct().Select(r => new UserRole { UserId = user.Id, Role = r }).ToList();
        db.Users.Add(user);
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.UserCreated, true,
            $"创建账号 {user.UserName}，角色：{string.Join("、", user.RoleCodes.Select(Roles.DisplayName))}", user.Id, user.DepartmentId, actor);
        await db.SaveChangesAsync(ct);
        return new(user);
    }

    public async Task<AdminResult<User>> UpdateAsync(ClaimsPrincipal actor, Guid id, UserInput input, CancellationToken ct = default)
    {
        var user = await FindManageableAsync(actor, id, ct);
        if (user is null) return new(null, NotFound: true);
        if (input.Version is { } v && v != user.Version)
            return new(null, Conflict: "该账号已被他人修改，请刷新后重新编辑（您的修改未保存）");
        var errors = new Dictionary<string, string[]>();
        await ValidateCommonAsync(actor, input, errors, ct);
        if (user.Id == actor.GetUserId() && !input.IsActive) errors["isActive"] = ["不能停用自己的账号"];
        if (errors.Count > 0) return new(null, errors);
        if (!await scope.CanManageAsync(actor, input.DepartmentId, ct))
            return new(null, Forbidden: "只能把账号调整到本部门（及下属单位）");

        var oldRoles = user.RoleCodes;
        var newRoles = (input.Roles ?? []).Distinct().ToList();
        user.DisplayName = input.DisplayName!.Trim();
        user.Email = Blank(input.Email);
        user.Phone = Blank(input.Phone);
        user.DepartmentId = input.DepartmentId;
        user.IsActive = input.IsActive;
        user.UpdatedAt = DateTime.UtcNow;
        user.Version++;
        if (!oldRoles.Order().SequenceEqual(newRoles.Order()))
        {
            db.UserRoles.RemoveRange(user.Roles);
            user.Roles = newRoles.Select(r => new UserRole { UserId = user.Id, Role = r }).ToList();
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.RolesChanged, true,
                $"{user.UserName}：{string.Join("、", oldRoles.Select(Roles.DisplayName))} → {string.Join("、", newRoles.Select(Roles.DisplayName))}", user.Id, user.DepartmentId, actor);
        }
        if (!input.IsActive) user.SecurityStamp = Guid.NewGuid().ToString("N");
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.UserUpdated, true, $"修改账号 {user.UserName}", user.Id, user.DepartmentId, actor);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return new(null, Conflict: "该账号已被他人修改，请刷新后重新编辑（您的修改未保存）"); }
        return new(user);
    }

    public async Task<AdminResult<User>> ResetPasswordAsync(ClaimsPrincipal actor, Guid id, string? password, CancellationToken ct = default)
    {
        var user = await FindManageableAsync(actor, id, ct);
        if (user is null) return new(null, NotFound: true);
        if (PasswordPolicy.Validate(password) is { } reason) return AdminResult<User>.Fail("password", reason);
        user.PasswordHash = PasswordPolicy.Hash(user, password!);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.FailedLoginCount = 0;
        user.LockoutEnd = null;
        user.Version++;
        user.UpdatedAt = DateTime.UtcNow;
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.PasswordReset, true, $"重置 {user.UserName} 的密码", user.Id, user.DepartmentId, actor);
        await db.SaveChangesAsync(ct);
        return new(user);
    }

    public async Task<AdminResult<User>> UnlockAsync(ClaimsPrincipal actor, Guid id, CancellationToken ct = default)
    {
        var user = await FindManageableAsync(actor, id, ct);
        if (user is null) return new(null, NotFound: true);
        user.LockoutEnd = null;
        user.FailedLoginCount = 0;
        user.Version++;
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.UserUnlocked, true, $"解除 {user.UserName} 的锁定", user.Id, user.DepartmentId, actor);
        await db.SaveChangesAsync(ct);
        return new(user);
    }

    /// <summary>The user when the actor may manage it; null both when missing and when out of scope (never reveal which).</summary>
    public async Task<User?> FindManageableAsync(ClaimsPrincipal actor, Guid id, CancellationToken ct = default)
    {
        var user = await db.Users.Include(u => u.Roles).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return null;
        var set = await scope.ManageableAsync(actor, ct);
        if (set is not null && (user.DepartmentId is not { } d || !set.Contains(d))) return null;
        // A department administrator never manages the platform's own administrators or auditors.
        if (set is not null && user.Roles.Any(r => !Roles.GrantableByDepartmentAdmin.Contains(r.Role))) return null;
        return user;
    }

    /// <summary>Users the actor may see: all for platform admins and auditors, otherwise the managed subtree.</summary>
    public async Task<IQueryable<User>> VisibleUsersAsync(ClaimsPrincipal actor, CancellationToken ct = default)
    {
        var query = db.Users.AsNoTracking().Include(u => u.Roles).AsQueryable();
        if (actor.IsInRole(Roles.PlatformAdmin) || actor.IsInRole(Roles.SecurityAuditor)) return query;
        var set = await scope.ManageableAsync(actor, ct) ?? [];
        var ids = set.ToList();
        return query.Where(u => u.DepartmentId != null && ids.Contains(u.DepartmentId.Value));
    }

    private async Task ValidateCommonAsync(ClaimsPrincipal actor, UserInput input, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.DisplayName)) errors["displayName"] = ["姓名不能为空"];
        else if (input.DisplayName.Trim().Length > 100) errors["displayName"] = ["姓名不能超过100字"];
        if (!string.IsNullOrWhiteSpace(input.Email) && !System.Net.Mail.MailAddress.TryCreate(input.Email.Trim(), out _))
            errors["email"] = [$"邮箱“{input.Email}”格式不正确"];
        if (!string.IsNullOrWhiteSpace(input.Phone) && !input.Phone.Trim().All(c => char.IsAsciiDigit(c) || c is '-' or '+' or ' '))
            errors["phone"] = ["电话只能包含数字、空格、+ 和 -"];
        if (input.DepartmentId is { } dep && !await db.Departments.AnyAsync(d => d.Id == dep && d.IsActive, ct))
            errors["departmentId"] = ["所选部门不存在或已停用"];
        var roles = input.Roles ?? [];
        if (roles.Count == 0) errors["roles"] = ["至少选择一个角色"];
        else if (Roles.ValidateCombination(roles.ToList(), input.DepartmentId is not null) is { } bad) errors["roles"] = [bad];
        else if (!actor.IsInRole(Roles.PlatformAdmin) && roles.Any(r => !Roles.GrantableByDepartmentAdmin.Contains(r)))
            errors["roles"] = ["部门管理员只能授予部门管理员、部门编目员、部门用数人员角色"];
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
