using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;

namespace GovData.Catalog.Features.Browse;

/// <summary>Console links of the catalog's browsing, statistics and import/export pages (section 资源目录).</summary>
internal static class BrowseNavigation
{
    public const string Section = "资源目录";

    /// <summary>Government staff: the catalog policy needs a department (developers and the public have none).</summary>
    private static bool Staff(System.Security.Claims.ClaimsPrincipal u) => u.GetDepartmentId() is not null;

    internal static readonly ConsoleNavItem[] Items =
    [
        new(Section, "目录浏览", "/console/catalog/browse", 210, Staff),
        new(Section, "导入导出", "/console/catalog/transfer", 240, u => Staff(u) && (u.IsInRole(Roles.Cataloger) || u.IsInRole(Roles.CatalogReviewer)
            || u.IsInRole(Roles.PlatformAdmin) || u.IsInRole(Roles.DepartmentAdmin) || u.IsInRole(Roles.SecurityAuditor))),
        new(Section, "目录统计", "/console/catalog/statistics", 250, Staff),
    ];
}
