using GovData.Catalog.Contracts;

namespace GovData.Catalog.Domain;

/// <summary>
/// Where an entry stands in its lifecycle: the entry status combined with the status of the revision being
/// worked on (a published entry can carry a revision under compilation or review while it stays visible).
/// </summary>
internal enum LifecyclePhase
{
    Draft,
    Pending,
    Rejected,
    Published,
    RevisionDraft,
    RevisionPending,
    RevisionRejected,
    Offline,
}

/// <summary>What a compiler or reviewer does to an entry.</summary>
internal enum LifecycleAction
{
    /// <summary>修改 (on a published entry this opens a revision).</summary>
    Edit,
    /// <summary>报送 to the competent department.</summary>
    Submit,
    /// <summary>撤回报送 before review.</summary>
    Recall,
    /// <summary>审核通过 (publishes, or replaces the published content with the revision).</summary>
    Approve,
    /// <summary>驳回 with reasons.</summary>
    Reject,
    /// <summary>下线 (撤销).</summary>
    Withdraw,
    /// <summary>删除 an entry that was never published.</summary>
    Delete,
    /// <summary>放弃修订 of a published entry.</summary>
    DiscardRevision,
}

/// <summary>Who may perform an action.</summary>
internal enum LifecycleActor
{
    /// <summary>部门编目员 of the entry's department.</summary>
    Compiler,
    /// <summary>目录审核员 at the competent department.</summary>
    Reviewer,
    /// <summary>Either.</summary>
    CompilerOrReviewer,
}

/// <summary>
/// The catalog state machine (catalog-standard.md §5): 草稿 → 待审核 → 已发布 / 已驳回 → 已下线, with revisions of
/// published entries reviewed again. Pure: the service applies the effects.
/// </summary>
internal static class Lifecycle
{
    private static readonly Dictionary<(LifecyclePhase, LifecycleAction), LifecyclePhase> Transitions = new()
    {
        [(LifecyclePhase.Draft, LifecycleAction.Edit)] = LifecyclePhase.Draft,
        [(LifecyclePhase.Draft, LifecycleAction.Submit)] = LifecyclePhase.Pending,
        [(LifecyclePhase.Draft, LifecycleAction.Delete)] = LifecyclePhase.Draft,
        [(LifecyclePhase.Rejected, LifecycleAction.Edit)] = LifecyclePhase.Rejected,
        [(LifecyclePhase.Rejected, LifecycleAction.Submit)] = LifecyclePhase.Pending,
        [(LifecyclePhase.Rejected, LifecycleAction.Delete)] = LifecyclePhase.Rejected,
        [(LifecyclePhase.Pending, LifecycleAction.Recall)] = LifecyclePhase.Draft,
        [(LifecyclePhase.Pending, LifecycleAction.Approve)] = LifecyclePhase.Published,
        [(LifecyclePhase.Pending, LifecycleAction.Reject)] = LifecyclePhase.Rejected,
        [(LifecyclePhase.Published, LifecycleAction.Edit)] = LifecyclePhase.RevisionDraft,
        [(LifecyclePhase.Published, LifecycleAction.Withdraw)] = LifecyclePhase.Offline,
        [(LifecyclePhase.RevisionDraft, LifecycleAction.Edit)] = LifecyclePhase.RevisionDraft,
        [(LifecyclePhase.RevisionDraft, LifecycleAction.Submit)] = LifecyclePhase.RevisionPending,
        [(LifecyclePhase.RevisionDraft, LifecycleAction.DiscardRevision)] = LifecyclePhase.Published,
        [(LifecyclePhase.RevisionRejected, LifecycleAction.Edit)] = LifecyclePhase.RevisionRejected,
        [(LifecyclePhase.RevisionRejected, LifecycleAction.Submit)] = LifecyclePhase.RevisionPending,
        [(LifecyclePhase.RevisionRejected, LifecycleAction.DiscardRevision)] = LifecyclePhase.Published,
        [(LifecyclePhase.RevisionPending, LifecycleAction.Recall)] = LifecyclePhase.RevisionDraft,
        [(LifecyclePhase.RevisionPending, LifecycleAction.Approve)] = LifecyclePhase.Published,
        [(LifecyclePhase.RevisionPending, LifecycleAction.Reject)] = LifecyclePhase.RevisionRejected,
    };

    /// <summary>Chinese name of a phase.</summary>
    public static string Label(LifecyclePhase phase) => phase switch
    {
        LifecyclePhase.Draft => "草稿",
        LifecyclePhase.Pending => "待审核",
        LifecyclePhase.Rejected => "已驳回",
        LifecyclePhase.Published => "已发布",
        LifecyclePhase.RevisionDraft => "已发布（修订草稿）",
        LifecyclePhase.RevisionPending => "已发布（修订待审核）",
        LifecyclePhase.RevisionRejected => "已发布（修订已驳回）",
        LifecyclePhase.Offline => "已下线",
        _ => phase.ToString(),
    };

    /// <summary>Chinese name of an action.</summary>
    public static string Label(LifecycleAction action) => action switch
    {
        LifecycleAction.Edit => "修改",
        LifecycleAction.Submit => "报送",
        LifecycleAction.Recall => "撤回报送",
        LifecycleAction.Approve => "审核通过",
        LifecycleAction.Reject => "驳回",
        LifecycleAction.Withdraw => "下线",
        LifecycleAction.Delete => "删除",
        LifecycleAction.DiscardRevision => "放弃修订",
        _ => action.ToString(),
    };

    /// <summary>Who performs an action.</summary>
    public static LifecycleActor ActorOf(LifecycleAction action) => action switch
    {
        LifecycleAction.Approve or LifecycleAction.Reject => LifecycleActor.Reviewer,
        LifecycleAction.Withdraw => LifecycleActor.CompilerOrReviewer,
        _ => LifecycleActor.Compiler,
    };

    /// <summary>The phase of an entry from its status and the status of its working revision (if any).</summary>
    public static LifecyclePhase PhaseOf(EntryStatus status, RevisionStatus? working) => status switch
    {
        EntryStatus.Draft => LifecyclePhase.Draft,
        EntryStatus.Pending => LifecyclePhase.Pending,
        EntryStatus.Rejected => LifecyclePhase.Rejected,
        EntryStatus.Offline => LifecyclePhase.Offline,
        EntryStatus.Published => working switch
        {
            RevisionStatus.Draft => LifecyclePhase.RevisionDraft,
            RevisionStatus.Pending => LifecyclePhase.RevisionPending,
            RevisionStatus.Rejected => LifecyclePhase.RevisionRejected,
            _ => LifecyclePhase.Published,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>The entry status that corresponds to a phase.</summary>
    public static EntryStatus StatusOf(LifecyclePhase phase) => phase switch
    {
        LifecyclePhase.Draft => EntryStatus.Draft,
        LifecyclePhase.Pending => EntryStatus.Pending,
        LifecyclePhase.Rejected => EntryStatus.Rejected,
        LifecyclePhase.Offline => EntryStatus.Offline,
        _ => EntryStatus.Published,
    };

    /// <summary>The working revision's status in a phase (null when no revision is being worked on).</summary>
    public static RevisionStatus? WorkingStatusOf(LifecyclePhase phase) => phase switch
    {
        LifecyclePhase.Draft or LifecyclePhase.RevisionDraft => RevisionStatus.Draft,
        LifecyclePhase.Pending or LifecyclePhase.RevisionPending => RevisionStatus.Pending,
        LifecyclePhase.Rejected or LifecyclePhase.RevisionRejected => RevisionStatus.Rejected,
        _ => null,
    };

    /// <summary>Actions allowed in a phase.</summary>
    public static IReadOnlyList<LifecycleAction> AllowedActions(LifecyclePhase phase) =>
        Enum.GetValues<LifecycleAction>().Where(a => Transitions.ContainsKey((phase, a))).ToList();

    /// <summary>
    /// The phase after <paramref name="action"/>, or a Chinese refusal naming the current state and the action.
    /// </summary>
    public static bool TryTransition(LifecyclePhase phase, LifecycleAction action, out LifecyclePhase next, out string? refusal)
    {
        if (Transitions.TryGetValue((phase, action), out next)) { refusal = null; return true; }
        next = phase;
        refusal = $"当前状态为“{Label(phase)}”，不能{Label(action)}" + Hint(phase, action);
        return false;
    }

    private static string Hint(LifecyclePhase phase, LifecycleAction action) => (phase, action) switch
    {
        (LifecyclePhase.Pending or LifecyclePhase.RevisionPending, LifecycleAction.Edit) => "：资源正在审核中，如需修改请先撤回报送",
        (LifecyclePhase.Offline, _) => "：资源已下线，代码保留且不再复用",
        (LifecyclePhase.Published or LifecyclePhase.RevisionDraft or LifecyclePhase.RevisionPending or LifecyclePhase.RevisionRejected, LifecycleAction.Delete)
            => "：已发布的资源不能删除，只能下线",
        (LifecyclePhase.RevisionDraft or LifecyclePhase.RevisionRejected or LifecyclePhase.RevisionPending, LifecycleAction.Withdraw)
            => "：该资源有尚未完成的修订，请先放弃或完成修订后再下线",
        (_, LifecycleAction.Approve or LifecycleAction.Reject) => "：只有待审核的资源可以审核",
        (LifecyclePhase.Published, LifecycleAction.Submit) => "：资源没有待报送的修改",
        (_, LifecycleAction.Recall) => "：只有待审核的资源可以撤回报送",
        _ => "",
    };
}
