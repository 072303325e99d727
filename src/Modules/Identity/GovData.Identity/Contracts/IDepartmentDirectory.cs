namespace GovData.Identity.Contracts;

/// <summary>A department as other modules see it.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Name">Full name.</param>
/// <param name="CreditCode">统一社会信用代码 (the catalog's 信息资源提供方代码).</param>
/// <param name="Kind">党委, 政府, ...</param>
/// <param name="ParentId">Parent department, if any.</param>
/// <param name="RegionCode">GB/T 2260 region the department belongs to.</param>
/// <param name="IsCompetent">True for the region's competent department (主管部门, e.g. 大数据局).</param>
/// <param name="Domains">Assessment domains the department covers (e.g. 人社, 教育), comma-free list.</param>
/// <param name="SortOrder">Display order among siblings.</param>
public sealed record DepartmentInfo(
    Guid Id, string Name, string CreditCode, DepartmentKind Kind, Guid? ParentId, string RegionCode,
    bool IsCompetent, IReadOnlyList<string> Domains, int SortOrder);

/// <summary>Read access to departments for other modules (they never touch Identity's tables).</summary>
public interface IDepartmentDirectory
{
    /// <summary>All active departments.</summary>
    Task<IReadOnlyList<DepartmentInfo>> ListAsync(CancellationToken ct = default);

    /// <summary>One department, or null.</summary>
    Task<DepartmentInfo?> FindAsync(Guid id, CancellationToken ct = default);

    /// <summary>The competent department (主管部门) of a region, walking up the region tree if needed.</summary>
    Task<DepartmentInfo?> CompetentForRegionAsync(string regionCode, CancellationToken ct = default);
}

/// <summary>A user as other modules see it.</summary>
/// <param name="Id">User id.</param>
/// <param name="UserName">Login name.</param>
/// <param name="DisplayName">姓名.</param>
/// <param name="DepartmentId">Department, null for public accounts.</param>
/// <param name="Roles">Role codes from <see cref="Roles"/>.</param>
public sealed record UserInfo(Guid Id, string UserName, string DisplayName, Guid? DepartmentId, IReadOnlyList<string> Roles);

/// <summary>Read access to users for other modules.</summary>
public interface IUserDirectory
{
    /// <summary>One user, or null.</summary>
    Task<UserInfo?> FindAsync(Guid id, CancellationToken ct = default);

    /// <summary>Users of a department that hold a role.</summary>
    Task<IReadOnlyList<UserInfo>> InRoleAsync(string role, Guid? departmentId = null, CancellationToken ct = default);
}
