using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;

namespace GovData.Catalog.Features.Shared;

/// <summary>
/// Who is acting on the catalog: the user, the department and the catalog roles that matter.
/// Built from the signed-in principal, or directly by the demo seeder and the CLI.
/// </summary>
internal sealed record CatalogActor(Guid? UserId, string Name, DepartmentInfo? Department, bool IsCompiler, bool IsReviewer, bool IsPlatformAdmin, bool IsAuditor = false)
{
    /// <summary>Reads the caller's roles and department.</summary>
    public static async Task<CatalogActor> FromPrincipalAsync(ClaimsPrincipal user, IDepartmentDirectory departments, CancellationToken ct)
    {
        var department = user.GetDepartmentId() is { } id ? await departments.FindAsync(id, ct) : null;
        return new CatalogActor(user.GetUserId(), user.GetDisplayName(), department,
            user.IsInRole(Roles.Cataloger), user.IsInRole(Roles.CatalogReviewer), user.IsInRole(Roles.PlatformAdmin), user.IsInRole(Roles.SecurityAuditor));
    }

    /// <summary>May compile (edit, submit, recall, delete) entries of <paramref name="departmentId"/>.</summary>
    public bool CanCompile(Guid departmentId) => IsCompiler && Department?.Id == departmentId;

    /// <summary>
    /// May review entries of a department: a 目录审核员 sitting at a competent department (主管部门) reviews the
    /// departments of its region and the regions below it (a provincial reviewer also covers the prefectures).
    /// </summary>
    public bool CanReview(DepartmentInfo? entryDepartment, RegionDirectory regions) =>
        IsReviewer && Department is { IsCompetent: true } own && entryDepartment is not null
        && regions.IsWithin(entryDepartment.RegionCode, own.RegionCode);

    /// <summary>Sees every entry in every state (platform administration and audit).</summary>
    public bool SeesEverything => IsPlatformAdmin || IsAuditor;
}
