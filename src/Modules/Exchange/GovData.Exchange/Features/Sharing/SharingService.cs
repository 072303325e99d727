using GovData.Catalog.Contracts;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Sharing;

/// <summary>Filters of the request lists.</summary>
/// <param name="Status">A status code, or <c>all</c>.</param>
/// <param name="Overdue">Only overdue (true) / only on time (false).</param>
/// <param name="Keyword">Part of the resource name or code.</param>
/// <param name="Page">Page number from 1.</param>
/// <param name="PageSize">1–200.</param>
internal sealed record RequestListQuery(string? Status = null, bool? Overdue = null, string? Keyword = null, int? Page = null, int? PageSize = null);

/// <summary>Which list of requests.</summary>
internal enum RequestBox
{
    /// <summary>My department's requests (consumer).</summary>
    Consumer,
    /// <summary>Requests for my department's resources (provider); default: waiting for the decision.</summary>
    Provider,
    /// <summary>The competent department's queue: compliance checks, escalations, overdue requests of its region.</summary>
    Competent,
}

/// <summary>
/// Requests (共享申请): creation against the published catalog, the named transitions with permissions per role, approval
/// into grants (new) or longer grants (续期), and the lists with working-day timers. Every change runs through
/// <see cref="SharingWriter"/> (events + audit in one transaction).
/// </summary>
internal sealed class SharingService(
    ExchangeDb db, SharingWriter writer, ICatalogResources catalog, IDepartmentDirectory departments, RegionDirectory regions,
    CalendarService calendar, SharingClock clock, IOptions<SharingOptions> options)
{
    public const string NotFoundMessage = "共享申请不存在或不在您的查看范围内";
    private const string ConflictMessage = "该申请刚被他人处理，请刷新后重试";
    private const string OpenRenewalMessage = "该授权已有办理中的续期申请，请等待办理结果";

    private SharingOptions Options => options.Value;

    // ---- creation -------------------------------------------------------------------------------------------------

    /// <summary>申请: a consumer department asks for a published, shared resource (submitted at once unless <c>submit=false</c>).</summary>
    public async Task<SharingResult<RequestDto>> CreateAsync(SharingActor actor, CreateRequestInput? input, CancellationToken ct)
    {
        if (!actor.IsConsumerStaff) return SharingResult<RequestDto>.Deny("只有部门用数人员或部门管理员可以申请共享数据");
        if (input is null) return SharingResult<RequestDto>.Invalid("body", "请求体不能为空：请提交 resourceCode、purpose、legalBasis、businessCase、items、accessModes、durationDays");
        var errors = new FieldErrors();
        CatalogResource? resource = null;
        var codeText = input.ResourceCode?.Trim();
        if (string.IsNullOrEmpty(codeText)) errors.Add("resourceCode", "resourceCode（信息资源代码）不能为空");
        else if (!ResourceCode.TryParse(codeText, out var code, out var codeError)) errors.Add("resourceCode", codeError);
        else
        {
            resource = await catalog.FindAsync(code, ct);
            if (resource is null || resource.Status != EntryStatus.Published)
            {
                errors.Add("resourceCode", $"资源 {code} 不存在或未发布，只能申请共享目录中已发布的资源");
                resource = null;
            }
            else if (ShareCatalog.NotRequestable(resource, actor) is { } why)
            {
                errors.Add("resourceCode", $"资源“{resource.Name}”不能申请：{why}");
                resource = null;
            }
        }
        var content = RequestValidator.Validate(input, resource, Options.MaxGrantDays, errors);
        if (errors.Any || content is null || resource is null) return SharingResult<RequestDto>.Invalid(errors.Errors);

        var target = await TargetAsync(resource, ct);
        if (target is null) return SharingResult<RequestDto>.Invalid("resourceCode", $"资源“{resource.Name}”的提供部门已不存在，不能申请");
        var deadlines = await calendar.DeadlinesAsync(ct);
        var who = actor.ToActor();
        var result = await writer.RunAsync(async batch =>
        {
            var now = clock.UtcNow;
            var r = SharingRequest.Create(target, content, who, actor.Department!.Id, now);
            db.Requests().Add(r);
            batch.Request(r, r.Events[^1]);
            if (input.Submit != false) await SubmitAndAutoPassAsync(r, who, now, deadlines, batch, ct);
            return SharingResult<SharingRequest>.Success(r);
        }, ConflictMessage, ct);
        return await ToDetailAsync(actor, result, ct);
    }

    /// <summary>续期: the consumer asks for a longer term of an active grant; the request runs through the same flow.</summary>
    public async Task<SharingResult<RequestDto>> RenewAsync(SharingActor actor, Guid grantId, RenewalInput? input, CancellationToken ct)
    {
        var grant = await db.Grants().AsNoTracking().FirstOrDefaultAsync(g => g.Id == grantId, ct);
        if (grant is null) return SharingResult<RequestDto>.Missing();
        if (!actor.IsConsumerOf(grant.ConsumerDepartmentId))
        {
            var region = (await departments.FindAsync(grant.ProviderDepartmentId, ct))?.RegionCode;
            return actor.CanSee(grant, region, regions)
                ? SharingResult<RequestDto>.Deny("只有被授权部门的用数人员或部门管理员可以申请续期")
                : SharingResult<RequestDto>.Missing();
        }
        if (input is null) return SharingResult<RequestDto>.Invalid("body", "请求体不能为空：请提交 durationDays（续期天数）与 reason（续期理由）");
        var errors = new FieldErrors();
        var days = RequestValidator.Duration(input.DurationDays, Options.MaxGrantDays, errors);
        var reason = input.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) errors.Add("reason", "reason（续期理由）不能为空");
        else if (reason.Length > RequestValidator.MaxTextLength) errors.Add("reason", $"reason（续期理由）不能超过{RequestValidator.MaxTextLength}个字");
        if (errors.Any) return SharingResult<RequestDto>.Invalid(errors.Errors);

        var now = clock.UtcNow;
        if (!grant.IsUsable(now))
            return SharingResult<RequestDto>.Clash($"授权当前状态为“{SharingTerms.Label(grant.EffectiveStatus(now))}”，不能续期：请重新提交共享申请");
        var open = await db.Requests().AsNoTracking().AnyAsync(r => r.GrantId == grantId && r.Kind == RequestKind.Renewal
            && (r.Status == RequestStatus.Draft || r.Status == RequestStatus.PendingCompliance || r.Status == RequestStatus.PendingProvider), ct);
        if (open) return SharingResult<RequestDto>.Clash(OpenRenewalMessage);
        var resource = await catalog.FindAsync(grant.ResourceEntryId, ct);
        if (resource is null || resource.Status != EntryStatus.Published)
            return SharingResult<RequestDto>.Clash($"资源“{grant.ResourceName}”已下线，不能续期");
        if (ShareCatalog.NotRequestable(resource, actor) is { } why)
            return SharingResult<RequestDto>.Clash($"资源“{resource.Name}”不能续期：{why}");
        var target = await TargetAsync(resource, ct);
        if (target is null) return SharingResult<RequestDto>.Clash($"资源“{resource.Name}”的提供部门已不存在，不能续期");

        var content = new RequestContent(grant.Purpose, grant.LegalBasis, grant.BusinessCase, grant.Items, grant.RowScope, grant.AccessModes, days);
        var deadlines = await calendar.DeadlinesAsync(ct);
        var who = actor.ToActor();
        var result = await writer.RunAsync(async batch =>
        {
            var r = SharingRequest.Create(target, content, who, grant.ConsumerDepartmentId, now, RequestKind.Renewal, grant.Id, reason);
            db.Requests().Add(r);
            batch.Request(r, r.Events[^1]);
            await SubmitAndAutoPassAsync(r, who, now, deadlines, batch, ct);
            return SharingResult<SharingRequest>.Success(r);
        }, OpenRenewalMessage, ct);
        return await ToDetailAsync(actor, result, ct);
    }

    // ---- transitions ----------------------------------------------------------------------------------------------

    public Task<SharingResult<RequestDto>> SubmitAsync(SharingActor actor, Guid id, TransitionInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, RequestAction.Submit, (r, who, now, deadlines, batch) =>
            SubmitAndAutoPassAsync(r, who, now, deadlines, batch, ct), ct);

    public Task<SharingResult<RequestDto>> PassComplianceAsync(SharingActor actor, Guid id, TransitionInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, RequestAction.PassCompliance, async (r, who, now, deadlines, batch) =>
        {
            batch.Request(r, r.PassCompliance(who, now, deadlines, input?.Note));
            if (r.Status == RequestStatus.Approved) await CompleteApprovalAsync(r, who, now, null, batch, ct);
        }, ct);

    public Task<SharingResult<RequestDto>> FailComplianceAsync(SharingActor actor, Guid id, TransitionInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, RequestAction.FailCompliance, (r, who, now, _, batch) =>
        {
            batch.Request(r, r.FailCompliance(who, now, input?.Reason));
            return Task.CompletedTask;
        }, ct);

    public Task<SharingResult<RequestDto>> ApproveAsync(SharingActor actor, Guid id, ApproveInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, RequestAction.Approve, async (r, who, now, _, batch) =>
        {
            // Refuse an illegal state before looking at the terms, so the caller learns the real reason first.
            if (SharingRequest.Refusal(r.Status, RequestAction.Approve) is { } refusal) throw new SharingException(refusal);
            var terms = await TermsAsync(r, input, now, ct);
            batch.Request(r, r.Approve(who, now, input?.Note));
            await CompleteApprovalAsync(r, who, now, terms, batch, ct);
        }, ct);

    public Task<SharingResult<RequestDto>> RefuseAsync(SharingActor actor, Guid id, TransitionInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, RequestAction.Refuse, (r, who, now, _, batch) =>
        {
            batch.Request(r, r.Refuse(who, now, input?.Reason));
            return Task.CompletedTask;
        }, ct);

    public Task<SharingResult<RequestDto>> WithdrawAsync(SharingActor actor, Guid id, TransitionInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, RequestAction.Withdraw, (r, who, now, _, batch) =>
        {
            batch.Request(r, r.Withdraw(who, now, input?.Reason));
            return Task.CompletedTask;
        }, ct);

    public Task<SharingResult<RequestDto>> EscalateAsync(SharingActor actor, Guid id, TransitionInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, RequestAction.Escalate, (r, who, now, _, batch) =>
        {
            batch.Request(r, r.Escalate(who, now, input?.Reason));
            return Task.CompletedTask;
        }, ct);

    public Task<SharingResult<RequestDto>> CoordinateAsync(SharingActor actor, Guid id, CoordinateInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, RequestAction.Coordinate, (r, who, now, deadlines, batch) =>
        {
            var errors = new FieldErrors();
            var due = CalendarService.ParseDay(input?.DueOn, "dueOn", errors);
            if (errors.Any) throw new SharingException(errors.Errors);
            batch.Request(r, r.Coordinate(who, now, input?.Note, due, deadlines));
            return Task.CompletedTask;
        }, ct);

    /// <summary>Why <paramref name="actor"/> may not perform <paramref name="action"/> on <paramref name="r"/>, or null.</summary>
    public string? Permission(SharingActor actor, SharingRequest r, RequestAction action) => action switch
    {
        RequestAction.Submit or RequestAction.Withdraw or RequestAction.Escalate => actor.IsConsumerOf(r.ConsumerDepartmentId)
            ? null : $"只有申请部门的用数人员或部门管理员可以{SharingTerms.Label(action)}",
        RequestAction.PassCompliance or RequestAction.FailCompliance or RequestAction.Coordinate => actor.IsCompetentFor(r.ProviderRegionCode, regions)
            ? null : $"只有主管部门的目录审核员或平台管理员可以{SharingTerms.Label(action)}",
        RequestAction.Approve or RequestAction.Refuse => actor.IsProviderOf(r.ProviderDepartmentId)
            ? null : $"只有资源提供部门的部门管理员可以{SharingTerms.Label(action)}",
        _ => "该操作不能由用户执行",
    };

    private async Task<SharingResult<RequestDto>> TransitionAsync(SharingActor actor, Guid id, int? version, RequestAction action,
        Func<SharingRequest, Actor, DateTime, DeadlinePolicy, AuditBatch, Task> apply, CancellationToken ct)
    {
        var deadlines = await calendar.DeadlinesAsync(ct);
        var result = await writer.RunAsync(async batch =>
        {
            var r = await db.Requests().FirstOrDefaultAsync(x => x.Id == id, ct);
            if (r is null || !actor.CanSee(r, regions)) return SharingResult<SharingRequest>.Missing();
            if (Permission(actor, r, action) is { } denied) return SharingResult<SharingRequest>.Deny(denied);
            if (version is { } v && v != r.Version)
                return SharingResult<SharingRequest>.Clash($"申请已被他人处理（您读取的版本为 {v}，当前为 {r.Version}），请刷新后重试");
            await apply(r, actor.ToActor(), clock.UtcNow, deadlines, batch);
            return SharingResult<SharingRequest>.Success(r);
        }, ConflictMessage, ct);
        return await ToDetailAsync(actor, result, ct);
    }

    /// <summary>Submit; for 无条件共享 with auto-pass configured, the platform passes the compliance check and issues the grant.</summary>
    private async Task SubmitAndAutoPassAsync(SharingRequest r, Actor who, DateTime now, DeadlinePolicy deadlines, AuditBatch batch, CancellationToken ct)
    {
        batch.Request(r, r.Submit(who, now, deadlines));
        if (r.ShareType != ShareType.Unconditional || !Options.AutoPassUnconditional) return;
        var system = Actor.System("系统（无条件共享自动通过合规审查）");
        batch.Request(r, r.PassCompliance(system, now, deadlines, "无条件共享资源，按平台配置自动通过合规审查"));
        await CompleteApprovalAsync(r, system, now, null, batch, ct);
    }

    /// <summary>An approved request issues its grant (new) or extends the grant it renews.</summary>
    private async Task CompleteApprovalAsync(SharingRequest r, Actor who, DateTime now, GrantTerms? terms, AuditBatch batch, CancellationToken ct)
    {
        if (r.Kind == RequestKind.New)
        {
            var grant = Grant.Issue(r, terms ?? DefaultTerms(r, now), who, now);
            db.Grants().Add(grant);
            r.AttachGrant(grant.Id);
            batch.Grant(grant, grant.Events[^1]);
            return;
        }
        var renewed = await db.Grants().FirstOrDefaultAsync(g => g.Id == r.GrantId, ct)
            ?? throw new SharingException("续期所指的授权不存在");
        var from = Later(renewed.ExpiresOn, clock.LocalDate(now));
        var on = terms?.ExpiresOn ?? from.AddDays(r.DurationDays);
        batch.Grant(renewed, renewed.Renew(on, clock.EndOfDayUtc(on), who, now, r.Id));
        r.AttachGrant(renewed.Id);
    }

    private GrantTerms DefaultTerms(SharingRequest r, DateTime now)
    {
        var on = clock.LocalDate(now).AddDays(r.DurationDays);
        SharingTerms.TryParse<QuotaUnit>(Options.DefaultQuotaUnit, out var unit);
        return new GrantTerms(r.Items, false, Options.DefaultDailyQuota > 0 ? Options.DefaultDailyQuota : null, unit,
            Options.DefaultRateLimitPerMinute > 0 ? Options.DefaultRateLimitPerMinute : null, on, clock.EndOfDayUtc(on));
    }

    /// <summary>The provider's terms, checked (400 naming the field); defaults for what is left out.</summary>
    private async Task<GrantTerms> TermsAsync(SharingRequest r, ApproveInput? input, DateTime now, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var today = clock.LocalDate(now);
        var defaults = DefaultTerms(r, now);
        if (r.Kind == RequestKind.Renewal)
        {
            if (input?.Items is not null) errors.Add("items", "续期只延长有效期，不能修改授权的信息项");
            if (input?.RawAllowed is not null) errors.Add("rawAllowed", "续期只延长有效期，不能修改是否允许原始值");
            if (input?.DailyQuota is not null) errors.Add("dailyQuota", "续期只延长有效期，不能修改每日限额");
            if (input?.QuotaUnit is not null) errors.Add("quotaUnit", "续期只延长有效期，不能修改限额单位");
            if (input?.RateLimitPerMinute is not null) errors.Add("rateLimitPerMinute", "续期只延长有效期，不能修改频率限制");
            var grant = await db.Grants().AsNoTracking().FirstOrDefaultAsync(g => g.Id == r.GrantId, ct);
            var from = Later(grant?.ExpiresOn ?? today, today);
            var expires = ExpiresOn(input?.ExpiresOn, today, from.AddDays(r.DurationDays), from.AddDays(Options.MaxGrantDays), errors);
            Throw(errors);
            return defaults with { ExpiresOn = expires, ExpiresAt = clock.EndOfDayUtc(expires) };
        }

        var items = r.Items;
        if (input?.Items is not null)
        {
            items = [];
            if (input.Items.Count == 0) errors.Add("items", "items（授权的信息项）至少包含一个信息项；不填则授权申请的全部信息项");
            for (var i = 0; i < input.Items.Count; i++)
            {
                var text = input.Items[i]?.Trim();
                var match = r.Items.FirstOrDefault(x => string.Equals(x, text, StringComparison.OrdinalIgnoreCase));
                if (match is null) errors.Add($"items[{i}]", $"“{input.Items[i]}”不在申请的信息项中（{string.Join("、", r.Items)}）");
                else if (!items.Contains(match)) items.Add(match);
            }
        }
        var unit = defaults.QuotaUnit;
        if (input?.QuotaUnit is { } u && !SharingTerms.TryParse(u, out unit))
            errors.Add("quotaUnit", $"quotaUnit 只能是 rows（行/日）或 calls（次/日），收到“{u}”");
        if (input?.DailyQuota is < 1) errors.Add("dailyQuota", "dailyQuota（每日限额）必须是正整数");
        if (input?.RateLimitPerMinute is < 1) errors.Add("rateLimitPerMinute", "rateLimitPerMinute（每分钟调用次数）必须是正整数");
        var on = ExpiresOn(input?.ExpiresOn, today, defaults.ExpiresOn, today.AddDays(Options.MaxGrantDays), errors);
        Throw(errors);
        return new GrantTerms(items, input?.RawAllowed ?? false, input?.DailyQuota ?? defaults.DailyQuota, unit,
            input?.RateLimitPerMinute ?? defaults.RateLimitPerMinute, on, clock.EndOfDayUtc(on));
    }

    private static DateOnly ExpiresOn(string? text, DateOnly today, DateOnly fallback, DateOnly latest, FieldErrors errors)
    {
        var day = CalendarService.ParseDay(text, "expiresOn", errors);
        if (day is null) return fallback;
        if (day <= today) errors.Add("expiresOn", $"expiresOn（到期日）必须晚于今天（{today:yyyy-MM-dd}）");
        else if (day > latest) errors.Add("expiresOn", $"expiresOn（到期日）不能晚于 {latest:yyyy-MM-dd}");
        return day.Value;
    }

    private static void Throw(FieldErrors errors)
    {
        if (!errors.Any) return;
        throw new SharingException(errors.Errors);
    }

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private async Task<RequestedResource?> TargetAsync(CatalogResource resource, CancellationToken ct)
    {
        var provider = await departments.FindAsync(resource.DepartmentId, ct);
        if (provider is null) return null;
        var competent = await departments.CompetentForRegionAsync(provider.RegionCode, ct);
        return new RequestedResource(resource.EntryId, resource.Code.ToString(), resource.Name, resource.ShareType ?? ShareType.NotShared,
            provider.Id, provider.RegionCode, competent?.Id);
    }

    // ---- reading --------------------------------------------------------------------------------------------------

    /// <summary>One request, with the actions the caller may take and its history.</summary>
    public async Task<RequestDto?> GetAsync(SharingActor actor, Guid id, CancellationToken ct)
    {
        var r = await db.Requests().AsNoTracking().Include(x => x.Events).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null || !actor.CanSee(r, regions)) return null;
        var names = await NamesAsync(ct);
        var cal = await calendar.LoadAsync(ct);
        var now = clock.UtcNow;
        var allowed = r.AllowedActions(now).Where(a => Permission(actor, r, a) is null).Select(SharingTerms.Code).ToList();
        return new RequestDto(r.Id, SharingTerms.Code(r.Kind), SharingTerms.Label(r.Kind), r.Kind == RequestKind.Renewal ? r.GrantId : null,
            r.ResourceEntryId, r.ResourceCode, r.ResourceName, CatalogTerms.Label(r.ShareType),
            r.ProviderDepartmentId, names.GetValueOrDefault(r.ProviderDepartmentId), r.ConsumerDepartmentId, names.GetValueOrDefault(r.ConsumerDepartmentId),
            r.CompetentDepartmentId, r.CompetentDepartmentId is { } c ? names.GetValueOrDefault(c) : null, r.ApplicantName,
            r.Purpose, r.LegalBasis, r.BusinessCase, r.Items, Scope(r.RowScope), Modes(r.AccessModes), r.DurationDays,
            SharingTerms.Code(r.Status), SharingTerms.Label(r.Status), r.CreatedAt, r.SubmittedAt, Timer(r, cal, now), r.IsOverdue(now),
            r.ComplianceDueOn, r.ProviderDueOn, r.DecidedAt, r.DecisionReason, r.IsEscalated, r.EscalatedAt, r.EscalationReason,
            r.CoordinatedAt, r.CoordinationNote, r.ResultingGrantId, r.Version, allowed,
            r.Events.OrderBy(e => e.Seq).Select(ToDto).ToList());
    }

    /// <summary>A list of requests: the consumer's, the provider's or the competent department's, with timers.</summary>
    public async Task<SharingResult<PageDto<RequestSummaryDto>>> ListAsync(SharingActor actor, RequestBox box, RequestListQuery q, CancellationToken ct,
        FieldErrors? errors = null)
    {
        var denied = box switch
        {
            RequestBox.Consumer when !actor.IsConsumerStaff => "只有部门用数人员或部门管理员可以查看本部门的共享申请",
            RequestBox.Provider when !actor.IsDepartmentAdmin => "只有部门管理员可以审批本部门资源的共享申请",
            RequestBox.Competent when !actor.HasCompetentRole => "只有主管部门的目录审核员或平台管理员可以查看合规审查与协调队列",
            _ => null,
        };
        if (denied is not null) return SharingResult<PageDto<RequestSummaryDto>>.Deny(denied);
        errors ??= new FieldErrors();
        var (page, size) = errors.Paging(q.Page, q.PageSize);
        RequestStatus? status = null;
        var all = string.Equals(q.Status?.Trim(), "all", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(q.Status) && !all)
        {
            if (SharingTerms.TryParse<RequestStatus>(q.Status, out var s)) status = s;
            else errors.Add("status", $"status 只能是 all、{SharingTerms.Codes<RequestStatus>()}，收到“{q.Status}”");
        }
        var keyword = q.Keyword?.Trim();
        if (keyword is { Length: > 100 }) errors.Add("keyword", "keyword 不能超过100个字");
        if (errors.Any) return SharingResult<PageDto<RequestSummaryDto>>.Invalid(errors.Errors);

        var now = clock.UtcNow;
        var query = db.Requests().AsNoTracking();
        var deptId = actor.Department?.Id;
        switch (box)
        {
            case RequestBox.Consumer:
                query = query.Where(r => r.ConsumerDepartmentId == deptId);
                break;
            case RequestBox.Provider:
                query = query.Where(r => r.ProviderDepartmentId == deptId && r.Status != RequestStatus.Draft);
                if (status is null && !all) status = RequestStatus.PendingProvider;
                break;
            case RequestBox.Competent:
                // Waiting for the compliance check, escalated, or overdue in any pending phase (refined by region below).
                if (status is null && !all)
                    query = query.Where(r => r.Status == RequestStatus.PendingCompliance || r.IsEscalated
                        || (r.Status == RequestStatus.PendingProvider && r.DueAt != null && r.DueAt <= now));
                else query = query.Where(r => r.Status != RequestStatus.Draft);
                break;
        }
        if (status is { } st) query = query.Where(r => r.Status == st);
        if (q.Overdue is { } overdue)
        {
            query = overdue
                ? query.Where(r => (r.Status == RequestStatus.PendingCompliance || r.Status == RequestStatus.PendingProvider) && r.DueAt != null && r.DueAt <= now)
                : query.Where(r => !((r.Status == RequestStatus.PendingCompliance || r.Status == RequestStatus.PendingProvider) && r.DueAt != null && r.DueAt <= now));
        }
        if (!string.IsNullOrEmpty(keyword)) query = query.Where(r => r.ResourceName.Contains(keyword) || r.ResourceCode.Contains(keyword));

        List<SharingRequest> rows;
        int total;
        if (box == RequestBox.Competent && !actor.IsPlatformAdmin)
        {
            var candidates = await query.ToListAsync(ct);
            var inReach = candidates.Where(r => actor.IsCompetentFor(r.ProviderRegionCode, regions)).ToList();
            total = inReach.Count;
            rows = Order(inReach.AsQueryable(), box).Skip((page - 1) * size).Take(size).ToList();
        }
        else
        {
            total = await query.CountAsync(ct);
            rows = await Order(query, box).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        }
        var names = await NamesAsync(ct);
        var cal = await calendar.LoadAsync(ct);
        var items = rows.Select(r => Summary(r, names, cal, now)).ToList();
        return SharingResult<PageDto<RequestSummaryDto>>.Success(new PageDto<RequestSummaryDto>(items, total, page, size));
    }

    /// <summary>Queues put the most urgent first (earliest due); the consumer's list the newest first.</summary>
    private static IQueryable<SharingRequest> Order(IQueryable<SharingRequest> q, RequestBox box) => box == RequestBox.Consumer
        ? q.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
        : q.OrderBy(r => r.DueAt == null).ThenBy(r => r.DueAt).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id);

    private RequestSummaryDto Summary(SharingRequest r, IReadOnlyDictionary<Guid, string> names, WorkingDayCalendar cal, DateTime now) =>
        new(r.Id, SharingTerms.Code(r.Kind), SharingTerms.Label(r.Kind), r.ResourceCode, r.ResourceName, CatalogTerms.Label(r.ShareType),
            r.ProviderDepartmentId, names.GetValueOrDefault(r.ProviderDepartmentId), r.ConsumerDepartmentId, names.GetValueOrDefault(r.ConsumerDepartmentId),
            r.ApplicantName, SharingTerms.Code(r.Status), SharingTerms.Label(r.Status), r.CreatedAt, r.SubmittedAt, Timer(r, cal, now),
            r.IsOverdue(now), r.IsEscalated, r.ResultingGrantId ?? r.GrantId, r.Version);

    /// <summary>The working-day timer of a pending request.</summary>
    public TimerDto? Timer(SharingRequest r, WorkingDayCalendar cal, DateTime now)
    {
        if (!r.IsPending || r.DueOn is not { } dueOn || r.DueAt is not { } dueAt || r.PhaseStartedAt is not { } started) return null;
        var today = clock.LocalDate(now);
        var overdue = r.IsOverdue(now);
        var compliance = r.Status == RequestStatus.PendingCompliance;
        return new TimerDto(compliance ? "compliance" : "provider", compliance ? "合规审查" : "提供方审批", started, dueOn, dueAt,
            cal.WorkingDaysBetween(clock.LocalDate(started), today), overdue ? 0 : Math.Max(0, cal.WorkingDaysBetween(today, dueOn)), overdue,
            overdue ? Math.Max(0, cal.WorkingDaysBetween(dueOn, today)) : 0);
    }

    private async Task<SharingResult<RequestDto>> ToDetailAsync(SharingActor actor, SharingResult<SharingRequest> result, CancellationToken ct)
    {
        if (!result.Ok || result.Value is not { } r) return result.As<RequestDto>();
        var dto = await GetAsync(actor, r.Id, ct);
        return dto is null ? SharingResult<RequestDto>.Missing() : SharingResult<RequestDto>.Success(dto);
    }

    private async Task<Dictionary<Guid, string>> NamesAsync(CancellationToken ct) =>
        (await departments.ListAsync(ct)).ToDictionary(d => d.Id, d => d.Name);

    public static IReadOnlyList<ScopeConditionDto> Scope(IEnumerable<ScopeCondition> scope) =>
        scope.Select(c => new ScopeConditionDto(c.Field, c.Op, SharingTerms.TryParse<ScopeOperator>(c.Op, out var op) ? SharingTerms.Label(op) : c.Op, c.Values))
            .ToList();

    public static IReadOnlyList<CodeLabel> Modes(IEnumerable<AccessMode> modes) =>
        modes.Select(m => new CodeLabel(SharingTerms.Code(m), SharingTerms.Label(m))).ToList();

    public static EventDto ToDto(RequestEvent e) => new(e.Seq, SharingTerms.Code(e.Action), SharingTerms.Label(e.Action),
        e.FromStatus is { } f ? SharingTerms.Code(f) : null, e.FromStatus is { } fl ? SharingTerms.Label(fl) : null,
        SharingTerms.Code(e.ToStatus), SharingTerms.Label(e.ToStatus), e.ActorId, e.ActorName, e.At, e.Reason, e.Detail);
}
