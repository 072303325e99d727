using System.Security.Claims;
using GovData.Data.Features.Versions;
using GovData.Data.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Features.Pages;

/// <summary>
/// Home-page counts of the data module for the signed-in user: resources that have data, their rows in total, and how many
/// are overdue (逾期 against their 更新周期) — over every department for 平台管理员 and 目录审核员, else over the user's own.
/// </summary>
internal sealed class DataStatistics(DataDb db, TimeProvider clock) : IConsoleStatistics
{
    public async Task<IReadOnlyList<ConsoleCount>> GetAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (!DataPageAccess.IsStaff(user)) return [];
        var all = DataPageAccess.SeesAll(user);
        var department = user.GetDepartmentId();
        var rows = await (from r in db.Resources.AsNoTracking()
                          join v in db.Versions.AsNoTracking() on r.CurrentVersionId equals (Guid?)v.Id
                          where all || r.DepartmentId == department
                          select new { r.UpdateCycle, v.RowCount, v.LoadedAt }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var overdue = rows.Count(r => UpdateTimeliness.Evaluate(r.UpdateCycle, r.LoadedAt, now).Status == TimelinessStatus.Overdue);
        var scope = all ? "" : "本部门";
        return
        [
            new($"{scope}有数据的资源", rows.Count, DataUi.Root, 300),
            new($"{scope}数据总行数", rows.Sum(r => r.RowCount), DataUi.Root, 310),
            new($"{scope}逾期未更新的资源", overdue, DataUi.Link(DataUi.Root, ("timeliness", "overdue")), 320),
        ];
    }
}
