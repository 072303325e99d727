namespace GovData.Exchange.Features.Sharing;

/// <summary>What the provider (or, for 无条件共享, the platform's defaults) grants on approval.</summary>
/// <param name="Items">Granted items: the requested ones, or fewer.</param>
/// <param name="RawAllowed">Values may leave unmasked (the provider decides; default no).</param>
/// <param name="DailyQuota">Rows or calls per day; null = no daily limit.</param>
/// <param name="QuotaUnit">What <paramref name="DailyQuota"/> counts.</param>
/// <param name="RateLimitPerMinute">Calls per minute; null = no rate limit.</param>
/// <param name="ExpiresOn">Last local day of validity.</param>
/// <param name="ExpiresAt">End of <paramref name="ExpiresOn"/>, UTC.</param>
internal sealed record GrantTerms(
    IReadOnlyList<string> Items, bool RawAllowed, long? DailyQuota, QuotaUnit QuotaUnit, int? RateLimitPerMinute, DateOnly ExpiresOn, DateTime ExpiresAt);

/// <summary>
/// A grant (授权): the consumer department may use these items of the resource, within the row scope, for the stated
/// purpose, through these access modes, until it expires. 有效 → 已撤销 (provider, reason) / 已过期 (deadline job);
/// a renewal (续期) request, once approved, moves the expiry. Every change records an event.
/// </summary>
internal sealed class Grant
{
    private Grant()
    {
    }

    public Guid Id { get; private set; }
    /// <summary>The request that created the grant.</summary>
    public Guid RequestId { get; private set; }
    public Guid ResourceEntryId { get; private set; }
    public string ResourceCode { get; private set; } = "";
    public string ResourceName { get; private set; } = "";
    public Guid ProviderDepartmentId { get; private set; }
    /// <summary>The consumer department; the nil UUID for a grant held by a public account (<see cref="HolderKind"/>).</summary>
    public Guid ConsumerDepartmentId { get; private set; }
    /// <summary><see cref="GrantHolders.Department"/> (the consumer department) or <see cref="GrantHolders.Public"/> (a developer's account, 有条件开放).</summary>
    public string HolderKind { get; private set; } = GrantHolders.Department;
    /// <summary>The public account holding the grant (only for <see cref="GrantHolders.Public"/>).</summary>
    public Guid? HolderAccountId { get; private set; }
    public List<string> Items { get; private set; } = [];
    public List<ScopeCondition> RowScope { get; private set; } = [];
    public List<AccessMode> AccessModes { get; private set; } = [];
    public string Purpose { get; private set; } = "";
    public string LegalBasis { get; private set; } = "";
    public string BusinessCase { get; private set; } = "";
    public bool RawAllowed { get; private set; }
    public long? DailyQuota { get; private set; }
    public QuotaUnit QuotaUnit { get; private set; }
    public int? RateLimitPerMinute { get; private set; }
    public DateTime StartsAt { get; private set; }
    public DateOnly ExpiresOn { get; private set; }
    public DateTime ExpiresAt { get; private set; }
    public GrantStatus Status { get; private set; }
    public DateTime? RevokedAt { get; private set; }
    public string? RevokeReason { get; private set; }
    public int RenewalCount { get; private set; }
    public Guid? IssuedBy { get; private set; }
    public string IssuedByName { get; private set; } = "";
    public int EventCount { get; private set; }
    public int Version { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public List<GrantEvent> Events { get; private set; } = [];

    /// <summary>The status as of <paramref name="now"/>: an active grant past its expiry counts as expired before the job marks it.</summary>
    public GrantStatus EffectiveStatus(DateTime now) => Status == GrantStatus.Active && now >= ExpiresAt ? GrantStatus.Expired : Status;

    /// <summary>May be used now (active and not past its expiry).</summary>
    public bool IsUsable(DateTime now) => EffectiveStatus(now) == GrantStatus.Active;

    /// <summary>Issues the grant of an approved new request (授权生效).</summary>
    public static Grant Issue(SharingRequest request, GrantTerms terms, Actor who, DateTime now)
    {
        if (request.Status != RequestStatus.Approved || request.Kind != RequestKind.New)
            throw new InvalidOperationException("只有已批准的新申请可以生成授权");
        if (terms.ExpiresAt <= now) throw new SharingException("授权到期日必须晚于今天", "expiresOn");
        var unknown = terms.Items.FirstOrDefault(i => !request.Items.Contains(i));
        if (unknown is not null) throw new SharingException($"授权的信息项“{unknown}”不在申请范围内", "items");
        if (terms.Items.Count == 0) throw new SharingException("授权至少包含一个信息项", "items");
        var grant = new Grant
        {
            Id = Guid.CreateVersion7(),
            RequestId = request.Id,
            ResourceEntryId = request.ResourceEntryId,
            ResourceCode = request.ResourceCode,
            ResourceName = request.ResourceName,
            ProviderDepartmentId = request.ProviderDepartmentId,
            ConsumerDepartmentId = request.ConsumerDepartmentId,
            Items = [.. terms.Items],
            RowScope = [.. request.RowScope],
            AccessModes = [.. request.AccessModes],
            Purpose = request.Purpose,
            LegalBasis = request.LegalBasis,
            BusinessCase = request.BusinessCase,
            RawAllowed = terms.RawAllowed,
            DailyQuota = terms.DailyQuota,
            QuotaUnit = terms.QuotaUnit,
            RateLimitPerMinute = terms.RateLimitPerMinute,
            StartsAt = now,
            ExpiresOn = terms.ExpiresOn,
            ExpiresAt = terms.ExpiresAt,
            Status = GrantStatus.Active,
            IssuedBy = who.UserId,
            IssuedByName = who.Name,
            CreatedAt = now,
            UpdatedAt = now,
        };
        grant.Record(GrantAction.Issue, null, GrantStatus.Active, who, now, null, request.Id, $"有效期至 {terms.ExpiresOn:yyyy-MM-dd}");
        return grant;
    }

    /// <summary>
    /// Issues a grant to a public account (有条件开放, approved by the providing department through the portal): read only
    /// through the open API, always masked, no access modes of the government exchange. <paramref name="applicationId"/>
    /// (the portal's application) takes the place of the request.
    /// </summary>
    public static Grant IssuePublic(Guid applicationId, GovData.Catalog.Contracts.CatalogResource resource, Guid accountId, string accountName,
        IReadOnlyList<string> items, IReadOnlyList<ScopeCondition> rowScope, string purpose, DateOnly expiresOn, DateTime expiresAt, Actor who, DateTime now)
    {
        if (expiresAt <= now) throw new SharingException("授权到期日必须晚于今天", "expiresOn");
        if (items.Count == 0) throw new SharingException("授权至少包含一个信息项", "items");
        var grant = new Grant
        {
            Id = Guid.CreateVersion7(),
            RequestId = applicationId,
            ResourceEntryId = resource.EntryId,
            ResourceCode = resource.Code.ToString(),
            ResourceName = resource.Name,
            ProviderDepartmentId = resource.DepartmentId,
            ConsumerDepartmentId = Guid.Empty,
            HolderKind = GrantHolders.Public,
            HolderAccountId = accountId,
            Items = [.. items],
            RowScope = [.. rowScope],
            AccessModes = [AccessMode.Api],
            Purpose = purpose,
            LegalBasis = "有条件开放：申请人已接受安全承诺书和利用协议",
            BusinessCase = "",
            RawAllowed = false,
            QuotaUnit = QuotaUnit.Calls,
            StartsAt = now,
            ExpiresOn = expiresOn,
            ExpiresAt = expiresAt,
            Status = GrantStatus.Active,
            IssuedBy = who.UserId,
            IssuedByName = who.Name,
            CreatedAt = now,
            UpdatedAt = now,
        };
        grant.Record(GrantAction.Issue, null, GrantStatus.Active, who, now, null, applicationId,
            $"有条件开放，持有人：公众账号 {accountName}（{accountId}），有效期至 {expiresOn:yyyy-MM-dd}");
        return grant;
    }

    /// <summary>True for a grant held by a public account.</summary>
    public bool IsPublic => HolderKind == GrantHolders.Public;

    /// <summary>续期: an approved renewal request moves the expiry to <paramref name="expiresOn"/> (later than now and than the current expiry).</summary>
    public GrantEvent Renew(DateOnly expiresOn, DateTime expiresAt, Actor who, DateTime now, Guid renewalRequestId)
    {
        RequireActive(now, "续期", "请重新提交共享申请");
        if (expiresAt <= ExpiresAt) throw new SharingException($"续期后的到期日必须晚于当前到期日 {ExpiresOn:yyyy-MM-dd}", "expiresOn");
        var before = ExpiresOn;
        ExpiresOn = expiresOn;
        ExpiresAt = expiresAt;
        RenewalCount++;
        return Record(GrantAction.Renew, Status, Status, who, now, null, renewalRequestId, $"有效期由 {before:yyyy-MM-dd} 延长至 {expiresOn:yyyy-MM-dd}");
    }

    /// <summary>撤销 (reason required): 有效 → 已撤销, at once.</summary>
    public GrantEvent Revoke(Actor who, DateTime now, string? reason)
    {
        RequireActive(now, "撤销", null);
        var why = string.IsNullOrWhiteSpace(reason) ? throw new SharingException("撤销授权必须说明理由", "reason") : reason.Trim();
        if (why.Length > 1000) throw new SharingException("说明不能超过1000个字", "reason");
        Status = GrantStatus.Revoked;
        RevokedAt = now;
        RevokeReason = why;
        return Record(GrantAction.Revoke, GrantStatus.Active, Status, who, now, why, null, null);
    }

    /// <summary>到期: an active grant past its expiry becomes 已过期 (deadline job).</summary>
    public GrantEvent Expire(Actor who, DateTime now)
    {
        if (Status != GrantStatus.Active) throw new SharingException($"当前状态为“{SharingTerms.Label(Status)}”，不能标记为到期");
        if (now < ExpiresAt) throw new SharingException($"授权有效期至 {ExpiresOn:yyyy-MM-dd}，尚未到期");
        Status = GrantStatus.Expired;
        return Record(GrantAction.Expire, GrantStatus.Active, Status, who, now, null, null, $"有效期至 {ExpiresOn:yyyy-MM-dd}");
    }

    private void RequireActive(DateTime now, string action, string? hint)
    {
        var status = EffectiveStatus(now);
        if (status == GrantStatus.Active) return;
        throw new SharingException($"当前状态为“{SharingTerms.Label(status)}”，不能{action}" + (hint is null ? "" : "：" + hint));
    }

    private GrantEvent Record(GrantAction action, GrantStatus? from, GrantStatus to, Actor who, DateTime now, string? reason, Guid? requestId, string? detail)
    {
        var e = new GrantEvent
        {
            Id = Guid.CreateVersion7(),
            GrantId = Id,
            Seq = ++EventCount,
            Action = action,
            FromStatus = from,
            ToStatus = to,
            ActorId = who.UserId,
            ActorName = who.Name,
            ActorDepartmentId = who.DepartmentId,
            At = now,
            Reason = reason,
            RequestId = requestId,
            Detail = detail,
        };
        Events.Add(e);
        UpdatedAt = now;
        Version++;
        return e;
    }
}

/// <summary>Who holds a grant (<c>exchange_grants.holder_kind</c>).</summary>
internal static class GrantHolders
{
    /// <summary>A consumer department (the government exchange).</summary>
    public const string Department = "department";
    /// <summary>A public (developer) account (有条件开放 through the portal).</summary>
    public const string Public = "public";
}

/// <summary>One change of a grant (<c>exchange_grant_events</c>).</summary>
internal sealed class GrantEvent
{
    public Guid Id { get; set; }
    public Guid GrantId { get; set; }
    public int Seq { get; set; }
    public GrantAction Action { get; set; }
    public GrantStatus? FromStatus { get; set; }
    public GrantStatus ToStatus { get; set; }
    public Guid? ActorId { get; set; }
    public required string ActorName { get; set; }
    public Guid? ActorDepartmentId { get; set; }
    public DateTime At { get; set; }
    public string? Reason { get; set; }
    /// <summary>The request behind the change (issue, renewal).</summary>
    public Guid? RequestId { get; set; }
    public string? Detail { get; set; }

    /// <summary>Chinese summary: 撤销（有效 → 已撤销）.</summary>
    public string Describe() =>
        SharingTerms.Label(Action) +
        (FromStatus is { } f && f != ToStatus ? $"（{SharingTerms.Label(f)} → {SharingTerms.Label(ToStatus)}）" : $"（{SharingTerms.Label(ToStatus)}）");
}
