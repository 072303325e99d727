using GovData.SharedKernel.Hosting.ScheduledJobs;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Catalog.Features.Quality;

/// <summary>
/// 夜间自动校核: every night at 02:00 (server time zone, or <c>GovData:Jobs:TimeZone</c>) the whole platform and each
/// region with a competent department are checked, so every reviewer finds a fresh report in the morning. Runs on one
/// host only (see <see cref="ScheduledJobRunner"/>); <c>GovData:Jobs:Enabled=false</c> turns it off on a host.
/// </summary>
internal sealed class QualityJob : IScheduledJob
{
    public const string JobName = "catalog.quality.nightly";

    public string Name => JobName;

    public string DisplayName => "目录质量夜间校核";

    public JobSchedule Schedule { get; } = new DailySchedule(new TimeOnly(2, 0));

    public TimeSpan Lease => TimeSpan.FromMinutes(15);

    public Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<QualityService>().RunNightlyAsync(ct);
}
