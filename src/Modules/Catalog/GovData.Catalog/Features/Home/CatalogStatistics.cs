using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using GovData.SharedKernel.Web;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Home;

/// <summary>Home-page counts of the catalog: published resources, the department's entries, the reviewer's queue.</summary>
internal sealed class CatalogStatistics(CatalogDb db, IDepartmentDirectory departments, RegionDirectory regions) : IConsoleStatistics
{
    public async Task<IReadOnlyList<ConsoleCount>> GetAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var list = new List<ConsoleCount>();
        if (user.GetDepartmentId() is not { } own) return list;
        list.Add(new("已发布信息资源", await db.Entries.CountAsync(e => e.Status == EntryStatus.Published, ct), "/console/catalog/browse", 100));
        list.Add(new("本部门信息资源", await db.Entries.CountAsync(e => e.DepartmentId == own && e.Status != EntryStatus.Offline, ct),
            user.IsInRole(Roles.Cataloger) ? "/console/catalog/resources" : null, 110));
        if (user.IsInRole(Roles.CatalogReviewer))
        {
            var actor = await CatalogActor.FromPrincipalAsync(user, departments, ct);
            var scope = (await departments.ListAsync(ct)).Where(d => actor.CanReview(d, regions)).Select(d => d.Id).ToList();
            var pending = await (from e in db.Entries
                                 join r in db.Revisions on e.WorkingRevisionId equals (Guid?)r.Id
                                 where r.Status == RevisionStatus.Pending && scope.Contains(e.DepartmentId)
                                 select e.Id).CountAsync(ct);
            list.Add(new("待审核目录", pending, "/console/catalog/review", 105));
        }
        return list;
    }
}
