using GovData.Catalog.Features.Quality;
using GovData.Catalog.Tests.Infrastructure;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting.ScheduledJobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GovData.Catalog.Tests;

/// <summary>
/// The platform's scheduled-job claim (platform_jobs, SharedKernel) on a real database: with several hosts over one
/// database a due job is claimed by exactly one of them. Runs once on SQLite and once on PostgreSQL.
/// </summary>
public abstract class ScheduledJobContract
{
    internal abstract Task<CatalogHost> HostAsync(IEnumerable<DepartmentInfo>? departments = null);

    private static ScheduledJobStore Store(CatalogHost host) => new(host.Database);

    [Fact]
    public async Task Two_claimers_racing_on_the_same_due_job_exactly_one_wins_every_time()
    {
        await using var host = await HostAsync();
        const string job = "test.race";
        var now = DateTime.UtcNow;
        (await Store(host).RegisterAsync(job, now.AddMinutes(-1))).ShouldBeTrue();
        (await Store(host).RegisterAsync(job, now.AddDays(1))).ShouldBeFalse("已登记的任务保留其计划时间");

        for (var round = 0; round < 25; round++)
        {
            // Two hosts (separate stores, separate connections) released at the same moment.
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var at = DateTime.UtcNow;
            async Task<(string Owner, bool Won)> Claim(string owner)
            {
                await gate.Task;
                return (owner, await Store(host).TryClaimAsync(job, owner, at, at.AddMinutes(5)));
            }
            var a = Task.Run(() => Claim("host-a"));
            var b = Task.Run(() => Claim("host-b"));
            gate.SetResult();
            var results = await Task.WhenAll(a, b);
            results.Count(r => r.Won).ShouldBe(1, $"第{round + 1}轮应恰好一个实例获得任务");

            var winner = results.Single(r => r.Won).Owner;
            var state = (await Store(host).GetAsync(job)).ShouldNotBeNull();
            state.LeaseOwner.ShouldBe(winner);
            // The loser cannot complete or renew a job it does not hold.
            var loser = winner == "host-a" ? "host-b" : "host-a";
            (await Store(host).CompleteAsync(job, loser, DateTime.UtcNow, DateTime.UtcNow, true, null)).ShouldBeFalse();
            (await Store(host).RenewAsync(job, loser, DateTime.UtcNow.AddMinutes(5))).ShouldBeFalse();
            // The winner finishes and makes it due again for the next round.
            (await Store(host).CompleteAsync(job, winner, DateTime.UtcNow, DateTime.UtcNow.AddSeconds(-1), true, null)).ShouldBeTrue();
        }
        var final = (await Store(host).GetAsync(job)).ShouldNotBeNull();
        final.RunCount.ShouldBe(25);
        final.LeaseOwner.ShouldBeNull();
        final.LastStatus.ShouldBe(ScheduledJobState.Succeeded);
    }

    [Fact]
    public async Task A_job_is_claimed_only_when_due_and_its_lease_is_free_or_expired()
    {
        await using var host = await HostAsync();
        var store = Store(host);
        var now = DateTime.UtcNow;
        await store.RegisterAsync("test.lease", now.AddHours(1));
        (await store.TryClaimAsync("test.lease", "a", now, now.AddMinutes(5))).ShouldBeFalse("未到运行时间");
        (await store.TryClaimAsync("test.missing", "a", now, now.AddMinutes(5))).ShouldBeFalse("未登记的任务");

        await store.RescheduleAsync("test.lease", now.AddSeconds(-10));
        (await store.TryClaimAsync("test.lease", "a", now, now.AddMinutes(5))).ShouldBeTrue();
        (await store.TryClaimAsync("test.lease", "b", now.AddMinutes(1), now.AddMinutes(6))).ShouldBeFalse("租约未过期");
        (await store.RenewAsync("test.lease", "a", now.AddMinutes(10))).ShouldBeTrue();
        (await store.TryClaimAsync("test.lease", "b", now.AddMinutes(7), now.AddMinutes(12))).ShouldBeFalse("续租后仍由 a 持有");

        // Host a crashed: once its lease has expired, another host takes the job over; a's late completion is ignored.
        (await store.TryClaimAsync("test.lease", "b", now.AddMinutes(11), now.AddMinutes(16))).ShouldBeTrue();
        (await store.CompleteAsync("test.lease", "a", now.AddMinutes(12), now.AddDays(1), true, null)).ShouldBeFalse();
        (await store.CompleteAsync("test.lease", "b", now.AddMinutes(12), now.AddDays(1), false, "测试失败原因")).ShouldBeTrue();
        var state = (await store.GetAsync("test.lease")).ShouldNotBeNull();
        state.LastStatus.ShouldBe(ScheduledJobState.Failed);
        state.LastError.ShouldBe("测试失败原因");
        state.LastOwner.ShouldBe("b");
        state.NextRunAt.ShouldBe(now.AddDays(1), TimeSpan.FromMilliseconds(1));
        state.LeaseUntil.ShouldBeNull();
    }

    private sealed class CountingJob(string name, TimeSpan runFor) : IScheduledJob
    {
        private int _runs;

        public int Runs => _runs;

        public string Name => name;

        public string DisplayName => "计数任务";

        public JobSchedule Schedule { get; } = new DailySchedule(new TimeOnly(2, 0));

        public async Task RunAsync(IServiceProvider services, CancellationToken ct)
        {
            Interlocked.Increment(ref _runs);
            await Task.Delay(runFor, ct);
        }
    }

    private static ScheduledJobRunner Runner(CatalogHost host, IScheduledJob job) => new(
        [job], Store(host), new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
        Options.Create(new ScheduledJobOptions()), NullLogger<ScheduledJobRunner>.Instance);

    [Fact]
    public async Task Two_hosts_polling_at_once_run_a_due_job_once_and_schedule_the_next_night()
    {
        await using var host = await HostAsync();
        var job = new CountingJob("test.runner", TimeSpan.FromMilliseconds(300));
        var first = Runner(host, job);
        var second = Runner(host, job);

        // First pass registers the job for the next 02:00: nothing is due yet.
        (await first.RunDueJobsAsync()).ShouldBeEmpty();
        var registered = (await Store(host).GetAsync(job.Name)).ShouldNotBeNull();
        registered.NextRunAt.ShouldBe(new DailySchedule(new TimeOnly(2, 0)).NextAfter(DateTime.UtcNow, TimeZoneInfo.Local), TimeSpan.FromMinutes(1));

        // Make it due (as at 02:00) and let both hosts poll at the same moment.
        await Store(host).RescheduleAsync(job.Name, DateTime.UtcNow.AddSeconds(-1));
        var ran = await Task.WhenAll(Task.Run(() => first.RunDueJobsAsync()), Task.Run(() => second.RunDueJobsAsync()));
        job.Runs.ShouldBe(1);
        ran.Count(r => r.Contains(job.Name)).ShouldBe(1);

        var state = (await Store(host).GetAsync(job.Name)).ShouldNotBeNull();
        state.LastStatus.ShouldBe(ScheduledJobState.Succeeded);
        state.LeaseOwner.ShouldBeNull();
        state.NextRunAt.ShouldBeGreaterThan(DateTime.UtcNow);
        state.NextRunAt.ShouldBeLessThanOrEqualTo(DateTime.UtcNow.AddDays(1));
        (await second.RunDueJobsAsync()).ShouldBeEmpty();
        job.Runs.ShouldBe(1);
    }

    private sealed class FailingJob : IScheduledJob
    {
        public string Name => "test.failing";

        public string DisplayName => "失败任务";

        public JobSchedule Schedule { get; } = new DailySchedule(new TimeOnly(2, 0));

        public Task RunAsync(IServiceProvider services, CancellationToken ct) => throw new InvalidOperationException("数据源不可用");
    }

    [Fact]
    public async Task A_failed_run_is_recorded_and_retried_half_an_hour_later()
    {
        await using var host = await HostAsync();
        var runner = Runner(host, new FailingJob());
        await runner.RunDueJobsAsync();
        await Store(host).RescheduleAsync("test.failing", DateTime.UtcNow.AddSeconds(-1));
        (await runner.RunDueJobsAsync()).ShouldBe(["test.failing"]);
        var state = (await Store(host).GetAsync("test.failing")).ShouldNotBeNull();
        state.LastStatus.ShouldBe(ScheduledJobState.Failed);
        state.LastError.ShouldBe("数据源不可用");
        state.LeaseOwner.ShouldBeNull();
        var expected = DateTime.UtcNow.AddMinutes(30);
        var regular = new DailySchedule(new TimeOnly(2, 0)).NextAfter(DateTime.UtcNow, TimeZoneInfo.Local);
        state.NextRunAt.ShouldBe(regular < expected ? regular : expected, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task The_nightly_quality_job_is_registered_for_two_oclock_and_writes_runs()
    {
        await using var host = await HostAsync();
        var job = await host.Run(sp => Task.FromResult(sp.GetServices<IScheduledJob>().Single(j => j.Name == QualityJob.JobName)));
        job.Schedule.ShouldBe(new DailySchedule(new TimeOnly(2, 0)));
        job.Schedule.Describe().ShouldBe("每天 02:00");

        await host.Run(async sp => { await job.RunAsync(sp, CancellationToken.None); return 0; });
        var runs = await host.Run(sp => sp.GetRequiredService<QualityDb>().Runs.OrderBy(r => r.StartedAt).ToListAsync());
        // The whole platform plus one run per region with a competent department (山东省, 济南市 in the test tree).
        runs.Select(r => r.Scope).ShouldBe(["platform", "370000", "370100"], ignoreOrder: true);
        runs.ShouldAllBe(r => r.TriggerKind == RunTriggers.Scheduled && r.Status == RunStatuses.Succeeded);
    }
}

/// <summary>DailySchedule arithmetic (no database).</summary>
public sealed class DailyScheduleTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Theory]
    [InlineData("2026-03-01T00:30:00", "2026-03-01T02:00:00")]
    [InlineData("2026-03-01T02:00:00", "2026-03-02T02:00:00")]
    [InlineData("2026-03-01T23:59:00", "2026-03-02T02:00:00")]
    [InlineData("2026-12-31T03:00:00", "2027-01-01T02:00:00")]
    public void Runs_at_two_oclock_Beijing_time(string afterLocal, string expectedLocal)
    {
        var after = TimeZoneInfo.ConvertTimeToUtc(DateTime.Parse(afterLocal), Beijing);
        var next = new DailySchedule(new TimeOnly(2, 0)).NextAfter(after, Beijing);
        next.Kind.ShouldBe(DateTimeKind.Utc);
        TimeZoneInfo.ConvertTimeFromUtc(next, Beijing).ShouldBe(DateTime.Parse(expectedLocal));
    }

    [Fact]
    public void A_time_skipped_by_daylight_saving_runs_an_hour_later()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        // 2026-03-29 02:00–03:00 does not exist in Berlin.
        var after = TimeZoneInfo.ConvertTimeToUtc(new DateTime(2026, 3, 29, 1, 0, 0), berlin);
        var next = new DailySchedule(new TimeOnly(2, 30)).NextAfter(after, berlin);
        TimeZoneInfo.ConvertTimeFromUtc(next, berlin).ShouldBe(new DateTime(2026, 3, 29, 3, 30, 0));
    }
}

public sealed class SqliteScheduledJobTests : ScheduledJobContract
{
    internal override Task<CatalogHost> HostAsync(IEnumerable<DepartmentInfo>? departments = null) => CatalogHost.SqliteAsync(departments);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresScheduledJobTests(PostgresCluster cluster) : ScheduledJobContract
{
    internal override async Task<CatalogHost> HostAsync(IEnumerable<DepartmentInfo>? departments = null)
    {
        var (cs, drop) = await cluster.CreateDatabaseAsync();
        return await CatalogHost.PostgresAsync(cs, departments, drop);
    }
}
