using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Sharing;

/// <summary>
/// Grants (授权): the consumer's grants, the grants a provider issued, one grant with its history, and revocation by
/// the provider (or a platform administrator). Renewal is a request (<see cref="SharingService.RenewAsync"/>).
/// </summary>
internal sealed class GrantService(ExchangeDb db, SharingWriter writer, IDepartmentDirectory departments, RegionDirectory regions, SharingClock clock)
{
    public const string NotFoundMessage = "授权不存在或不在您的查看范围内";

    /// <summary><c>as=consumer</c> (default for consumer staff), <c>provider</c> (部门管理员), <c>all</c> (平台管理员, 安全审计员).</summary>
    public async Task<SharingResult<PageDto<GrantDto>>> ListAsync(SharingActor actor, string? asRole, string? status, string? keyword, int? page,
        int? pageSize, CancellationToken ct, FieldErrors? errors = null)
    {
        errors ??= new FieldErrors();
        var (p, size) = errors.Paging(page, pageSize);
        var view = asRole?.Trim().ToLowerInvariant() ?? (actor.IsConsumerStaff ? "consumer" : actor.IsPlatformAdmin || actor.IsAuditor ? "all" : "consumer");
        if (view is not ("consumer" or "provider" or "all")) errors.Add("as", $"as 只能是 consumer（本部门获得的授权）、provider（本部门发出的授权）或 all（全部），收到“{asRole}”");
        GrantStatus? st = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (SharingTerms.TryParse<GrantStatus>(status, out var s)) st = s;
            else errors.Add("status", $"status 只能是 {SharingTerms.Codes<GrantStatus>()}，收到“{status}”");
        }
        var k = keyword?.Trim();
        if (k is { Length: > 100 }) errors.Add("keyword", "keyword 不能超过100个字");
        if (errors.Any) return SharingResult<PageDto<GrantDto>>.Invalid(errors.Errors);

        var denied = view switch
        {
            "consumer" when !actor.IsConsumerStaff => "只有部门用数人员或部门管理员可以查看本部门获得的授权",
            "provider" when !actor.IsDepartmentAdmin => "只有部门管理员可以查看本部门发出的授权",
            "all" when !(actor.IsPlatformAdmin || actor.IsAuditor) => "只有平台管理员或安全审计员可以查看全部授权",
            _ => null,
        };
        if (denied is not null) return SharingResult<PageDto<GrantDto>>.Deny(denied);

        var now = clock.UtcNow;
        var deptId = actor.Department?.Id;
        var query = db.Grants().AsNoTracking();
        query = view switch
        {
            "consumer" => query.Where(g => g.ConsumerDepartmentId == deptId),
            "provider" => query.Where(g => g.ProviderDepartmentId == deptId),
            _ => query,
        };
        // Effective status: an active grant past its expiry is expired even before the deadline job marks it.
        query = st switch
        {
            GrantStatus.Active => query.Where(g => g.Status == GrantStatus.Active && g.ExpiresAt > now),
            GrantStatus.Expired => query.Where(g => g.Status == GrantStatus.Expired || (g.Status == GrantStatus.Active && g.ExpiresAt <= now)),
            GrantStatus.Revoked => query.Where(g => g.Status == GrantStatus.Revoked),
            _ => query,
        };
        if (!string.IsNullOrEmpty(k)) query = query.Where(g => g.ResourceName.Contains(k) || g.ResourceCode.Contains(k) || g.Purpose.Contains(k));
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(g => g.CreatedAt).ThenByDescending(g => g.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        var names = await NamesAsync(ct);
        var renewals = await PendingRenewalsAsync(rows.Select(g => g.Id).ToList(), ct);
        var items = rows.Select(g => ToDto(g, names, renewals.GetValueOrDefault(g.Id), now, false)).ToList();
        return SharingResult<PageDto<GrantDto>>.Success(new PageDto<GrantDto>(items, total, p, size));
    }

    /// <summary>One grant with its history, for the consumer, the provider, the competent department, administrators and auditors.</summary>
    public async Task<GrantDto?> GetAsync(SharingActor actor, Guid id, CancellationToken ct)
    {
        var g = await db.Grants().AsNoTracking().Include(x => x.Events).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (g is null || !await CanSeeAsync(actor, g, ct)) return null;
        var renewals = await PendingRenewalsAsync([g.Id], ct);
        return ToDto(g, await NamesAsync(ct), renewals.GetValueOrDefault(g.Id), clock.UtcNow, true);
    }

    /// <summary>撤销 with a reason: the provider's 部门管理员 or a platform administrator; takes effect at once.</summary>
    public async Task<SharingResult<GrantDto>> RevokeAsync(SharingActor actor, Guid id, RevokeInput? input, CancellationToken ct)
    {
        var result = await writer.RunAsync(async batch =>
        {
            var g = await db.Grants().FirstOrDefaultAsync(x => x.Id == id, ct);
            if (g is null || !await CanSeeAsync(actor, g, ct)) return SharingResult<Grant>.Missing();
            if (!actor.IsProviderOf(g.ProviderDepartmentId) && !actor.IsPlatformAdmin)
                return SharingResult<Grant>.Deny("只有资源提供部门的部门管理员或平台管理员可以撤销授权");
            if (input?.Version is { } v && v != g.Version)
                return SharingResult<Grant>.Clash($"授权已被他人修改（您读取的版本为 {v}，当前为 {g.Version}），请刷新后重试");
            batch.Grant(g, g.Revoke(actor.ToActor(), clock.UtcNow, input?.Reason));
            return SharingResult<Grant>.Success(g);
        }, "该授权刚被他人修改，请刷新后重试", ct);
        if (!result.Ok || result.Value is not { } grant) return result.As<GrantDto>();
        var dto = await GetAsync(actor, grant.Id, ct);
        return dto is null ? SharingResult<GrantDto>.Missing() : SharingResult<GrantDto>.Success(dto);
    }

    private async Task<bool> CanSeeAsync(SharingActor actor, Grant g, CancellationToken ct)
    {
        if (actor.IsConsumerOf(g.ConsumerDepartmentId) || actor.IsProviderOf(g.ProviderDepartmentId) || actor.IsAuditor || actor.IsPlatformAdmin) return true;
        if (!actor.IsCompetentReviewer) return false;
        var provider = await departments.FindAsync(g.ProviderDepartmentId, ct);
        return actor.CanSee(g, provider?.RegionCode, regions);
    }

    private async Task<Dictionary<Guid, Guid>> PendingRenewalsAsync(List<Guid> grantIds, CancellationToken ct)
    {
        if (grantIds.Count == 0) return [];
        var open = await db.Requests().AsNoTracking()
            .Where(r => r.Kind == RequestKind.Renewal && r.GrantId != null && grantIds.Contains(r.GrantId.Value)
                && (r.Status == RequestStatus.Draft || r.Status == RequestStatus.PendingCompliance || r.Status == RequestStatus.PendingProvider))
            .Select(r => new { r.GrantId, r.Id }).ToListAsync(ct);
        return open.GroupBy(r => r.GrantId!.Value).ToDictionary(x => x.Key, x => x.First().Id);
    }

    private async Task<Dictionary<Guid, string>> NamesAsync(CancellationToken ct) =>
        (await departments.ListAsync(ct)).ToDictionary(d => d.Id, d => d.Name);

    private static GrantDto ToDto(Grant g, IReadOnlyDictionary<Guid, string> names, Guid pendingRenewal, DateTime now, bool withEvents)
    {
        var status = g.EffectiveStatus(now);
        return new GrantDto(g.Id, g.RequestId, g.ResourceEntryId, g.ResourceCode, g.ResourceName, g.ProviderDepartmentId,
            names.GetValueOrDefault(g.ProviderDepartmentId), g.ConsumerDepartmentId, names.GetValueOrDefault(g.ConsumerDepartmentId), g.Items,
            SharingService.Scope(g.RowScope), SharingService.Modes(g.AccessModes), g.Purpose, g.LegalBasis, g.BusinessCase, g.RawAllowed, g.DailyQuota,
            SharingTerms.Code(g.QuotaUnit), SharingTerms.Label(g.QuotaUnit), g.RateLimitPerMinute, g.StartsAt, g.ExpiresOn, g.ExpiresAt,
            SharingTerms.Code(status), SharingTerms.Label(status), g.RevokedAt, g.RevokeReason, g.RenewalCount,
            pendingRenewal == Guid.Empty ? null : pendingRenewal, g.Version,
            withEvents ? g.Events.OrderBy(e => e.Seq).Select(ToDto).ToList() : null);
    }

    private static EventDto ToDto(GrantEvent e) => new(e.Seq, SharingTerms.Code(e.Action), SharingTerms.Label(e.Action),
        e.FromStatus is { } f ? SharingTerms.Code(f) : null, e.FromStatus is { } fl ? SharingTerms.Label(fl) : null,
        SharingTerms.Code(e.ToStatus), SharingTerms.Label(e.ToStatus), e.ActorId, e.ActorName, e.At, e.Reason, e.Detail);
}
