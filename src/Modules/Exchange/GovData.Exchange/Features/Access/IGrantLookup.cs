using GovData.Data.Contracts;

namespace GovData.Exchange.Features.Access;

/// <summary>How a grant lets the consumer use the data (the grant's access modes).</summary>
internal enum GrantAccessMode
{
    /// <summary>接口查询: <c>GET /api/v1/exchange/data/{code}/rows</c>.</summary>
    Api = 1,
    /// <summary>核验: <c>POST /api/v1/exchange/verify/{code}</c>.</summary>
    Verify = 2,
    /// <summary>文件交付.</summary>
    File = 3,
    /// <summary>订阅增量.</summary>
    Feed = 4,
}

/// <summary>What a grant's daily quota counts.</summary>
internal enum GrantQuotaUnit
{
    /// <summary>次: calls per day.</summary>
    Calls = 1,
    /// <summary>行: rows returned (or 核验 questions answered) per day.</summary>
    Rows = 2,
}

/// <summary>Why no usable grant was found.</summary>
internal enum GrantRefusal
{
    /// <summary>A usable grant was found.</summary>
    None = 0,
    /// <summary>The consumer department has no grant for the resource.</summary>
    NoGrant = 1,
    /// <summary>The grant has expired.</summary>
    Expired = 2,
    /// <summary>The grant was revoked.</summary>
    Revoked = 3,
    /// <summary>A grant is active but does not include the access mode.</summary>
    ModeNotGranted = 4,
}

/// <summary>
/// The terms of a grant as the access endpoints enforce them.
/// </summary>
/// <param name="GrantId">The grant (logged with every access).</param>
/// <param name="ResourceCode">资源代码 (<c>303026010201/1</c>).</param>
/// <param name="ProviderDepartmentId">The providing department.</param>
/// <param name="ConsumerDepartmentId">The consumer department.</param>
/// <param name="Items">Granted items (API field names or item names); nothing else is returned.</param>
/// <param name="RowConditions">Row scope, always applied.</param>
/// <param name="RawAllowed">Values may leave unmasked.</param>
/// <param name="Modes">Granted access modes.</param>
/// <param name="ExpiresAt">End of validity (UTC).</param>
/// <param name="DailyQuota">Calls or rows per local day; null = no limit.</param>
/// <param name="QuotaUnit">What <paramref name="DailyQuota"/> counts.</param>
/// <param name="RatePerMinute">Calls per minute; null = no limit.</param>
/// <param name="Purpose">Purpose / 应用场景 (logged).</param>
internal sealed record AccessGrant(
    Guid GrantId, string ResourceCode, Guid ProviderDepartmentId, Guid ConsumerDepartmentId,
    IReadOnlyList<string> Items, IReadOnlyList<RowCondition> RowConditions, bool RawAllowed, IReadOnlyList<GrantAccessMode> Modes,
    DateTime ExpiresAt, long? DailyQuota, GrantQuotaUnit QuotaUnit, int? RatePerMinute, string Purpose);

/// <summary>A usable grant, or why there is none.</summary>
internal sealed record GrantLookupResult(AccessGrant? Grant, GrantRefusal Refusal)
{
    public static GrantLookupResult Found(AccessGrant grant) => new(grant, GrantRefusal.None);
    public static GrantLookupResult Refused(GrantRefusal refusal) => new(null, refusal);
}

/// <summary>
/// The seam between governed access and the requests/grants model (part 2, <c>Features/Sharing</c>): finds the consumer
/// department's usable grant for a resource and mode. The sharing part implements it over <c>exchange_grants</c>
/// (registered in its <c>AddSharing</c>); the access endpoints resolve it per request.
/// </summary>
internal interface IGrantLookup
{
    /// <summary>
    /// The active grant of <paramref name="consumerDepartmentId"/> for <paramref name="resourceCode"/> that includes
    /// <paramref name="mode"/> and has not expired at <paramref name="now"/> (UTC); otherwise the refusal that explains
    /// it best: <see cref="GrantRefusal.ModeNotGranted"/> when an active grant lacks the mode, else
    /// <see cref="GrantRefusal.Revoked"/> / <see cref="GrantRefusal.Expired"/> from the latest grant, else
    /// <see cref="GrantRefusal.NoGrant"/>.
    /// </summary>
    Task<GrantLookupResult> FindActiveAsync(Guid consumerDepartmentId, string resourceCode, GrantAccessMode mode, DateTime now, CancellationToken ct);
}
