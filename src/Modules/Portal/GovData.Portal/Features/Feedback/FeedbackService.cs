using System.Security.Claims;
using System.Text;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Feedback;

/// <summary>Outcome of a submission: OK, or a Chinese message (about <paramref name="Field"/> when set) and the HTTP status to answer with.</summary>
internal sealed record FeedbackResult(bool Ok, string? Field = null, string? Error = null, int Status = StatusCodes.Status200OK)
{
    public static readonly FeedbackResult Success = new(true);

    public static FeedbackResult Fail(string? field, string error, int status = StatusCodes.Status400BadRequest) => new(false, field, error, status);
}

/// <summary>What the dataset page shows of its feedback.</summary>
internal sealed record DatasetFeedback(
    OpenDataset Dataset, bool SignedIn, AccountStanding? Account, bool IsFavorite, int Favorites, double? AverageRating, int Ratings, int? MyScore,
    IReadOnlyList<Comment> Comments, IReadOnlyList<Correction> Corrections, int ResponseDays);

/// <summary>
/// Favourites, ratings, comments, 纠错 and 数据需求. Every submission checks, in this order: signed in, account active
/// and e-mail verified (asked from Identity's database, not the cookie), the per-account hourly limit (counted in the
/// database, so every host of a shared database agrees), required fields and lengths, and the sensitive-word filter.
/// Text is stored as typed (control characters removed, line breaks kept) and is only ever rendered HTML-encoded.
/// </summary>
internal sealed class FeedbackService(PortalDb db, IPublicAccounts accounts, SensitiveWordFilter filter, FeedbackSettings settings, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Signed in, active, verified (or an error to show).</summary>
    public async Task<(AccountStanding? Account, FeedbackResult? Error)> StandingAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.GetUserId() is not { } id) return (null, FeedbackResult.Fail(null, "请先登录后再提交。还没有账号？请先注册公众账号。", StatusCodes.Status401Unauthorized));
        var account = await accounts.FindAsync(id, ct);
        if (account is null || !account.IsActive) return (account, FeedbackResult.Fail(null, "账号不存在或已停用，不能提交。", StatusCodes.Status403Forbidden));
        if (!account.EmailVerified)
            return (account, FeedbackResult.Fail(null, "您的电子邮箱尚未验证，验证后才能发表评论、提交纠错和数据需求。请打开验证邮件中的链接，或重新发送验证邮件。", StatusCodes.Status403Forbidden));
        return (account, null);
    }

    /// <summary>
    /// Comments, 纠错, 数据需求 and 应用展示 submissions of the account in the last hour, against <see cref="FeedbackSettings.PostsPerHour"/>
    /// (also used by <c>Showcase.ShowcaseService</c>).
    /// </summary>
    public async Task<FeedbackResult?> RateLimitAsync(Guid userId, CancellationToken ct)
    {
        var since = Now.AddHours(-1);
        var posts = await db.Comments.CountAsync(c => c.UserId == userId && c.CreatedAt > since, ct)
            + await db.Corrections.CountAsync(c => c.UserId == userId && c.CreatedAt > since, ct)
            + await db.Demands.CountAsync(c => c.UserId == userId && c.CreatedAt > since, ct)
            + await db.ShowcaseApps.CountAsync(c => c.UserId == userId && c.CreatedAt > since, ct);
        return posts >= settings.PostsPerHour
            ? FeedbackResult.Fail(null, $"提交过于频繁：每个账号每小时最多提交 {settings.PostsPerHour} 条评论、纠错、数据需求和应用，请稍后再试。", StatusCodes.Status429TooManyRequests)
            : null;
    }

    /// <summary>Trims, removes control characters (keeps line breaks) and normalises line ends.</summary>
    public static string? Clean(string? text)
    {
        if (text is null) return null;
        var b = new StringBuilder(text.Length);
        foreach (var c in text.Replace("\r\n", "\n").Replace('\r', '\n'))
            if (c == '\n' || !char.IsControl(c)) b.Append(c);
        var s = b.ToString().Trim();
        return s.Length == 0 ? null : s;
    }

    /// <summary>Required and length rules of a text field (also used by <c>Showcase.ShowcaseService</c>).</summary>
    public static FeedbackResult? Check(string field, string label, string? value, int max, bool required, int min = 0)
    {
        if (value is null) return required ? FeedbackResult.Fail(field, $"请填写{label}") : null;
        if (value.Length < min) return FeedbackResult.Fail(field, $"{label}至少需要{min}个字");
        if (value.Length > max) return FeedbackResult.Fail(field, $"{label}不能超过{max}个字（现有{value.Length}个字）");
        return null;
    }

    /// <summary>The sensitive-word refusal (422) for the texts, or null (also used by <c>Showcase.ShowcaseService</c>).</summary>
    public async Task<FeedbackResult?> SensitiveAsync(string field, CancellationToken ct, params string?[] texts) =>
        await filter.FindAsync(ct, texts) is { } word
            ? FeedbackResult.Fail(field, $"内容含有不宜发布的词语“{word}”，请修改后再提交。", StatusCodes.Status422UnprocessableEntity)
            : null;

    /// <summary>Posts a public comment.</summary>
    public async Task<FeedbackResult> CommentAsync(ClaimsPrincipal user, OpenDataset dataset, string? body, CancellationToken ct = default)
    {
        var (account, denied) = await StandingAsync(user, ct);
        if (denied is not null) return denied;
        if (await RateLimitAsync(account!.Id, ct) is { } limited) return limited;
        var text = Clean(body);
        if (Check("body", "评论内容", text, FeedbackSettings.CommentMaxLength, true, 2) is { } bad) return bad;
        if (await SensitiveAsync("body", ct, text) is { } hit) return hit;
        db.Comments.Add(new Comment
        {
            Id = Guid.CreateVersion7(), EntryId = dataset.EntryId, DatasetCode = dataset.Code.ToString(), DatasetName = dataset.Name,
            UserId = account.Id, AuthorName = account.DisplayName, Body = text!, CreatedAt = Now,
        });
        await db.SaveChangesAsync(ct);
        return FeedbackResult.Success;
    }

    /// <summary>Files a 纠错 report in the providing department's queue.</summary>
    public async Task<FeedbackResult> CorrectionAsync(ClaimsPrincipal user, OpenDataset dataset, string? fieldName, string? recordRef, string? description, CancellationToken ct = default)
    {
        var (account, denied) = await StandingAsync(user, ct);
        if (denied is not null) return denied;
        if (await RateLimitAsync(account!.Id, ct) is { } limited) return limited;
        var field = Clean(fieldName);
        var record = Clean(recordRef);
        var text = Clean(description);
        if (field is not null && dataset.Items.Count > 0 && !dataset.Items.Any(i => i.Name == field || i.FieldCode == field))
            return FeedbackResult.Fail("fieldName", $"数据项“{field}”不在本数据集的数据项中，请从列表中选择或留空");
        if (Check("fieldName", "数据项", field, FeedbackSettings.ShortFieldMaxLength, false) is { } b1) return b1;
        if (Check("recordRef", "记录标识", record, FeedbackSettings.ShortFieldMaxLength, false) is { } b2) return b2;
        if (Check("description", "问题描述", text, FeedbackSettings.DescriptionMaxLength, true, 5) is { } b3) return b3;
        if (await SensitiveAsync("description", ct, record, text) is { } hit) return hit;
        var now = Now;
        db.Corrections.Add(new Correction
        {
            Id = Guid.CreateVersion7(), EntryId = dataset.EntryId, DatasetCode = dataset.Code.ToString(), DatasetName = dataset.Name,
            DepartmentId = dataset.DepartmentId, UserId = account.Id, AuthorName = account.DisplayName,
            FieldName = field, RecordRef = record, Description = text!, Status = FeedbackStatus.Pending,
            CreatedAt = now, DueAt = now.AddDays(settings.ResponseDays),
        });
        await db.SaveChangesAsync(ct);
        return FeedbackResult.Success;
    }

    /// <summary>Files a 数据需求 with a department.</summary>
    public async Task<FeedbackResult> DemandAsync(ClaimsPrincipal user, DepartmentInfo? department, string? title, string? description, string? purpose, CancellationToken ct = default)
    {
        var (account, denied) = await StandingAsync(user, ct);
        if (denied is not null) return denied;
        if (await RateLimitAsync(account!.Id, ct) is { } limited) return limited;
        if (department is null) return FeedbackResult.Fail("departmentId", "请选择希望开放数据的部门");
        var t = Clean(title);
        var d = Clean(description);
        var p = Clean(purpose);
        if (Check("title", "需求标题", t, FeedbackSettings.TitleMaxLength, true, 4) is { } b1) return b1;
        if (Check("description", "需求描述", d, FeedbackSettings.DescriptionMaxLength, true, 10) is { } b2) return b2;
        if (Check("purpose", "用途", p, FeedbackSettings.ShortFieldMaxLength * 5, false) is { } b3) return b3;
        if (await SensitiveAsync("description", ct, t, d, p) is { } hit) return hit;
        var now = Now;
        db.Demands.Add(new Demand
        {
            Id = Guid.CreateVersion7(), DepartmentId = department.Id, DepartmentName = department.Name, UserId = account.Id,
            AuthorName = account.DisplayName, Title = t!, Description = d!, Purpose = p, Status = FeedbackStatus.Pending,
            CreatedAt = now, DueAt = now.AddDays(settings.ResponseDays),
        });
        await db.SaveChangesAsync(ct);
        return FeedbackResult.Success;
    }

    /// <summary>Rates 1–5; a second rating replaces the first (one per account).</summary>
    public async Task<FeedbackResult> RateAsync(ClaimsPrincipal user, OpenDataset dataset, int? score, CancellationToken ct = default)
    {
        var (account, denied) = await StandingAsync(user, ct);
        if (denied is not null) return denied;
        if (score is not (>= 1 and <= 5)) return FeedbackResult.Fail("score", "请选择 1 至 5 星的评分");
        var now = Now;
        var existing = await db.Ratings.FirstOrDefaultAsync(r => r.UserId == account!.Id && r.EntryId == dataset.EntryId, ct);
        if (existing is null) db.Ratings.Add(new Rating { UserId = account!.Id, EntryId = dataset.EntryId, Score = score.Value, CreatedAt = now, UpdatedAt = now });
        else { existing.Score = score.Value; existing.UpdatedAt = now; }
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            // A second request of the same account inserted first: update that row.
            db.ChangeTracker.Clear();
            await db.Ratings.Where(r => r.UserId == account!.Id && r.EntryId == dataset.EntryId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Score, score.Value).SetProperty(r => r.UpdatedAt, now), ct);
        }
        return FeedbackResult.Success;
    }

    /// <summary>Adds or removes the dataset from the account's favourites (any signed-in account; favourites are private).</summary>
    public async Task<(FeedbackResult Result, bool IsFavorite)> ToggleFavoriteAsync(ClaimsPrincipal user, OpenDataset dataset, CancellationToken ct = default)
    {
        if (user.GetUserId() is not { } id) return (FeedbackResult.Fail(null, "请先登录后再收藏。", StatusCodes.Status401Unauthorized), false);
        var removed = await db.Favorites.Where(f => f.UserId == id && f.EntryId == dataset.EntryId).ExecuteDeleteAsync(ct);
        if (removed > 0) return (FeedbackResult.Success, false);
        db.Favorites.Add(new Favorite { UserId = id, EntryId = dataset.EntryId, CreatedAt = Now });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { db.ChangeTracker.Clear(); }
        return (FeedbackResult.Success, true);
    }

    /// <summary>Everything the dataset page shows: favourite state and count, rating, visible comments, all 纠错 with their status.</summary>
    public async Task<DatasetFeedback> ForDatasetAsync(OpenDataset dataset, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var entry = dataset.EntryId;
        var userId = user.GetUserId();
        var account = userId is { } u ? await accounts.FindAsync(u, ct) : null;
        var favorites = await db.Favorites.CountAsync(f => f.EntryId == entry, ct);
        var isFavorite = userId is { } id1 && await db.Favorites.AnyAsync(f => f.EntryId == entry && f.UserId == id1, ct);
        var scores = await db.Ratings.Where(r => r.EntryId == entry).Select(r => r.Score).ToListAsync(ct);
        int? mine = userId is { } id2 ? await db.Ratings.Where(r => r.EntryId == entry && r.UserId == id2).Select(r => (int?)r.Score).FirstOrDefaultAsync(ct) : null;
        var comments = await db.Comments.AsNoTracking().Where(c => c.EntryId == entry && !c.IsHidden).OrderByDescending(c => c.CreatedAt).Take(100).ToListAsync(ct);
        var corrections = await db.Corrections.AsNoTracking().Where(c => c.EntryId == entry).OrderByDescending(c => c.CreatedAt).Take(100).ToListAsync(ct);
        return new DatasetFeedback(dataset, userId is not null, account, isFavorite, favorites, scores.Count == 0 ? null : scores.Average(), scores.Count, mine,
            comments, corrections, settings.ResponseDays);
    }

    /// <summary>True when a pending item is past its time limit.</summary>
    public bool IsOverdue(FeedbackStatus status, DateTime dueAt) => status == FeedbackStatus.Pending && Now > dueAt;
}
