using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.ApiKeys;

/// <summary>
/// <see cref="IDeveloperKeys"/> over the ordinary API keys (<c>identity_api_keys</c>, <see cref="ApiKeyFormat"/>): the keys
/// of the portal's developer apps, scope <see cref="ApiScopes.OpenRead"/>, no expiry, only for verified public developers.
/// </summary>
internal sealed class DeveloperKeys(IdentityDb db, IHttpContextAccessor http, TimeProvider clock) : IDeveloperKeys
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<DeveloperStanding?> FindAsync(Guid userId, CancellationToken ct = default)
    {
        var u = await db.Users.AsNoTracking().Where(x => x.Id == userId)
            .Select(x => new { x.DepartmentId, x.SelfRegistered, x.EmailVerifiedAt, x.IsActive, Developer = x.Roles.Any(r => r.Role == Roles.Developer) })
            .FirstOrDefaultAsync(ct);
        return u is null ? null : new DeveloperStanding(userId, u.DepartmentId is null, !u.SelfRegistered || u.EmailVerifiedAt is not null, u.IsActive, u.Developer);
    }

    public async Task<string?> BecomeDeveloperAsync(HttpContext context, Guid userId, CancellationToken ct = default)
    {
        var standing = await FindAsync(userId, ct);
        if (standing is null) return "账号不存在";
        if (standing.IsDeveloper) return null;
        if (!standing.IsPublic) return "政务部门的账号不能成为开发者：开发者是公众账号的角色";
        if (!standing.IsActive) return "账号已停用";
        if (!standing.EmailVerified) return "请先验证电子邮箱，再开通开发者";
        var user = await db.Users.Include(u => u.Roles).FirstAsync(u => u.Id == userId, ct);
        user.Roles.Add(new UserRole { UserId = user.Id, Role = Roles.Developer });
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.UpdatedAt = Now;
        user.Version++;
        SecurityJournal.Add(db, context, SecurityEventTypes.RolesChanged, true, "公众账号自助开通开发者（角色：开发者）", user.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A second request of the same account added the role first (primary key user + role): the outcome is the same.
            db.ChangeTracker.Clear();
            if (!await db.Users.AnyAsync(u => u.Id == userId && u.Roles.Any(r => r.Role == Roles.Developer), ct)) throw;
            user = await db.Users.Include(u => u.Roles).AsNoTracking().FirstAsync(u => u.Id == userId, ct);
        }
        // The stamp changed (sessions with the old roles end); the caller's own session continues with the new role.
        if (context.User.GetUserId() == userId)
        {
            var current = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            var properties = current.Properties ?? new AuthenticationProperties { AllowRefresh = true };
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                PrincipalFactory.Create(user, null, CookieAuthenticationDefaults.AuthenticationScheme), properties);
        }
        return null;
    }

    private ApiKey NewKey(Guid userId, string name, out string secret)
    {
        var (key, prefix, hash) = ApiKeyFormat.Generate();
        secret = key;
        var trimmed = name.Trim();
        return new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Name = trimmed.Length > 100 ? trimmed[..100] : trimmed,
            Prefix = prefix,
            SecretHash = hash,
            UserId = userId,
            Scopes = ApiScopes.OpenRead,
            CreatedAt = Now,
        };
    }

    public async Task<IssuedDeveloperKey?> IssueAsync(Guid userId, string name, CancellationToken ct = default)
    {
        if ((await FindAsync(userId, ct))?.MayUseKeys != true) return null;
        var key = NewKey(userId, name, out var secret);
        db.ApiKeys.Add(key);
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.ApiKeyCreated, true, $"开发者应用创建API密钥 {key.Prefix}（{key.Name}）", userId);
        await db.SaveChangesAsync(ct);
        return new IssuedDeveloperKey(key.Id, key.Prefix, secret, key.CreatedAt);
    }

    public async Task<IssuedDeveloperKey?> RotateAsync(Guid userId, Guid oldKeyId, string name, CancellationToken ct = default)
    {
        if ((await FindAsync(userId, ct))?.MayUseKeys != true) return null;
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Only the request that finds the old key still valid rotates it (two concurrent rotations: one wins).
        var revoked = await db.ApiKeys.Where(k => k.Id == oldKeyId && k.UserId == userId && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now).SetProperty(k => k.RevokedBy, userId), ct);
        if (revoked == 0) return null;
        var old = await db.ApiKeys.AsNoTracking().FirstAsync(k => k.Id == oldKeyId, ct);
        var key = NewKey(userId, name, out var secret);
        db.ApiKeys.Add(key);
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.ApiKeyRevoked, true, $"开发者应用轮换密钥：吊销 {old.Prefix}（{old.Name}）", userId);
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.ApiKeyCreated, true, $"开发者应用轮换密钥：新密钥 {key.Prefix}（{key.Name}）", userId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new IssuedDeveloperKey(key.Id, key.Prefix, secret, key.CreatedAt);
    }

    public async Task<bool> RevokeAsync(Guid userId, Guid keyId, CancellationToken ct = default)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.UserId == userId, ct);
        if (key is null) return false;
        if (key.RevokedAt is not null) return true;
        key.RevokedAt = Now;
        key.RevokedBy = userId;
        SecurityJournal.Add(db, http.HttpContext, SecurityEventTypes.ApiKeyRevoked, true, $"开发者应用吊销API密钥 {key.Prefix}（{key.Name}）", userId);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<IReadOnlyDictionary<Guid, DeveloperKeyInfo>> GetAsync(Guid userId, IReadOnlyCollection<Guid> keyIds, CancellationToken ct = default)
    {
        if (keyIds.Count == 0) return new Dictionary<Guid, DeveloperKeyInfo>();
        var ids = keyIds.Distinct().ToList();
        return await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId && ids.Contains(k.Id))
            .ToDictionaryAsync(k => k.Id, k => new DeveloperKeyInfo(k.Id, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.ExpiresAt), ct);
    }
}
