using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Resources;

/// <summary>Filter of the compiler's / reviewer's entry list.</summary>
internal sealed record EntryListQuery(string? Status = null, Guid? DepartmentId = null, string? ClassificationCode = null, string? Keyword = null,
    bool PendingReviewOnly = false, int Page = 1, int PageSize = 20);

/// <summary>History action codes and their Chinese names.</summary>
internal static class HistoryActions
{
    public const string Created = "created";
    public const string Edited = "edited";
    public const string RevisionOpened = "revision_opened";
    public const string Submitted = "submitted";
    public const string Recalled = "recalled";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Withdrawn = "withdrawn";
    public const string Deleted = "deleted";
    public const string RevisionDiscarded = "revision_discarded";

    public static string Label(string action) => action switch
    {
        Created => "新建",
        Edited => "修改",
        RevisionOpened => "发起修订",
        Submitted => "报送",
        Recalled => "撤回报送",
        Approved => "审核通过",
        Rejected => "驳回",
        Withdrawn => "下线",
        Deleted => "删除",
        RevisionDiscarded => "放弃修订",
        _ => action,
    };
}

/// <summary>
/// Compiling, reviewing and publishing catalog entries: codes are allocated here, every rule of
/// <see cref="ResourceValidator"/> and <see cref="Lifecycle"/> is enforced, every change is written to the history,
/// and stale edits are refused (optimistic concurrency on the entry's version).
/// </summary>
internal sealed class ResourceService(CatalogDb db, ClassificationService classifications, IDepartmentDirectory departments, RegionDirectory regions, TimeProvider clock)
{
    private const int MaxAttempts = 3;

    // ---------------------------------------------------------------- queries

    /// <summary>One entry as the actor may see it, or null (missing or outside the actor's scope).</summary>
    public async Task<EntryDto?> GetAsync(CatalogActor actor, string key, CancellationToken ct = default)
    {
        var entry = await FindEntryAsync(key, track: false, ct);
        if (entry is null) return null;
        var dept = await departments.FindAsync(entry.DepartmentId, ct);
        if (!CanSee(actor, entry, dept)) return null;
        return await ToDtoAsync(actor, entry, dept, ct);
    }

    /// <summary>The history of an entry, newest first.</summary>
    public async Task<CatalogResult<List<HistoryDto>>> HistoryAsync(CatalogActor actor, string key, CancellationToken ct = default)
    {
        var entry = await FindEntryAsync(key, track: false, ct);
        if (entry is null) return CatalogResult<List<HistoryDto>>.Missing();
        var dept = await departments.FindAsync(entry.DepartmentId, ct);
        if (!CanSee(actor, entry, dept)) return CatalogResult<List<HistoryDto>>.Missing();
        var rows = await db.History.AsNoTracking().Where(h => h.EntryId == entry.Id).OrderByDescending(h => h.Id).ToListAsync(ct);
        return CatalogResult<List<HistoryDto>>.Success(rows.Select(h => new HistoryDto(h.Id, h.Action, HistoryActions.Label(h.Action), h.RevisionNumber,
            h.ActorName, h.ActorId, h.OccurredAt, h.Summary, RevisionDiff.FromJson(h.Changes))).ToList());
    }

    /// <summary>
    /// The entries the actor works on: a compiler sees its department's, a reviewer those of the departments it reviews,
    /// platform administrators and auditors all.
    /// </summary>
    public async Task<CatalogResult<PageDto<EntrySummaryDto>>> ListAsync(CatalogActor actor, EntryListQuery query, CancellationToken ct = default)
    {
        var (page, size) = Paging(query.Page, query.PageSize);
        var allDepartments = await departments.ListAsync(ct);
        var scope = ScopeOf(actor, allDepartments);
        var entries = db.Entries.AsNoTracking();
        if (scope is not null) entries = entries.Where(e => scope.Contains(e.DepartmentId));
        if (query.DepartmentId is { } d) entries = entries.Where(e => e.DepartmentId == d);
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            if (!CatalogTerms.TryParse<EntryStatus>(query.Status, out var status))
                return CatalogResult<PageDto<EntrySummaryDto>>.Invalid("status", $"状态“{query.Status}”无效，可选：{string.Join("、", CatalogTerms.Labels<EntryStatus>())}");
            entries = entries.Where(e => e.Status == status);
        }
        if (ResourceValidator.Blank(query.ClassificationCode) is { } prefix) entries = entries.Where(e => e.ClassificationCode.StartsWith(prefix));

        var q = from e in entries
                join r in db.Revisions.AsNoTracking() on (e.WorkingRevisionId ?? e.PublishedRevisionId) equals (Guid?)r.Id
                select new { e, r };
        if (query.PendingReviewOnly) q = q.Where(x => x.r.Status == RevisionStatus.Pending);
        if (ResourceValidator.Blank(query.Keyword) is { } kw) q = q.Where(x => x.r.Name.Contains(kw) || x.e.Code.Contains(kw));
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(x => x.e.UpdatedAt).ThenBy(x => x.e.Code)
            .Skip((page - 1) * size).Take(size)
            .Select(x => new { x.e, x.r, Items = db.Items.Count(i => i.RevisionId == x.r.Id) })
            .ToListAsync(ct);
        var paths = ClassificationService.PathNames(await db.Classifications.AsNoTracking().ToListAsync(ct));
        var names = allDepartments.ToDictionary(x => x.Id, x => x.Name);
        var items = rows.Select(x => new EntrySummaryDto(x.e.Id, x.e.Code, x.r.Name, x.e.ClassificationCode, paths.GetValueOrDefault(x.e.ClassificationCode, ""),
            x.e.DepartmentId, names.GetValueOrDefault(x.e.DepartmentId, "（已撤销的部门）"), CatalogTerms.Label(x.e.Status),
            Lifecycle.Label(Lifecycle.PhaseOf(x.e.Status, x.e.WorkingRevisionId is null ? null : x.r.Status)),
            CatalogTerms.Label(x.r.ShareType), CatalogTerms.Label(x.r.OpenType), CatalogTerms.Label(x.r.UpdateCycle), CatalogTerms.Label(x.r.FormatCategory),
            x.Items, x.e.UpdatedAt, x.e.Version)).ToList();
        return CatalogResult<PageDto<EntrySummaryDto>>.Success(new PageDto<EntrySummaryDto>(items, total, page, size));
    }

    /// <summary>Checks input without saving; returns the code the entry would get (not reserved).</summary>
    public async Task<CatalogResult<ValidationPreviewDto>> PreviewAsync(CatalogActor actor, ResourceInput input, ValidationMode mode, CancellationToken ct = default)
    {
        if (actor.Department is null) return CatalogResult<ValidationPreviewDto>.Deny("只有政务部门人员可以编制资源目录");
        await classifications.EnsureDepartmentCategoryAsync(actor.Department.Id, ct);
        input = ResourceValidator.WithDefaults(input, actor.Department);
        var node = await classifications.FindNodeAsync(input.ClassificationCode, ct);
        var result = ResourceValidator.Validate(input, node, actor.Department, mode);
        string? preview = null;
        if (node is { Depth: >= 3 } && ResourceCode.ValidatePrefix(node.Code) is null)
            preview = ResourceCode.FromPrefix(node.Code, await CodeAllocator.LastAsync(db, node.Code, ct) + 1).ToString();
        return CatalogResult<ValidationPreviewDto>.Success(new ValidationPreviewDto(preview, result.IsValid, result.Errors));
    }

    // ---------------------------------------------------------------- compiling

    /// <summary>Creates a draft entry in the compiler's department and allocates its code.</summary>
    public async Task<CatalogResult<EntryDto>> CreateAsync(CatalogActor actor, ResourceInput input, CancellationToken ct = default)
    {
        if (!actor.IsCompiler || actor.Department is null) return CatalogResult<EntryDto>.Deny("只有部门编目员可以编制资源目录");
        var dept = actor.Department;
        await classifications.EnsureDepartmentCategoryAsync(dept.Id, ct);
        input = ResourceValidator.WithDefaults(input, dept);
        var node = await classifications.FindNodeAsync(input.ClassificationCode, ct);
        var check = ResourceValidator.Validate(input, node, dept, ValidationMode.Draft);
        if (!check.IsValid) return CatalogResult<EntryDto>.Invalid(check.ToDictionary());

        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var sequence = await CodeAllocator.NextAsync(db, node!.Code, now, ct);
                var entry = AddEntry(actor, dept, ResourceCode.FromPrefix(node.Code, sequence), check.Content!, now, null);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return CatalogResult<EntryDto>.Success(await ToDtoAsync(actor, entry, dept, ct));
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                await tx.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Edits an entry. A draft or rejected entry is changed in place; a published entry gets a new revision that is
    /// reviewed again while the published content stays visible. The classification (and so the code) of an entry
    /// that was ever published cannot change; a never-published entry moved to another 细目 gets a new code (the old
    /// number is not reused).
    /// </summary>
    public async Task<CatalogResult<EntryDto>> UpdateAsync(CatalogActor actor, string key, int? version, ResourceInput? input, CancellationToken ct = default)
    {
        if (input is null) return CatalogResult<EntryDto>.Invalid("resource", "请提供资源内容 resource");
        for (var attempt = 1; ; attempt++)
        {
            var ctx = await LoadForActionAsync(actor, key, version, LifecycleAction.Edit, ct);
            if (ctx.Failure is not null) return ctx.Failure;
            var (entry, dept, working, published) = (ctx.Entry!, ctx.Department!, ctx.Working, ctx.Published);
            var withDefaults = ResourceValidator.WithDefaults(input, dept);
            if (ResourceValidator.Blank(withDefaults.ClassificationCode) is null) withDefaults = withDefaults with { ClassificationCode = entry.ClassificationCode };
            var node = await classifications.FindNodeAsync(withDefaults.ClassificationCode, ct);
            var check = ResourceValidator.Validate(withDefaults, node, dept, ValidationMode.Draft, entry.Code);
            var reclassify = node is not null && node.Code != entry.ClassificationCode;
            if (reclassify && entry.PublishedRevisionId is not null)
                check.Add(ResourceFields.Classification, $"已发布资源的分类和代码（{entry.Code}）不可更改；如确需调整，请下线后重新编制");
            if (!check.IsValid) return CatalogResult<EntryDto>.Invalid(check.ToDictionary());

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var newCode = reclassify ? ResourceCode.FromPrefix(node!.Code, await CodeAllocator.NextAsync(db, node.Code, now, ct)) : null;
                ApplyEdit(actor, entry, working, published, check.Content!, newCode, now, null);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return CatalogResult<EntryDto>.Success(await ToDtoAsync(actor, entry, dept, ct));
            }
            catch (DbUpdateConcurrencyException)
            {
                return CatalogResult<EntryDto>.Clash(StaleMessage(version));
            }
            catch (DbUpdateException) when (attempt < MaxAttempts && reclassify)
            {
                await tx.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>报送: the working revision must pass every rule.</summary>
    public Task<CatalogResult<EntryDto>> SubmitAsync(CatalogActor actor, string key, int? version, CancellationToken ct = default) =>
        TransitionAsync(actor, key, version, LifecycleAction.Submit, async (c, now) =>
        {
            var errors = await FullCheckAsync(c, ct);
            if (errors is not null) return errors;
            c.Working!.SubmittedAt = now;
            c.Working.SubmittedBy = c.Actor.UserId;
            c.History(HistoryActions.Submitted, $"报送{(c.Published is null ? "" : $"第{c.Working.Number}版修订")}，等待主管部门审核");
            return null;
        }, ct);

    /// <summary>撤回报送 before the reviewer acts.</summary>
    public Task<CatalogResult<EntryDto>> RecallAsync(CatalogActor actor, string key, int? version, CancellationToken ct = default) =>
        TransitionAsync(actor, key, version, LifecycleAction.Recall, (c, now) =>
        {
            c.History(HistoryActions.Recalled, "撤回报送，恢复为草稿");
            return Task.FromResult<Dictionary<string, string[]>?>(null);
        }, ct);

    /// <summary>审核通过: publishes the entry, or replaces its published content with the revision.</summary>
    public Task<CatalogResult<EntryDto>> ApproveAsync(CatalogActor actor, string key, int? version, string? comment, CancellationToken ct = default) =>
        TransitionAsync(actor, key, version, LifecycleAction.Approve, async (c, now) =>
        {
            if (comment?.Length > 1000) return new() { ["comment"] = ["审核意见不能超过1000个字"] };
            var errors = await FullCheckAsync(c, ct);
            if (errors is not null) return errors;
            var working = c.Working!;
            var changes = c.Published is null ? [] : RevisionDiff.Compare(RevisionMapper.ToInput(c.Published, c.Entry.ClassificationCode),
                RevisionMapper.ToInput(working, c.Entry.ClassificationCode));
            if (c.Published is not null) c.Published.Status = RevisionStatus.Superseded;
            working.Status = RevisionStatus.Published;
            working.PublishDate = ChinaDate(now);
            working.ReviewedAt = now;
            working.ReviewedBy = c.Actor.UserId;
            working.ReviewerName = c.Actor.Name;
            working.ReviewSummary = ResourceValidator.Blank(comment);
            c.Entry.PublishedRevisionId = working.Id;
            c.Entry.WorkingRevisionId = null;
            c.Entry.FirstPublishedAt ??= now;
            c.History(HistoryActions.Approved, (c.Published is null ? "审核通过，资源发布" : $"审核通过第{working.Number}版修订，替换已发布内容")
                + (working.ReviewSummary is { } s ? "。审核意见：" + s : ""), changes);
            return null;
        }, ct);

    /// <summary>驳回 with at least one reason, each attached to a field.</summary>
    public Task<CatalogResult<EntryDto>> RejectAsync(CatalogActor actor, string key, int? version, string? summary, IReadOnlyDictionary<string, string>? reasons, CancellationToken ct = default) =>
        TransitionAsync(actor, key, version, LifecycleAction.Reject, (c, now) =>
        {
            var errors = new Dictionary<string, string[]>();
            var list = (reasons ?? new Dictionary<string, string>()).Where(r => !string.IsNullOrWhiteSpace(r.Value)).ToList();
            if (list.Count == 0) errors["reasons"] = ["驳回时须至少针对一个字段填写理由"];
            foreach (var (field, message) in list)
            {
                if (ResourceFields.LabelOf(field) is null) errors[$"reasons.{field}"] = [$"未知的字段“{field}”，理由须针对资源的某个字段（如 name、shareType、items[0].dataType）"];
                else if (message.Trim().Length > 500) errors[$"reasons.{field}"] = [$"对“{ResourceFields.LabelOf(field)}”的驳回理由不能超过500个字"];
            }
            if (summary?.Length > 1000) errors["summary"] = ["驳回说明不能超过1000个字"];
            if (errors.Count > 0) return Task.FromResult<Dictionary<string, string[]>?>(errors);
            var working = c.Working!;
            working.ReviewedAt = now;
            working.ReviewedBy = c.Actor.UserId;
            working.ReviewerName = c.Actor.Name;
            working.ReviewSummary = ResourceValidator.Blank(summary);
            foreach (var (field, message) in list)
            {
                var comment = new ReviewComment
                {
                    RevisionId = working.Id, Field = field, FieldLabel = ResourceFields.LabelOf(field)!, Message = message.Trim(),
                    ReviewerId = c.Actor.UserId, ReviewerName = c.Actor.Name, CreatedAt = now,
                };
                working.Comments.Add(comment);
                db.ReviewComments.Add(comment);
            }
            c.History(HistoryActions.Rejected, "驳回，退回修改：" + string.Join("；", list.Select(r => $"{ResourceFields.LabelOf(r.Key)}——{r.Value.Trim()}"))
                + (working.ReviewSummary is { } s ? "。说明：" + s : ""),
                list.Select(r => new FieldChange(r.Key, ResourceFields.LabelOf(r.Key)!, null, "驳回理由：" + r.Value.Trim())).ToList());
            return Task.FromResult<Dictionary<string, string[]>?>(null);
        }, ct);

    /// <summary>下线 (撤销): the entry leaves the catalogs; its code stays reserved.</summary>
    public Task<CatalogResult<EntryDto>> WithdrawAsync(CatalogActor actor, string key, int? version, string? reason, CancellationToken ct = default) =>
        TransitionAsync(actor, key, version, LifecycleAction.Withdraw, (c, now) =>
        {
            var text = ResourceValidator.Blank(reason);
            if (text is null) return Task.FromResult<Dictionary<string, string[]>?>(new() { ["reason"] = ["请填写下线原因"] });
            if (text.Length > 500) return Task.FromResult<Dictionary<string, string[]>?>(new() { ["reason"] = ["下线原因不能超过500个字"] });
            c.Published!.Status = RevisionStatus.Offline;
            c.Entry.OfflineAt = now;
            c.Entry.OfflineReason = text;
            c.History(HistoryActions.Withdrawn, $"下线：{text}（代码 {c.Entry.Code} 保留，不再复用）");
            return Task.FromResult<Dictionary<string, string[]>?>(null);
        }, ct);

    /// <summary>放弃修订: drops the revision of a published entry; the published content stays.</summary>
    public Task<CatalogResult<EntryDto>> DiscardRevisionAsync(CatalogActor actor, string key, int? version, CancellationToken ct = default) =>
        TransitionAsync(actor, key, version, LifecycleAction.DiscardRevision, (c, now) =>
        {
            c.Working!.Status = RevisionStatus.Discarded;
            c.Entry.WorkingRevisionId = null;
            c.History(HistoryActions.RevisionDiscarded, $"放弃第{c.Working.Number}版修订，保留已发布内容");
            return Task.FromResult<Dictionary<string, string[]>?>(null);
        }, ct);

    /// <summary>Deletes an entry that was never published. Its code is not reused; the history is kept.</summary>
    public async Task<CatalogResult<bool>> DeleteAsync(CatalogActor actor, string key, int? version, CancellationToken ct = default)
    {
        var ctx = await LoadForActionAsync(actor, key, version, LifecycleAction.Delete, ct);
        if (ctx.Failure is not null) return ctx.Failure.As<bool>();
        var entry = ctx.Entry!;
        var now = clock.GetUtcNow().UtcDateTime;
        AddHistory(entry, ctx.Working?.Number, HistoryActions.Deleted, actor, now, $"删除未发布的资源“{ctx.Working?.Name}”（代码 {entry.Code} 作废，不再复用）", []);
        db.Entries.Remove(entry);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return CatalogResult<bool>.Clash(StaleMessage(version)); }
        return CatalogResult<bool>.Success(true);
    }

    // ---------------------------------------------------------------- internals

    /// <summary>
    /// Adds a new draft entry with its first revision and the history line (no save). Used by the API and the import,
    /// which saves many entries in one transaction.
    /// </summary>
    internal CatalogEntry AddEntry(CatalogActor actor, DepartmentInfo dept, ResourceCode code, ResourceContent content, DateTime now, string? note)
    {
        var entry = new CatalogEntry
        {
            Id = Guid.CreateVersion7(), Code = code.ToString(), ClassificationCode = code.Prefix, ClassCode = code.ClassCode,
            ItemCode = code.ItemCode, CategoryCode = code.CategoryCode, DetailPath = code.DetailPath, Sequence = code.Sequence,
            DepartmentId = dept.Id, Status = EntryStatus.Draft, LastRevisionNumber = 1, MetadataIdentifier = "",
            CreatedAt = now, CreatedBy = actor.UserId, UpdatedAt = now,
        };
        entry.MetadataIdentifier = entry.Id.ToString();
        var revision = NewRevision(entry, 1, content.Name, now, actor);
        RevisionMapper.Apply(revision, content, now);
        entry.WorkingRevisionId = revision.Id;
        db.Entries.Add(entry);
        db.Revisions.Add(revision);
        AddHistory(entry, 1, HistoryActions.Created, actor, now, $"新建资源“{revision.Name}”，分配代码 {entry.Code}{note}",
            RevisionDiff.Compare(null, RevisionMapper.ToInput(revision, entry.ClassificationCode)));
        return entry;
    }

    /// <summary>
    /// Applies new content to a loaded, tracked entry (no save): in place on its working revision, or as a new revision
    /// of a published entry. <paramref name="newCode"/> re-files a never-published entry under another node.
    /// Returns the changes (empty when the content is unchanged).
    /// </summary>
    internal List<FieldChange> ApplyEdit(CatalogActor actor, CatalogEntry entry, ResourceRevision? working, ResourceRevision? published,
        ResourceContent content, ResourceCode? newCode, DateTime now, string? note)
    {
        var before = working ?? published!;
        var beforeInput = RevisionMapper.ToInput(before, entry.ClassificationCode);
        var oldCode = entry.Code;
        if (newCode is not null)
        {
            entry.Code = newCode.ToString();
            entry.ClassificationCode = newCode.Prefix;
            entry.ClassCode = newCode.ClassCode;
            entry.ItemCode = newCode.ItemCode;
            entry.CategoryCode = newCode.CategoryCode;
            entry.DetailPath = newCode.DetailPath;
            entry.Sequence = newCode.Sequence;
        }
        string action;
        ResourceRevision target;
        if (working is null)
        {
            entry.LastRevisionNumber++;
            target = NewRevision(entry, entry.LastRevisionNumber, content.Name, now, actor);
            db.Revisions.Add(target);
            entry.WorkingRevisionId = target.Id;
            action = HistoryActions.RevisionOpened;
        }
        else
        {
            target = working;
            target.UpdatedAt = now;
            target.UpdatedBy = actor.UserId;
            db.Items.RemoveRange(target.Items);
            action = HistoryActions.Edited;
        }
        RevisionMapper.Apply(target, content, now);
        db.Items.AddRange(target.Items);
        var changes = RevisionDiff.Compare(beforeInput, RevisionMapper.ToInput(target, entry.ClassificationCode));
        var summary = action == HistoryActions.RevisionOpened
            ? $"对已发布资源发起第{target.Number}版修订（已发布内容在审核通过前保持不变）"
            : changes.Count == 0 ? "保存（内容无变化）" : $"修改了{string.Join("、", changes.Select(c => c.Label).Distinct())}";
        if (newCode is not null) summary += $"；调整分类，代码由 {oldCode} 改为 {entry.Code}（原代码作废，不再复用）";
        AddHistory(entry, target.Number, action, actor, now, summary + note, changes);
        Touch(entry, now);
        return changes;
    }

    private sealed class ActionContext
    {
        public CatalogEntry? Entry { get; init; }
        public DepartmentInfo? Department { get; init; }
        public ResourceRevision? Working { get; init; }
        public ResourceRevision? Published { get; init; }
        public CatalogResult<EntryDto>? Failure { get; init; }
        public LifecyclePhase Phase { get; init; }
    }

    /// <summary>What a transition body works with.</summary>
    private sealed class TransitionContext(ResourceService service, CatalogActor actor, CatalogEntry entry, DepartmentInfo department,
        ResourceRevision? working, ResourceRevision? published, DateTime now)
    {
        public CatalogActor Actor { get; } = actor;
        public CatalogEntry Entry { get; } = entry;
        public DepartmentInfo Department { get; } = department;
        public ResourceRevision? Working { get; } = working;
        public ResourceRevision? Published { get; } = published;

        public void History(string action, string summary, List<FieldChange>? changes = null) =>
            service.AddHistory(Entry, Working?.Number ?? Published?.Number, action, Actor, now, summary, changes ?? []);
    }

    private async Task<ActionContext> LoadForActionAsync(CatalogActor actor, string key, int? version, LifecycleAction action, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var entry = await FindEntryAsync(key, track: true, ct);
        if (entry is null) return new ActionContext { Failure = CatalogResult<EntryDto>.Missing() };
        var dept = await departments.FindAsync(entry.DepartmentId, ct);
        if (!CanSee(actor, entry, dept) || dept is null) return new ActionContext { Failure = CatalogResult<EntryDto>.Missing() };
        if (Authorize(actor, entry, dept, action) is { } denied) return new ActionContext { Failure = CatalogResult<EntryDto>.Deny(denied) };
        if (version is null) return new ActionContext { Failure = CatalogResult<EntryDto>.Invalid("version", "请提供读取资源时得到的版本号 version，以免覆盖他人的修改") };
        if (version != entry.Version) return new ActionContext { Failure = CatalogResult<EntryDto>.Clash(StaleMessage(version, entry.Version)) };
        var ids = new[] { entry.WorkingRevisionId, entry.PublishedRevisionId }.Where(x => x is not null).Select(x => x!.Value).ToList();
        var revisions = await db.Revisions.Include(r => r.Items).Include(r => r.Comments).Where(r => ids.Contains(r.Id)).ToListAsync(ct);
        var working = revisions.FirstOrDefault(r => r.Id == entry.WorkingRevisionId);
        var published = revisions.FirstOrDefault(r => r.Id == entry.PublishedRevisionId);
        var phase = Lifecycle.PhaseOf(entry.Status, working?.Status);
        if (!Lifecycle.TryTransition(phase, action, out _, out var refusal))
            return new ActionContext { Failure = CatalogResult<EntryDto>.Clash(refusal!) };
        return new ActionContext { Entry = entry, Department = dept, Working = working, Published = published, Phase = phase };
    }

    private async Task<CatalogResult<EntryDto>> TransitionAsync(CatalogActor actor, string key, int? version, LifecycleAction action,
        Func<TransitionContext, DateTime, Task<Dictionary<string, string[]>?>> apply, CancellationToken ct)
    {
        var ctx = await LoadForActionAsync(actor, key, version, action, ct);
        if (ctx.Failure is not null) return ctx.Failure;
        var entry = ctx.Entry!;
        var now = clock.GetUtcNow().UtcDateTime;
        Lifecycle.TryTransition(ctx.Phase, action, out var next, out _);
        var body = new TransitionContext(this, actor, entry, ctx.Department!, ctx.Working, ctx.Published, now);
        var errors = await apply(body, now);
        if (errors is not null) return CatalogResult<EntryDto>.Invalid(errors);
        entry.Status = Lifecycle.StatusOf(next);
        if (ctx.Working is not null && entry.WorkingRevisionId == ctx.Working.Id && Lifecycle.WorkingStatusOf(next) is { } ws)
            ctx.Working.Status = ws;
        Touch(entry, now);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return CatalogResult<EntryDto>.Clash(StaleMessage(version)); }
        return CatalogResult<EntryDto>.Success(await ToDtoAsync(actor, entry, ctx.Department, ct));
    }

    /// <summary>Every rule, against the current classification tree (its rules may have changed since the draft was saved).</summary>
    private async Task<Dictionary<string, string[]>?> FullCheckAsync(TransitionContext c, CancellationToken ct)
    {
        var input = RevisionMapper.ToInput(c.Working!, c.Entry.ClassificationCode);
        var node = await classifications.FindNodeAsync(c.Entry.ClassificationCode, ct);
        var check = ResourceValidator.Validate(input, node, c.Department, ValidationMode.Submit, c.Entry.Code);
        return check.IsValid ? null : check.ToDictionary();
    }

    private string? Authorize(CatalogActor actor, CatalogEntry entry, DepartmentInfo dept, LifecycleAction action)
    {
        var verb = Lifecycle.Label(action);
        return Lifecycle.ActorOf(action) switch
        {
            LifecycleActor.Compiler when !actor.IsCompiler => $"只有部门编目员可以{verb}资源目录",
            LifecycleActor.Compiler when !actor.CanCompile(entry.DepartmentId) => $"只能{verb}本部门的资源（该资源属于{dept.Name}）",
            LifecycleActor.Reviewer when !actor.IsReviewer => $"只有目录审核员可以{verb}资源目录",
            LifecycleActor.Reviewer when !actor.CanReview(dept, regions) => $"{dept.Name}的资源不在您所在主管部门的审核范围内",
            LifecycleActor.CompilerOrReviewer when !actor.CanCompile(entry.DepartmentId) && !actor.CanReview(dept, regions)
                => $"只有{dept.Name}的编目员或其主管部门的审核员可以{verb}该资源",
            _ => null,
        };
    }

    private bool CanSee(CatalogActor actor, CatalogEntry entry, DepartmentInfo? dept) =>
        actor.SeesEverything
        || actor.Department?.Id == entry.DepartmentId
        || actor.CanReview(dept, regions)
        || actor.Department is not null && entry.PublishedRevisionId is not null && entry.Status == EntryStatus.Published;

    internal HashSet<Guid>? ScopeOf(CatalogActor actor, IReadOnlyList<DepartmentInfo> all)
    {
        if (actor.SeesEverything) return null;
        var scope = new HashSet<Guid>();
        if (actor.Department is { } own) scope.Add(own.Id);
        if (actor.IsReviewer) foreach (var d in all.Where(d => actor.CanReview(d, regions))) scope.Add(d.Id);
        return scope;
    }

    private async Task<CatalogEntry?> FindEntryAsync(string key, bool track, CancellationToken ct)
    {
        var q = track ? db.Entries : db.Entries.AsNoTracking();
        if (Guid.TryParse(key, out var id)) return await q.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (!ResourceCode.TryParse(Uri.UnescapeDataString(key), out var code)) return null;
        var text = code.ToString();
        return await q.FirstOrDefaultAsync(e => e.Code == text, ct);
    }

    private async Task<EntryDto> ToDtoAsync(CatalogActor actor, CatalogEntry entry, DepartmentInfo? dept, CancellationToken ct)
    {
        var ids = new[] { entry.WorkingRevisionId, entry.PublishedRevisionId }.Where(x => x is not null).Select(x => x!.Value).ToList();
        var revisions = await db.Revisions.AsNoTracking().Include(r => r.Items).Include(r => r.Comments).Where(r => ids.Contains(r.Id)).ToListAsync(ct);
        var working = revisions.FirstOrDefault(r => r.Id == entry.WorkingRevisionId);
        var published = revisions.FirstOrDefault(r => r.Id == entry.PublishedRevisionId);
        var insider = actor.SeesEverything || actor.Department?.Id == entry.DepartmentId || actor.CanReview(dept, regions);
        var prefixes = Enumerable.Range(1, entry.ClassificationCode.Length).Select(n => entry.ClassificationCode[..n]).ToList();
        var chain = await db.Classifications.AsNoTracking().Where(x => prefixes.Contains(x.Code)).ToListAsync(ct);
        var path = ClassificationService.PathNames(chain).GetValueOrDefault(entry.ClassificationCode, entry.ClassificationCode);
        var phase = Lifecycle.PhaseOf(entry.Status, working?.Status);
        var allowed = insider
            ? Lifecycle.AllowedActions(phase).Where(a => Lifecycle.ActorOf(a) switch
            {
                LifecycleActor.Compiler => actor.CanCompile(entry.DepartmentId),
                LifecycleActor.Reviewer => actor.CanReview(dept, regions),
                _ => actor.CanCompile(entry.DepartmentId) || actor.CanReview(dept, regions),
            }).Select(ActionKey).ToList()
            : [];
        var code = ResourceCode.Create(entry.ClassCode, entry.ItemCode, entry.CategoryCode, entry.DetailPath, entry.Sequence);
        return new EntryDto(entry.Id, entry.Code,
            new CodePartsDto(code.ClassCode, CatalogTerms.Label(code.Class), code.ItemCode, code.CategoryCode, code.DetailPath, code.Sequence, code.Prefix),
            entry.ClassificationCode, path, entry.DepartmentId, dept?.Name ?? "（已撤销的部门）", CatalogTerms.Label(entry.Status), Lifecycle.Label(phase),
            entry.Version, entry.MetadataIdentifier, entry.CreatedAt, entry.UpdatedAt, entry.FirstPublishedAt,
            insider ? entry.OfflineAt : null, insider ? entry.OfflineReason : null,
            published is null ? null : RevisionDto.From(published), insider && working is not null ? RevisionDto.From(working) : null, allowed);
    }

    /// <summary>API name of an action (edit, submit, recall, approve, reject, withdraw, delete, discard-revision).</summary>
    public static string ActionKey(LifecycleAction action) => action switch
    {
        LifecycleAction.DiscardRevision => "discard-revision",
        _ => action.ToString().ToLowerInvariant(),
    };

    private static ResourceRevision NewRevision(CatalogEntry entry, int number, string name, DateTime now, CatalogActor actor) => new()
    {
        Id = Guid.CreateVersion7(), EntryId = entry.Id, Number = number, Status = RevisionStatus.Draft, Name = name,
        CreatedAt = now, CreatedBy = actor.UserId, UpdatedAt = now, UpdatedBy = actor.UserId, MetadataUpdatedAt = now,
    };

    private void AddHistory(CatalogEntry entry, int? revision, string action, CatalogActor actor, DateTime now, string summary, IReadOnlyCollection<FieldChange> changes) =>
        db.History.Add(new HistoryRecord
        {
            EntryId = entry.Id, RevisionNumber = revision, Action = action, ActorId = actor.UserId, ActorName = actor.Name,
            OccurredAt = now, Summary = summary.Length > 1000 ? summary[..997] + "…" : summary, Changes = RevisionDiff.ToJson(changes),
        });

    private static void Touch(CatalogEntry entry, DateTime now)
    {
        entry.UpdatedAt = now;
        entry.Version++;
    }

    private static string StaleMessage(int? sent, int? current = null) =>
        current is null
            ? "该资源已被他人修改，请刷新后重新操作（您的修改未保存）"
            : $"该资源已被他人修改（您读取的是版本 {sent}，当前为版本 {current}），请刷新后重新操作（您的修改未保存）";

    /// <summary>发布日期 in China Standard Time (UTC+8, no daylight saving).</summary>
    internal static DateOnly ChinaDate(DateTime utc) => DateOnly.FromDateTime(utc.AddHours(8));

    internal static (int Page, int Size) Paging(int page, int size) => (Math.Max(1, page), size is < 1 ? 20 : Math.Min(size, 200));
}
