using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using P = GovData.Catalog.Domain.LifecyclePhase;
using A = GovData.Catalog.Domain.LifecycleAction;

namespace GovData.Catalog.Tests;

public class LifecycleTests
{
    /// <summary>The complete table of legal transitions; everything else must be refused.</summary>
    private static readonly Dictionary<(P, A), P> Legal = new()
    {
        [(P.Draft, A.Edit)] = P.Draft,
        [(P.Draft, A.Submit)] = P.Pending,
        [(P.Draft, A.Delete)] = P.Draft,
        [(P.Pending, A.Recall)] = P.Draft,
        [(P.Pending, A.Approve)] = P.Published,
        [(P.Pending, A.Reject)] = P.Rejected,
        [(P.Rejected, A.Edit)] = P.Rejected,
        [(P.Rejected, A.Submit)] = P.Pending,
        [(P.Rejected, A.Delete)] = P.Rejected,
        [(P.Published, A.Edit)] = P.RevisionDraft,
        [(P.Published, A.Withdraw)] = P.Offline,
        [(P.RevisionDraft, A.Edit)] = P.RevisionDraft,
        [(P.RevisionDraft, A.Submit)] = P.RevisionPending,
        [(P.RevisionDraft, A.DiscardRevision)] = P.Published,
        [(P.RevisionPending, A.Recall)] = P.RevisionDraft,
        [(P.RevisionPending, A.Approve)] = P.Published,
        [(P.RevisionPending, A.Reject)] = P.RevisionRejected,
        [(P.RevisionRejected, A.Edit)] = P.RevisionRejected,
        [(P.RevisionRejected, A.Submit)] = P.RevisionPending,
        [(P.RevisionRejected, A.DiscardRevision)] = P.Published,
    };

    public static TheoryData<string, string> AllPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var p in Enum.GetValues<P>())
            foreach (var a in Enum.GetValues<A>())
                data.Add(p.ToString(), a.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_phase_and_action_is_either_a_listed_transition_or_refused_in_chinese(string phaseName, string actionName)
    {
        var phase = Enum.Parse<P>(phaseName);
        var action = Enum.Parse<A>(actionName);
        var ok = Lifecycle.TryTransition(phase, action, out var next, out var refusal);
        if (Legal.TryGetValue((phase, action), out var expected))
        {
            ok.ShouldBeTrue();
            next.ShouldBe(expected);
            refusal.ShouldBeNull();
        }
        else
        {
            ok.ShouldBeFalse();
            next.ShouldBe(phase);
            refusal.ShouldNotBeNull().ShouldStartWith($"当前状态为“{Lifecycle.Label(phase)}”，不能{Lifecycle.Label(action)}");
        }
    }

    [Fact]
    public void Offline_is_final()
    {
        Lifecycle.AllowedActions(P.Offline).ShouldBeEmpty();
        Lifecycle.TryTransition(P.Offline, A.Edit, out _, out var refusal).ShouldBeFalse();
        refusal.ShouldNotBeNull().ShouldContain("代码保留且不再复用");
    }

    [Fact]
    public void Useful_hints_accompany_common_refusals()
    {
        Lifecycle.TryTransition(P.Pending, A.Edit, out _, out var editPending);
        editPending.ShouldNotBeNull().ShouldContain("请先撤回报送");
        Lifecycle.TryTransition(P.Published, A.Delete, out _, out var deletePublished);
        deletePublished.ShouldNotBeNull().ShouldContain("只能下线");
        Lifecycle.TryTransition(P.RevisionDraft, A.Withdraw, out _, out var withdrawDuringRevision);
        withdrawDuringRevision.ShouldNotBeNull().ShouldContain("尚未完成的修订");
        Lifecycle.TryTransition(P.Draft, A.Approve, out _, out var approveDraft);
        approveDraft.ShouldNotBeNull().ShouldContain("只有待审核的资源可以审核");
    }

    [Theory]
    [InlineData(EntryStatus.Draft, null, "Draft")]
    [InlineData(EntryStatus.Pending, null, "Pending")]
    [InlineData(EntryStatus.Rejected, null, "Rejected")]
    [InlineData(EntryStatus.Published, null, "Published")]
    [InlineData(EntryStatus.Published, RevisionStatus.Draft, "RevisionDraft")]
    [InlineData(EntryStatus.Published, RevisionStatus.Pending, "RevisionPending")]
    [InlineData(EntryStatus.Published, RevisionStatus.Rejected, "RevisionRejected")]
    [InlineData(EntryStatus.Offline, null, "Offline")]
    public void Phase_combines_entry_and_revision_status(EntryStatus status, RevisionStatus? working, string phaseName)
    {
        var phase = Enum.Parse<P>(phaseName);
        Lifecycle.PhaseOf(status, working).ShouldBe(phase);
        Lifecycle.StatusOf(phase).ShouldBe(status);
        Lifecycle.WorkingStatusOf(phase).ShouldBe(working ?? (phase is P.Draft ? RevisionStatus.Draft : phase is P.Pending ? RevisionStatus.Pending : phase is P.Rejected ? RevisionStatus.Rejected : null));
    }

    [Fact]
    public void Reviewers_approve_and_reject_compilers_do_the_rest_and_both_can_take_offline()
    {
        Lifecycle.ActorOf(A.Approve).ShouldBe(LifecycleActor.Reviewer);
        Lifecycle.ActorOf(A.Reject).ShouldBe(LifecycleActor.Reviewer);
        Lifecycle.ActorOf(A.Withdraw).ShouldBe(LifecycleActor.CompilerOrReviewer);
        foreach (var a in new[] { A.Edit, A.Submit, A.Recall, A.Delete, A.DiscardRevision })
            Lifecycle.ActorOf(a).ShouldBe(LifecycleActor.Compiler);
    }
}
