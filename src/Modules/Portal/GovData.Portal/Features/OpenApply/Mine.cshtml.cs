using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.OpenApply;

/// <summary>One of the account's applications: the 申请表 as filed, the accepted texts, the decision, the 利用报告; withdraw while pending.</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class MineModel(OpenApplications applications) : PageModel
{
    public OpenApplication? Application { get; private set; }
    public DateOnly Today => applications.Today;
    public string? Error { get; private set; }
    public string? Report { get; private set; }

    private async Task LoadAsync(Guid id, CancellationToken ct)
    {
        var a = await applications.FindAsync(id, ct);
        Application = a is not null && a.UserId == User.GetUserId() ? a : null;
        if (Application is null) Response.StatusCode = StatusCodes.Status404NotFound;
    }

    public async Task OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct);

    public async Task<IActionResult> OnPostReportAsync(Guid id, string? report, CancellationToken ct) =>
        await Done(id, await applications.ReportAsync(User, id, report, ct), "利用报告已提交，提供部门可以查看。", report, ct);

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct) =>
        await Done(id, await applications.WithdrawAsync(User, id, ct), "申请已撤回。", null, ct);

    private async Task<IActionResult> Done(Guid id, ApplyResult result, string message, string? report, CancellationToken ct)
    {
        if (result.Ok)
        {
            TempData["Message"] = message;
            return Redirect($"/portal/me/applications/{id}");
        }
        await LoadAsync(id, ct);
        Error = result.Message;
        Report = report;
        Response.StatusCode = result.Status;
        return Page();
    }
}
