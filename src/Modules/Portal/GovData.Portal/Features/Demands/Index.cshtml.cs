using GovData.Identity.Contracts;
using GovData.Portal.Features.Feedback;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Demands;

/// <summary>数据需求: the public list (hidden ones left out) with the departments' answers, and the form to file one.</summary>
[AllowAnonymous]
internal sealed class DemandsModel(PortalDb db, FeedbackService feedback, FeedbackSettings settings, IDepartmentDirectory departments) : PageModel
{
    public const int PageSize = 20;

    public IReadOnlyList<Demand> Demands { get; private set; } = [];
    public IReadOnlyList<DepartmentInfo> Departments { get; private set; } = [];
    public int Total { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public int ResponseDays => settings.ResponseDays;
    public bool SignedIn { get; private set; }
    public bool MayPost { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public Guid? DepartmentId { get; private set; }
    public string? Title { get; private set; }
    public string? Description { get; private set; }
    public string? Purpose { get; private set; }

    private async Task LoadAsync(CancellationToken ct)
    {
        // "page" is a Razor Pages route value: read the number from the query string.
        PageNumber = int.TryParse(Request.Query["page"], out var p) && p > 0 ? p : 1;
        var visible = db.Demands.AsNoTracking().Where(d => !d.IsHidden);
        Total = await visible.CountAsync(ct);
        PageNumber = Math.Min(PageNumber, Pages);
        Demands = await visible.OrderByDescending(d => d.CreatedAt).Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        Departments = await departments.ListAsync(ct);
        SignedIn = User.GetUserId() is not null;
        var (account, _) = await feedback.StandingAsync(User, ct);
        MayPost = account?.MayPost == true;
    }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? departmentId, string? title, string? description, string? purpose, CancellationToken ct)
    {
        Title = title;
        Description = description;
        Purpose = purpose;
        DepartmentId = Guid.TryParse(departmentId, out var id) ? id : null;
        var department = DepartmentId is { } d ? await departments.FindAsync(d, ct) : null;
        var result = await feedback.DemandAsync(User, department, title, description, purpose, ct);
        if (result.Ok)
        {
            TempData["FeedbackMessage"] = $"数据需求已提交，已转交“{department!.Name}”，答复将在本页公开。";
            return Redirect("/portal/demands");
        }
        await LoadAsync(ct);
        Error = result.Error;
        ErrorField = result.Field;
        Response.StatusCode = result.Status;
        return Page();
    }
}
