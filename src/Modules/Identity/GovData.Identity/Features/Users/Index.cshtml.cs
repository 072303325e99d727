using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Features.Departments;
using GovData.SharedKernel.Web;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Users;

/// <summary>
/// Account list. Which accounts appear is decided by <see cref="UserAdministration.VisibleUsersAsync"/>: platform
/// administrators and auditors see all, a department administrator its own department subtree.
/// </summary>
[Authorize(Roles = $"{Roles.PlatformAdmin},{Roles.DepartmentAdmin},{Roles.SecurityAuditor}")]
internal sealed class IndexModel(UserAdministration admin, DepartmentScope scope, IdentityDb db, TimeProvider clock) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "departmentId")] public Guid? DepartmentId { get; set; }
    [BindProperty(SupportsGet = true, Name = "role")] public string? Role { get; set; }
    [BindProperty(SupportsGet = true, Name = "pageNumber")] public int? PageNumber { get; set; }

    public List<User> Accounts { get; private set; } = [];
    public Dictionary<Guid, string> DepartmentNames { get; private set; } = [];
    public List<SelectListItem> DepartmentOptions { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public bool CanManage => User.IsInRole(Roles.PlatformAdmin) || User.IsInRole(Roles.DepartmentAdmin);
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = await admin.VisibleUsersAsync(User, ct);
        if (DepartmentId is { } d) query = query.Where(u => u.DepartmentId == d);
        if (!string.IsNullOrWhiteSpace(Query))
        {
            var q = Query.Trim();
            query = query.Where(u => u.UserName.Contains(q) || u.DisplayName.Contains(q));
        }
        if (!string.IsNullOrWhiteSpace(Role)) query = query.Where(u => u.Roles.Any(r => r.Role == Role));
        var total = await query.CountAsync(ct);
        Pager = new Pager(Pager.Normalize(PageNumber), PageSize, total, n => ConsoleFormat.Link("/console/users",
            ("q", Query), ("departmentId", DepartmentId?.ToString()), ("role", Role), ("pageNumber", n.ToString())));
        Accounts = await query.OrderBy(u => u.UserName).Skip(Pager.Skip).Take(PageSize).ToListAsync(ct);
        DepartmentNames = await db.Departments.AsNoTracking().ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        DepartmentOptions = await DepartmentTree.OptionsAsync(db, await scope.VisibleAsync(User, ct), DepartmentId, ct: ct);
    }

    /// <summary>启用 / 停用 / 锁定 with the badge class to show it in.</summary>
    public (string Text, string Css) StatusOf(User u) =>
        !u.IsActive ? ("停用", "badge-err") : u.LockoutEnd > Now ? ("锁定", "badge-warn") : ("启用", "badge-ok");
}
