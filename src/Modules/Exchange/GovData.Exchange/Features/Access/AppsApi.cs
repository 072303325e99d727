using System.Security.Claims;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Features.Sharing;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

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

    private static Results<T, ValidationProblem, ProblemHttpResult> ToHttp<T, TValue>(SharingResult<TValue> r, Func<TValue, T> ok) where T : IResult =>
        r switch
        {
            { Ok: true } => ok(r.Value!),
            { Errors: { } e } => Problems.Validation(e),
            { NotFound: true } => Problems.NotFound("应用不存在"),
            { Forbidden: { } f } => Problems.Forbidden(f),
            _ => Problems.Conflict(r.Conflict!),
        };

    private static async Task<Results<Created<AppSecretResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateAppRequest request, ClaimsPrincipal user, [FromServices] AppService apps, CancellationToken ct) =>
        ToHttp(await apps.CreateAsync(user, request, ct), v => TypedResults.Created($"/api/v1/exchange/apps/{v.App.Id}", v));

    private static async Task<Results<Ok<List<AppDto>>, ProblemHttpResult>> List(Guid? departmentId, ClaimsPrincipal user, [FromServices] AppService apps,
        CancellationToken ct)
    {
        var r = await apps.ListAsync(user, departmentId, ct);
        return r.Ok ? TypedResults.Ok(r.Value!) : Problems.Forbidden(r.Forbidden!);
    }

    private static async Task<Results<Ok<AppDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, [FromServices] AppService apps, CancellationToken ct) =>
        await apps.GetAsync(user, id, ct) is { } app ? TypedResults.Ok(app) : Problems.NotFound("应用不存在");

    private static async Task<Results<Ok<AppSecretResponse>, ValidationProblem, ProblemHttpResult>> Rotate(Guid id, ClaimsPrincipal user,
        [FromServices] AppService apps, CancellationToken ct) =>
        ToHttp(await apps.RotateAsync(user, id, ct), v => TypedResults.Ok(v));

    private static async Task<Results<Ok<AppDto>, ValidationProblem, ProblemHttpResult>> Revoke(Guid id, RevokeAppRequest request, ClaimsPrincipal user,
        [FromServices] AppService apps, CancellationToken ct) =>
        ToHttp(await apps.RevokeAsync(user, id, request, ct), v => TypedResults.Ok(v));
}
