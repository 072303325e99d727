using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Identity.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Identity.Features.Auth;

/// <summary>
/// Which departments a caller may administer. Enforced in the handlers: a department administrator acts
/// only on its own department and the units under it; a platform administrator on all.
/// </summary>
internal sealed class DepartmentScope(IdentityDb db)
{
    /// <summary>Null means every department.</summary>
    public async Task<HashSet<Guid>?> ManageableAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (user.IsInRole(Roles.PlatformAdmin)) return null;
        if (!user.IsInRole(Roles.DepartmentAdmin) || user.GetDepartmentId() is not { } own) return [];
        return await SubtreeAsync(own, ct);
    }

    /// <summary>Departments the caller may read: administrators and auditors all, others their own subtree.</summary>
    public async Task<HashSet<Guid>?> VisibleAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (user.IsInRole(Roles.PlatformAdmin) || user.IsInRole(Roles.SecurityAuditor)) return null;
        if (user.GetDepartmentId() is not { } own) return [];
        return await SubtreeAsync(own, ct);
    }

    public async Task<bool> CanManageAsync(ClaimsPrincipal user, Guid? departmentId, CancellationToken ct = default)
    {
        var set = await ManageableAsync(user, ct);
        return set is null || (departmentId is { } d && set.Contains(d));
    }

    public async Task<HashSet<Guid>> SubtreeAsync(Guid root, CancellationToken ct = default)
    {
        var all = await db.Departments.AsNoTracking().Select(d => new { d.Id, d.ParentId }).ToListAsync(ct);
        var children = all.Where(d => d.ParentId is not null).ToLookup(d => d.ParentId!.Value, d => d.Id);
        var result = new HashSet<Guid> { root };
        var queue = new Queue<Guid>([root]);
        while (queue.TryDequeue(out var id))
            foreach (var c in children[id])
                if (result.Add(c)) queue.Enqueue(c);
        return result;
    }
}
