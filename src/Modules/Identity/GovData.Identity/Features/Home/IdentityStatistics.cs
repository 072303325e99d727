using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Home;

/// <summary>Home-page counts of the Identity module.</summary>
internal sealed class IdentityStatistics(IdentityDb db) : IConsoleStatistics
{
    public async Task<IReadOnlyList<ConsoleCount>> GetAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var list = new List<ConsoleCount>
        {
            new("部门/单位", await db.Departments.CountAsync(d => d.IsActive, ct), "/console/departments", 900),
        };
        if (user.IsInRole(Roles.PlatformAdmin) || user.IsInRole(Roles.SecurityAuditor))
            list.Add(new("用户账号", await db.Users.CountAsync(u => u.IsActive, ct), "/console/users", 910));
        else if (user.GetDepartmentId() is { } d)
            list.Add(new("本部门账号", await db.Users.CountAsync(u => u.IsActive && u.DepartmentId == d, ct), "/console/users", 910));
        var uid = user.GetUserId();
        list.Add(new("我的有效 API 密钥", await db.ApiKeys.CountAsync(k => k.UserId == uid && k.RevokedAt == null, ct), "/console/apikeys", 920));
        return list;
    }
}
