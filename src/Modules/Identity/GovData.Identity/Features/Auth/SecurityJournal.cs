using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Http;

namespace GovData.Identity.Features.Auth;

/// <summary>Event types written to the append-only security log.</summary>
internal static class SecurityEventTypes
{
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LockedOut = "login.locked_out";
    public const string Logout = "logout";
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string RolesChanged = "user.roles_changed";
    public const string PasswordReset = "user.password_reset";
    public const string UserUnlocked = "user.unlocked";
    public const string DepartmentCreated = "department.created";
    public const string DepartmentUpdated = "department.updated";
    public const string DepartmentsImported = "department.imported";
    public const string ApiKeyCreated = "apikey.created";
    public const string ApiKeyRevoked = "apikey.revoked";
    public const string AccessDenied = "access.denied";

    /// <summary>Every event type, in display order (the security log's type filter).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        LoginSucceeded, LoginFailed, LockedOut, Logout, UserCreated, UserUpdated, RolesChanged, PasswordReset, UserUnlocked,
        DepartmentCreated, DepartmentUpdated, DepartmentsImported, ApiKeyCreated, ApiKeyRevoked, AccessDenied,
    ];

    public static string DisplayName(string type) => type switch
    {
        LoginSucceeded => "登录成功",
        LoginFailed => "登录失败",
        LockedOut => "账号锁定",
        Logout => "退出登录",
        UserCreated => "创建用户",
        UserUpdated => "修改用户",
        RolesChanged => "变更角色",
        PasswordReset => "重置密码",
        UserUnlocked => "解除锁定",
        DepartmentCreated => "新建部门",
        DepartmentUpdated => "修改部门",
        DepartmentsImported => "导入部门",
        ApiKeyCreated => "创建API密钥",
        ApiKeyRevoked => "吊销API密钥",
        AccessDenied => "越权访问被拒绝",
        _ => type,
    };
}

/// <summary>Adds security events to the current unit of work (saved with the change they describe).</summary>
internal static class SecurityJournal
{
    public static void Add(IdentityDb db, HttpContext? http, string type, bool success, string? detail,
        Guid? subjectUserId = null, Guid? departmentId = null, ClaimsPrincipal? actor = null, string? actorName = null)
    {
        actor ??= http?.User;
        db.SecurityEvents.Add(new SecurityEvent
        {
            OccurredAt = DateTime.UtcNow,
            EventType = type,
            ActorId = actor?.GetUserId(),
            ActorName = actorName ?? actor?.Identity?.Name,
            SubjectUserId = subjectUserId,
            DepartmentId = departmentId,
            IpAddress = http?.Connection.RemoteIpAddress?.ToString(),
            Success = success,
            Detail = detail is { Length: > 1000 } ? detail[..1000] : detail,
        });
    }
}
