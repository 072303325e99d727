using GovData.Data.Contracts;
using GovData.Exchange.Features.Access;
using GovData.Exchange.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Sharing;

/// <summary>
/// <see cref="IGrantLookup"/> over <c>exchange_grants</c>: the access endpoints ask it on every call, so a revocation or an
/// expiry is seen at once by every host (nothing is cached in memory). One indexed query per call
/// (<c>ix_exchange_grants_resource</c>: resource code + consumer department).
/// </summary>
internal sealed class SharingGrantLookup(ExchangeDb db) : IGrantLookup
{
    public async Task<GrantLookupResult> FindActiveAsync(Guid consumerDepartmentId, string resourceCode, GrantAccessMode mode, DateTime now,
        CancellationToken ct)
    {
        var grants = await db.Grants().AsNoTracking()
            .Where(g => g.ResourceCode == resourceCode && g.ConsumerDepartmentId == consumerDepartmentId)
            .ToListAsync(ct);
        if (grants.Count == 0) return GrantLookupResult.Refused(GrantRefusal.NoGrant);

        var wanted = ToSharingMode(mode);
        var usable = grants.Where(g => g.IsUsable(now)).ToList();
        // Several usable grants (a second request approved before the first expired): the one that lasts longest.
        var withMode = usable.Where(g => g.AccessModes.Contains(wanted)).MaxBy(g => g.ExpiresAt);
        if (withMode is not null) return GrantLookupResult.Found(ToAccessGrant(withMode));
        if (usable.Count > 0) return GrantLookupResult.Refused(GrantRefusal.ModeNotGranted);

        var latest = grants.MaxBy(g => g.CreatedAt)!;
        return GrantLookupResult.Refused(latest.Status == GrantStatus.Revoked ? GrantRefusal.Revoked : GrantRefusal.Expired);
    }

    internal static AccessGrant ToAccessGrant(Grant g) => new(
        g.Id, g.ResourceCode, g.ProviderDepartmentId, g.ConsumerDepartmentId,
        g.Items, g.RowScope.Select(ToRowCondition).ToList(), g.RawAllowed, g.AccessModes.Select(ToAccessMode).ToList(),
        g.ExpiresAt, g.DailyQuota, g.QuotaUnit == QuotaUnit.Calls ? GrantQuotaUnit.Calls : GrantQuotaUnit.Rows, g.RateLimitPerMinute, g.Purpose);

    private static RowCondition ToRowCondition(ScopeCondition c)
    {
        // Scope conditions were validated against the published items when the request was made; an unknown operator in the
        // table is a corrupted grant and must not widen the scope, so it fails the call.
        if (!SharingTerms.TryParse<ScopeOperator>(c.Op, out var op))
            throw new InvalidOperationException($"授权的行范围条件运算符“{c.Op}”无法识别");
        var mapped = op switch
        {
            ScopeOperator.Eq => RowConditionOperator.Equals,
            ScopeOperator.In => RowConditionOperator.In,
            ScopeOperator.Prefix => RowConditionOperator.Prefix,
            _ => throw new InvalidOperationException($"授权的行范围条件运算符“{c.Op}”无法识别"),
        };
        return new RowCondition(c.Field, mapped, c.Values);
    }

    private static AccessMode ToSharingMode(GrantAccessMode mode) => mode switch
    {
        GrantAccessMode.Api => AccessMode.Api,
        GrantAccessMode.Verify => AccessMode.Verify,
        GrantAccessMode.File => AccessMode.File,
        GrantAccessMode.Feed => AccessMode.Feed,
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    private static GrantAccessMode ToAccessMode(AccessMode mode) => mode switch
    {
        AccessMode.Api => GrantAccessMode.Api,
        AccessMode.Verify => GrantAccessMode.Verify,
        AccessMode.File => GrantAccessMode.File,
        AccessMode.Feed => GrantAccessMode.Feed,
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}
