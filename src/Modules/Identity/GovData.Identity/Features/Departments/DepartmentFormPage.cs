using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.SharedKernel.Web;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Departments;

/// <summary>
/// Fields and choices shared by the new and edit department pages. The pages only collect input and show the
/// outcome: every rule (validation, scope, concurrency) lives in <see cref="DepartmentAdministration"/>.
/// </summary>
internal abstract class DepartmentFormPage(IdentityDb db, DepartmentScope scope, RegionDirectory regions) : PageModel
{
    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "shortName")] public string? ShortName { get; set; }
    [BindProperty(Name = "creditCode")] public string? CreditCode { get; set; }
    [BindProperty(Name = "kind")] public DepartmentKind? Kind { get; set; }
    [BindProperty(Name = "parentId")] public Guid? ParentId { get; set; }
    [BindProperty(Name = "regionCode")] public string? RegionCode { get; set; }
    [BindProperty(Name = "isCompetent")] public bool IsCompetent { get; set; }
    [BindProperty(Name = "domains")] public string? Domains { get; set; }
    [BindProperty(Name = "sortOrder")] public int? SortOrder { get; set; }
    [BindProperty(Name = "isActive")] public bool IsActive { get; set; }
    [BindProperty(Name = "version")] public int? Version { get; set; }

    public FormErrors Errors { get; } = new();
    public string? Conflict { get; protected set; }
    public List<SelectListItem> ParentOptions { get; private set; } = [];
    public bool IsPlatformAdmin => User.IsInRole(Roles.PlatformAdmin);

    /// <summary>The department being edited, null on the new page.</summary>
    public abstract Guid? EditingId { get; }

    /// <summary>Only a platform administrator moves a department or names the competent department (the service enforces it).</summary>
    public bool CanChangeParent => IsPlatformAdmin;

    /// <summary>A department administrator must create units under its own department; a platform administrator may create top-level ones.</summary>
    public bool ParentRequired => !IsPlatformAdmin;

    public string? ParentName { get; private set; }

    /// <summary>Full name of the entered region code when it is valid, e.g. 山东省济南市.</summary>
    public string? RegionName => regions.IsValid(RegionCode?.Trim()) ? regions.FullName(RegionCode!.Trim()) : null;

    protected static readonly IReadOnlyDictionary<string, string> BindingMessages = new Dictionary<string, string>
    {
        ["kind"] = "请选择部门类别（党委、人大、政府、政协、法院、检察院、事业单位、其他）",
        ["parentId"] = "上级部门无效，请从列表中选择",
        ["sortOrder"] = "排序应为整数",
        ["isCompetent"] = "“主管部门”的取值无效",
        ["isActive"] = "“启用”的取值无效",
        ["version"] = "版本号无效，请重新载入页面后再编辑",
    };

    protected DepartmentInput ToInput() =>
        new(Name, ShortName, CreditCode, Kind, ParentId, RegionCode, IsCompetent, Domains, SortOrder ?? 0, IsActive, Version);

    protected void Fill(Department d)
    {
        Name = d.Name;
        ShortName = d.ShortName;
        CreditCode = d.CreditCode;
        Kind = d.Kind;
        ParentId = d.ParentId;
        RegionCode = d.RegionCode;
        IsCompetent = d.IsCompetent;
        Domains = d.Domains;
        SortOrder = d.SortOrder;
        IsActive = d.IsActive;
        Version = d.Version;
    }

    /// <summary>Parent choices: the caller's manageable departments, minus the edited department's own subtree.</summary>
    protected async Task LoadChoicesAsync(CancellationToken ct)
    {
        var manageable = await scope.ManageableAsync(User, ct);
        var exclude = EditingId is { } self ? await scope.SubtreeAsync(self, ct) : null;
        ParentOptions = await DepartmentTree.OptionsAsync(db, manageable, ParentId, exclude, ct);
        ParentName = ParentId is { } p ? await db.Departments.Where(d => d.Id == p).Select(d => d.Name).FirstOrDefaultAsync(ct) : null;
    }
}
