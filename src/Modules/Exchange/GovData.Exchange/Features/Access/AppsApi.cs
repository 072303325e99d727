using System.Security.Claims;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Access;

/// <summary>Audit kind of application credential changes (registered, secret rotated, revoked).</summary>
internal static class AccessAuditKinds
{
    public const string AppChanged = "app.changed";
}

/// <summary>Register an application.</summary>
/// <param name="Name">应用名称 (1–100 characters, unique among the department's active applications).</param>
/// <param name="Description">用途说明 (optional, at most 500 characters).</param>
internal sealed record CreateAppRequest(string? Name, string? Description);

/// <summary>Revoke an application.</summary>
/// <param name="Reason">吊销原因 (required).</param>
internal sealed record RevokeAppRequest(string? Reason);

/// <summary>An application as listed (never with its secret).</summary>
internal sealed record AppDto(
    Guid Id, Guid DepartmentId, string Name, string? Description, string ClientId, string SecretHint, string Status, string StatusLabel,
    string CreatedByName, DateTime CreatedAt, DateTime? RotatedAt, DateTime? PreviousSecretValidUntil, DateTime? RevokedAt,
    string? RevokedByName, string? RevokeReason)
{
    public static AppDto From(AppCredential a) => new(a.Id, a.DepartmentId, a.Name, a.Description, a.ClientId, "…" + a.SecretHint, a.Status,
        AppStatus.Label(a.Status), a.CreatedByName, a.CreatedAt, a.RotatedAt, a.PreviousValidUntil, a.RevokedAt, a.RevokedByName, a.RevokeReason);
}

/// <summary>An application with its secret: answered once, when it is registered or its secret rotated.</summary>
internal sealed record AppSecretResponse(AppDto App, string ClientId, string Secret, string Notice);

/// <summary>
/// <c>/api/v1/exchange/apps</c>: a consumer department's applications (调用方应用) — register (client id + secret, shown once),
/// list, rotate the secret, revoke. 部门用数人员 and 部门管理员 manage their own department's applications; 平台管理员 may
/// list and revoke any department's (security incidents). API keys need the scope <c>exchange:query</c>. Every change is
/// logged (<see cref="AccessAuditKinds.AppChanged"/>) in the same transaction.
/// </summary>
internal static class AppsApi
{
    private const int MaxName = 100, MaxDescription = 500, MaxReason = 1000;

    public static RouteGroupBuilder MapAppsApi(this RouteGroupBuilder api)
    {
        var apps = api.MapGroup("/apps").WithTags("调用方应用")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.HasScope(ApiScopes.ExchangeQuery)));
        apps.MapPost("/", Create).WithSummary("登记应用（返回 client id 与密钥，密钥只显示这一次）");
        apps.MapGet("/", List).WithSummary("本部门的应用（平台管理员可按 departmentId 查看其他部门）");
        apps.MapGet("/{id:guid}", Get).WithSummary("应用详情");
        apps.MapPost("/{id:guid}/rotate", Rotate).WithSummary("轮换密钥（新密钥只显示这一次；旧密钥按配置的宽限期失效）");
        apps.MapPost("/{id:guid}/revoke", Revoke).WithSummary("吊销应用（须说明原因，不可恢复）");
        return api;
    }

    private static bool IsConsumerStaff(ClaimsPrincipal user) => user.GetDepartmentId() is not null
        && (user.IsInRole(Roles.DataUser) || user.IsInRole(Roles.DepartmentAdmin) || user.IsInRole(Roles.PlatformAdmin));

    private const string ManageDenied = "只有部门用数人员、部门管理员和平台管理员可以管理本部门的调用方应用";

    private static async Task<Results<Created<AppSecretResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateAppRequest request, ClaimsPrincipal user, [FromServices] ExchangeDb db, [FromServices] AppSecrets secrets,
        [FromServices] IAuditTrail audit, [FromServices] TimeProvider clock, [FromServices] IOptions<AccessOptions> options, CancellationToken ct)
    {
        if (!IsConsumerStaff(user)) return Problems.Forbidden(ManageDenied);
        var department = user.GetDepartmentId()!.Value;
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0) errors["name"] = ["应用名称不能为空"];
        else if (name.Length > MaxName) errors["name"] = [$"应用名称不能超过 {MaxName} 个字"];
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (description?.Length > MaxDescription) errors["description"] = [$"用途说明不能超过 {MaxDescription} 个字"];
        if (errors.Count > 0) return Problems.Validation(errors);
        var existing = await db.Apps().Where(a => a.DepartmentId == department).Select(a => new { a.Name, a.Status }).ToListAsync(ct);
        if (existing.Any(a => a.Status == AppStatus.Active && a.Name == name))
            return Problems.Validation("name", $"本部门已有名为“{name}”的有效应用");
        if (existing.Count >= options.Value.MaxAppsPerDepartment)
            return Problems.Conflict($"每个部门最多登记 {options.Value.MaxAppsPerDepartment} 个应用（含已吊销的），请联系平台管理员");

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = secrets.Create();
        var app = new AppCredential
        {
            Id = Guid.CreateVersion7(),
            DepartmentId = department,
            Name = name,
            Description = description,
            ClientId = AppSecrets.NewClientId(),
            SecretProtected = secret.Protected,
            SecretHint = secret.Hint,
            Status = AppStatus.Active,
            CreatedBy = user.GetUserId(),
            CreatedByName = user.GetDisplayName(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Apps().Add(app);
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(Change(app, user, $"登记调用方应用“{app.Name}”"), ct);
            await tx.CommitAsync(ct);
        }
        return TypedResults.Created($"/api/v1/exchange/apps/{app.Id}", new AppSecretResponse(AppDto.From(app), app.ClientId, secret.Secret, SecretNotice));
    }

    private const string SecretNotice = "密钥只显示这一次，请立即妥善保存到调用方系统的安全配置中；平台不能再次查看，遗失请轮换密钥。";

    private static async Task<Results<Ok<List<AppDto>>, ProblemHttpResult>> List(Guid? departmentId, ClaimsPrincipal user, [FromServices] ExchangeDb db,
        CancellationToken ct)
    {
        if (!IsConsumerStaff(user)) return Problems.Forbidden(ManageDenied);
        var own = user.GetDepartmentId()!.Value;
        if (departmentId is { } other && other != own && !user.IsInRole(Roles.PlatformAdmin))
            return Problems.Forbidden("只能查看本部门的调用方应用");
        var department = departmentId ?? own;
        var apps = await db.Apps().AsNoTracking().Where(a => a.DepartmentId == department).ToListAsync(ct);
        return TypedResults.Ok(apps.OrderBy(a => a.Status == AppStatus.Active ? 0 : 1).ThenByDescending(a => a.CreatedAt).Select(AppDto.From).ToList());
    }

    private static async Task<Results<Ok<AppDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, [FromServices] ExchangeDb db, CancellationToken ct)
    {
        var app = await db.Apps().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (app is null || !CanSee(user, app)) return Problems.NotFound("应用不存在");
        return TypedResults.Ok(AppDto.From(app));
    }

    private static bool CanSee(ClaimsPrincipal user, AppCredential app) =>
        IsConsumerStaff(user) && (user.GetDepartmentId() == app.DepartmentId || user.IsInRole(Roles.PlatformAdmin));

    private static async Task<Results<Ok<AppSecretResponse>, ProblemHttpResult>> Rotate(Guid id, ClaimsPrincipal user, [FromServices] ExchangeDb db,
        [FromServices] AppSecrets secrets, [FromServices] IAuditTrail audit, [FromServices] TimeProvider clock,
        [FromServices] IOptions<AccessOptions> options, CancellationToken ct)
    {
        var app = await db.Apps().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (app is null || !CanSee(user, app)) return Problems.NotFound("应用不存在");
        if (user.GetDepartmentId() != app.DepartmentId) return Problems.Forbidden("只能轮换本部门应用的密钥");
        if (app.Status != AppStatus.Active) return Problems.Conflict("应用已吊销，不能轮换密钥");
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = secrets.Create();
        var grace = options.Value.RotationGraceMinutes;
        app.PreviousSecretProtected = grace > 0 ? app.SecretProtected : null;
        app.PreviousValidUntil = grace > 0 ? now.AddMinutes(grace) : null;
        app.SecretProtected = secret.Protected;
        app.SecretHint = secret.Hint;
        app.RotatedAt = now;
        app.UpdatedAt = now;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(Change(app, user, grace > 0 ? $"轮换应用“{app.Name}”的密钥（旧密钥 {grace} 分钟后失效）" : $"轮换应用“{app.Name}”的密钥（旧密钥立即失效）"), ct);
            await tx.CommitAsync(ct);
        }
        return TypedResults.Ok(new AppSecretResponse(AppDto.From(app), app.ClientId, secret.Secret, SecretNotice));
    }

    private static async Task<Results<Ok<AppDto>, ValidationProblem, ProblemHttpResult>> Revoke(Guid id, RevokeAppRequest request, ClaimsPrincipal user,
        [FromServices] ExchangeDb db, [FromServices] IAuditTrail audit, [FromServices] TimeProvider clock, CancellationToken ct)
    {
        var app = await db.Apps().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (app is null || !CanSee(user, app)) return Problems.NotFound("应用不存在");
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length == 0) return Problems.Validation("reason", "吊销应用必须说明原因");
        if (reason.Length > MaxReason) return Problems.Validation("reason", $"原因不能超过 {MaxReason} 个字");
        if (app.Status != AppStatus.Active) return Problems.Conflict("应用已吊销");
        var now = clock.GetUtcNow().UtcDateTime;
        app.Status = AppStatus.Revoked;
        app.RevokedAt = now;
        app.RevokedByName = user.GetDisplayName();
        app.RevokeReason = reason;
        app.PreviousSecretProtected = null;
        app.PreviousValidUntil = null;
        app.UpdatedAt = now;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(Change(app, user, $"吊销应用“{app.Name}”：{reason}"), ct);
            await tx.CommitAsync(ct);
        }
        return TypedResults.Ok(AppDto.From(app));
    }

    private static AuditRecord Change(AppCredential app, ClaimsPrincipal user, string detail) =>
        new(AccessAuditKinds.AppChanged, AuditOutcomes.Ok, ConsumerDepartmentId: app.DepartmentId, ClientId: app.ClientId, UserId: user.GetUserId(),
            Detail: detail);
}
