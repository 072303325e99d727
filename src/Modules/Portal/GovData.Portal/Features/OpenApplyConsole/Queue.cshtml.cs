using GovData.Identity.Contracts;
using GovData.Portal.Features.OpenApply;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.OpenApplyConsole;

/// <summary>有条件开放 applications to the department (部门管理员: own department; 平台管理员: all, read only): pending first, longest waiting first.</summary>
[Authorize(Policy = Policies.Staff)]
internal sealed class QueueModel(OpenApplications applications, TimeProvider clock) : PageModel
{
    public const int PageSize = 30;
    public IReadOnlyList<OpenApplication> Items { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public string? Status { get; private set; }
    public int Pending { get; private set; }
    public bool AllDepartments => User.IsInRole(Roles.PlatformAdmin);
    public DateOnly Today => applications.Today;

    public bool MayDecide(OpenApplication a) => OpenApplications.MayDecide(User, a);

    /// <summary>Waiting time of a pending application, in words.</summary>
    public string Waiting(OpenApplication a)
    {
        var span = clock.GetUtcNow().UtcDateTime - a.CreatedAt;
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays} 天 {span.Hours} 小时" : span.TotalHours >= 1 ? $"{(int)span.TotalHours} 小时" : $"{Math.Max(0, (int)span.TotalMinutes)} 分钟";
    }

    public async Task<IActionResult> OnGetAsync(string? status, int? page, CancellationToken ct)
    {
        if (!OpenApplications.MaySeeQueue(User)) return StatusCode(StatusCodes.Status403Forbidden);
        Status = Enum.TryParse<ApplicationStatus>(status, true, out var s) ? s.ToString() : null;
        var p = Math.Max(1, page ?? 1);
        var (items, total) = await applications.QueueAsync(User, Status, p, PageSize, ct);
        Items = items;
        Pending = await applications.PendingCountAsync(User, ct);
        Pager = new Pager(p, PageSize, total, n => $"/console/portal/applications?page={n}" + (Status is null ? "" : "&status=" + Status));
        return Page();
    }
}
