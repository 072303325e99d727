using GovData.Identity.Contracts;
using GovData.Portal.Features.Feedback;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.FeedbackConsole;

/// <summary>Moderation of the portal's user content by the platform administrator: hide/restore, sensitive words.</summary>
[Authorize(Policy = Policies.PlatformAdmin)]
internal sealed class ModerationModel(PortalDb db, FeedbackModeration moderation, FeedbackSettings settings) : PageModel
{
    public IReadOnlyList<Comment> Comments { get; private set; } = [];
    public IReadOnlyList<Demand> Demands { get; private set; } = [];
    public IReadOnlyList<SensitiveWord> Words { get; private set; } = [];
    public IReadOnlyList<string> ConfiguredWords => settings.ConfiguredWords;
    public string? Error { get; private set; }

    private async Task LoadAsync(CancellationToken ct)
    {
        Comments = await db.Comments.AsNoTracking().OrderByDescending(c => c.CreatedAt).Take(200).ToListAsync(ct);
        Demands = await db.Demands.AsNoTracking().OrderByDescending(c => c.CreatedAt).Take(200).ToListAsync(ct);
        Words = await db.SensitiveWords.AsNoTracking().OrderBy(w => w.Word).ToListAsync(ct);
    }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCommentAsync(Guid id, bool hide, string? note, CancellationToken ct)
    {
        if (!await moderation.SetCommentHiddenAsync(User, id, hide, note, ct)) return NotFound();
        TempData["Message"] = hide ? "评论已隐藏，不再在门户显示" : "评论已恢复显示";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDemandAsync(Guid id, bool hide, string? note, CancellationToken ct)
    {
        if (!await moderation.SetDemandHiddenAsync(User, id, hide, note, ct)) return NotFound();
        TempData["Message"] = hide ? "数据需求已隐藏，不再在门户显示" : "数据需求已恢复显示";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostAddWordAsync(string? word, CancellationToken ct)
    {
        if (await moderation.AddWordAsync(User, word, ct) is { } error)
        {
            Error = error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
        TempData["Message"] = $"已添加敏感词“{word!.Trim()}”";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveWordAsync(Guid id, CancellationToken ct)
    {
        if (!await moderation.RemoveWordAsync(id, ct)) return NotFound();
        TempData["Message"] = "已删除敏感词";
        return RedirectToPage();
    }
}
