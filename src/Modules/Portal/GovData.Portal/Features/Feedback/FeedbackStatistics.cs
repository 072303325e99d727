using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.Portal.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Feedback;

/// <summary>Console home counts: pending and overdue 纠错/数据需求 of the department (all departments for the platform administrator).</summary>
internal sealed class FeedbackStatistics(PortalDb db, TimeProvider clock) : IConsoleStatistics
{
    public async Task<IReadOnlyList<ConsoleCount>> GetAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (!FeedbackQueue.MaySeeQueue(user)) return [];
        Guid? department = user.IsInRole(Roles.PlatformAdmin) ? null : user.GetDepartmentId();
        var now = clock.GetUtcNow().UtcDateTime;
        var corrections = db.Corrections.Where(c => c.Status == FeedbackStatus.Pending);
        var demands = db.Demands.Where(c => c.Status == FeedbackStatus.Pending);
        if (department is { } d)
        {
            corrections = corrections.Where(c => c.DepartmentId == d);
            demands = demands.Where(c => c.DepartmentId == d);
        }
        var pending = await corrections.CountAsync(ct) + await demands.CountAsync(ct);
        var overdue = await corrections.CountAsync(c => c.DueAt < now, ct) + await demands.CountAsync(c => c.DueAt < now, ct);
        return
        [
            new("待答复的纠错与数据需求", pending, "/console/portal/feedback?pending=true", 700),
            new("逾期未答复", overdue, "/console/portal/feedback?pending=true", 701),
        ];
    }
}
