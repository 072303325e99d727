namespace GovData.SharedKernel.Hosting.ScheduledJobs;

/// <summary>
/// A job a module wants run on a schedule (nightly checks, clean-ups). Register it with
/// <see cref="ScheduledJobServices.AddScheduledJob{TJob}"/>; the <see cref="ScheduledJobRunner"/> of whichever host
/// claims it first runs it, so with several hosts over one database each occurrence runs once.
/// </summary>
public interface IScheduledJob
{
    /// <summary>Stable key stored in <c>platform_jobs.name</c> (at most 100 characters), e.g. <c>catalog.quality.nightly</c>.</summary>
    string Name { get; }

    /// <summary>Chinese name shown to operators.</summary>
    string DisplayName { get; }

    /// <summary>When the job runs.</summary>
    JobSchedule Schedule { get; }

    /// <summary>
    /// How long a claim lasts before another host may take the job over. The runner renews the lease while the job
    /// runs, so this only bounds how long a crashed host blocks the job.
    /// </summary>
    TimeSpan Lease => TimeSpan.FromMinutes(10);

    /// <summary>After a failed run, the job is retried this much later (but never later than its next regular time).</summary>
    TimeSpan RetryAfter => TimeSpan.FromMinutes(30);

    /// <summary>Does the work. <paramref name="services"/> is a fresh DI scope; <paramref name="ct"/> ends when the host stops.</summary>
    Task RunAsync(IServiceProvider services, CancellationToken ct);
}

/// <summary>When a job runs next.</summary>
public abstract record JobSchedule
{
    /// <summary>The first run time strictly after <paramref name="afterUtc"/> (UTC), with local times read in <paramref name="zone"/>.</summary>
    public abstract DateTime NextAfter(DateTime afterUtc, TimeZoneInfo zone);

    /// <summary>Chinese description, e.g. 每天 02:00.</summary>
    public abstract string Describe();
}

/// <summary>Every day at a local time of day (e.g. 02:00 in the server's time zone).</summary>
/// <param name="At">Local time of day.</param>
public sealed record DailySchedule(TimeOnly At) : JobSchedule
{
    /// <inheritdoc />
    public override DateTime NextAfter(DateTime afterUtc, TimeZoneInfo zone)
    {
        var utc = DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        var candidate = local.Date + At.ToTimeSpan();
        for (var i = 0; i < 3; i++, candidate = candidate.AddDays(1))
        {
            var wall = DateTime.SpecifyKind(candidate, DateTimeKind.Unspecified);
            // A wall-clock time skipped by a daylight-saving change runs an hour later that day.
            if (zone.IsInvalidTime(wall)) wall = wall.AddHours(1);
            var at = TimeZoneInfo.ConvertTimeToUtc(wall, zone);
            if (at > utc) return at;
        }
        throw new InvalidOperationException("无法计算下次运行时间");
    }

    /// <inheritdoc />
    public override string Describe() => $"每天 {At:HH\\:mm}";
}

/// <summary>At a fixed interval after the previous run (used for housekeeping and in tests).</summary>
/// <param name="Every">The interval, at least one second.</param>
public sealed record IntervalSchedule(TimeSpan Every) : JobSchedule
{
    /// <inheritdoc />
    public override DateTime NextAfter(DateTime afterUtc, TimeZoneInfo zone) =>
        DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc) + (Every < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : Every);

    /// <inheritdoc />
    public override string Describe() => Every.TotalHours >= 1 && Every.TotalHours % 1 == 0 ? $"每 {Every.TotalHours:0} 小时" : $"每 {Every.TotalMinutes:0.#} 分钟";
}
