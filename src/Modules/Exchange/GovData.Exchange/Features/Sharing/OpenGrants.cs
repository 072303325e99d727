using GovData.Catalog.Contracts;
using GovData.Exchange.Contracts;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Sharing;

/// <summary>
/// <see cref="IOpenGrants"/>: grants held by public accounts, in <c>exchange_grants</c> (<c>holder_kind = 'public'</c>),
/// issued and revoked through <see cref="SharingWriter"/> so that they record the same grant events and audit entries as
/// department grants. The only code that reads public grants (everything else sees the department filter of the model).
/// </summary>
internal sealed class OpenGrants(ExchangeDb db, SharingWriter writer, ICatalogResources catalog, SharingClock clock, IAuditTrail audit) : IOpenGrants
{
    /// <summary>The audit kind of a read through the open API.</summary>
    public const string AccessKind = AuditKinds.Open;

    private IQueryable<Grant> Public() => db.Grants().IgnoreQueryFilters().Where(g => g.HolderKind == GrantHolders.Public);

    public async Task<OpenGrantOutcome> IssueAsync(OpenGrantActor provider, OpenGrantIssue issue, CancellationToken ct = default)
    {
        if (!ResourceCode.TryParse(issue.ResourceCode, out var code)) return Invalid("resourceCode", $"资源代码“{issue.ResourceCode}”格式不正确");
        var resource = await catalog.FindAsync(code, ct);
        if (resource is null || resource.Status != EntryStatus.Published)
            return Invalid("resourceCode", $"资源“{issue.ResourceCode}”不存在或未发布");
        if (resource.OpenType != OpenType.Conditional)
            return Invalid("resourceCode", $"资源“{resource.Name}”不是有条件开放资源，无须申请授权");
        if (resource.DepartmentId != provider.DepartmentId)
            return new OpenGrantOutcome(null, Refusal: "只有资源提供部门的部门管理员可以批准有条件开放申请");

        var errors = new FieldErrors();
        var byName = RequestValidator.ItemLookup(resource);
        var items = new List<string>();
        for (var i = 0; i < issue.Items.Count; i++)
        {
            var text = issue.Items[i]?.Trim();
            if (string.IsNullOrEmpty(text) || !byName.TryGetValue(text, out var field)) errors.Add("items", $"“{text}”不是资源“{resource.Name}”已发布的信息项");
            else if (!items.Contains(field)) items.Add(field);
        }
        if (issue.Items.Count == 0) errors.Add("items", "授权至少包含一个信息项");
        var scope = new List<ScopeCondition>();
        for (var i = 0; i < issue.RowScope.Count; i++)
        {
            var s = issue.RowScope[i];
            if (RequestValidator.Condition(new ScopeConditionInput(s.Field, s.Operator, [.. s.Values]), $"rowScope[{i}]", resource, byName, errors) is { } c)
                scope.Add(c);
        }
        var purpose = issue.Purpose?.Trim();
        if (string.IsNullOrEmpty(purpose)) errors.Add("purpose", "用途不能为空");
        var now = clock.UtcNow;
        var expiresAt = clock.EndOfDayUtc(issue.ExpiresOn);
        if (issue.ExpiresOn <= clock.Today) errors.Add("expiresOn", $"授权到期日必须晚于今天（{clock.Today:yyyy-MM-dd}）");
        if (errors.Any) return new OpenGrantOutcome(null, errors.Errors);

        var who = new Actor(provider.UserId, provider.Name, provider.DepartmentId);
        var result = await writer.RunAsync(batch =>
        {
            var grant = Grant.IssuePublic(issue.ApplicationId, resource, issue.HolderAccountId, issue.HolderName, items, scope, purpose!,
                issue.ExpiresOn, expiresAt, who, now);
            db.Grants().Add(grant);
            batch.Grant(grant, grant.Events[^1]);
            return Task.FromResult(SharingResult<Guid>.Success(grant.Id));
        }, "授权刚被他人修改，请刷新后重试", ct);
        return Outcome(result);
    }

    public async Task<OpenGrantOutcome> RevokeAsync(OpenGrantActor provider, Guid grantId, string? reason, CancellationToken ct = default)
    {
        var result = await writer.RunAsync(async batch =>
        {
            var g = await Public().FirstOrDefaultAsync(x => x.Id == grantId, ct);
            if (g is null) return SharingResult<Guid>.Missing();
            if (g.ProviderDepartmentId != provider.DepartmentId) return SharingResult<Guid>.Deny("只有资源提供部门的部门管理员可以撤销授权");
            batch.Grant(g, g.Revoke(new Actor(provider.UserId, provider.Name, provider.DepartmentId), clock.UtcNow, reason));
            return SharingResult<Guid>.Success(g.Id);
        }, "该授权刚被他人修改，请刷新后重试", ct);
        return result.NotFound ? new OpenGrantOutcome(null, Refusal: GrantService.NotFoundMessage) : Outcome(result);
    }

    public async Task<OpenGrant?> GetAsync(Guid grantId, DateTime now, CancellationToken ct = default)
    {
        var g = await Public().AsNoTracking().FirstOrDefaultAsync(x => x.Id == grantId, ct);
        return g is null ? null : ToContract(g, now);
    }

    public async Task<(OpenGrantState State, OpenGrant? Grant)> FindAsync(Guid accountId, string resourceCode, DateTime now, CancellationToken ct = default)
    {
        var grants = await Public().AsNoTracking()
            .Where(g => g.HolderAccountId == accountId && g.ResourceCode == resourceCode)
            .ToListAsync(ct);
        if (grants.Count == 0) return (OpenGrantState.None, null);
        var usable = grants.Where(g => g.IsUsable(now)).MaxBy(g => g.ExpiresAt);
        var chosen = usable ?? grants.MaxBy(g => g.CreatedAt)!;
        var grant = ToContract(chosen, now);
        return (grant.State, grant);
    }

    public Task RecordAccessAsync(OpenGrantAccess access, CancellationToken ct = default) =>
        audit.AppendAsync(new AuditRecord(
            AuditKinds.Open, access.Allowed ? AuditOutcomes.Ok : AuditOutcomes.Denied,
            ProviderDepartmentId: access.ProviderDepartmentId, ClientId: access.ClientId, UserId: access.AccountId,
            ResourceCode: access.ResourceCode, GrantId: access.GrantId, RowsReturned: access.RowsReturned, Detail: access.Detail), ct);

    private static OpenGrant ToContract(Grant g, DateTime now) => new(
        g.Id, g.RequestId, g.ResourceCode, g.ProviderDepartmentId, g.HolderAccountId!.Value, g.Items,
        SharingGrantLookup.ToAccessGrant(g).RowConditions, g.Purpose, g.StartsAt, g.ExpiresOn, g.ExpiresAt,
        g.EffectiveStatus(now) switch
        {
            GrantStatus.Active => OpenGrantState.Active,
            GrantStatus.Revoked => OpenGrantState.Revoked,
            _ => OpenGrantState.Expired,
        },
        g.RevokedAt, g.RevokeReason);

    private static OpenGrantOutcome Invalid(string field, string message) => new(null, new Dictionary<string, string[]> { [field] = [message] });

    private static OpenGrantOutcome Outcome(SharingResult<Guid> result) =>
        result.Ok ? new OpenGrantOutcome(result.Value)
        : result.Errors is { } e ? new OpenGrantOutcome(null, e)
        : new OpenGrantOutcome(null, Refusal: result.Forbidden ?? result.Conflict ?? "操作未完成");
}
