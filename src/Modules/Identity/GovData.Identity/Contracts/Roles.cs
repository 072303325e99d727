namespace GovData.Identity.Contracts;

/// <summary>
/// Platform roles. Administration, audit and operation are separate duties (GB/T 39477): an account
/// holding an administrator role cannot also hold <see cref="SecurityAuditor"/>.
/// </summary>
public static class Roles
{
    /// <summary>平台管理员: runs the platform, manages all departments and accounts; cannot erase logs.</summary>
    public const string PlatformAdmin = "platform_admin";
    /// <summary>目录审核员: reviews catalog entries, sits at the competent department (主管部门).</summary>
    public const string CatalogReviewer = "catalog_reviewer";
    /// <summary>部门管理员: manages its own department's accounts.</summary>
    public const string DepartmentAdmin = "dept_admin";
    /// <summary>部门编目员: compiles its department's catalog.</summary>
    public const string Cataloger = "dept_cataloger";
    /// <summary>部门用数人员: requests and uses other departments' shared data.</summary>
    public const string DataUser = "dept_data_user";
    /// <summary>安全审计员: reads logs, changes nothing.</summary>
    public const string SecurityAuditor = "security_auditor";
    /// <summary>开发者: a member of the public who builds on open data.</summary>
    public const string Developer = "developer";
    /// <summary>公众: a registered member of the public.</summary>
    public const string Public = "public";

    /// <summary>Every role, in display order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [PlatformAdmin, CatalogReviewer, DepartmentAdmin, Cataloger, DataUser, SecurityAuditor, Developer, Public];

    /// <summary>Roles that require the account to belong to a department.</summary>
    public static IReadOnlyList<string> DepartmentRoles { get; } =
        [PlatformAdmin, CatalogReviewer, DepartmentAdmin, Cataloger, DataUser, SecurityAuditor];

    /// <summary>Roles a department administrator may grant inside its own department.</summary>
    public static IReadOnlyList<string> GrantableByDepartmentAdmin { get; } = [DepartmentAdmin, Cataloger, DataUser];

    /// <summary>Chinese display name of a role.</summary>
    public static string DisplayName(string role) => role switch
    {
        PlatformAdmin => "平台管理员",
        CatalogReviewer => "目录审核员",
        DepartmentAdmin => "部门管理员",
        Cataloger => "部门编目员",
        DataUser => "部门用数人员",
        SecurityAuditor => "安全审计员",
        Developer => "开发者",
        Public => "公众",
        _ => role,
    };

    /// <summary>True for a known role code.</summary>
    public static bool IsKnown(string role) => All.Contains(role);

    /// <summary>
    /// Checks separation of duties and department membership for a set of roles; returns a Chinese
    /// reason when the combination is not allowed.
    /// </summary>
    public static string? ValidateCombination(IReadOnlyCollection<string> roles, bool hasDepartment)
    {
        foreach (var r in roles)
            if (!IsKnown(r)) return $"未知角色“{r}”";
        if (roles.Contains(SecurityAuditor) && (roles.Contains(PlatformAdmin) || roles.Contains(DepartmentAdmin)))
            return "按照三员分立要求（GB/T 39477），安全审计员不能同时担任管理员";
        if (!hasDepartment && roles.Any(r => DepartmentRoles.Contains(r)))
            return "政务角色必须隶属于一个部门";
        if (hasDepartment && roles.Any(r => r is Developer or Public))
            return "开发者/公众账号不隶属于政务部门";
        return null;
    }
}
