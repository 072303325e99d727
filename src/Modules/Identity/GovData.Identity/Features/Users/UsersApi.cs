using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Users;

/// <summary>An account as the API returns it (never the password hash).</summary>
internal sealed record UserDto(Guid Id, string UserName, string DisplayName, string? Email, string? Phone, Guid? DepartmentId,
    IReadOnlyList<string> Roles, bool IsActive, bool IsLockedOut, DateTime CreatedAt, DateTime? LastLoginAt, int Version);

/// <summary>Request to create an account.</summary>
internal sealed record CreateUserRequest(string? UserName, string? DisplayName, string? Email, string? Phone, Guid? DepartmentId, List<string>? Roles, string? Password);

/// <summary>Request to change an account; <c>Version</c> guards against overwriting someone else's edit.</summary>
internal sealed record UpdateUserRequest(string? DisplayName, string? Email, string? Phone, Guid? DepartmentId, List<string>? Roles, bool IsActive, int Version);

/// <summary>Request to set a new password.</summary>
internal sealed record ResetPasswordRequest(string? Password);

/// <summary>A page of results.</summary>
internal sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/users").WithTags("用户与角色");
        g.MapGet("/", List).RequireAuthorization(Policies.ReadIdentity).WithSummary("用户列表（按权限范围）");
        g.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.ReadIdentity).WithSummary("查看用户");
        g.MapPost("/", Create).RequireAuthorization(Policies.ManageUsers).WithSummary("创建用户");
        g.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.ManageUsers).WithSummary("修改用户（含角色）");
        g.MapPost("/{id:guid}/password", ResetPassword).RequireAuthorization(Policies.ManageUsers).WithSummary("重置密码");
        g.MapPost("/{id:guid}/unlock", Unlock).RequireAuthorization(Policies.ManageUsers).WithSummary("解除登录锁定");
        return g;
    }

    internal static UserDto ToDto(User u) => new(u.Id, u.UserName, u.DisplayName, u.Email, u.Phone, u.DepartmentId, u.RoleCodes,
        u.IsActive, u.LockoutEnd > DateTime.UtcNow, u.CreatedAt, u.LastLoginAt, u.Version);

    private static async Task<Ok<PagedResult<UserDto>>> List(ClaimsPrincipal user, UserAdministration admin,
        Guid? departmentId, string? q, string? role, int page = 1, int pageSize = 50, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 500);
        var query = await admin.VisibleUsersAsync(user, ct);
        if (departmentId is { } d) query = query.Where(u => u.DepartmentId == d);
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(u => u.UserName.Contains(q) || u.DisplayName.Contains(q));
        if (!string.IsNullOrWhiteSpace(role)) query = query.Where(u => u.Roles.Any(r => r.Role == role));
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(u => u.UserName).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new PagedResult<UserDto>(items.Select(ToDto).ToList(), total, page, pageSize));
    }

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct)
    {
        var found = await (await admin.VisibleUsersAsync(user, ct)).FirstOrDefaultAsync(u => u.Id == id, ct);
        return found is null ? Problems.NotFound("用户不存在或不在您的管理范围内") : TypedResults.Ok(ToDto(found));
    }

    private static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUserRequest body, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct)
    {
        if (!user.HasScope(ApiScopes.IdentityWrite)) return Problems.Forbidden("API 密钥缺少 identity:write 权限范围");
        var r = await admin.CreateAsync(user, new UserInput(body.UserName, body.DisplayName, body.Email, body.Phone, body.DepartmentId, body.Roles, body.Password), ct);
        return r switch
        {
            { Errors: { } e } => Problems.Validation(e),
            { Forbidden: { } f } => Problems.Forbidden(f),
            _ => TypedResults.Created($"/api/v1/identity/users/{r.Value!.Id}", ToDto(r.Value)),
        };
    }

    private static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateUserRequest body, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct)
    {
        if (!user.HasScope(ApiScopes.IdentityWrite)) return Problems.Forbidden("API 密钥缺少 identity:write 权限范围");
        var r = await admin.UpdateAsync(user, id, new UserInput(null, body.DisplayName, body.Email, body.Phone, body.DepartmentId, body.Roles, null, body.IsActive, body.Version), ct);
        return ToResult(r);
    }

    private static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> ResetPassword(
        Guid id, ResetPasswordRequest body, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct)
    {
        if (!user.HasScope(ApiScopes.IdentityWrite)) return Problems.Forbidden("API 密钥缺少 identity:write 权限范围");
        return ToResult(await admin.ResetPasswordAsync(user, id, body.Password, ct));
    }

    private static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Unlock(
        Guid id, ClaimsPrincipal user, UserAdministration admin, CancellationToken ct)
    {
        if (!user.HasScope(ApiScopes.IdentityWrite)) return Problems.Forbidden("API 密钥缺少 identity:write 权限范围");
        return ToResult(await admin.UnlockAsync(user, id, ct));
    }

    private static Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult> ToResult(AdminResult<User> r) => r switch
    {
        { NotFound: true } => Problems.NotFound("用户不存在或不在您的管理范围内"),
        { Errors: { } e } => Problems.Validation(e),
        { Forbidden: { } f } => Problems.Forbidden(f),
        { Conflict: { } c } => Problems.Conflict(c),
        _ => TypedResults.Ok(ToDto(r.Value!)),
    };
}
