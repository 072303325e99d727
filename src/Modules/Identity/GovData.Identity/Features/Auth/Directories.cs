using GovData.Identity.Contracts;
using GovData.Identity.Persistence;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Auth;

internal sealed class DepartmentDirectory(IdentityDb db, RegionDirectory regions) : IDepartmentDirectory
{
    public async Task<IReadOnlyList<DepartmentInfo>> ListAsync(CancellationToken ct = default) =>
        (await db.Departments.AsNoTracking().Where(d => d.IsActive).OrderBy(d => d.SortOrder).ThenBy(d => d.Name).ToListAsync(ct))
        .Select(d => d.ToInfo()).ToList();

    public async Task<DepartmentInfo?> FindAsync(Guid id, CancellationToken ct = default) =>
        (await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct))?.ToInfo();

    public async Task<DepartmentInfo?> CompetentForRegionAsync(string regionCode, CancellationToken ct = default)
    {
        var competent = await db.Departments.AsNoTracking().Where(d => d.IsCompetent && d.IsActive).ToListAsync(ct);
        foreach (var region in regions.PathOf(regionCode).Reverse())
            if (competent.FirstOrDefault(d => d.RegionCode == region.Code) is { } hit) return hit.ToInfo();
        return null;
    }
}

internal sealed class UserDirectory(IdentityDb db) : IUserDirectory
{
    public async Task<UserInfo?> FindAsync(Guid id, CancellationToken ct = default)
    {
        var u = await db.Users.AsNoTracking().Include(x => x.Roles).FirstOrDefaultAsync(x => x.Id == id, ct);
        return u is null ? null : new UserInfo(u.Id, u.UserName, u.DisplayName, u.DepartmentId, u.RoleCodes);
    }

    public async Task<IReadOnlyList<UserInfo>> InRoleAsync(string role, Guid? departmentId = null, CancellationToken ct = default)
    {
        var q = db.Users.AsNoTracking().Include(x => x.Roles).Where(u => u.IsActive && u.Roles.Any(r => r.Role == role));
        if (departmentId is { } d) q = q.Where(u => u.DepartmentId == d);
        return (await q.OrderBy(u => u.UserName).ToListAsync(ct))
            .Select(u => new UserInfo(u.Id, u.UserName, u.DisplayName, u.DepartmentId, u.RoleCodes)).ToList();
    }
}
