using GovData.Data.Contracts;

namespace GovData.Exchange.Contracts;

/// <summary>The department staff member who decides for the providing department (the caller has checked the role 部门管理员).</summary>
/// <param name="UserId">The user.</param>
/// <param name="Name">Display name, as recorded in the grant's events and the audit log.</param>
/// <param name="DepartmentId">The user's department: must be the resource's providing department.</param>
public sealed record OpenGrantActor(Guid UserId, string Name, Guid DepartmentId);

/// <summary>One row-scope condition of a public grant.</summary>
/// <param name="Field">An information item of the resource (field code or item name).</param>
/// <param name="Operator"><c>eq</c> (等于), <c>in</c> (属于) or <c>prefix</c> (以…开头).</param>
/// <param name="Values">One value for eq/prefix, one or more for in.</param>
public sealed record OpenGrantScope(string Field, string Operator, IReadOnlyList<string> Values);

/// <summary>What the providing department grants to a public account after approving an application.</summary>
/// <param name="ApplicationId">The portal's application (stored as the grant's request id).</param>
/// <param name="ResourceCode">信息资源代码 of the published 有条件开放 resource.</param>
/// <param name="HolderAccountId">The developer's account that will hold the grant.</param>
/// <param name="HolderName">The account's display name (for the grant's history).</param>
/// <param name="Items">Granted items (field codes or item names of the published resource), at least one.</param>
/// <param name="RowScope">Row conditions (ANDed); empty = every row.</param>
/// <param name="Purpose">用途 / 应用场景 as approved.</param>
/// <param name="ExpiresOn">Last local day of validity (after today).</param>
public sealed record OpenGrantIssue(
    Guid ApplicationId, string ResourceCode, Guid HolderAccountId, string HolderName, IReadOnlyList<string> Items,
    IReadOnlyList<OpenGrantScope> RowScope, string Purpose, DateOnly ExpiresOn);

/// <summary>Outcome of issuing or revoking: the grant id, or field errors (bad input, 400) or a refusal (403/409) in Chinese.</summary>
public sealed record OpenGrantOutcome(Guid? GrantId, IReadOnlyDictionary<string, string[]>? Errors = null, string? Refusal = null)
{
    /// <summary>True when the grant was issued or revoked.</summary>
    public bool Ok => GrantId is not null && Errors is null && Refusal is null;
}

/// <summary>The state of a public grant at a given instant.</summary>
public enum OpenGrantState
{
    /// <summary>The account holds no grant for the resource (未申请 / not approved).</summary>
    None = 0,
    /// <summary>有效.</summary>
    Active = 1,
    /// <summary>已过期 (past its last day).</summary>
    Expired = 2,
    /// <summary>已撤销 by the providing department.</summary>
    Revoked = 3,
}

/// <summary>A grant held by a public account.</summary>
/// <param name="Id">Grant id.</param>
/// <param name="ApplicationId">The portal application it came from.</param>
/// <param name="ResourceCode">信息资源代码.</param>
/// <param name="ProviderDepartmentId">The providing department.</param>
/// <param name="HolderAccountId">The account.</param>
/// <param name="Items">Granted fields (API names); every other field is never served.</param>
/// <param name="RowScope">Row conditions always applied (as the Data contract takes them).</param>
/// <param name="Purpose">The approved purpose.</param>
/// <param name="StartsAt">Issued (UTC).</param>
/// <param name="ExpiresOn">Last local day of validity.</param>
/// <param name="ExpiresAt">End of <paramref name="ExpiresOn"/>, UTC.</param>
/// <param name="State">State at the instant asked about.</param>
/// <param name="RevokedAt">When revoked.</param>
/// <param name="RevokeReason">Why revoked.</param>
public sealed record OpenGrant(
    Guid Id, Guid ApplicationId, string ResourceCode, Guid ProviderDepartmentId, Guid HolderAccountId, IReadOnlyList<string> Items,
    IReadOnlyList<RowCondition> RowScope, string Purpose, DateTime StartsAt, DateOnly ExpiresOn, DateTime ExpiresAt, OpenGrantState State,
    DateTime? RevokedAt, string? RevokeReason)
{
    /// <summary>The Data module policy of this grant: its items and row scope, always masked (the public channel).</summary>
    public AccessPolicy Policy => new(Items, RowScope, Raw: false);
}

/// <summary>One read of a 有条件开放 dataset through the open API, for the exchange audit log (kind <c>access.open</c>).</summary>
/// <param name="GrantId">The grant the read ran under (null when refused for lack of one).</param>
/// <param name="AccountId">The caller's account.</param>
/// <param name="ClientId">The API key's id (or prefix).</param>
/// <param name="ResourceCode">信息资源代码.</param>
/// <param name="ProviderDepartmentId">The providing department.</param>
/// <param name="Allowed">Served (true) or refused (false, 403).</param>
/// <param name="RowsReturned">Rows served.</param>
/// <param name="Detail">Short Chinese description (the request path, the refusal reason).</param>
public sealed record OpenGrantAccess(
    Guid? GrantId, Guid AccountId, string? ClientId, string ResourceCode, Guid? ProviderDepartmentId, bool Allowed, long RowsReturned, string Detail);

/// <summary>
/// Grants held by public (developer) accounts: the 有条件开放 flow of the portal uses the exchange's one grant mechanism
/// (<c>exchange_grants</c> with <c>holder_kind = 'public'</c>, the same grant events and audit entries as department
/// grants). Department code paths of the exchange never see these grants.
/// </summary>
public interface IOpenGrants
{
    /// <summary>
    /// Issues a grant for a published 有条件开放 resource to <see cref="OpenGrantIssue.HolderAccountId"/>. Refused when the
    /// actor's department does not provide the resource, the resource is not a published 有条件开放 one, an item or a
    /// scope field is not a published item, or the expiry is not after today.
    /// </summary>
    Task<OpenGrantOutcome> IssueAsync(OpenGrantActor provider, OpenGrantIssue issue, CancellationToken ct = default);

    /// <summary>撤销 (reason required) by the providing department; takes effect at once.</summary>
    Task<OpenGrantOutcome> RevokeAsync(OpenGrantActor provider, Guid grantId, string? reason, CancellationToken ct = default);

    /// <summary>One public grant with its state at <paramref name="now"/>, or null.</summary>
    Task<OpenGrant?> GetAsync(Guid grantId, DateTime now, CancellationToken ct = default);

    /// <summary>
    /// The account's grant for the resource at <paramref name="now"/>: the usable one that lasts longest; otherwise the
    /// latest with its state (expired / revoked), or <see cref="OpenGrantState.None"/>. Read from the database on every call.
    /// </summary>
    Task<(OpenGrantState State, OpenGrant? Grant)> FindAsync(Guid accountId, string resourceCode, DateTime now, CancellationToken ct = default);

    /// <summary>Appends one read (or refusal) to the exchange audit log; durable when the task completes.</summary>
    Task RecordAccessAsync(OpenGrantAccess access, CancellationToken ct = default);
}
