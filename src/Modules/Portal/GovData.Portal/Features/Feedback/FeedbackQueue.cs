using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Feedback;

/// <summary>Kinds of items in a department's queue; also the path segment of the answer page.</summary>
internal static class FeedbackKinds
{
    public const string Correction = "corrections";
    public const string Demand = "demands";

    public static string Label(string kind) => kind == Correction ? "纠错" : "数据需求";
}

/// <summary>An item of a department's queue (纠错 or 数据需求), as the console shows it.</summary>
internal sealed record QueueItem(
    string Kind, Guid Id, Guid DepartmentId, string Subject, string? SubjectLink, string AuthorName, string Text, string? Detail,
    FeedbackStatus Status, DateTime CreatedAt, DateTime DueAt, string? Answer, DateTime? AnsweredAt, string? AnsweredByName, bool IsHidden);

/// <summary>
/// The providing department's queue of 纠错 and 数据需求 and its public answers. Only a 部门管理员 of the item's own
/// department may answer; the platform administrator sees every department's queue (read only).
/// </summary>
internal sealed class FeedbackQueue(PortalDb db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static bool MaySeeQueue(ClaimsPrincipal user) => user.IsInRole(Roles.PlatformAdmin) || (user.IsInRole(Roles.DepartmentAdmin) && user.GetDepartmentId() is not null);

    public static bool MayAnswer(ClaimsPrincipal user, Guid departmentId) => user.IsInRole(Roles.DepartmentAdmin) && user.GetDepartmentId() == departmentId;

    public bool IsOverdue(QueueItem item) => item.Status == FeedbackStatus.Pending && Now > item.DueAt;

    private static QueueItem From(Correction c) => new(FeedbackKinds.Correction, c.Id, c.DepartmentId, c.DatasetName, "/portal/datasets/" + c.DatasetCode.Replace('/', '-'),
        c.AuthorName, c.Description, Describe(c), c.Status, c.CreatedAt, c.DueAt, c.Answer, c.AnsweredAt, c.AnsweredByName, false);

    private static QueueItem From(Demand d) => new(FeedbackKinds.Demand, d.Id, d.DepartmentId, d.Title, "/portal/demands#demand-" + d.Id.ToString("N"),
        d.AuthorName, d.Description, string.IsNullOrEmpty(d.Purpose) ? null : "用途：" + d.Purpose, d.Status, d.CreatedAt, d.DueAt, d.Answer, d.AnsweredAt, d.AnsweredByName, d.IsHidden);

    private static string? Describe(Correction c)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(c.FieldName)) parts.Add("数据项：" + c.FieldName);
        if (!string.IsNullOrEmpty(c.RecordRef)) parts.Add("记录：" + c.RecordRef);
        return parts.Count == 0 ? null : string.Join("；", parts);
    }

    /// <summary>The queue of the caller's department (every department for the platform administrator), pending first, oldest due first.</summary>
    public async Task<IReadOnlyList<QueueItem>> ListAsync(ClaimsPrincipal user, string? kind, bool pendingOnly, CancellationToken ct = default)
    {
        Guid? department = user.IsInRole(Roles.PlatformAdmin) ? null : user.GetDepartmentId();
        var items = new List<QueueItem>();
        if (kind is null or FeedbackKinds.Correction)
        {
            var q = db.Corrections.AsNoTracking();
            if (department is { } d) q = q.Where(c => c.DepartmentId == d);
            if (pendingOnly) q = q.Where(c => c.Status == FeedbackStatus.Pending);
            items.AddRange((await q.OrderByDescending(c => c.CreatedAt).Take(500).ToListAsync(ct)).Select(From));
        }
        if (kind is null or FeedbackKinds.Demand)
        {
            var q = db.Demands.AsNoTracking();
            if (department is { } d) q = q.Where(c => c.DepartmentId == d);
            if (pendingOnly) q = q.Where(c => c.Status == FeedbackStatus.Pending);
            items.AddRange((await q.OrderByDescending(c => c.CreatedAt).Take(500).ToListAsync(ct)).Select(From));
        }
        return items.OrderBy(i => i.Status == FeedbackStatus.Pending ? 0 : 1).ThenBy(i => i.Status == FeedbackStatus.Pending ? i.DueAt : DateTime.MaxValue)
            .ThenByDescending(i => i.CreatedAt).ToList();
    }

    public async Task<QueueItem?> FindAsync(string kind, Guid id, CancellationToken ct = default) => kind switch
    {
        FeedbackKinds.Correction => await db.Corrections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } c ? From(c) : null,
        FeedbackKinds.Demand => await db.Demands.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is { } d ? From(d) : null,
        _ => null,
    };

    /// <summary>Answers publicly (a new answer replaces an earlier one). 404 unknown, 403 another department's item.</summary>
    public async Task<FeedbackResult> AnswerAsync(ClaimsPrincipal user, string kind, Guid id, string? status, string? answer, CancellationToken ct = default)
    {
        var item = await FindAsync(kind, id, ct);
        if (item is null) return FeedbackResult.Fail(null, "未找到该条目", StatusCodes.Status404NotFound);
        if (!MayAnswer(user, item.DepartmentId))
            return FeedbackResult.Fail(null, "只有该数据提供部门的部门管理员可以答复本条目", StatusCodes.Status403Forbidden);
        if (!Enum.TryParse<FeedbackStatus>(status, ignoreCase: false, out var next) || next == FeedbackStatus.Pending || !Enum.IsDefined(next))
            return FeedbackResult.Fail("status", "请选择处理结果：已答复、已采纳或不予采纳");
        var text = FeedbackService.Clean(answer);
        if (text is null) return FeedbackResult.Fail("answer", "请填写答复内容（将公开显示）");
        if (text.Length > FeedbackSettings.AnswerMaxLength) return FeedbackResult.Fail("answer", $"答复内容不能超过{FeedbackSettings.AnswerMaxLength}个字（现有{text.Length}个字）");
        var now = Now;
        var by = user.GetUserId();
        var name = user.GetDisplayName();
        var updated = kind == FeedbackKinds.Correction
            ? await db.Corrections.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, next).SetProperty(c => c.Answer, text)
                .SetProperty(c => c.AnsweredAt, now).SetProperty(c => c.AnsweredBy, by).SetProperty(c => c.AnsweredByName, name), ct)
            : await db.Demands.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, next).SetProperty(c => c.Answer, text)
                .SetProperty(c => c.AnsweredAt, now).SetProperty(c => c.AnsweredBy, by).SetProperty(c => c.AnsweredByName, name), ct);
        return updated == 1 ? FeedbackResult.Success : FeedbackResult.Fail(null, "未找到该条目", StatusCodes.Status404NotFound);
    }
}

/// <summary>Moderation by the platform administrator: hide and restore comments and 数据需求; the sensitive-word list.</summary>
internal sealed class FeedbackModeration(PortalDb db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<bool> SetCommentHiddenAsync(ClaimsPrincipal admin, Guid id, bool hidden, string? note, CancellationToken ct = default)
    {
        var now = Now;
        var by = admin.GetUserId();
        var n = FeedbackService.Clean(note) is { } t ? (t.Length > 200 ? t[..200] : t) : null;
        return await db.Comments.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.IsHidden, hidden)
            .SetProperty(c => c.ModeratedAt, now).SetProperty(c => c.ModeratedBy, by).SetProperty(c => c.ModerationNote, n), ct) == 1;
    }

    public async Task<bool> SetDemandHiddenAsync(ClaimsPrincipal admin, Guid id, bool hidden, string? note, CancellationToken ct = default)
    {
        var now = Now;
        var by = admin.GetUserId();
        var n = FeedbackService.Clean(note) is { } t ? (t.Length > 200 ? t[..200] : t) : null;
        return await db.Demands.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.IsHidden, hidden)
            .SetProperty(c => c.ModeratedAt, now).SetProperty(c => c.ModeratedBy, by).SetProperty(c => c.ModerationNote, n), ct) == 1;
    }

    /// <summary>Adds a word to the database list; returns a Chinese error or null.</summary>
    public async Task<string?> AddWordAsync(ClaimsPrincipal admin, string? word, CancellationToken ct = default)
    {
        var w = FeedbackService.Clean(word);
        if (w is null) return "请填写敏感词";
        if (w.Length > 50) return "敏感词不能超过50个字";
        if (SensitiveWordFilter.Normalize(w).Length == 0) return "敏感词不能只由空白或分隔符组成";
        if (await db.SensitiveWords.AnyAsync(x => x.Word == w, ct)) return $"敏感词“{w}”已在列表中";
        db.SensitiveWords.Add(new SensitiveWord { Id = Guid.CreateVersion7(), Word = w, CreatedAt = Now, CreatedBy = admin.GetUserId() });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { db.ChangeTracker.Clear(); return $"敏感词“{w}”已在列表中"; }
        return null;
    }

    public async Task<bool> RemoveWordAsync(Guid id, CancellationToken ct = default) =>
        await db.SensitiveWords.Where(w => w.Id == id).ExecuteDeleteAsync(ct) == 1;
}
