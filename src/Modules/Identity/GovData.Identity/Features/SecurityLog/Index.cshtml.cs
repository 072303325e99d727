using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.SecurityLog;

/// <summary>
/// The security log for auditors and platform administrators: filter, page, export. Read-only: this page has no
/// POST handler, and the table itself refuses UPDATE/DELETE. Filtering is <see cref="SecurityLogApi.Filter"/>,
/// the same as the API and the CSV export, so the page and its export always agree.
/// </summary>
[Authorize(Policy = Policies.ReadAuditLog)]
internal sealed class IndexModel(IdentityDb db) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "from")] public DateOnly? From { get; set; }
    /// <summary>Last day included (the API's <c>to</c> is exclusive, so the query uses the next day).</summary>
    [BindProperty(SupportsGet = true, Name = "to")] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "type")] public string? Type { get; set; }
    [BindProperty(SupportsGet = true, Name = "actor")] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true, Name = "success")] public bool? Success { get; set; }
    [BindProperty(SupportsGet = true, Name = "pageNumber")] public int? PageNumber { get; set; }

    public List<SecurityEvent> Events { get; private set; } = [];
    public Dictionary<Guid, string> UserNames { get; private set; } = [];
    public Dictionary<Guid, string> DepartmentNames { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public FormErrors Errors { get; } = new();
    public string ExportLink { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Errors.AddBindingErrors(ModelState, new Dictionary<string, string>
        {
            ["from"] = "开始日期应为“年-月-日”格式，如 2026-01-31", ["to"] = "结束日期应为“年-月-日”格式，如 2026-01-31",
            ["success"] = "结果应为“成功”或“失败”", ["pageNumber"] = "页码应为正整数",
        });
        if (From is { } f && To is { } t && t < f) Errors.Add("to", "结束日期不能早于开始日期");

        var fromTime = From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Local);
        var toTime = To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Local);
        var query = SecurityLogApi.Filter(db, new SecurityLogQuery(fromTime, toTime, Type, Actor?.Trim(), Success));
        var total = await query.CountAsync(ct);
        (string, string?)[] filters =
        [
            ("from", From?.ToString("yyyy-MM-dd")), ("to", To?.ToString("yyyy-MM-dd")), ("type", Type), ("actor", Actor?.Trim()),
            ("success", Success?.ToString().ToLowerInvariant()),
        ];
        Pager = new Pager(Pager.Normalize(PageNumber), PageSize, total, n => ConsoleFormat.Link("/console/security-log", [.. filters, ("pageNumber", n.ToString())]));
        Events = await query.OrderByDescending(e => e.Id).Skip(Pager.Skip).Take(PageSize).ToListAsync(ct);
        // The export endpoint takes the exclusive end time, like the filter above.
        ExportLink = ConsoleFormat.Link("/api/v1/identity/security-events/export",
            ("from", From?.ToString("yyyy-MM-dd")), ("to", To?.AddDays(1).ToString("yyyy-MM-dd")), ("type", Type), ("actor", Actor?.Trim()),
            ("success", Success?.ToString().ToLowerInvariant()));

        var userIds = Events.Where(e => e.SubjectUserId is not null).Select(e => e.SubjectUserId!.Value).Distinct().ToList();
        UserNames = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, ct);
        var deptIds = Events.Where(e => e.DepartmentId is not null).Select(e => e.DepartmentId!.Value).Distinct().ToList();
        DepartmentNames = await db.Departments.AsNoTracking().Where(d => deptIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
    }
}
