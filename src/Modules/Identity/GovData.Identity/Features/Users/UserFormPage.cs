using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Features.Departments;
using GovData.SharedKernel.Web;
using GovData.Identity.Persistence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace GovData.Identity.Features.Users;

/// <summary>
/// Fields and choices shared by the new and edit account pages. Rules (scope, separation of duties, password
/// policy, concurrency) are enforced by <see cref="UserAdministration"/>; the choices offered here only mirror them.
/// </summary>
internal abstract class UserFormPage(IdentityDb db, DepartmentScope scope) : PageModel
{
    [BindProperty(Name = "displayName")] public string? DisplayName { get; set; }
    [BindProperty(Name = "email")] public string? Email { get; set; }
    [BindProperty(Name = "phone")] public string? Phone { get; set; }
    [BindProperty(Name = "departmentId")] public Guid? DepartmentId { get; set; }
    [BindProperty(Name = "roles")] public List<string>? SelectedRoles { get; set; }
    [BindProperty(Name = "isActive")] public bool IsActive { get; set; }
    [BindProperty(Name = "version")] public int? Version { get; set; }

    public FormErrors Errors { get; } = new();
    public string? Conflict { get; protected set; }
    public List<SelectListItem> DepartmentOptions { get; private set; } = [];
    public bool IsPlatformAdmin => User.IsInRole(Roles.PlatformAdmin);

    /// <summary>Roles the caller may grant: all for a platform administrator, otherwise the department roles.</summary>
    public IReadOnlyList<string> RoleChoices => IsPlatformAdmin ? Roles.All : Roles.GrantableByDepartmentAdmin;

    /// <summary>Developer and public accounts have no department; only a platform administrator creates those.</summary>
    public bool AllowNoDepartment => IsPlatformAdmin;

    public bool HasRole(string role) => SelectedRoles?.Contains(role) == true;

    protected static readonly IReadOnlyDictionary<string, string> BindingMessages = new Dictionary<string, string>
    {
        ["departmentId"] = "所选部门无效，请从列表中选择",
        ["isActive"] = "“启用”的取值无效",
        ["version"] = "版本号无效，请重新载入页面后再编辑",
    };

    protected UserInput ToInput(string? userName = null, string? password = null) =>
        new(userName, DisplayName, Email, Phone, DepartmentId, SelectedRoles ?? [], password, IsActive, Version);

    protected void Fill(User u)
    {
        DisplayName = u.DisplayName;
        Email = u.Email;
        Phone = u.Phone;
        DepartmentId = u.DepartmentId;
        SelectedRoles = u.RoleCodes.ToList();
        IsActive = u.IsActive;
        Version = u.Version;
    }

    /// <summary>Department choices: the caller's manageable departments (all for a platform administrator).</summary>
    protected async Task LoadChoicesAsync(CancellationToken ct) =>
        DepartmentOptions = await DepartmentTree.OptionsAsync(db, await scope.ManageableAsync(User, ct), DepartmentId, ct: ct);
}
