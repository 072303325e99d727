using GovData.Identity.Contracts;

namespace GovData.Identity.Persistence;

internal sealed class Department
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string? ShortName { get; set; }
    public required string CreditCode { get; set; }
    public DepartmentKind Kind { get; set; }
    public Guid? ParentId { get; set; }
    public required string RegionCode { get; set; }
    public bool IsCompetent { get; set; }
    /// <summary>Assessment domains covered, separated by '、' (e.g. 人社、社保).</summary>
    public string? Domains { get; set; }
    public int SortOrder { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency token, bumped on every change.</summary>
    public int Version { get; set; }

    public IReadOnlyList<string> DomainList =>
        string.IsNullOrWhiteSpace(Domains) ? [] : Domains.Split('、', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public DepartmentInfo ToInfo() =>
        new(Id, Name, CreditCode, Kind, ParentId, RegionCode, IsCompetent, DomainList, SortOrder);
}

internal sealed class User
{
    public Guid Id { get; set; }
    public required string UserName { get; set; }
    public required string DisplayName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public required string PasswordHash { get; set; }
    public Guid? DepartmentId { get; set; }
    public bool IsActive { get; set; } = true;
    public int FailedLoginCount { get; set; }
    public DateTime? LockoutEnd { get; set; }
    /// <summary>Changes when the password or roles change so existing sessions are re-validated.</summary>
    public required string SecurityStamp { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastLoginAt { get; set; }
    /// <summary>True for accounts registered by the public themselves (they must verify their e-mail before posting).</summary>
    public bool SelfRegistered { get; set; }
    /// <summary>When the e-mail address was verified (self-registered accounts only).</summary>
    public DateTime? EmailVerifiedAt { get; set; }
    public int Version { get; set; }
    public List<UserRole> Roles { get; set; } = [];

    public IReadOnlyList<string> RoleCodes => Roles.Select(r => r.Role).OrderBy(r => Contracts.Roles.All.ToList().IndexOf(r)).ToList();
}

internal sealed class UserRole
{
    public Guid UserId { get; set; }
    public required string Role { get; set; }
}

internal sealed class ApiKey
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Visible part of the key (gd_xxxxxxxx), used to find the row.</summary>
    public required string Prefix { get; set; }
    /// <summary>SHA-256 of the whole key; keys are 256-bit random so a fast hash is enough.</summary>
    public required string SecretHash { get; set; }
    public Guid UserId { get; set; }
    /// <summary>Space-separated scopes.</summary>
    public required string Scopes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public Guid? RevokedBy { get; set; }
    public DateTime? LastUsedAt { get; set; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Append-only security log (logins, account and role changes, key events). Triggers refuse UPDATE/DELETE.</summary>
internal sealed class SecurityEvent
{
    public long Id { get; set; }
    public DateTime OccurredAt { get; set; }
    public required string EventType { get; set; }
    public Guid? ActorId { get; set; }
    public string? ActorName { get; set; }
    public Guid? SubjectUserId { get; set; }
    public Guid? DepartmentId { get; set; }
    public string? IpAddress { get; set; }
    public bool Success { get; set; }
    public string? Detail { get; set; }
}

/// <summary>A single-use token sent by e-mail (only its SHA-256 is stored).</summary>
internal sealed class EmailToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string Purpose { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

/// <summary>An outgoing e-mail (transactional outbox).</summary>
internal sealed class OutboxMail
{
    public Guid Id { get; set; }
    public required string Kind { get; set; }
    public Guid? UserId { get; set; }
    public required string ToAddress { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

/// <summary>A registration or resend attempt from a client address (rate limiting across hosts).</summary>
internal sealed class RegistrationAttempt
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public required string IpAddress { get; set; }
    public string? Email { get; set; }
    public DateTime AttemptedAt { get; set; }
}
