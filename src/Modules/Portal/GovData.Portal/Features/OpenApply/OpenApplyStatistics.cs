using System.Security.Claims;
using GovData.SharedKernel.Web;

namespace GovData.Portal.Features.OpenApply;

/// <summary>Console home count: 有条件开放 applications waiting for the department (all departments for the platform administrator).</summary>
internal sealed class OpenApplyStatistics(OpenApplications applications) : IConsoleStatistics
{
    public async Task<IReadOnlyList<ConsoleCount>> GetAsync(ClaimsPrincipal user, CancellationToken ct) =>
        OpenApplications.MaySeeQueue(user)
            ? [new("待审核的有条件开放申请", await applications.PendingCountAsync(user, ct), "/console/portal/applications?status=Pending", 720)]
            : [];
}
