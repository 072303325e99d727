using GovData.Exchange.Persistence;
using GovData.SharedKernel.Hosting.ScheduledJobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Sharing;

/// <summary>What one deadline pass did.</summary>
internal sealed record DeadlineRun(int Escalated, int Expired);

/// <summary>
/// Deadlines: pending requests past their due date are flagged and escalated to the competent department (提请协调, once per
/// due date), and active grants past their expiry are marked expired. Each object changes in its own transaction with
/// its event and audit record; a concurrent pass on another host (or a concurrent user action) makes the optimistic
/// version check fail for one of them, which then skips the object, so nothing is escalated or expired twice.
/// </summary>
internal sealed class SharingDeadlines(ExchangeDb db, SharingWriter writer, SharingClock clock, ILogger<SharingDeadlines> logger)
{
    /// <summary>Who the events name.</summary>
    public static readonly Actor Escalator = Actor.System("系统（逾期检查）");

    /// <summary>Who the expiry events name.</summary>
    public static readonly Actor Expirer = Actor.System("系统（授权到期）");

    public async Task<DeadlineRun> RunAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var overdue = await db.Requests().AsNoTracking()
            .Where(r => (r.Status == RequestStatus.PendingCompliance || r.Status == RequestStatus.PendingProvider) && r.DueAt != null && r.DueAt <= now
                && (r.EscalatedDueAt == null || r.EscalatedDueAt != r.DueAt))
            .OrderBy(r => r.DueAt).Select(r => r.Id).ToListAsync(ct);
        var escalated = 0;
        foreach (var id in overdue)
        {
            var result = await writer.RunAsync(async batch =>
            {
                var r = await db.Requests().FirstOrDefaultAsync(x => x.Id == id, ct);
                // Re-checked inside the transaction: another host or a user may have acted since the query above.
                if (r is null || !r.NeedsEscalation(clock.UtcNow) || r.IsEscalated) return SharingResult<bool>.Clash("已处理");
                batch.Request(r, r.Escalate(Escalator, clock.UtcNow, null));
                return SharingResult<bool>.Success(true);
            }, "已由其他实例处理", ct);
            if (result.Ok) escalated++;
        }

        // Public grants (有条件开放) expire the same way, with the same events and audit entries.
        var expiring = await db.Grants().IgnoreQueryFilters().AsNoTracking()
            .Where(g => g.Status == GrantStatus.Active && g.ExpiresAt <= now)
            .OrderBy(g => g.ExpiresAt).Select(g => g.Id).ToListAsync(ct);
        var expired = 0;
        foreach (var id in expiring)
        {
            var result = await writer.RunAsync(async batch =>
            {
                var g = await db.Grants().IgnoreQueryFilters().FirstOrDefaultAsync(x => x.Id == id, ct);
                if (g is null || g.Status != GrantStatus.Active || clock.UtcNow < g.ExpiresAt) return SharingResult<bool>.Clash("已处理");
                batch.Grant(g, g.Expire(Expirer, clock.UtcNow));
                return SharingResult<bool>.Success(true);
            }, "已由其他实例处理", ct);
            if (result.Ok) expired++;
        }
        if (escalated + expired > 0)
            logger.LogInformation("共享期限检查：{Escalated} 个逾期申请已提请主管部门协调，{Expired} 个授权已到期", escalated, expired);
        return new DeadlineRun(escalated, expired);
    }
}

/// <summary>The scheduled job (<c>exchange.sharing.deadlines</c>): one host per run through the platform's job table.</summary>
internal sealed class SharingDeadlineJob(IOptions<SharingOptions> options) : IScheduledJob
{
    public string Name => "exchange.sharing.deadlines";

    public string DisplayName => "共享申请逾期检查与授权到期";

    public JobSchedule Schedule => new IntervalSchedule(TimeSpan.FromMinutes(Math.Max(1.0 / 60, options.Value.DeadlineCheckMinutes)));

    public Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<SharingDeadlines>().RunAsync(ct);
}
