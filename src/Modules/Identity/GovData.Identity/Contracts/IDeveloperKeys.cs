using Microsoft.AspNetCore.Http;

namespace GovData.Identity.Contracts;

/// <summary>Where a public account stands as a developer (read from the database on every call).</summary>
/// <param name="UserId">User id.</param>
/// <param name="IsPublic">True for public accounts (no department); only they can be developers.</param>
/// <param name="EmailVerified">Self-registered accounts after e-mail verification; administrator-created accounts always.</param>
/// <param name="IsActive">False for disabled accounts.</param>
/// <param name="IsDeveloper">True when the account has the role <see cref="Roles.Developer"/>.</param>
public sealed record DeveloperStanding(Guid UserId, bool IsPublic, bool EmailVerified, bool IsActive, bool IsDeveloper)
{
    /// <summary>True when the account may hold developer keys now.</summary>
    public bool MayUseKeys => IsPublic && EmailVerified && IsActive && IsDeveloper;

    /// <summary>True when the account may take the role 开发者 itself (verified, active, public, not yet a developer).</summary>
    public bool MayBecomeDeveloper => IsPublic && EmailVerified && IsActive && !IsDeveloper;
}

/// <summary>A key just issued: the plaintext <paramref name="Secret"/> exists only in this value (only its hash is stored).</summary>
public sealed record IssuedDeveloperKey(Guid KeyId, string Prefix, string Secret, DateTime CreatedAt);

/// <summary>What may be shown about a developer key (never the secret).</summary>
/// <param name="KeyId">Key id (the open API counts calls of an unbound key as <c>key:{KeyId}</c>).</param>
/// <param name="Prefix">Visible prefix <c>gd_xxxxxxxx</c>.</param>
/// <param name="CreatedAt">UTC.</param>
/// <param name="LastUsedAt">UTC, recorded at most once a minute; null when never used.</param>
/// <param name="RevokedAt">UTC, null while valid.</param>
/// <param name="ExpiresAt">UTC, null for no expiry.</param>
public sealed record DeveloperKeyInfo(Guid KeyId, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt, DateTime? ExpiresAt)
{
    /// <summary>True when the key is neither revoked nor expired at <paramref name="nowUtc"/>.</summary>
    public bool IsValid(DateTime nowUtc) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > nowUtc);
}

/// <summary>
/// API keys of developers' apps (the portal's 我的应用). Keys stay in Identity (<c>identity_api_keys</c>, the same keys
/// and authentication as <c>/console/apikeys</c>); they carry the scope <see cref="ApiScopes.OpenRead"/> only, never
/// expire, and are issued only to public accounts that are verified, active and have the role 开发者. Every call checks
/// the account in the database and writes the security log.
/// </summary>
public interface IDeveloperKeys
{
    /// <summary>The account's standing, or null when there is no such account.</summary>
    Task<DeveloperStanding?> FindAsync(Guid userId, CancellationToken ct = default);

    /// <summary>
    /// Gives a verified public account the role 开发者 (self-service). The account's sessions are renewed: the caller's
    /// sign-in cookie is re-issued with the new role (<paramref name="http"/> must be the account's own request).
    /// Returns null on success, else a Chinese reason.
    /// </summary>
    Task<string?> BecomeDeveloperAsync(HttpContext http, Guid userId, CancellationToken ct = default);

    /// <summary>Issues a key named <paramref name="name"/> (≤ 100 characters); null when the account may not hold keys.</summary>
    Task<IssuedDeveloperKey?> IssueAsync(Guid userId, string name, CancellationToken ct = default);

    /// <summary>
    /// Revokes <paramref name="oldKeyId"/> and issues its successor in one transaction; null when the old key is not the
    /// account's, is already revoked (a concurrent rotation won) or the account may not hold keys.
    /// </summary>
    Task<IssuedDeveloperKey?> RotateAsync(Guid userId, Guid oldKeyId, string name, CancellationToken ct = default);

    /// <summary>Revokes the account's key; false when it is not the account's key. Revoking a revoked key is a no-op (true).</summary>
    Task<bool> RevokeAsync(Guid userId, Guid keyId, CancellationToken ct = default);

    /// <summary>The account's keys among <paramref name="keyIds"/> (others' keys are left out).</summary>
    Task<IReadOnlyDictionary<Guid, DeveloperKeyInfo>> GetAsync(Guid userId, IReadOnlyCollection<Guid> keyIds, CancellationToken ct = default);
}
