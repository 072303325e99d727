namespace GovData.Exchange.Features.Sharing;

/// <summary>Body of <c>POST /requests</c>.</summary>
/// <param name="ResourceCode">信息资源代码 of a published, shared resource (e.g. 102003/1).</param>
/// <param name="Purpose">用途 / 应用场景.</param>
/// <param name="LegalBasis">申请依据 (law, regulation, the department's duties).</param>
/// <param name="BusinessCase">The case or business served (事项).</param>
/// <param name="Items">Requested items: field codes (or item names) of the published items.</param>
/// <param name="RowScope">Row scope: conditions on items (field + eq/in/prefix + values); empty = all rows.</param>
/// <param name="AccessModes">api, verify, file, feed.</param>
/// <param name="DurationDays">Requested term in days.</param>
/// <param name="Submit">Submit at once (default true); false keeps a draft.</param>
internal sealed record CreateRequestInput(
    string? ResourceCode, string? Purpose, string? LegalBasis, string? BusinessCase, List<string?>? Items, List<ScopeConditionInput?>? RowScope,
    List<string?>? AccessModes, int? DurationDays, bool? Submit);

/// <summary>A row-scope condition as submitted.</summary>
internal sealed record ScopeConditionInput(string? Field, string? Op, List<string?>? Values);

/// <summary>Body of transitions that take a reason (fail-compliance, refuse, withdraw, escalate) or a note (submit, pass-compliance).</summary>
/// <param name="Version">The version read (optional; a stale one is refused with 409).</param>
/// <param name="Reason">理由 (required for 不通过, 拒绝, and 提请协调 of a refusal).</param>
/// <param name="Note">意见 (optional).</param>
internal sealed record TransitionInput(int? Version = null, string? Reason = null, string? Note = null);

/// <summary>Body of <c>POST /requests/{id}/approve</c>: the provider's decision and the grant's terms.</summary>
/// <param name="Version">The version read (optional).</param>
/// <param name="Note">意见.</param>
/// <param name="Items">Granted items (a subset of the requested ones; default all requested).</param>
/// <param name="RawAllowed">Values may leave unmasked (default false).</param>
/// <param name="DailyQuota">Rows or calls per day (default GovData:Exchange:DefaultDailyQuota).</param>
/// <param name="QuotaUnit">rows or calls.</param>
/// <param name="RateLimitPerMinute">Calls per minute (default GovData:Exchange:DefaultRateLimitPerMinute).</param>
/// <param name="ExpiresOn">Last day of validity, yyyy-MM-dd (default today + the requested days).</param>
internal sealed record ApproveInput(
    int? Version = null, string? Note = null, List<string?>? Items = null, bool? RawAllowed = null, long? DailyQuota = null, string? QuotaUnit = null,
    int? RateLimitPerMinute = null, string? ExpiresOn = null);

/// <summary>Body of <c>POST /requests/{id}/coordinate</c>.</summary>
/// <param name="Version">The version read (optional).</param>
/// <param name="Note">协调意见 (required).</param>
/// <param name="DueOn">New due date of a pending request, yyyy-MM-dd (a working day after today; optional).</param>
internal sealed record CoordinateInput(int? Version = null, string? Note = null, string? DueOn = null);

/// <summary>Body of <c>POST /grants/{id}/renewal</c>.</summary>
/// <param name="DurationDays">Days to add (from the current expiry, or from today if that is earlier).</param>
/// <param name="Reason">续期理由 (required).</param>
internal sealed record RenewalInput(int? DurationDays, string? Reason);

/// <summary>Body of <c>POST /grants/{id}/revoke</c>.</summary>
internal sealed record RevokeInput(int? Version = null, string? Reason = null);

/// <summary>A code with its Chinese label.</summary>
internal sealed record CodeLabel(string Code, string Label);

/// <summary>A row-scope condition as shown.</summary>
internal sealed record ScopeConditionDto(string Field, string Op, string OpLabel, IReadOnlyList<string> Values);

/// <summary>
/// The working-day timer of a pending request: the phase, its due date, working days used and left, overdue.
/// </summary>
internal sealed record TimerDto(
    string Phase, string PhaseLabel, DateTime StartedAt, DateOnly DueOn, DateTime DueAt, int WorkingDaysElapsed, int WorkingDaysLeft, bool Overdue,
    int WorkingDaysOverdue);

/// <summary>A request in a list.</summary>
internal sealed record RequestSummaryDto(
    Guid Id, string Kind, string KindLabel, string ResourceCode, string ResourceName, string ShareType, Guid ProviderDepartmentId,
    string? ProviderDepartmentName, Guid ConsumerDepartmentId, string? ConsumerDepartmentName, string ApplicantName, string Status,
    string StatusLabel, DateTime CreatedAt, DateTime? SubmittedAt, TimerDto? Timer, bool Overdue, bool Escalated, Guid? GrantId, int Version);

/// <summary>One event of a request or grant.</summary>
internal sealed record EventDto(
    int Seq, string Action, string ActionLabel, string? From, string? FromLabel, string To, string ToLabel, Guid? ActorId, string ActorName,
    DateTime At, string? Reason, string? Detail);

/// <summary>A request with everything about it, the actions the caller may take now, and its history.</summary>
internal sealed record RequestDto(
    Guid Id, string Kind, string KindLabel, Guid? RenewsGrantId, Guid ResourceEntryId, string ResourceCode, string ResourceName, string ShareType,
    Guid ProviderDepartmentId, string? ProviderDepartmentName, Guid ConsumerDepartmentId, string? ConsumerDepartmentName,
    Guid? CompetentDepartmentId, string? CompetentDepartmentName, string ApplicantName,
    string Purpose, string LegalBasis, string BusinessCase, IReadOnlyList<string> Items, IReadOnlyList<ScopeConditionDto> RowScope,
    IReadOnlyList<CodeLabel> AccessModes, int DurationDays, string Status, string StatusLabel, DateTime CreatedAt, DateTime? SubmittedAt,
    TimerDto? Timer, bool Overdue, DateOnly? ComplianceDueOn, DateOnly? ProviderDueOn, DateTime? DecidedAt, string? DecisionReason,
    bool Escalated, DateTime? EscalatedAt, string? EscalationReason, DateTime? CoordinatedAt, string? CoordinationNote, Guid? GrantId,
    int Version, IReadOnlyList<string> AllowedActions, IReadOnlyList<EventDto> Events);

/// <summary>A grant.</summary>
internal sealed record GrantDto(
    Guid Id, Guid RequestId, Guid ResourceEntryId, string ResourceCode, string ResourceName, Guid ProviderDepartmentId, string? ProviderDepartmentName,
    Guid ConsumerDepartmentId, string? ConsumerDepartmentName, IReadOnlyList<string> Items, IReadOnlyList<ScopeConditionDto> RowScope,
    IReadOnlyList<CodeLabel> AccessModes, string Purpose, string LegalBasis, string BusinessCase, bool RawAllowed, long? DailyQuota,
    string QuotaUnit, string QuotaUnitLabel, int? RateLimitPerMinute, DateTime StartsAt, DateOnly ExpiresOn, DateTime ExpiresAt, string Status,
    string StatusLabel, DateTime? RevokedAt, string? RevokeReason, int RenewalCount, Guid? PendingRenewalId, int Version,
    IReadOnlyList<EventDto>? Events);
