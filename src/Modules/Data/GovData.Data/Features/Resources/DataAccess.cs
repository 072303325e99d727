using System.Security.Claims;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace GovData.Data.Features.Resources;

/// <summary>
/// Who may do what with a resource's data. Loading, rollback, retention and files: 部门编目员/部门管理员 of the resource's
/// department, or 平台管理员 (API keys: scope data:write). Load reports and rejected rows (they contain raw values) and
/// files: staff of the resource's department and 平台管理员. The resource list and summaries: any staff.
/// </summary>
internal static class DataAccess
{
    /// <summary>Staff (a department, or platform administrator) reading data status (API keys: data:read or data:write).</summary>
    public const string StaffPolicy = "govdata.data.core.staff";

    /// <summary>Callers who may load data at all (department is checked per resource; API keys: data:write).</summary>
    public const string ManagePolicy = "govdata.data.core.manage";

    public static void Register(AuthorizationBuilder builder) => builder
        .AddPolicy(StaffPolicy, p => p.RequireAuthenticatedUser()
            .RequireAssertion(c => (c.User.GetDepartmentId() is not null || c.User.IsInRole(Roles.PlatformAdmin))
                && (c.User.HasScope(ApiScopes.DataRead) || c.User.HasScope(ApiScopes.DataWrite))))
        .AddPolicy(ManagePolicy, p => p.RequireAuthenticatedUser()
            .RequireAssertion(c => (c.User.IsInRole(Roles.PlatformAdmin) || c.User.IsInRole(Roles.DepartmentAdmin) || c.User.IsInRole(Roles.Cataloger))
                && c.User.HasScope(ApiScopes.DataWrite)));

    /// <summary>May load, roll back, set retention and add files for a resource of <paramref name="departmentId"/>.</summary>
    public static bool CanManage(ClaimsPrincipal user, Guid departmentId) =>
        user.HasScope(ApiScopes.DataWrite) && (user.IsInRole(Roles.PlatformAdmin)
            || (user.GetDepartmentId() == departmentId && (user.IsInRole(Roles.DepartmentAdmin) || user.IsInRole(Roles.Cataloger))));

    /// <summary>May see raw values of the department's data (load errors, rejected rows, files).</summary>
    public static bool IsInsider(ClaimsPrincipal user, Guid departmentId) =>
        user.IsInRole(Roles.PlatformAdmin) || user.GetDepartmentId() == departmentId;

    /// <summary>
    /// May read a resource's rows (query, aggregate, export): staff of the providing department, 平台管理员 and 目录审核员
    /// (the data bureau). Other departments use the data through 共享交换 grants, the public through the open portal —
    /// those modules decide with their own grants and only then call the query services.
    /// </summary>
    public static bool CanReadRows(ClaimsPrincipal user, Guid departmentId) =>
        IsInsider(user, departmentId) || user.IsInRole(Roles.CatalogReviewer);

    /// <summary>The reason shown when <see cref="CanReadRows"/> is false.</summary>
    public static string ReadDenied(string resourceName) =>
        $"资源“{resourceName}”的数据属于其他部门：请在共享目录中申请共享，经批准后按授权调用";

    /// <summary>The reason shown when <see cref="CanManage"/> is false.</summary>
    public static string ManageDenied(string resourceName) =>
        $"只有资源“{resourceName}”所属部门的部门编目员、部门管理员或平台管理员可以加载、回退或管理其数据（API 密钥需具备 data:write 权限）";
}
