using GovData.Identity.Contracts;
using GovData.Portal.Features.Feedback;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.FeedbackConsole;

/// <summary>The providing department's queue of 纠错 and 数据需求 (部门管理员: own department; 平台管理员: all, read only).</summary>
[Authorize(Policy = Policies.Staff)]
internal sealed class QueueModel(FeedbackQueue queue, FeedbackSettings settings) : PageModel
{
    public IReadOnlyList<QueueItem> Items { get; private set; } = [];
    public string? Kind { get; private set; }
    public bool PendingOnly { get; private set; }
    public bool AllDepartments => User.IsInRole(Roles.PlatformAdmin);
    public int ResponseDays => settings.ResponseDays;

    public bool IsOverdue(QueueItem item) => queue.IsOverdue(item);

    public bool MayAnswer(QueueItem item) => FeedbackQueue.MayAnswer(User, item.DepartmentId);

    public async Task<IActionResult> OnGetAsync(string? kind, bool pending, CancellationToken ct)
    {
        if (!FeedbackQueue.MaySeeQueue(User)) return StatusCode(StatusCodes.Status403Forbidden);
        Kind = kind is FeedbackKinds.Correction or FeedbackKinds.Demand ? kind : null;
        PendingOnly = pending;
        Items = await queue.ListAsync(User, Kind, pending, ct);
        return Page();
    }
}
