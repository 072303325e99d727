using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Feedback;
using GovData.Portal.Features.Shared;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Showcase;

/// <summary>What a developer submits (form fields as typed).</summary>
internal sealed record ShowcaseInput(string? Name, string? Description, string? Url, string? Datasets);

/// <summary>
/// 应用展示: applications built on the open data. Submitted by verified public accounts under the rules of the comments
/// (<see cref="FeedbackService"/>: signed in → active and verified → the hourly limit, counted together with comments,
/// 纠错 and 数据需求 → fields → sensitive words), stored 待审核, public only once a platform administrator approved them.
/// </summary>
internal sealed class ShowcaseService(PortalDb db, FeedbackService feedback, IOpenCatalog catalog, TimeProvider clock)
{
    public const int NameMin = 2, NameMax = 60, DescriptionMin = 10, DescriptionMax = 1000, UrlMax = 500, MaxDatasets = 10, NoteMax = 200;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static readonly char[] Separators = ['\n', ',', '，', '、', ';', '；'];

    /// <summary>Submits an application (待审核); returns its id, or the refusal with the field at fault.</summary>
    public async Task<(FeedbackResult Result, Guid? Id)> SubmitAsync(ClaimsPrincipal user, ShowcaseInput input, CancellationToken ct = default)
    {
        var (account, denied) = await feedback.StandingAsync(user, ct);
        if (denied is not null) return (denied, null);
        if (await feedback.RateLimitAsync(account!.Id, ct) is { } limited) return (limited, null);
        var name = FeedbackService.Clean(input.Name)?.Replace('\n', ' ');
        var description = FeedbackService.Clean(input.Description);
        var url = FeedbackService.Clean(input.Url);
        if (FeedbackService.Check("name", "应用名称", name, NameMax, true, NameMin) is { } b1) return (b1, null);
        if (FeedbackService.Check("description", "应用简介", description, DescriptionMax, true, DescriptionMin) is { } b2) return (b2, null);
        if (url is null) return (FeedbackResult.Fail("url", "请填写应用地址"), null);
        if (url.Length > UrlMax || url.Contains('\n') || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
            return (FeedbackResult.Fail("url", $"应用地址须为以 http:// 或 https:// 开头的完整网址（不超过 {UrlMax} 个字符），如 https://example.cn/app"), null);
        var names = (input.Datasets ?? "").Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return (FeedbackResult.Fail("datasets", "请填写应用使用的开放数据集名称（每行一个）"), null);
        if (names.Count > MaxDatasets) return (FeedbackResult.Fail("datasets", $"最多填写 {MaxDatasets} 个数据集（现有 {names.Count} 个）"), null);
        var used = new List<OpenDataset>();
        foreach (var n in names)
        {
            var (dataset, error) = await ResolveAsync(n, ct);
            if (error is not null) return (FeedbackResult.Fail("datasets", error), null);
            if (used.All(d => d.EntryId != dataset!.EntryId)) used.Add(dataset!);
        }
        if (await feedback.SensitiveAsync("description", ct, name, description, url) is { } hit) return (hit, null);
        var app = new ShowcaseApp
        {
            Id = Guid.CreateVersion7(), Name = name!, Description = description!, Url = uri.AbsoluteUri, UserId = account.Id,
            AuthorName = account.DisplayName, Status = ShowcaseStatus.Pending, CreatedAt = Now,
            Datasets = used.Select((d, i) => new ShowcaseDataset { EntryId = d.EntryId, Ordinal = i + 1, DatasetCode = d.Code.ToString(), DatasetName = d.Name }).ToList(),
        };
        db.ShowcaseApps.Add(app);
        await db.SaveChangesAsync(ct);
        return (FeedbackResult.Success, app.Id);
    }

    /// <summary>An open dataset by its exact name, its package name (<c>303026010201-1</c>) or its code.</summary>
    private async Task<(OpenDataset? Dataset, string? Error)> ResolveAsync(string text, CancellationToken ct)
    {
        var shown = text.Length > 60 ? text[..60] + "…" : text;
        if ((PortalNames.TryParsePackage(text, out var code) || ResourceCode.TryParse(text, out code)) && await catalog.FindAsync(code, ct) is { } byCode)
            return (byCode, null);
        if (text.Length <= 200)
        {
            var result = await catalog.SearchAsync(new OpenCatalogQuery { Q = text, Limit = 50 }, ct);
            var exact = result.Page?.Items.Select(h => h.Dataset).Where(d => d.Name == text).ToList() ?? [];
            if (exact.Count == 1) return (exact[0], null);
            if (exact.Count > 1)
                return (null, $"开放目录中有 {exact.Count} 个名为“{shown}”的数据集，请改填其信息资源代码（如 {exact[0].Code}）");
        }
        return (null, $"数据集“{shown}”不在开放目录中，请填写开放目录中数据集的完整名称或信息资源代码");
    }

    private static IQueryable<ShowcaseApp> Public(IQueryable<ShowcaseApp> q) => q.Where(a => a.Status == ShowcaseStatus.Approved);

    /// <summary>Approved applications, latest approved first.</summary>
    public async Task<(int Total, IReadOnlyList<ShowcaseApp> Items)> PublicPageAsync(int page, int size, CancellationToken ct = default)
    {
        var q = Public(db.ShowcaseApps.AsNoTracking());
        var total = await q.CountAsync(ct);
        var items = await q.Include(a => a.Datasets).OrderByDescending(a => a.ModeratedAt).ThenBy(a => a.Id)
            .Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return (total, items);
    }

    /// <summary>An approved application, or null (pending, refused, hidden and unknown ones are not public).</summary>
    public Task<ShowcaseApp?> FindPublicAsync(Guid id, CancellationToken ct = default) =>
        Public(db.ShowcaseApps.AsNoTracking()).Include(a => a.Datasets).FirstOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>Approved applications that use the dataset.</summary>
    public async Task<IReadOnlyList<ShowcaseApp>> ForDatasetAsync(Guid entryId, CancellationToken ct = default) =>
        await Public(db.ShowcaseApps.AsNoTracking()).Where(a => a.Datasets.Any(d => d.EntryId == entryId))
            .OrderByDescending(a => a.ModeratedAt).ThenBy(a => a.Id).Take(20).ToListAsync(ct);

    /// <summary>The account's own submissions with their status.</summary>
    public async Task<IReadOnlyList<ShowcaseApp>> MineAsync(Guid userId, CancellationToken ct = default) =>
        await db.ShowcaseApps.AsNoTracking().Include(a => a.Datasets).Where(a => a.UserId == userId)
            .OrderByDescending(a => a.CreatedAt).Take(100).ToListAsync(ct);

    /// <summary>Applications for the moderation page: one status, or all; pending first by submission time.</summary>
    public async Task<IReadOnlyList<ShowcaseApp>> ModerationListAsync(ShowcaseStatus? status, CancellationToken ct = default)
    {
        var q = db.ShowcaseApps.AsNoTracking().Include(a => a.Datasets).AsQueryable();
        if (status is { } s) q = q.Where(a => a.Status == s);
        return await q.OrderBy(a => a.Status == ShowcaseStatus.Pending ? 0 : 1).ThenByDescending(a => a.CreatedAt).Take(500).ToListAsync(ct);
    }

    /// <summary>
    /// A moderation decision of the platform administrator: <c>approve</c> (待审核 or 已隐藏 → 已通过), <c>reject</c>
    /// (待审核 → 未通过, reason required), <c>hide</c> (已通过 → 已隐藏, reason required). Null on success, else the reason
    /// of the refusal; a missing application is <see cref="StatusCodes.Status404NotFound"/>.
    /// </summary>
    public async Task<FeedbackResult> ModerateAsync(ClaimsPrincipal user, Guid id, string? action, string? note, CancellationToken ct = default)
    {
        var app = await db.ShowcaseApps.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (app is null) return FeedbackResult.Fail(null, "应用不存在", StatusCodes.Status404NotFound);
        var reason = FeedbackService.Clean(note)?.Replace('\n', ' ');
        if (reason is { Length: > NoteMax }) return FeedbackResult.Fail("note", $"原因不能超过{NoteMax}个字（现有{reason.Length}个字）");
        ShowcaseStatus next;
        switch (action)
        {
            case "approve" when app.Status is ShowcaseStatus.Pending or ShowcaseStatus.Hidden:
                next = ShowcaseStatus.Approved;
                reason = null;
                break;
            case "reject" when app.Status == ShowcaseStatus.Pending:
                if (reason is null) return FeedbackResult.Fail("note", "请填写不予通过的原因（作者可以看到）");
                next = ShowcaseStatus.Rejected;
                break;
            case "hide" when app.Status == ShowcaseStatus.Approved:
                if (reason is null) return FeedbackResult.Fail("note", "请填写隐藏的原因（作者可以看到）");
                next = ShowcaseStatus.Hidden;
                break;
            case "approve" or "reject" or "hide":
                return FeedbackResult.Fail(null, $"应用“{app.Name}”当前为{ShowcaseText.Status(app.Status)}，不能{ShowcaseText.Action(action)}", StatusCodes.Status409Conflict);
            default:
                return FeedbackResult.Fail("action", "未知的审核操作");
        }
        app.Status = next;
        app.ModerationNote = reason;
        app.ModeratedAt = Now;
        app.ModeratedBy = user.GetUserId();
        await db.SaveChangesAsync(ct);
        return FeedbackResult.Success;
    }
}

/// <summary>Display texts of 应用展示.</summary>
internal static class ShowcaseText
{
    public static string Status(ShowcaseStatus s) => s switch
    {
        ShowcaseStatus.Pending => "待审核",
        ShowcaseStatus.Approved => "已通过",
        ShowcaseStatus.Rejected => "未通过",
        ShowcaseStatus.Hidden => "已隐藏",
        _ => s.ToString(),
    };

    public static string Badge(ShowcaseStatus s) => s switch
    {
        ShowcaseStatus.Pending => "badge-cond",
        ShowcaseStatus.Approved => "badge-open",
        _ => "badge-mask",
    };

    public static string Action(string? action) => action switch { "approve" => "通过", "reject" => "不予通过", "hide" => "隐藏", _ => "操作" };

    public static string Path(Guid id) => "/portal/apps/" + id.ToString("N");
}
