namespace GovData.Exchange.Features.Sharing;

/// <summary>One condition of a row scope: rows whose <see cref="Field"/> is (eq) / is one of (in) / starts with (prefix) the values.</summary>
/// <param name="Field">The item's API name (field code, or the item name when it has none).</param>
/// <param name="Op">eq, in or prefix (<see cref="ScopeOperator"/>).</param>
/// <param name="Values">One value for eq and prefix, one or more for in.</param>
internal sealed record ScopeCondition(string Field, string Op, IReadOnlyList<string> Values);

/// <summary>What a consumer asks for, already checked against the published resource.</summary>
internal sealed record RequestContent(
    string Purpose, string LegalBasis, string BusinessCase, IReadOnlyList<string> Items, IReadOnlyList<ScopeCondition> RowScope,
    IReadOnlyList<AccessMode> AccessModes, int DurationDays);

/// <summary>The resource a request is about, as published (snapshot: the request keeps what the consumer saw).</summary>
internal sealed record RequestedResource(
    Guid EntryId, string Code, string Name, GovData.Catalog.Contracts.ShareType ShareType, Guid ProviderDepartmentId, string ProviderRegionCode,
    Guid? CompetentDepartmentId);

/// <summary>
/// A sharing request (共享申请) and its state machine. Named transitions refuse anything the current state does not allow,
/// with a Chinese message; each records an event (who, when, from → to, reason). 提请协调 and 协调 leave the main state alone.
/// <code>
/// 草稿 ─Submit→ 待合规审查 ─PassCompliance→ 已批准 (无条件共享) | 待提供方审批 (有条件共享) ─Approve→ 已批准 | ─Refuse→ 已拒绝
///                    └─FailCompliance→ 合规审查未通过          Withdraw (consumer) from 草稿 / 待合规审查 / 待提供方审批 → 已撤回
/// </code>
/// </summary>
internal sealed class SharingRequest
{
    private static readonly Dictionary<RequestStatus, RequestAction[]> Allowed = new()
    {
        [RequestStatus.Draft] = [RequestAction.Submit, RequestAction.Withdraw],
        [RequestStatus.PendingCompliance] =
            [RequestAction.PassCompliance, RequestAction.FailCompliance, RequestAction.Withdraw, RequestAction.Escalate, RequestAction.Coordinate],
        [RequestStatus.PendingProvider] =
            [RequestAction.Approve, RequestAction.Refuse, RequestAction.Withdraw, RequestAction.Escalate, RequestAction.Coordinate],
        [RequestStatus.Refused] = [RequestAction.Escalate, RequestAction.Coordinate],
        [RequestStatus.Approved] = [],
        [RequestStatus.ComplianceRejected] = [],
        [RequestStatus.Withdrawn] = [],
    };

    private SharingRequest()
    {
    }

    public Guid Id { get; private set; }
    public RequestKind Kind { get; private set; }
    /// <summary>The grant a renewal (续期) extends.</summary>
    public Guid? GrantId { get; private set; }
    public Guid ResourceEntryId { get; private set; }
    public string ResourceCode { get; private set; } = "";
    public string ResourceName { get; private set; } = "";
    public GovData.Catalog.Contracts.ShareType ShareType { get; private set; }
    public Guid ProviderDepartmentId { get; private set; }
    public string ProviderRegionCode { get; private set; } = "";
    public Guid ConsumerDepartmentId { get; private set; }
    /// <summary>主管部门 of the provider's region (coordination), when the directory names one.</summary>
    public Guid? CompetentDepartmentId { get; private set; }
    public Guid? ApplicantId { get; private set; }
    public string ApplicantName { get; private set; } = "";
    /// <summary>用途 / 应用场景.</summary>
    public string Purpose { get; private set; } = "";
    /// <summary>依据 (law, regulation, 三定 duty ...).</summary>
    public string LegalBasis { get; private set; } = "";
    /// <summary>The case or business the data serves (事项).</summary>
    public string BusinessCase { get; private set; } = "";
    public List<string> Items { get; private set; } = [];
    public List<ScopeCondition> RowScope { get; private set; } = [];
    public List<AccessMode> AccessModes { get; private set; } = [];
    public int DurationDays { get; private set; }
    public RequestStatus Status { get; private set; }
    public DateTime? SubmittedAt { get; private set; }
    /// <summary>When the current phase (compliance or provider decision) began.</summary>
    public DateTime? PhaseStartedAt { get; private set; }
    /// <summary>Last working day of the current phase (local date).</summary>
    public DateOnly? DueOn { get; private set; }
    /// <summary>The instant the current phase becomes overdue (end of <see cref="DueOn"/>).</summary>
    public DateTime? DueAt { get; private set; }
    public DateOnly? ComplianceDueOn { get; private set; }
    public DateOnly? ProviderDueOn { get; private set; }
    public DateTime? CompliancePassedAt { get; private set; }
    public DateTime? DecidedAt { get; private set; }
    /// <summary>Reasons of a refusal or a failed compliance check (kept for good).</summary>
    public string? DecisionReason { get; private set; }
    /// <summary>Waiting for the competent department's coordination.</summary>
    public bool IsEscalated { get; private set; }
    public DateTime? EscalatedAt { get; private set; }
    /// <summary>The due instant that was overdue when the request was last escalated (each deadline escalates once).</summary>
    public DateTime? EscalatedDueAt { get; private set; }
    public string? EscalationReason { get; private set; }
    public DateTime? CoordinatedAt { get; private set; }
    public string? CoordinationNote { get; private set; }
    /// <summary>The grant issued (new request) or extended (renewal) on approval.</summary>
    public Guid? ResultingGrantId { get; private set; }
    public int EventCount { get; private set; }
    /// <summary>Optimistic concurrency: every change increments it; a stale writer fails.</summary>
    public int Version { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public List<RequestEvent> Events { get; private set; } = [];

    /// <summary>Waiting for the compliance check or the provider's decision.</summary>
    public bool IsPending => Status is RequestStatus.PendingCompliance or RequestStatus.PendingProvider;

    /// <summary>Pending and past its due date.</summary>
    public bool IsOverdue(DateTime now) => IsPending && DueAt is { } due && now >= due;

    /// <summary>Overdue and not yet escalated for the current due date (what the deadline job escalates).</summary>
    public bool NeedsEscalation(DateTime now) => IsOverdue(now) && EscalatedDueAt != DueAt;

    /// <summary>Transitions the state machine allows now (before permission checks).</summary>
    public IReadOnlyList<RequestAction> AllowedActions(DateTime now) =>
        Allowed[Status].Where(a => a switch
        {
            RequestAction.Escalate => CanEscalate(now),
            RequestAction.Coordinate => IsEscalated,
            _ => true,
        }).ToList();

    /// <summary>A new request (草稿) of <paramref name="applicant"/>'s department. <see cref="Submit"/> sends it.</summary>
    public static SharingRequest Create(RequestedResource resource, RequestContent content, Actor applicant, Guid consumerDepartmentId, DateTime now,
        RequestKind kind = RequestKind.New, Guid? grantId = null, string? note = null)
    {
        if (kind == RequestKind.Renewal && grantId is null) throw new ArgumentException("续期申请必须指明授权", nameof(grantId));
        if (resource.ShareType == GovData.Catalog.Contracts.ShareType.NotShared)
            throw new SharingException($"资源“{resource.Name}”为不予共享，不能申请", "resourceCode");
        if (resource.ProviderDepartmentId == consumerDepartmentId)
            throw new SharingException($"资源“{resource.Name}”由本部门提供，无需申请共享", "resourceCode");
        var request = new SharingRequest
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            GrantId = grantId,
            ResourceEntryId = resource.EntryId,
            ResourceCode = resource.Code,
            ResourceName = resource.Name,
            ShareType = resource.ShareType,
            ProviderDepartmentId = resource.ProviderDepartmentId,
            ProviderRegionCode = resource.ProviderRegionCode,
            CompetentDepartmentId = resource.CompetentDepartmentId,
            ConsumerDepartmentId = consumerDepartmentId,
            ApplicantId = applicant.UserId,
            ApplicantName = applicant.Name,
            Purpose = content.Purpose,
            LegalBasis = content.LegalBasis,
            BusinessCase = content.BusinessCase,
            Items = [.. content.Items],
            RowScope = [.. content.RowScope],
            AccessModes = [.. content.AccessModes],
            DurationDays = content.DurationDays,
            Status = RequestStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
        };
        request.Record(RequestAction.Create, null, RequestStatus.Draft, applicant, now, Clean(note), kind == RequestKind.Renewal ? "新建续期申请" : "新建申请");
        return request;
    }

    /// <summary>提交: 草稿 → 待合规审查; the compliance check is due <see cref="DeadlinePolicy.ComplianceWorkingDays"/> working days later.</summary>
    public RequestEvent Submit(Actor who, DateTime now, DeadlinePolicy deadlines)
    {
        var from = Check(RequestAction.Submit);
        Status = RequestStatus.PendingCompliance;
        SubmittedAt = now;
        StartPhase(now, deadlines.Due(now, deadlines.ComplianceWorkingDays));
        ComplianceDueOn = DueOn;
        return Record(RequestAction.Submit, from, Status, who, now, null, $"合规审查期限 {DueOn:yyyy-MM-dd}");
    }

    /// <summary>
    /// 合规审查通过: 无条件共享 → 已批准 (the caller issues or extends the grant); 有条件共享 → 待提供方审批, due
    /// <see cref="DeadlinePolicy.ProviderWorkingDays"/> working days later.
    /// </summary>
    public RequestEvent PassCompliance(Actor who, DateTime now, DeadlinePolicy deadlines, string? note = null)
    {
        var from = Check(RequestAction.PassCompliance);
        CompliancePassedAt = now;
        ClearEscalation();
        if (ShareType == GovData.Catalog.Contracts.ShareType.Unconditional)
        {
            Status = RequestStatus.Approved;
            DecidedAt = now;
            EndPhase();
            return Record(RequestAction.PassCompliance, from, Status, who, now, Clean(note), "无条件共享，审查通过即批准");
        }
        Status = RequestStatus.PendingProvider;
        StartPhase(now, deadlines.Due(now, deadlines.ProviderWorkingDays));
        ProviderDueOn = DueOn;
        return Record(RequestAction.PassCompliance, from, Status, who, now, Clean(note), $"提供方审批期限 {DueOn:yyyy-MM-dd}");
    }

    /// <summary>合规审查不通过 (reason required): 待合规审查 → 合规审查未通过.</summary>
    public RequestEvent FailCompliance(Actor who, DateTime now, string? reason)
    {
        var from = Check(RequestAction.FailCompliance);
        var why = Required(reason, "合规审查不通过必须说明理由");
        Status = RequestStatus.ComplianceRejected;
        DecisionReason = why;
        DecidedAt = now;
        EndPhase();
        ClearEscalation();
        return Record(RequestAction.FailCompliance, from, Status, who, now, why, null);
    }

    /// <summary>批准 (provider): 待提供方审批 → 已批准; the caller issues or extends the grant.</summary>
    public RequestEvent Approve(Actor who, DateTime now, string? note = null)
    {
        var from = Check(RequestAction.Approve);
        Status = RequestStatus.Approved;
        DecidedAt = now;
        EndPhase();
        ClearEscalation();
        return Record(RequestAction.Approve, from, Status, who, now, Clean(note), null);
    }

    /// <summary>拒绝 (provider, reasons required and kept): 待提供方审批 → 已拒绝.</summary>
    public RequestEvent Refuse(Actor who, DateTime now, string? reason)
    {
        var from = Check(RequestAction.Refuse);
        var why = Required(reason, "拒绝共享必须说明理由");
        Status = RequestStatus.Refused;
        DecisionReason = why;
        DecidedAt = now;
        EndPhase();
        ClearEscalation();
        return Record(RequestAction.Refuse, from, Status, who, now, why, null);
    }

    /// <summary>撤回 (consumer): 草稿 / 待合规审查 / 待提供方审批 → 已撤回.</summary>
    public RequestEvent Withdraw(Actor who, DateTime now, string? reason = null)
    {
        var from = Check(RequestAction.Withdraw);
        Status = RequestStatus.Withdrawn;
        EndPhase();
        ClearEscalation();
        return Record(RequestAction.Withdraw, from, Status, who, now, Clean(reason), null);
    }

    /// <summary>
    /// 提请协调: a pending request past its due date (once per due date; the deadline job or the consumer), or a refused
    /// request the consumer disputes (reason required). The request then appears in the competent department's queue;
    /// the main state does not change.
    /// </summary>
    public RequestEvent Escalate(Actor who, DateTime now, string? reason)
    {
        Check(RequestAction.Escalate);
        if (IsEscalated) throw new SharingException("申请已提请协调，正等待主管部门协调");
        string? why;
        if (Status == RequestStatus.Refused)
        {
            why = Required(reason, "对拒绝提请协调必须说明理由");
        }
        else
        {
            if (!IsOverdue(now))
                throw new SharingException($"申请尚未逾期（办理期限 {DueOn:yyyy-MM-dd}），不能提请协调");
            if (EscalatedDueAt == DueAt)
                throw new SharingException($"申请已就办理期限 {DueOn:yyyy-MM-dd} 提请过协调，请等待主管部门协调");
            why = Clean(reason) ?? $"{(Status == RequestStatus.PendingCompliance ? "合规审查" : "提供方审批")}已逾期（办理期限 {DueOn:yyyy-MM-dd}）";
            EscalatedDueAt = DueAt;
        }
        IsEscalated = true;
        EscalatedAt = now;
        EscalationReason = why;
        return Record(RequestAction.Escalate, Status, Status, who, now, why, null);
    }

    /// <summary>
    /// 协调 (competent department): a note (required) and, for a pending request, optionally a new due date (a working day
    /// after today). Ends the escalation; the main state does not change.
    /// </summary>
    public RequestEvent Coordinate(Actor who, DateTime now, string? note, DateOnly? newDueOn, DeadlinePolicy deadlines)
    {
        Check(RequestAction.Coordinate);
        if (!IsEscalated) throw new SharingException("申请未提请协调，无需协调");
        var text = Required(note, "协调意见不能为空", "note");
        string? detail = null;
        if (newDueOn is { } day)
        {
            if (!IsPending) throw new SharingException("申请已办结，不能设置新的办理期限", "dueOn");
            var today = deadlines.Clock.LocalDate(now);
            if (day <= today) throw new SharingException($"新的办理期限必须晚于今天（{today:yyyy-MM-dd}）", "dueOn");
            if (!deadlines.Calendar.IsWorkingDay(day)) throw new SharingException($"新的办理期限 {day:yyyy-MM-dd} 不是工作日", "dueOn");
            var (on, at) = deadlines.DueOn(day);
            DueOn = on;
            DueAt = at;
            if (Status == RequestStatus.PendingCompliance) ComplianceDueOn = on;
            else ProviderDueOn = on;
            detail = $"新的办理期限 {on:yyyy-MM-dd}";
        }
        IsEscalated = false;
        CoordinatedAt = now;
        CoordinationNote = text;
        return Record(RequestAction.Coordinate, Status, Status, who, now, text, detail);
    }

    /// <summary>Links the grant issued or extended by the approval (not a transition).</summary>
    public void AttachGrant(Guid grantId)
    {
        if (Status != RequestStatus.Approved) throw new InvalidOperationException("只有已批准的申请才有授权");
        ResultingGrantId = grantId;
    }

    /// <summary>The refusal message for <paramref name="action"/> in <paramref name="status"/>, or null when the state machine allows it.</summary>
    public static string? Refusal(RequestStatus status, RequestAction action) =>
        Allowed[status].Contains(action) ? null : $"当前状态为“{SharingTerms.Label(status)}”，不能{SharingTerms.Label(action)}" + Hint(status, action);

    private bool CanEscalate(DateTime now) =>
        !IsEscalated && (Status == RequestStatus.Refused || NeedsEscalation(now));

    private RequestStatus Check(RequestAction action)
    {
        if (Refusal(Status, action) is { } message) throw new SharingException(message);
        return Status;
    }

    private static string Hint(RequestStatus status, RequestAction action) => (status, action) switch
    {
        (RequestStatus.Approved or RequestStatus.Refused or RequestStatus.ComplianceRejected or RequestStatus.Withdrawn, RequestAction.Withdraw)
            => "：申请已办结",
        (RequestStatus.PendingCompliance, RequestAction.Approve or RequestAction.Refuse) => "：申请须先通过主管部门的合规审查",
        (_, RequestAction.Approve or RequestAction.Refuse) => "：只有待提供方审批的申请可以批准或拒绝",
        (_, RequestAction.PassCompliance or RequestAction.FailCompliance) => "：只有待合规审查的申请可以进行合规审查",
        (_, RequestAction.Submit) => "：只有草稿可以提交",
        (_, RequestAction.Escalate) => "：只有待办理或已拒绝的申请可以提请协调",
        (_, RequestAction.Coordinate) => "：只有已提请协调的待办理或已拒绝申请可以协调",
        _ => "",
    };

    private void StartPhase(DateTime now, (DateOnly On, DateTime At) due)
    {
        PhaseStartedAt = now;
        DueOn = due.On;
        DueAt = due.At;
    }

    private void EndPhase()
    {
        DueOn = null;
        DueAt = null;
    }

    private void ClearEscalation() => IsEscalated = false;

    private RequestEvent Record(RequestAction action, RequestStatus? from, RequestStatus to, Actor who, DateTime now, string? reason, string? detail)
    {
        var e = new RequestEvent
        {
            Id = Guid.CreateVersion7(),
            RequestId = Id,
            Seq = ++EventCount,
            Action = action,
            FromStatus = from,
            ToStatus = to,
            ActorId = who.UserId,
            ActorName = who.Name,
            ActorDepartmentId = who.DepartmentId,
            At = now,
            Reason = reason,
            Detail = detail,
        };
        Events.Add(e);
        UpdatedAt = now;
        Version++;
        return e;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Required(string? text, string message, string field = "reason")
    {
        var t = Clean(text) ?? throw new SharingException(message, field);
        if (t.Length > 1000) throw new SharingException("说明不能超过1000个字", field);
        return t;
    }
}

/// <summary>One transition of a request (<c>exchange_request_events</c>); the first is its creation (<see cref="RequestAction.Create"/>).</summary>
internal sealed class RequestEvent
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public int Seq { get; set; }
    public RequestAction Action { get; set; }
    public RequestStatus? FromStatus { get; set; }
    public RequestStatus ToStatus { get; set; }
    public Guid? ActorId { get; set; }
    public required string ActorName { get; set; }
    public Guid? ActorDepartmentId { get; set; }
    public DateTime At { get; set; }
    public string? Reason { get; set; }
    public string? Detail { get; set; }

    /// <summary>Chinese summary: 提交申请（草稿 → 待合规审查）.</summary>
    public string Describe() =>
        SharingTerms.Label(Action) +
        (FromStatus is { } f && f != ToStatus ? $"（{SharingTerms.Label(f)} → {SharingTerms.Label(ToStatus)}）" : $"（{SharingTerms.Label(ToStatus)}）");
}
