using System.Text.Encodings.Web;
using GovData.Identity.Features.ApiKeys;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.Identity.Features.Auth;

/// <summary>Authenticates programs by API key: <c>X-Api-Key: gd_...</c> or <c>Authorization: Bearer gd_...</c>.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IdentityDb db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const string FailureKey = "govdata:apikey-failure";

    /// <summary>True when the request carries something that looks like an API key.</summary>
    public static bool HasKey(HttpRequest request) => ReadKey(request) is not null;

    private static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var v) && !string.IsNullOrWhiteSpace(v)) return v.ToString().Trim();
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer gd_", StringComparison.Ordinal)) return auth[7..].Trim();
        if (auth.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase)) return auth[7..].Trim();
        return null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null) return AuthenticateResult.NoResult();
        var prefix = ApiKeyFormat.PrefixOf(key);
        if (prefix is null) return Fail("API 密钥格式不正确");
        var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == prefix);
        if (row is null || !ApiKeyFormat.Matches(key, row.SecretHash)) return Fail("API 密钥无效");
        var now = clock.GetUtcNow().UtcDateTime;
        if (row.RevokedAt is not null) return Fail("API 密钥已被吊销");
        if (row.ExpiresAt is { } exp && exp <= now) return Fail("API 密钥已过期");
        var user = await db.Users.Include(u => u.Roles).FirstOrDefaultAsync(u => u.Id == row.UserId);
        if (user is null || !user.IsActive) return Fail("API 密钥所属账号已停用");
        var department = user.DepartmentId is { } d ? await db.Departments.FindAsync(d) : null;

        // Record use at most once a minute per key: enough to show "last used" without a write per request.
        if (row.LastUsedAt is null || now - row.LastUsedAt.Value > TimeSpan.FromMinutes(1))
        {
            await db.ApiKeys.Where(k => k.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now));
        }
        var principal = PrincipalFactory.Create(user, department, SchemeName, row);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return AuthenticateResult.Fail(reason);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var reason = Context.Items[FailureKey] as string ?? "请在请求头 X-Api-Key 中提供有效的 API 密钥。";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "ApiKey";
        await Results.Problem(reason, statusCode: 401, title: "未登录或凭据无效").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await IdentityModule.RecordAccessDeniedAsync(Context);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem("该 API 密钥或其所属账号没有执行此操作的权限。", statusCode: 403, title: "无权执行此操作").ExecuteAsync(Context);
    }
}
