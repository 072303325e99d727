using GovData.Catalog.Contracts;
using GovData.Exchange.Features.Sharing;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Tests.Sharing;

/// <summary>
/// The request and grant state machines without a database: every (state, transition) pair, the conditions of
/// 提请协调/协调, reasons, and the event each transition records.
/// </summary>
public sealed class RequestStateMachineTests
{
    private static readonly Guid Provider = Guid.NewGuid();
    private static readonly Guid Consumer = Guid.NewGuid();
    private static readonly Actor Applicant = new(Guid.NewGuid(), "人社厅用数人员", Consumer);
    private static readonly Actor Reviewer = new(Guid.NewGuid(), "目录审核员", Guid.NewGuid());
    private static readonly Actor ProviderAdmin = new(Guid.NewGuid(), "市场监管局部门管理员", Provider);

    /// <summary>Monday 2026-09-14 10:00 in China.</summary>
    private static readonly DateTime Start = new(2026, 9, 14, 2, 0, 0, DateTimeKind.Utc);

    private static DeadlinePolicy Deadlines()
    {
        var clock = new SharingClock(TimeProvider.System, Options.Create(new SharingOptions()));
        return new DeadlinePolicy(WorkingDayCalendar.WeekdaysOnly, clock, 2, 10);
    }

    private static SharingRequest NewRequest(ShareType type = ShareType.Conditional) => SharingRequest.Create(
        new RequestedResource(Guid.NewGuid(), "203001/7", "企业经营状况", type, Provider, "370000", Guid.NewGuid()),
        new RequestContent("社保稽核", "《社会保险法》第八十二条", "2026年度社保稽核", ["credit_code", "company_name"],
            [new ScopeCondition("region_code", "prefix", ["3701"])], [AccessMode.Api], 180),
        Applicant, Consumer, Start);

    /// <summary>A conditional request brought into <paramref name="status"/> through the named transitions.</summary>
    private static SharingRequest InState(RequestStatus status)
    {
        var d = Deadlines();
        var r = NewRequest();
        if (status == RequestStatus.Draft) return r;
        r.Submit(Applicant, Start, d);
        switch (status)
        {
            case RequestStatus.PendingCompliance: break;
            case RequestStatus.ComplianceRejected: r.FailCompliance(Reviewer, Start, "依据不足"); break;
            case RequestStatus.Withdrawn: r.Withdraw(Applicant, Start, null); break;
            default:
                r.PassCompliance(Reviewer, Start, d);
                if (status == RequestStatus.Approved) r.Approve(ProviderAdmin, Start);
                if (status == RequestStatus.Refused) r.Refuse(ProviderAdmin, Start, "涉及商业秘密");
                break;
        }
        r.Status.ShouldBe(status);
        return r;
    }

    /// <summary>The rules as the design states them, written out independently of the implementation's table.</summary>
    private static readonly Dictionary<RequestStatus, RequestAction[]> Expected = new()
    {
        [RequestStatus.Draft] = [RequestAction.Submit, RequestAction.Withdraw],
        [RequestStatus.PendingCompliance] = [RequestAction.PassCompliance, RequestAction.FailCompliance, RequestAction.Withdraw, RequestAction.Escalate, RequestAction.Coordinate],
        [RequestStatus.PendingProvider] = [RequestAction.Approve, RequestAction.Refuse, RequestAction.Withdraw, RequestAction.Escalate, RequestAction.Coordinate],
        [RequestStatus.Refused] = [RequestAction.Escalate, RequestAction.Coordinate],
        [RequestStatus.Approved] = [],
        [RequestStatus.ComplianceRejected] = [],
        [RequestStatus.Withdrawn] = [],
    };

    /// <summary>(status code, action code) pairs the state machine must refuse: 7 states × 8 transitions minus the legal ones.</summary>
    public static TheoryData<string, string> IllegalPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in Enum.GetValues<RequestStatus>())
            foreach (var a in Enum.GetValues<RequestAction>().Where(a => a != RequestAction.Create && !Expected[s].Contains(a)))
                data.Add(SharingTerms.Code(s), SharingTerms.Code(a));
        return data;
    }

    public static TheoryData<string, string> LegalPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (s, actions) in Expected)
            foreach (var a in actions) data.Add(SharingTerms.Code(s), SharingTerms.Code(a));
        return data;
    }

    [Fact]
    public void The_table_covers_every_state_and_transition()
    {
        var pairs = IllegalPairs().Count + LegalPairs().Count;
        pairs.ShouldBe(Enum.GetValues<RequestStatus>().Length * (Enum.GetValues<RequestAction>().Length - 1));
        IllegalPairs().Count.ShouldBe(56 - 14); // 14 legal: 草稿 2, 待合规审查 5, 待提供方审批 5, 已拒绝 2
    }

    private static (RequestStatus, RequestAction) Parse(string status, string action)
    {
        SharingTerms.TryParse<RequestStatus>(status, out var s).ShouldBeTrue();
        SharingTerms.TryParse<RequestAction>(action, out var a).ShouldBeTrue();
        return (s, a);
    }

    /// <summary>Performs <paramref name="action"/> the way a correct caller would (with a reason, after the due date …).</summary>
    private static RequestEvent Perform(SharingRequest r, RequestAction action, DateTime now)
    {
        var d = Deadlines();
        return action switch
        {
            RequestAction.Submit => r.Submit(Applicant, now, d),
            RequestAction.PassCompliance => r.PassCompliance(Reviewer, now, d, "符合共享用途"),
            RequestAction.FailCompliance => r.FailCompliance(Reviewer, now, "用途与依据不符"),
            RequestAction.Approve => r.Approve(ProviderAdmin, now, "同意"),
            RequestAction.Refuse => r.Refuse(ProviderAdmin, now, "数据涉及商业秘密"),
            RequestAction.Withdraw => r.Withdraw(Applicant, now, "业务调整"),
            RequestAction.Escalate => r.Escalate(Applicant, now, "请协调"),
            RequestAction.Coordinate => r.Coordinate(Reviewer, now, "已与提供部门沟通", null, d),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
    }

    [Theory]
    [MemberData(nameof(IllegalPairs))]
    public void Every_illegal_transition_is_refused_in_chinese_and_changes_nothing(string statusCode, string actionCode)
    {
        var (status, action) = Parse(statusCode, actionCode);
        var r = InState(status);
        var (version, events, due) = (r.Version, r.EventCount, r.DueAt);
        var late = Start.AddDays(60); // past every due date, so only the state can be the reason
        var ex = Should.Throw<SharingException>(() => Perform(r, action, late));
        ex.Message.ShouldStartWith($"当前状态为“{SharingTerms.Label(status)}”，不能{SharingTerms.Label(action)}");
        ex.Field.ShouldBeNull();
        SharingRequest.Refusal(status, action).ShouldBe(ex.Message);
        r.Status.ShouldBe(status);
        r.Version.ShouldBe(version);
        r.EventCount.ShouldBe(events);
        r.Events.Count.ShouldBe(events);
        r.DueAt.ShouldBe(due);
    }

    [Theory]
    [MemberData(nameof(LegalPairs))]
    public void Every_legal_transition_records_who_when_from_to_and_why(string statusCode, string actionCode)
    {
        var (status, action) = Parse(statusCode, actionCode);
        var r = InState(status);
        var late = Start.AddDays(60);
        if (action == RequestAction.Coordinate) Perform(r, RequestAction.Escalate, late);
        var before = r.Status;
        var count = r.EventCount;
        var e = Perform(r, action, late);
        r.EventCount.ShouldBe(count + 1);
        r.Events[^1].ShouldBeSameAs(e);
        e.Seq.ShouldBe(count + 1);
        e.Action.ShouldBe(action);
        e.FromStatus.ShouldBe(before);
        e.ToStatus.ShouldBe(r.Status);
        e.At.ShouldBe(late);
        e.ActorName.ShouldNotBeNullOrWhiteSpace();
        if (action is RequestAction.Refuse or RequestAction.FailCompliance or RequestAction.Withdraw)
            e.Reason.ShouldNotBeNullOrWhiteSpace();
        var expectedStatus = action switch
        {
            RequestAction.Submit => RequestStatus.PendingCompliance,
            RequestAction.PassCompliance => RequestStatus.PendingProvider,
            RequestAction.FailCompliance => RequestStatus.ComplianceRejected,
            RequestAction.Approve => RequestStatus.Approved,
            RequestAction.Refuse => RequestStatus.Refused,
            RequestAction.Withdraw => RequestStatus.Withdrawn,
            _ => status, // 提请协调 and 协调 leave the main state alone
        };
        r.Status.ShouldBe(expectedStatus);
    }

    [Fact]
    public void Submission_sets_the_compliance_due_date_and_passing_it_the_providers()
    {
        var r = NewRequest();
        var d = Deadlines();
        r.Submit(Applicant, Start, d);
        r.ComplianceDueOn.ShouldBe(new DateOnly(2026, 9, 16)); // Monday + 2 working days
        r.DueOn.ShouldBe(r.ComplianceDueOn);
        r.DueAt.ShouldBe(new DateTime(2026, 9, 16, 16, 0, 0, DateTimeKind.Utc)); // 09-17 00:00 China time
        r.PassCompliance(Reviewer, Start.AddDays(1), d);
        r.ProviderDueOn.ShouldBe(new DateOnly(2026, 9, 29)); // Tuesday + 10 working days
        r.DueOn.ShouldBe(r.ProviderDueOn);
        r.Approve(ProviderAdmin, Start.AddDays(2));
        r.DueOn.ShouldBeNull();
        r.IsOverdue(Start.AddDays(100)).ShouldBeFalse();
    }

    [Fact]
    public void Unconditional_resources_are_approved_when_they_pass_compliance()
    {
        var r = NewRequest(ShareType.Unconditional);
        r.Submit(Applicant, Start, Deadlines());
        r.PassCompliance(Reviewer, Start, Deadlines());
        r.Status.ShouldBe(RequestStatus.Approved);
        r.DecidedAt.ShouldBe(Start);
    }

    [Fact]
    public void Not_shared_resources_and_the_own_departments_resources_cannot_be_requested()
    {
        var content = new RequestContent("p", "b", "c", ["x"], [], [AccessMode.Api], 30);
        var notShared = new RequestedResource(Guid.NewGuid(), "203001/8", "内部核查记录", ShareType.NotShared, Provider, "370000", null);
        var ex = Should.Throw<SharingException>(() => SharingRequest.Create(notShared, content, Applicant, Consumer, Start));
        ex.Field.ShouldBe("resourceCode");
        ex.Message.ShouldContain("不予共享");
        var own = notShared with { ShareType = ShareType.Conditional, ProviderDepartmentId = Consumer };
        Should.Throw<SharingException>(() => SharingRequest.Create(own, content, Applicant, Consumer, Start)).Message.ShouldContain("本部门");
    }

    [Fact]
    public void Refusals_need_reasons_and_keep_them()
    {
        var r = InState(RequestStatus.PendingProvider);
        Should.Throw<SharingException>(() => r.Refuse(ProviderAdmin, Start, "  ")).Field.ShouldBe("reason");
        r.Status.ShouldBe(RequestStatus.PendingProvider);
        r.Refuse(ProviderAdmin, Start, " 涉及商业秘密 ");
        r.DecisionReason.ShouldBe("涉及商业秘密");
        r.Events[^1].Reason.ShouldBe("涉及商业秘密");

        var c = InState(RequestStatus.PendingCompliance);
        Should.Throw<SharingException>(() => c.FailCompliance(Reviewer, Start, null)).Field.ShouldBe("reason");
        c.FailCompliance(Reviewer, Start, "依据不足");
        c.DecisionReason.ShouldBe("依据不足");
    }

    [Fact]
    public void Escalation_needs_an_overdue_phase_happens_once_per_due_date_and_coordination_can_move_the_due_date()
    {
        var d = Deadlines();
        var r = InState(RequestStatus.PendingCompliance);
        var due = r.DueAt!.Value;
        Should.Throw<SharingException>(() => r.Escalate(Applicant, due.AddSeconds(-1), null)).Message.ShouldContain("尚未逾期");
        r.NeedsEscalation(due.AddSeconds(-1)).ShouldBeFalse();
        r.NeedsEscalation(due).ShouldBeTrue();
        var e = r.Escalate(Actor.System("系统（逾期检查）"), due, null);
        e.Reason!.ShouldContain("合规审查已逾期");
        r.IsEscalated.ShouldBeTrue();
        r.Status.ShouldBe(RequestStatus.PendingCompliance);
        Should.Throw<SharingException>(() => r.Escalate(Applicant, due.AddDays(1), "再次催办")).Message.ShouldContain("已提请协调");

        Should.Throw<SharingException>(() => r.Coordinate(Reviewer, due, "", null, d)).Field.ShouldBe("note");
        Should.Throw<SharingException>(() => r.Coordinate(Reviewer, due, "协调", new DateOnly(2026, 9, 19), d)).Field.ShouldBe("dueOn"); // Saturday
        Should.Throw<SharingException>(() => r.Coordinate(Reviewer, due, "协调", new DateOnly(2026, 9, 15), d)).Message.ShouldContain("必须晚于今天");
        r.Coordinate(Reviewer, due, "已督促主管处室", new DateOnly(2026, 9, 21), d);
        r.IsEscalated.ShouldBeFalse();
        r.DueOn.ShouldBe(new DateOnly(2026, 9, 21));
        r.ComplianceDueOn.ShouldBe(new DateOnly(2026, 9, 21));
        r.IsOverdue(due.AddDays(1)).ShouldBeFalse();
        Should.Throw<SharingException>(() => r.Coordinate(Reviewer, due, "又一次", null, d)).Message.ShouldContain("未提请协调");

        // Coordinated without a new date: the same due date is not escalated again.
        var p = InState(RequestStatus.PendingProvider);
        var pdue = p.DueAt!.Value;
        p.Escalate(Applicant, pdue, null);
        p.Coordinate(Reviewer, pdue, "请尽快办理", null, d);
        p.NeedsEscalation(pdue.AddDays(3)).ShouldBeFalse();
        Should.Throw<SharingException>(() => p.Escalate(Applicant, pdue.AddDays(3), null)).Message.ShouldContain("已就办理期限");
    }

    [Fact]
    public void A_refused_request_is_escalated_only_with_a_reason_and_only_coordinated_without_a_new_due_date()
    {
        var r = InState(RequestStatus.Refused);
        Should.Throw<SharingException>(() => r.Escalate(Applicant, Start, null)).Field.ShouldBe("reason");
        r.Escalate(Applicant, Start, "该数据为业务办理所必需");
        Should.Throw<SharingException>(() => r.Coordinate(Reviewer, Start, "协调", new DateOnly(2026, 9, 21), Deadlines())).Field.ShouldBe("dueOn");
        r.Coordinate(Reviewer, Start, "建议提供方提供脱敏数据", null, Deadlines());
        r.Status.ShouldBe(RequestStatus.Refused);
        r.CoordinationNote.ShouldBe("建议提供方提供脱敏数据");
    }

    [Fact]
    public void Decisions_end_a_pending_escalation()
    {
        var r = InState(RequestStatus.PendingProvider);
        r.Escalate(Applicant, r.DueAt!.Value, null);
        r.Approve(ProviderAdmin, r.DueAt.Value.AddHours(1));
        r.IsEscalated.ShouldBeFalse();
        r.AllowedActions(r.DueAt?.AddDays(1) ?? Start.AddDays(30)).ShouldBeEmpty();
    }

    [Fact]
    public void Grants_are_issued_revoked_expired_and_renewed_only_from_the_right_state()
    {
        var r = InState(RequestStatus.Approved);
        var expiresOn = new DateOnly(2026, 12, 31);
        var expiresAt = new DateTime(2026, 12, 31, 16, 0, 0, DateTimeKind.Utc);
        var terms = new GrantTerms(["credit_code"], false, 1000, QuotaUnit.Rows, 30, expiresOn, expiresAt);
        Should.Throw<SharingException>(() => Grant.Issue(r, terms with { Items = ["legal_rep"] }, ProviderAdmin, Start)).Field.ShouldBe("items");
        var g = Grant.Issue(r, terms, ProviderAdmin, Start);
        g.Status.ShouldBe(GrantStatus.Active);
        g.RowScope.ShouldBe(r.RowScope);
        g.Events.Single().Action.ShouldBe(GrantAction.Issue);

        Should.Throw<SharingException>(() => g.Expire(Actor.System("系统"), Start)).Message.ShouldContain("尚未到期");
        Should.Throw<SharingException>(() => g.Renew(new DateOnly(2026, 11, 30), expiresAt.AddDays(-31), Applicant, Start, Guid.NewGuid()))
            .Field.ShouldBe("expiresOn");
        g.Renew(new DateOnly(2027, 3, 31), new DateTime(2027, 3, 31, 16, 0, 0, DateTimeKind.Utc), ProviderAdmin, Start, Guid.NewGuid());
        g.ExpiresOn.ShouldBe(new DateOnly(2027, 3, 31));
        g.RenewalCount.ShouldBe(1);

        Should.Throw<SharingException>(() => g.Revoke(ProviderAdmin, Start, "")).Field.ShouldBe("reason");
        g.Revoke(ProviderAdmin, Start, "用数部门超范围使用");
        g.Status.ShouldBe(GrantStatus.Revoked);
        g.IsUsable(Start).ShouldBeFalse();
        Should.Throw<SharingException>(() => g.Revoke(ProviderAdmin, Start, "再撤销")).Message.ShouldStartWith("当前状态为“已撤销”，不能撤销");
        Should.Throw<SharingException>(() => g.Renew(new DateOnly(2027, 6, 30), new DateTime(2027, 6, 30, 16, 0, 0, DateTimeKind.Utc), ProviderAdmin, Start, Guid.NewGuid()))
            .Message.ShouldStartWith("当前状态为“已撤销”，不能续期");
        Should.Throw<SharingException>(() => g.Expire(Actor.System("系统"), expiresAt.AddYears(1))).Message.ShouldContain("已撤销");
        g.Events.Select(e => e.Action).ShouldBe([GrantAction.Issue, GrantAction.Renew, GrantAction.Revoke]);
    }

    [Fact]
    public void A_grant_past_its_expiry_counts_as_expired_before_it_is_marked()
    {
        var r = InState(RequestStatus.Approved);
        var at = new DateTime(2026, 10, 1, 16, 0, 0, DateTimeKind.Utc);
        var g = Grant.Issue(r, new GrantTerms(r.Items, false, null, QuotaUnit.Calls, null, new DateOnly(2026, 10, 1), at), ProviderAdmin, Start);
        g.EffectiveStatus(at.AddSeconds(-1)).ShouldBe(GrantStatus.Active);
        g.EffectiveStatus(at).ShouldBe(GrantStatus.Expired);
        Should.Throw<SharingException>(() => g.Revoke(ProviderAdmin, at, "撤销")).Message.ShouldStartWith("当前状态为“已过期”，不能撤销");
        g.Expire(Actor.System("系统（授权到期）"), at);
        g.Status.ShouldBe(GrantStatus.Expired);
        Should.Throw<SharingException>(() => g.Expire(Actor.System("系统"), at)).Message.ShouldStartWith("当前状态为“已过期”");
    }
}
