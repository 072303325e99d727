using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.OpenApply;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.OpenApplyConsole;

/// <summary>
/// One application: 批准 (items ⊆ requested, expiry within the requested period, optionally one row condition) or 驳回 (reason
/// required) by a 部门管理员 of the providing department; 撤销 of an approved one (reason required). The platform
/// administrator sees it read only; anyone else gets 403 (page and POST).
/// </summary>
[Authorize(Policy = Policies.Staff)]
internal sealed class ReviewModel(OpenApplications applications, IOpenCatalog catalog) : PageModel
{
    public OpenApplication? Application { get; private set; }
    public OpenDataset? Dataset { get; private set; }
    public bool MayDecide { get; private set; }
    public string? Denied { get; private set; }
    public Dictionary<string, string> Errors { get; private set; } = [];
    public DateOnly Today => applications.Today;
    public ApproveInput Approve { get; private set; } = new(null, null, null, null, null, null);
    public string? RejectReason { get; private set; }

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        Application = await applications.FindAsync(id, ct);
        if (Application is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
        if (!OpenApplications.MaySee(User, Application))
        {
            Application = null;
            Denied = "只有该数据集提供部门的部门管理员可以查看和审核本申请";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }
        MayDecide = OpenApplications.MayDecide(User, Application);
        Dataset = await catalog.FindAsync(Application.EntryId, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostApproveAsync(Guid id, List<string>? items, string? expiresOn, string? scopeField, string? scopeOperator,
        string? scopeValues, string? reason, CancellationToken ct)
    {
        Approve = new ApproveInput(items ?? [], expiresOn, scopeField, scopeOperator, scopeValues, reason);
        return await Done(id, await applications.ApproveAsync(User, id, Approve, ct), "已批准，授权即时生效：申请人可用本人 API 密钥读取批准的数据。", ct);
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid id, string? reason, CancellationToken ct)
    {
        RejectReason = reason;
        return await Done(id, await applications.RejectAsync(User, id, reason, ct), "已驳回，申请人可在用户中心看到理由。", ct);
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, string? revokeReason, CancellationToken ct) =>
        await Done(id, await applications.RevokeAsync(User, id, revokeReason, ct), "授权已撤销，即时生效。", ct);

    private async Task<IActionResult> Done(Guid id, ApplyResult result, string message, CancellationToken ct)
    {
        if (result.Ok)
        {
            TempData["Message"] = message;
            return Redirect("/console/portal/applications/" + id);
        }
        var visible = await LoadAsync(id, ct);
        if (result.Status == StatusCodes.Status403Forbidden)
        {
            MayDecide = false;
            Denied = result.Message;
        }
        else if (visible) Errors = result.Errors;
        Response.StatusCode = result.Status;
        return Page();
    }
}
