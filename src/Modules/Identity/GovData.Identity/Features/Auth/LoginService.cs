using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Auth;

internal enum LoginOutcome { Succeeded, InvalidCredentials, LockedOut, Disabled }

/// <summary>Password sign-in with lockout after repeated failures.</summary>
internal sealed class LoginService(IdentityDb db, TimeProvider clock)
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public async Task<(LoginOutcome Outcome, DateTime? LockedUntil)> SignInAsync(HttpContext http, string userName, string password, bool persistent)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var name = userName.Trim();
        var user = await db.Users.Include(u => u.Roles).FirstOrDefaultAsync(u => u.UserName.ToLower() == name.ToLower());
        if (user is null)
        {
            // Hash anyway so response time does not reveal which user names exist.
            PasswordPolicy.Verify(new User { UserName = "x", DisplayName = "x", PasswordHash = DummyHash, SecurityStamp = "x" }, password, out _);
            SecurityJournal.Add(db, http, SecurityEventTypes.LoginFailed, false, $"用户名“{name}”不存在", actorName: name);
            await db.SaveChangesAsync();
            return (LoginOutcome.InvalidCredentials, null);
        }
        if (user.LockoutEnd is { } until && until > now)
        {
            SecurityJournal.Add(db, http, SecurityEventTypes.LoginFailed, false, "账号处于锁定期", user.Id, user.DepartmentId, actorName: user.UserName);
            await db.SaveChangesAsync();
            return (LoginOutcome.LockedOut, until);
        }
        if (!PasswordPolicy.Verify(user, password, out var rehash))
        {
            user.FailedLoginCount++;
            var outcome = LoginOutcome.InvalidCredentials;
            if (user.FailedLoginCount >= MaxFailedAttempts)
            {
                user.LockoutEnd = now + LockoutDuration;
                user.FailedLoginCount = 0;
                outcome = LoginOutcome.LockedOut;
                SecurityJournal.Add(db, http, SecurityEventTypes.LockedOut, false, $"连续{MaxFailedAttempts}次密码错误，锁定{LockoutDuration.TotalMinutes}分钟", user.Id, user.DepartmentId, actorName: user.UserName);
            }
            else
            {
                SecurityJournal.Add(db, http, SecurityEventTypes.LoginFailed, false, $"密码错误（第{user.FailedLoginCount}次）", user.Id, user.DepartmentId, actorName: user.UserName);
            }
            await db.SaveChangesAsync();
            return (outcome, user.LockoutEnd);
        }
        if (!user.IsActive)
        {
            SecurityJournal.Add(db, http, SecurityEventTypes.LoginFailed, false, "账号已停用", user.Id, user.DepartmentId, actorName: user.UserName);
            await db.SaveChangesAsync();
            return (LoginOutcome.Disabled, null);
        }

        user.FailedLoginCount = 0;
        user.LockoutEnd = null;
        user.LastLoginAt = now;
        if (rehash is not null) user.PasswordHash = rehash;
        var department = user.DepartmentId is { } d ? await db.Departments.FindAsync(d) : null;
        SecurityJournal.Add(db, http, SecurityEventTypes.LoginSucceeded, true, null, user.Id, user.DepartmentId, actorName: user.UserName);
        await db.SaveChangesAsync();

        var principal = PrincipalFactory.Create(user, department, CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal,
            new AuthenticationProperties { IsPersistent = persistent, AllowRefresh = true });
        return (LoginOutcome.Succeeded, null);
    }

    /// <summary>True when the named account belongs to a department (staff), false for public accounts.</summary>
    public async Task<bool> HasDepartmentAsync(string userName)
    {
        var name = userName.Trim().ToLower();
        return await db.Users.AnyAsync(u => u.UserName.ToLower() == name && u.DepartmentId != null);
    }

    private static readonly string DummyHash = PasswordPolicy.Hash(
        new User { UserName = "x", DisplayName = "x", PasswordHash = "", SecurityStamp = "x" }, "dummy-password-Aa1!");
}
