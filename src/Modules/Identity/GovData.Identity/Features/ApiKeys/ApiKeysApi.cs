using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.ApiKeys;

internal sealed record ApiKeyDto(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, Guid UserId,
    DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, string Status);

/// <summary>Request to create a key; <c>ExpiresInDays</c> null means no expiry.</summary>
internal sealed record CreateApiKeyRequest(string? Name, List<string>? Scopes, int? ExpiresInDays);

/// <summary>The key's secret, returned only in this response.</summary>
internal sealed record CreatedApiKeyDto(ApiKeyDto Key, string Secret);

/// <summary>API-key lifecycle shared by the API, the console page and the CLI.</summary>
internal sealed class ApiKeyService(IdentityDb db, IHttpContextAccessor http, TimeProvider clock)
{
    public const int MaxExpiryDays = 3650;

    public static string StatusOf(ApiKey k, DateTime now) =>
        k.RevokedAt is not null ? "已吊销" : k.ExpiresAt is { } e && e <= now ? "已过期" : "有效";

    public ApiKeyDto ToDto(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.ScopeList, k.UserId, k.CreatedAt, k.ExpiresAt, k.RevokedAt,
        k.LastUsedAt, StatusOf(k, clock.GetUtcNow().UtcDateTime));

    public async Task<(CreatedApiKeyDto? Created, Dictionary<string, string[]>? Errors)> CreateAsync(
        Guid ownerId, ClaimsPrincipal? actor, string? name, IReadOnlyCollection<string>? scopes, int? expiresInDays, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name)) errors["name"] = ["请填写密钥名称（用途）"];
        else if (name.Trim().Length > 100) errors["name"] = ["名称不能超过100字"];
        var list = (scopes ?? []).Distinct().ToList();
        if (list.Count == 0) errors["scopes"] = ["至少选择一个权限范围"];
        else if (list.FirstOrDefault(s => !ApiScopes.All.ContainsKey(s)) is { } bad) errors["scopes"] = [$"未知的权限范围“{bad}”"];
        if (expiresInDays is < 1 or > MaxExpiryDays) errors["expiresInDays"] = [$"有效期应为1至{MaxExpiryDays}天"];
        if (errors.Count > 0) return (null, errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var (secret, prefix, hash) = ApiKeyFormat.Generate();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Name = name!.Trim(),
            Prefix = prefix,
            SecretHash = hash,
            UserId = ownerId,
            Scopes = string.Join(' ', list),
            CreatedAt = now,
            ExpiresAt = expiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.ApiKeys.Add(key);
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.ApiKeyCreated, true, $"创建API密钥 {prefix}（{key.Name}）", ownerId, actor: actor);
        await db.SaveChangesAsync(ct);
        return (new CreatedApiKeyDto(ToDto(key), secret), null);
    }

    /// <summary>Keys the caller may see: its own; all for platform administrators.</summary>
    public IQueryable<ApiKey> Visible(ClaimsPrincipal user)
    {
        var q = db.ApiKeys.AsNoTracking();
        if (user.IsInRole(Roles.PlatformAdmin)) return q;
        var id = user.GetUserId() ?? Guid.Empty;
        return q.Where(k => k.UserId == id);
    }

    public async Task<ApiKey?> RevokeAsync(ClaimsPrincipal user, Guid id, CancellationToken ct = default)
    {
        var visible = await Visible(user).AnyAsync(k => k.Id == id, ct);
        if (!visible) return null;
        var key = await db.ApiKeys.FirstAsync(k => k.Id == id, ct);
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow().UtcDateTime;
            key.RevokedBy = user.GetUserId();
            SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.ApiKeyRevoked, true, $"吊销API密钥 {key.Prefix}（{key.Name}）", key.UserId, actor: user);
            await db.SaveChangesAsync(ct);
        }
        return key;
    }
}

internal static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/apikeys").WithTags("API 密钥").RequireAuthorization(Policies.SignedIn);
        g.MapGet("/", List).WithSummary("我的 API 密钥（平台管理员可见全部）");
        g.MapGet("/scopes", () => TypedResults.Ok(ApiScopes.All)).WithSummary("可选的权限范围");
        g.MapPost("/", Create).WithSummary("创建 API 密钥：密钥明文只在本次响应中返回一次");
        g.MapPost("/{id:guid}/revoke", Revoke).WithSummary("吊销 API 密钥");
        return g;
    }

    private static async Task<Ok<List<ApiKeyDto>>> List(ClaimsPrincipal user, ApiKeyService keys, CancellationToken ct)
    {
        var list = await keys.Visible(user).OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(list.Select(keys.ToDto).ToList());
    }

    private static async Task<Results<Created<CreatedApiKeyDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateApiKeyRequest body, ClaimsPrincipal user, ApiKeyService keys, CancellationToken ct)
    {
        // A key cannot mint further keys: that would let a leaked key outlive its own revocation.
        if (user.IsApiKeyCaller()) return Problems.Forbidden("不能使用 API 密钥创建新的 API 密钥，请登录控制台创建");
        var (created, errors) = await keys.CreateAsync(user.GetUserId()!.Value, user, body.Name, body.Scopes, body.ExpiresInDays, ct);
        if (errors is not null) return Problems.Validation(errors);
        return TypedResults.Created($"/api/v1/identity/apikeys/{created!.Key.Id}", created);
    }

    private static async Task<Results<Ok<ApiKeyDto>, ProblemHttpResult>> Revoke(Guid id, ClaimsPrincipal user, ApiKeyService keys, CancellationToken ct)
    {
        var key = await keys.RevokeAsync(user, id, ct);
        return key is null ? Problems.NotFound("API 密钥不存在") : TypedResults.Ok(keys.ToDto(key));
    }
}
