namespace GovData.Exchange.Features.Audit;

/// <summary>
/// Appends to the exchange audit log (交换审计日志). Every access to shared data and every change of a request or grant is
/// recorded through it; entries are never changed or deleted by the application.
/// </summary>
internal interface IAuditTrail
{
    /// <summary>
    /// Appends <paramref name="record"/>. Uses the scoped ExchangeDb: inside the caller's open transaction, the entry
    /// commits (or rolls back) with the change it records.
    /// </summary>
    Task AppendAsync(AuditRecord record, CancellationToken ct = default);
}

/// <summary>What happened (kinds are dotted, stable codes stored in the log).</summary>
internal static class AuditKinds
{
    public const string Query = "access.query";
    public const string Verify = "access.verify";
    public const string File = "access.file";
    public const string Feed = "access.feed";
    public const string RequestChanged = "request.changed";
    public const string GrantChanged = "grant.changed";
    public const string DisputeChanged = "dispute.changed";
    /// <summary>A read of a 有条件开放 dataset through the portal's open API under a public grant (not counted in the department statistics).</summary>
    public const string Open = "access.open";
}

/// <summary>Outcome codes stored in the log.</summary>
internal static class AuditOutcomes
{
    public const string Ok = "ok";
    public const string Denied = "denied";          // no grant, expired, revoked, outside the grant → 403
    public const string Unauthenticated = "unauthenticated"; // bad / replayed signature → 401
    public const string Throttled = "throttled";    // quota or rate → 429
    public const string Invalid = "invalid";        // bad input → 400
    public const string Error = "error";
}

/// <summary>
/// One audit entry as given by the caller (the log adds sequence number, time, hashes).
/// Verification queries never put their values here: only <see cref="RequestHash"/> (salted) describes them.
/// </summary>
/// <param name="Kind">See <see cref="AuditKinds"/>.</param>
/// <param name="Outcome">See <see cref="AuditOutcomes"/>.</param>
/// <param name="ConsumerDepartmentId">The department using the data (or requesting).</param>
/// <param name="ProviderDepartmentId">The department providing the resource.</param>
/// <param name="ClientId">The consumer's application (app credential client id), when called by an application.</param>
/// <param name="UserId">The signed-in user, or the user acting through the application.</param>
/// <param name="ResourceCode">The resource (信息资源代码).</param>
/// <param name="GrantId">The grant the access ran under.</param>
/// <param name="RequestId">The sharing request concerned (request/grant changes).</param>
/// <param name="Purpose">The purpose / 应用场景 of the grant.</param>
/// <param name="Issue">The case or business (<c>X-GovData-Issue</c>).</param>
/// <param name="MessageId">The caller's request id (<c>X-GovData-Request-Id</c>).</param>
/// <param name="RowsReturned">Rows (or verification answers) returned.</param>
/// <param name="RequestHash">SHA-256 (hex) of the request (method, path, query, body hash), or of the salted query values.</param>
/// <param name="ResponseHash">SHA-256 (hex) of the response body.</param>
/// <param name="Detail">Short Chinese description (e.g. 申请已批准：……, the denial reason).</param>
internal sealed record AuditRecord(
    string Kind,
    string Outcome,
    Guid? ConsumerDepartmentId = null,
    Guid? ProviderDepartmentId = null,
    string? ClientId = null,
    Guid? UserId = null,
    string? ResourceCode = null,
    Guid? GrantId = null,
    Guid? RequestId = null,
    string? Purpose = null,
    string? Issue = null,
    string? MessageId = null,
    long RowsReturned = 0,
    string? RequestHash = null,
    string? ResponseHash = null,
    string? Detail = null);
