using GovData.Identity.Contracts;
using GovData.Identity.Features.Auth;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Departments;

/// <summary>The department tree. All staff may read it (same policy as the API); edit links only where the caller may manage.</summary>
[Authorize(Policy = Policies.ReadIdentity)]
internal sealed class IndexModel(IdentityDb db, DepartmentScope scope, RegionDirectory regions) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "region")]
    public string? Region { get; set; }

    public List<DepartmentTree.Node> Forest { get; private set; } = [];
    public List<SelectListItem> RegionOptions { get; private set; } = [];
    public int Count { get; private set; }
    public bool IsPlatformAdmin => User.IsInRole(Roles.PlatformAdmin);
    public bool IsDepartmentAdmin => User.IsInRole(Roles.DepartmentAdmin);

    /// <summary>Departments the caller may edit; null = all.</summary>
    private HashSet<Guid>? _manageable = [];

    public bool CanEdit(Guid id) => _manageable is null || _manageable.Contains(id);

    public string RegionName(string code) => regions.FullName(code) is { Length: > 0 } name ? name : code;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await db.Departments.AsNoTracking().ToListAsync(ct);
        RegionOptions = all.Select(d => d.RegionCode).Distinct().Order(StringComparer.Ordinal)
            .Select(c => new SelectListItem($"{RegionName(c)}（{c}）", c, c == Region)).ToList();
        var shown = string.IsNullOrWhiteSpace(Region) ? all : all.Where(d => d.RegionCode == Region.Trim()).ToList();
        Count = shown.Count;
        Forest = DepartmentTree.Build(shown);
        _manageable = await scope.ManageableAsync(User, ct);
    }
}
