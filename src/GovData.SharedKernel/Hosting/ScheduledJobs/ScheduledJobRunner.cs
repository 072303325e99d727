using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.SharedKernel.Hosting.ScheduledJobs;

/// <summary>Configuration section <c>GovData:Jobs</c>.</summary>
public sealed class ScheduledJobOptions
{
    /// <summary>Runs scheduled jobs in this host (default true). Set <c>GovData:Jobs:Enabled=false</c> on hosts that must not (tests, read replicas).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the host looks for due jobs, in seconds (default 60).</summary>
    public int PollIntervalSeconds { get; set; } = 60;

    /// <summary>Wait after start-up before the first look, in seconds (default 15).</summary>
    public int InitialDelaySeconds { get; set; } = 15;

    /// <summary>Time zone of the schedules' local times (IANA or Windows id); default the server's local zone.</summary>
    public string? TimeZone { get; set; }
}

/// <summary>
/// Runs the registered <see cref="IScheduledJob"/>s. Every poll it registers unknown jobs (first run = the schedule's next
/// time), then for each job tries the atomic claim of <see cref="ScheduledJobStore"/>; only the host that wins runs the job,
/// renewing its lease meanwhile, and then stores the next run time (computed from the end of the run, so a host that was
/// down at the scheduled time runs the job once when it comes back, not once per missed day).
/// </summary>
public sealed class ScheduledJobRunner(
    IEnumerable<IScheduledJob> jobs, ScheduledJobStore store, IServiceScopeFactory scopes, TimeProvider clock,
    IOptions<ScheduledJobOptions> options, ILogger<ScheduledJobRunner> logger) : BackgroundService
{
    private readonly IReadOnlyList<IScheduledJob> _jobs = Validate(jobs);
    private readonly HashSet<string> _registered = [];
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>This host's lease owner id (machine/process/instance).</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>The registered jobs.</summary>
    public IReadOnlyList<IScheduledJob> Jobs => _jobs;

    /// <summary>Time zone the schedules are read in.</summary>
    public TimeZoneInfo TimeZone => options.Value.TimeZone is { Length: > 0 } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : clock.LocalTimeZone;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            logger.LogInformation("计划任务已停用（GovData:Jobs:Enabled=false），本实例不运行计划任务");
            return;
        }
        if (_jobs.Count == 0) return;
        logger.LogInformation("计划任务：{Jobs}（实例 {Owner}）", string.Join("；", _jobs.Select(j => $"{j.DisplayName} {j.Schedule.Describe()}")), Owner);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, o.InitialDelaySeconds)), clock, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, o.PollIntervalSeconds)), clock);
            do
            {
                try { await RunDueJobsAsync(stoppingToken); }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "检查计划任务失败：{Message}", ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: registers unknown jobs, then claims and runs every due job this host wins. Returns the jobs it ran.</summary>
    public async Task<IReadOnlyList<string>> RunDueJobsAsync(CancellationToken ct = default)
    {
        var ran = new List<string>();
        await _pass.WaitAsync(ct);
        try
        {
            var zone = TimeZone;
            foreach (var job in _jobs)
            {
                if (!_registered.Contains(job.Name))
                {
                    var now = clock.GetUtcNow().UtcDateTime;
                    if (await store.RegisterAsync(job.Name, job.Schedule.NextAfter(now, zone), ct))
                        logger.LogInformation("登记计划任务 {Job}（{Schedule}）", job.DisplayName, job.Schedule.Describe());
                    _registered.Add(job.Name);
                }
                if (await TryRunAsync(job, zone, ct)) ran.Add(job.Name);
            }
        }
        finally
        {
            _pass.Release();
        }
        return ran;
    }

    private async Task<bool> TryRunAsync(IScheduledJob job, TimeZoneInfo zone, CancellationToken ct)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        if (!await store.TryClaimAsync(job.Name, Owner, started, started + job.Lease, ct)) return false;

        logger.LogInformation("开始运行计划任务 {Job}", job.DisplayName);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = RenewWhileRunningAsync(job, renewing.Token);
        string? error = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await job.RunAsync(scope.ServiceProvider, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            error = ex.Message;
            logger.LogError(ex, "计划任务 {Job} 运行失败：{Message}", job.DisplayName, ex.Message);
        }
        catch (OperationCanceledException)
        {
            error = "主机停止，任务被中断";
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
        }

        var finished = clock.GetUtcNow().UtcDateTime;
        var next = job.Schedule.NextAfter(finished, zone);
        if (error is not null && finished + job.RetryAfter < next) next = finished + job.RetryAfter;
        if (!await store.CompleteAsync(job.Name, Owner, finished, next, error is null, error, CancellationToken.None))
            logger.LogWarning("计划任务 {Job} 的租约已被其他实例接管，本次结果未记录", job.DisplayName);
        else if (error is null)
            logger.LogInformation("计划任务 {Job} 完成，用时 {Seconds:0.0} 秒，下次运行 {Next:u}", job.DisplayName, (finished - started).TotalSeconds, next);
        return true;
    }

    private async Task RenewWhileRunningAsync(IScheduledJob job, CancellationToken ct)
    {
        var every = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, job.Lease.Ticks / 3));
        try
        {
            while (true)
            {
                await Task.Delay(every, clock, ct);
                var until = clock.GetUtcNow().UtcDateTime + job.Lease;
                if (!await store.RenewAsync(job.Name, Owner, until, ct))
                    logger.LogWarning("计划任务 {Job} 的租约续期失败（可能已被其他实例接管）", job.DisplayName);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "计划任务 {Job} 续租出错：{Message}", job.DisplayName, ex.Message);
        }
    }

    private static IReadOnlyList<IScheduledJob> Validate(IEnumerable<IScheduledJob> jobs)
    {
        var list = jobs.ToList();
        foreach (var job in list)
            if (string.IsNullOrWhiteSpace(job.Name) || job.Name.Length > 100)
                throw new InvalidOperationException($"计划任务名称无效：“{job.Name}”（1–100 个字符）");
        if (list.GroupBy(j => j.Name).FirstOrDefault(g => g.Count() > 1) is { } dup)
            throw new InvalidOperationException($"计划任务“{dup.Key}”重复登记");
        return list;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }
}

/// <summary>Registration of scheduled jobs.</summary>
public static class ScheduledJobServices
{
    /// <summary>Registers a module's job; it runs in every host whose <c>GovData:Jobs:Enabled</c> is not false (one host per run).</summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services) where TJob : class, IScheduledJob
    {
        services.AddSingleton<IScheduledJob, TJob>();
        return services;
    }

    /// <summary>The job store, the runner (also as a hosted service) and its options from <c>GovData:Jobs</c>.</summary>
    internal static IServiceCollection AddScheduledJobRunner(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<ScheduledJobOptions>().Bind(configuration.GetSection("GovData:Jobs"));
        services.AddSingleton<ScheduledJobStore>();
        services.AddSingleton<ScheduledJobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledJobRunner>());
        return services;
    }
}
