using GovData.Exchange.Features.Audit;
using GovData.Exchange.Features.Sharing;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Disputes;

/// <summary>Body of <c>POST /disputes</c>.</summary>
/// <param name="GrantId">The consumer department's grant under which the data was received.</param>
/// <param name="RecordKey">Which record (its key values, e.g. credit_code=91370…).</param>
/// <param name="Field">The item in doubt (a granted item); empty for the whole record.</param>
/// <param name="ReportedValue">The value received.</param>
/// <param name="ExpectedValue">The value believed right.</param>
/// <param name="Description">What is wrong.</param>
/// <param name="Evidence">The evidence.</param>
/// <param name="DataVersion">The data version read, when known.</param>
internal sealed record CreateDisputeInput(
    string? GrantId, string? RecordKey, string? Field, string? ReportedValue, string? ExpectedValue, string? Description, string? Evidence, int? DataVersion);

/// <summary>Body of <c>POST /disputes/{id}/correct</c>.</summary>
internal sealed record CorrectDisputeInput(int? Version = null, string? Note = null, int? CorrectedVersion = null);

/// <summary>Body of <c>POST /disputes/{id}/reject</c> and <c>/withdraw</c>.</summary>
internal sealed record DisputeReasonInput(int? Version = null, string? Reason = null);

/// <summary>A dispute as both sides see it.</summary>
internal sealed record DisputeDto(
    Guid Id, Guid GrantId, string ResourceCode, string ResourceName, Guid ProviderDepartmentId, string? ProviderDepartmentName,
    Guid ConsumerDepartmentId, string? ConsumerDepartmentName, string ReporterName, string RecordKey, string? Field, string? ReportedValue,
    string? ExpectedValue, string Description, string Evidence, int? DataVersion, string Status, string StatusLabel, DateTime CreatedAt,
    DateOnly DueOn, DateTime DueAt, bool Overdue, int WorkingDaysLeft, DateTime? ResolvedAt, string? ResolutionNote, int? CorrectedVersion,
    int Version, IReadOnlyList<string> AllowedActions, IReadOnlyList<EventDto>? Events);

/// <summary>
/// Disputes (数据异议/校核纠错): consumers report doubtful data of a granted resource with evidence; the providing department
/// verifies and corrects (linking the data version that carries the fix) or rejects with a reason within
/// <c>GovData:Exchange:DisputeWorkingDays</c> working days; both sides follow the status. Changes run through
/// <see cref="SharingWriter"/> (event + audit record <see cref="AuditKinds.DisputeChanged"/> in one transaction).
/// </summary>
internal sealed class DisputeService(
    ExchangeDb db, SharingWriter writer, IDepartmentDirectory departments, RegionDirectory regions, CalendarService calendar, SharingClock clock,
    IOptions<SharingOptions> options)
{
    public const string NotFoundMessage = "数据异议不存在或不在您的查看范围内";
    private const string ConflictMessage = "该异议刚被他人处理，请刷新后重试";
    public const int MaxKeyLength = 200;
    public const int MaxValueLength = 500;
    public const int MaxDescriptionLength = 1000;
    public const int MaxEvidenceLength = 2000;

    public async Task<SharingResult<DisputeDto>> CreateAsync(SharingActor actor, CreateDisputeInput? input, CancellationToken ct)
    {
        if (!actor.IsConsumerStaff) return SharingResult<DisputeDto>.Deny("只有部门用数人员或部门管理员可以提出数据异议");
        if (input is null) return SharingResult<DisputeDto>.Invalid("body", "请求体不能为空：请提交 grantId、recordKey、description、evidence");
        var errors = new FieldErrors();
        Grant? grant = null;
        if (string.IsNullOrWhiteSpace(input.GrantId)) errors.Add("grantId", "grantId（数据来源的授权）不能为空");
        else if (!Guid.TryParse(input.GrantId.Trim(), out var grantId)) errors.Add("grantId", $"grantId 必须是授权 ID（GUID），收到“{input.GrantId}”");
        else
        {
            grant = await db.Grants().AsNoTracking().FirstOrDefaultAsync(g => g.Id == grantId, ct);
            if (grant is null || !actor.IsConsumerOf(grant.ConsumerDepartmentId))
            {
                errors.Add("grantId", "授权不存在或不是本部门获得的授权：只能对本部门获授权使用的数据提出异议");
                grant = null;
            }
        }
        var key = Text(input.RecordKey, "recordKey", "记录标识（如 credit_code=91370…）", MaxKeyLength, true, errors);
        string? field = null;
        var fieldText = input.Field?.Trim();
        if (!string.IsNullOrEmpty(fieldText) && grant is not null)
        {
            field = grant.Items.FirstOrDefault(i => string.Equals(i, fieldText, StringComparison.OrdinalIgnoreCase));
            if (field is null) errors.Add("field", $"“{fieldText}”不是授权的信息项（{string.Join("、", grant.Items)}）");
        }
        var reported = Text(input.ReportedValue, "reportedValue", "收到的值", MaxValueLength, false, errors);
        var expected = Text(input.ExpectedValue, "expectedValue", "应为的值", MaxValueLength, false, errors);
        var description = Text(input.Description, "description", "异议说明", MaxDescriptionLength, true, errors);
        var evidence = Text(input.Evidence, "evidence", "证明材料", MaxEvidenceLength, true, errors);
        if (input.DataVersion is < 1) errors.Add("dataVersion", "dataVersion（数据版本号）必须是正整数");
        if (errors.Any || grant is null) return SharingResult<DisputeDto>.Invalid(errors.Errors);

        var provider = await departments.FindAsync(grant.ProviderDepartmentId, ct);
        var deadlines = await calendar.DeadlinesAsync(ct);
        var content = new DisputeContent(key!, field, reported, expected, description!, evidence!, input.DataVersion);
        var who = actor.ToActor();
        var result = await writer.RunAsync(batch =>
        {
            var now = clock.UtcNow;
            var d = Dispute.Create(grant, provider?.RegionCode ?? "", content, who, now, deadlines.Due(now, Math.Max(1, options.Value.DisputeWorkingDays)));
            db.Disputes().Add(d);
            batch.Records.Add(Audit(d, d.Events[^1]));
            return Task.FromResult(SharingResult<Dispute>.Success(d));
        }, ConflictMessage, ct);
        return await ToDtoAsync(actor, result, ct);
    }

    public Task<SharingResult<DisputeDto>> CorrectAsync(SharingActor actor, Guid id, CorrectDisputeInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, DisputeAction.Correct, (d, who, now) => d.Correct(who, now, input?.Note, input?.CorrectedVersion), ct);

    public Task<SharingResult<DisputeDto>> RejectAsync(SharingActor actor, Guid id, DisputeReasonInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, DisputeAction.Reject, (d, who, now) => d.Reject(who, now, input?.Reason), ct);

    public Task<SharingResult<DisputeDto>> WithdrawAsync(SharingActor actor, Guid id, DisputeReasonInput? input, CancellationToken ct) =>
        TransitionAsync(actor, id, input?.Version, DisputeAction.Withdraw, (d, who, now) => d.Withdraw(who, now, input?.Reason), ct);

    /// <summary>Why <paramref name="actor"/> may not perform <paramref name="action"/>, or null.</summary>
    public static string? Permission(SharingActor actor, Dispute d, DisputeAction action) => action switch
    {
        DisputeAction.Correct or DisputeAction.Reject => actor.IsProviderOf(d.ProviderDepartmentId)
            ? null : $"只有资源提供部门的部门管理员可以{DisputeTerms.Label(action)}",
        DisputeAction.Withdraw => actor.IsConsumerOf(d.ConsumerDepartmentId) ? null : "只有提出异议的部门可以撤回异议",
        _ => "该操作不能由用户执行",
    };

    private bool CanSee(SharingActor actor, Dispute d) =>
        actor.IsConsumerOf(d.ConsumerDepartmentId) || actor.IsProviderOf(d.ProviderDepartmentId) || actor.IsAuditor
        || actor.IsCompetentFor(d.ProviderRegionCode, regions);

    private async Task<SharingResult<DisputeDto>> TransitionAsync(SharingActor actor, Guid id, int? version, DisputeAction action,
        Func<Dispute, Actor, DateTime, DisputeEvent> apply, CancellationToken ct)
    {
        var result = await writer.RunAsync(async batch =>
        {
            var d = await db.Disputes().FirstOrDefaultAsync(x => x.Id == id, ct);
            if (d is null || !CanSee(actor, d)) return SharingResult<Dispute>.Missing();
            if (Permission(actor, d, action) is { } denied) return SharingResult<Dispute>.Deny(denied);
            if (version is { } v && v != d.Version)
                return SharingResult<Dispute>.Clash($"异议已被他人处理（您读取的版本为 {v}，当前为 {d.Version}），请刷新后重试");
            var e = apply(d, actor.ToActor(), clock.UtcNow);
            batch.Records.Add(Audit(d, e));
            return SharingResult<Dispute>.Success(d);
        }, ConflictMessage, ct);
        return await ToDtoAsync(actor, result, ct);
    }

    public async Task<DisputeDto?> GetAsync(SharingActor actor, Guid id, CancellationToken ct)
    {
        var d = await db.Disputes().AsNoTracking().Include(x => x.Events).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null || !CanSee(actor, d)) return null;
        return ToDto(actor, d, await NamesAsync(ct), await calendar.LoadAsync(ct), clock.UtcNow, true);
    }

    /// <summary><c>as=consumer</c> (own department's), <c>provider</c> (about own resources), <c>all</c> (平台管理员, 安全审计员).</summary>
    public async Task<SharingResult<PageDto<DisputeDto>>> ListAsync(SharingActor actor, string? asRole, string? status, bool? overdue, int? page,
        int? pageSize, CancellationToken ct, FieldErrors? errors = null)
    {
        errors ??= new FieldErrors();
        var (p, size) = errors.Paging(page, pageSize);
        var view = asRole?.Trim().ToLowerInvariant() ?? (actor.IsConsumerStaff ? "consumer" : actor.IsPlatformAdmin || actor.IsAuditor ? "all" : "consumer");
        if (view is not ("consumer" or "provider" or "all"))
            errors.Add("as", $"as 只能是 consumer（本部门提出的异议）、provider（针对本部门资源的异议）或 all（全部），收到“{asRole}”");
        DisputeStatus? st = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (DisputeTerms.TryParse(status, out var s)) st = s;
            else errors.Add("status", $"status 只能是 open、corrected、rejected、withdrawn，收到“{status}”");
        }
        if (errors.Any) return SharingResult<PageDto<DisputeDto>>.Invalid(errors.Errors);
        var denied = view switch
        {
            "consumer" when !actor.IsConsumerStaff => "只有部门用数人员或部门管理员可以查看本部门提出的异议",
            "provider" when !actor.IsDepartmentAdmin => "只有部门管理员可以查看针对本部门资源的异议",
            "all" when !(actor.IsPlatformAdmin || actor.IsAuditor) => "只有平台管理员或安全审计员可以查看全部异议",
            _ => null,
        };
        if (denied is not null) return SharingResult<PageDto<DisputeDto>>.Deny(denied);

        var now = clock.UtcNow;
        var deptId = actor.Department?.Id;
        var query = db.Disputes().AsNoTracking();
        query = view switch
        {
            "consumer" => query.Where(d => d.ConsumerDepartmentId == deptId),
            "provider" => query.Where(d => d.ProviderDepartmentId == deptId),
            _ => query,
        };
        if (st is { } want) query = query.Where(d => d.Status == want);
        if (overdue is true) query = query.Where(d => d.Status == DisputeStatus.Open && d.DueAt <= now);
        if (overdue is false) query = query.Where(d => !(d.Status == DisputeStatus.Open && d.DueAt <= now));
        var total = await query.CountAsync(ct);
        var ordered = view == "provider"
            ? query.OrderBy(d => d.Status == DisputeStatus.Open ? 0 : 1).ThenBy(d => d.DueAt).ThenBy(d => d.Id)
            : query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id);
        var rows = await ordered.Skip((p - 1) * size).Take(size).ToListAsync(ct);
        var names = await NamesAsync(ct);
        var cal = await calendar.LoadAsync(ct);
        return SharingResult<PageDto<DisputeDto>>.Success(new PageDto<DisputeDto>(rows.Select(d => ToDto(actor, d, names, cal, now, false)).ToList(), total, p, size));
    }

    private async Task<SharingResult<DisputeDto>> ToDtoAsync(SharingActor actor, SharingResult<Dispute> result, CancellationToken ct)
    {
        if (!result.Ok || result.Value is not { } d) return result.As<DisputeDto>();
        var dto = await GetAsync(actor, d.Id, ct);
        return dto is null ? SharingResult<DisputeDto>.Missing() : SharingResult<DisputeDto>.Success(dto);
    }

    private DisputeDto ToDto(SharingActor actor, Dispute d, IReadOnlyDictionary<Guid, string> names, WorkingDayCalendar cal, DateTime now, bool withEvents)
    {
        var overdue = d.IsOverdue(now);
        var left = d.Status == DisputeStatus.Open && !overdue ? Math.Max(0, cal.WorkingDaysBetween(clock.LocalDate(now), d.DueOn)) : 0;
        var allowed = Enum.GetValues<DisputeAction>()
            .Where(a => Dispute.Refusal(d.Status, a) is null && Permission(actor, d, a) is null).Select(DisputeTerms.Code).ToList();
        return new DisputeDto(d.Id, d.GrantId, d.ResourceCode, d.ResourceName, d.ProviderDepartmentId, names.GetValueOrDefault(d.ProviderDepartmentId),
            d.ConsumerDepartmentId, names.GetValueOrDefault(d.ConsumerDepartmentId), d.ReporterName, d.RecordKey, d.Field, d.ReportedValue,
            d.ExpectedValue, d.Description, d.Evidence, d.DataVersion, DisputeTerms.Code(d.Status), DisputeTerms.Label(d.Status), d.CreatedAt,
            d.DueOn, d.DueAt, overdue, left, d.ResolvedAt, d.ResolutionNote, d.CorrectedVersion, d.Version, allowed,
            withEvents ? d.Events.OrderBy(e => e.Seq).Select(e => new EventDto(e.Seq, e.Action, DisputeTerms.Label(DisputeTerms.ParseAction(e.Action)),
                e.FromStatus, e.FromStatus is null ? null : DisputeTerms.Label(DisputeTerms.ParseStatus(e.FromStatus)), e.ToStatus,
                DisputeTerms.Label(DisputeTerms.ParseStatus(e.ToStatus)), e.ActorId, e.ActorName, e.At, e.Reason, e.Detail)).ToList() : null);
    }

    private static AuditRecord Audit(Dispute d, DisputeEvent e) => new(
        AuditKinds.DisputeChanged, AuditOutcomes.Ok,
        ConsumerDepartmentId: d.ConsumerDepartmentId, ProviderDepartmentId: d.ProviderDepartmentId, UserId: e.ActorId, ResourceCode: d.ResourceCode,
        GrantId: d.GrantId,
        Detail: $"数据异议{e.Describe()}：{d.ResourceName}（{d.ResourceCode}），记录 {d.RecordKey}" + (d.Field is null ? "" : $"，信息项 {d.Field}")
            + $"，{e.ActorName}" + (e.Reason is null ? "" : $"；说明：{e.Reason}") + (e.Detail is null ? "" : $"；{e.Detail}"));

    private async Task<Dictionary<Guid, string>> NamesAsync(CancellationToken ct) =>
        (await departments.ListAsync(ct)).ToDictionary(d => d.Id, d => d.Name);

    private static string? Text(string? value, string field, string label, int max, bool required, FieldErrors errors)
    {
        var t = value?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            if (required) errors.Add(field, $"{field}（{label}）不能为空");
            return null;
        }
        if (t.Length > max) errors.Add(field, $"{field}（{label}）不能超过{max}个字");
        return t;
    }
}

/// <summary>EF Core mapping of the dispute tables (in migration <c>0001_sharing</c>); called from <see cref="ExchangeDb"/>.</summary>
internal static class DisputeModel
{
    public static void ConfigureDisputes(this ModelBuilder b)
    {
        b.Entity<Dispute>(e =>
        {
            e.ToTable("exchange_disputes");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Status).HasConversion(new ValueConverter<DisputeStatus, string>(v => DisputeTerms.Code(v), s => DisputeTerms.ParseStatus(s)));
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.DisputeId);
        });
        b.Entity<DisputeEvent>(e =>
        {
            e.ToTable("exchange_dispute_events");
            e.Property(x => x.Id).ValueGeneratedNever();
        });
    }

    /// <summary>The dispute table.</summary>
    public static DbSet<Dispute> Disputes(this ExchangeDb db) => db.Set<Dispute>();
}
