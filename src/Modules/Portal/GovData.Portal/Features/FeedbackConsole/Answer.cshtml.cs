using GovData.Identity.Contracts;
using GovData.Portal.Features.Feedback;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.FeedbackConsole;

/// <summary>
/// Answer page of one 纠错 / 数据需求. Only a 部门管理员 of the item's department may answer; anyone else who is staff sees
/// the item without the form, and a POST from them is refused with 403.
/// </summary>
[Authorize(Policy = Policies.Staff)]
internal sealed class AnswerModel(FeedbackQueue queue) : PageModel
{
    public QueueItem? Item { get; private set; }
    public bool CanAnswer { get; private set; }
    public bool Overdue { get; private set; }
    public string? Denied { get; private set; }
    public string? Error { get; private set; }
    public string? Status { get; private set; }
    public string? AnswerText { get; private set; }

    private async Task<bool> LoadAsync(string kind, Guid id, CancellationToken ct)
    {
        Item = await queue.FindAsync(kind, id, ct);
        if (Item is null) { Response.StatusCode = StatusCodes.Status404NotFound; return false; }
        if (!FeedbackQueue.MaySeeQueue(User) || (!User.IsInRole(Roles.PlatformAdmin) && User.GetDepartmentId() != Item.DepartmentId))
        {
            Item = null;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Denied = "只有该数据提供部门的部门管理员可以查看和答复本条目";
            return false;
        }
        CanAnswer = FeedbackQueue.MayAnswer(User, Item.DepartmentId);
        Overdue = queue.IsOverdue(Item);
        Status ??= Item.Status == Persistence.FeedbackStatus.Pending ? null : Item.Status.ToString();
        AnswerText ??= Item.Answer;
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string kind, Guid id, CancellationToken ct)
    {
        await LoadAsync(kind, id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string kind, Guid id, string? status, string? answer, CancellationToken ct)
    {
        Status = status;
        AnswerText = answer;
        var result = await queue.AnswerAsync(User, kind, id, status, answer, ct);
        if (result.Ok)
        {
            TempData["Message"] = "已公开答复，门户页面即时显示答复和处理结果。";
            return Redirect("/console/portal/feedback");
        }
        await LoadAsync(kind, id, ct);
        if (result.Status == StatusCodes.Status403Forbidden)
        {
            CanAnswer = false;
            Denied = result.Error;
        }
        else Error = result.Error;
        Response.StatusCode = result.Status;
        return Page();
    }
}
