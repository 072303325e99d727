using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Portal.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GovData.Portal.Features.Apps;

/// <summary>Calls of one day.</summary>
internal sealed record AppDayDto(DateOnly Day, long Calls);

/// <summary>The numbers the open API enforces for the app (see <see cref="AppUsage"/>).</summary>
internal sealed record AppUsageDto(long CallsToday, long RemainingToday, int DailyQuota, long CallsThisMinute, int PerMinute, long CallsLast30Days,
    IReadOnlyList<AppDayDto> Days);

/// <summary>An app as the JSON API shows it (never the key's secret).</summary>
internal sealed record AppDto(Guid Id, string Name, string? Description, string? Homepage, string Status, DateTime CreatedAt, DateTime UpdatedAt,
    DateTime? RevokedAt, string? KeyPrefix, DateTime? KeyIssuedAt, DateTime? KeyLastUsedAt, AppUsageDto Usage);

/// <summary>The key, returned only in the response that issued it.</summary>
internal sealed record AppKeyDto(Guid Id, string Prefix, string Secret);

/// <summary>An app with its newly issued key (create, rotate).</summary>
internal sealed record AppWithKeyDto(AppDto App, AppKeyDto Key);

/// <summary>Body of create and update.</summary>
internal sealed record AppRequest(string? Name, string? Description, string? Homepage);

/// <summary>
/// <c>/api/v1/portal/apps</c>: the signed-in developer's apps as JSON (cookie session; requests authenticated by an API key
/// are refused — a key cannot mint keys). Same service and rules as the pages.
/// </summary>
internal static class AppsApi
{
    public static IEndpointRouteBuilder MapDeveloperAppsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/portal/apps").WithTags("开发者应用").RequireAuthorization(Policies.SignedIn)
            .AddEndpointFilter(async (context, next) => context.HttpContext.User.IsApiKeyCaller()
                ? Problems.Forbidden("不能使用 API 密钥管理开发者应用，请登录后操作")
                : await next(context));
        g.MapGet("/", ListAsync).WithSummary("我的开发者应用（含今日调用、剩余配额和近 30 日每日调用次数）");
        g.MapPost("/", CreateAsync).WithSummary("创建应用：返回的 API 密钥明文只出现这一次");
        g.MapGet("/{id:guid}", GetAsync).WithSummary("一个应用及其调用统计");
        g.MapPut("/{id:guid}", UpdateAsync).WithSummary("修改应用名称、简介和主页");
        g.MapPost("/{id:guid}/rotate", RotateAsync).WithSummary("轮换密钥：签发新密钥并吊销旧密钥，新密钥明文只出现这一次");
        g.MapPost("/{id:guid}/revoke", RevokeAsync).WithSummary("吊销应用及其密钥");
        return app;
    }

    private static async Task<List<AppDto>> DtosAsync(DeveloperApps apps, Guid userId, IReadOnlyCollection<DeveloperApp> list, CancellationToken ct)
    {
        var keys = await apps.KeysAsync(userId, list, ct);
        var usage = await apps.UsageAsync(list, ct);
        return list.Select(a =>
        {
            var k = keys.GetValueOrDefault(a.ApiKeyId);
            var u = usage[a.Id];
            var active = a.Status == DeveloperApps.Active;
            return new AppDto(a.Id, a.Name, a.Description, a.HomepageUrl, a.Status, a.CreatedAt, a.UpdatedAt, a.RevokedAt, k?.Prefix, k?.CreatedAt, k?.LastUsedAt,
                new AppUsageDto(u.CallsToday, active ? u.RemainingToday : 0, u.DailyQuota, u.CallsThisMinute, u.PerMinute, u.CallsInPeriod,
                    u.Days.Select(d => new AppDayDto(d.Day, d.Calls)).ToList()));
        }).ToList();
    }

    private static IResult Refusal(AppOutcome outcome) => outcome.Status == StatusCodes.Status400BadRequest
        ? Problems.Validation(outcome.Errors)
        : TypedResults.Problem(outcome.Message, statusCode: outcome.Status, title: Problems.TitleFor(outcome.Status));

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, DeveloperApps apps, CancellationToken ct)
    {
        var me = user.GetUserId()!.Value;
        return TypedResults.Ok(await DtosAsync(apps, me, await apps.ListAsync(me, ct), ct));
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, DeveloperApps apps, CancellationToken ct)
    {
        var me = user.GetUserId()!.Value;
        var (found, status) = await apps.FindAsync(me, id, ct);
        if (found is null)
            return status == StatusCodes.Status403Forbidden ? Problems.Forbidden("无权访问：该应用属于其他账号") : Problems.NotFound("应用不存在");
        return TypedResults.Ok((await DtosAsync(apps, me, [found], ct))[0]);
    }

    private static async Task<IResult> CreateAsync(AppRequest body, ClaimsPrincipal user, DeveloperApps apps, HttpContext http, CancellationToken ct)
    {
        var outcome = await apps.CreateAsync(user.GetUserId(), new AppForm(body.Name, body.Description, body.Homepage), ct);
        if (!outcome.Ok) return Refusal(outcome);
        http.Response.Headers.CacheControl = "no-store";
        var dto = (await DtosAsync(apps, user.GetUserId()!.Value, [outcome.App!], ct))[0];
        return TypedResults.Created($"/api/v1/portal/apps/{dto.Id}", new AppWithKeyDto(dto, new AppKeyDto(outcome.Key!.KeyId, outcome.Key.Prefix, outcome.Key.Secret)));
    }

    private static async Task<IResult> UpdateAsync(Guid id, AppRequest body, ClaimsPrincipal user, DeveloperApps apps, CancellationToken ct)
    {
        var outcome = await apps.UpdateAsync(user.GetUserId(), id, new AppForm(body.Name, body.Description, body.Homepage), ct);
        if (!outcome.Ok) return Refusal(outcome);
        return TypedResults.Ok((await DtosAsync(apps, user.GetUserId()!.Value, [outcome.App!], ct))[0]);
    }

    private static async Task<IResult> RotateAsync(Guid id, ClaimsPrincipal user, DeveloperApps apps, HttpContext http, CancellationToken ct)
    {
        var outcome = await apps.RotateAsync(user.GetUserId(), id, ct);
        if (!outcome.Ok) return Refusal(outcome);
        http.Response.Headers.CacheControl = "no-store";
        var dto = (await DtosAsync(apps, user.GetUserId()!.Value, [outcome.App!], ct))[0];
        return TypedResults.Ok(new AppWithKeyDto(dto, new AppKeyDto(outcome.Key!.KeyId, outcome.Key.Prefix, outcome.Key.Secret)));
    }

    private static async Task<IResult> RevokeAsync(Guid id, ClaimsPrincipal user, DeveloperApps apps, CancellationToken ct)
    {
        var outcome = await apps.RevokeAsync(user.GetUserId(), id, ct);
        if (!outcome.Ok) return Refusal(outcome);
        return TypedResults.Ok((await DtosAsync(apps, user.GetUserId()!.Value, [outcome.App!], ct))[0]);
    }
}
