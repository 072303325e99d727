using GovData.Data.Features.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.Data.Features.Loading;

/// <summary>
/// Wakes the worker of this host when a load was queued here (only a shortcut: every worker also polls the database,
/// so loads queued on another host are found within one poll interval).
/// </summary>
internal sealed class LoadSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify() => _signal.Release();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (await _signal.WaitAsync(timeout, ct))
            while (_signal.CurrentCount > 0) _signal.Wait(0, CancellationToken.None);   // one wake-up for a burst
    }
}

/// <summary>
/// Background worker (<c>GovData:Data:Workers</c>): at start a sweep (expired leases of dead hosts, leftover tables), then
/// every poll it recovers expired leases and claims queued loads through the database (<see cref="LoadQueue"/>) up to
/// <see cref="LoadWorkerOptions.MaxConcurrentLoads"/>, running each in its own DI scope. When the host stops, running
/// loads are undone and put back in the queue.
/// </summary>
internal sealed class LoadWorker(IServiceScopeFactory scopes, LoadSignal signal, IOptions<DataOptions> options, ILogger<LoadWorker> logger)
    : BackgroundService
{
    private readonly List<Task> _running = [];
    private DateTime _lastSweep = DateTime.MinValue;

    /// <summary>This host's lease owner id.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.Workers;
        if (!o.Enabled)
        {
            logger.LogInformation("数据加载后台任务已停用（GovData:Data:Workers:Enabled=false）");
            return;
        }
        await Task.Yield();
        var poll = TimeSpan.FromSeconds(Math.Clamp(o.PollIntervalSeconds, 0.05, 3600));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await PassAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "数据加载后台任务出错：{Message}", ex.Message);
                }
                Task[] running;
                lock (_running) running = [.. _running];
                var wake = signal.WaitAsync(poll, stoppingToken);
                await Task.WhenAny(running.Append(wake));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        Task[] left;
        lock (_running) left = [.. _running];
        await Task.WhenAll(left);
    }

    /// <summary>One pass: sweep (at start and every 10 minutes) or lease recovery, then claim and start loads while there is room.</summary>
    private async Task PassAsync(CancellationToken ct)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<LoadQueue>();
            if (DateTime.UtcNow - _lastSweep > TimeSpan.FromMinutes(10))
            {
                await queue.SweepAsync(Owner, ct);
                _lastSweep = DateTime.UtcNow;
            }
            else await queue.RecoverExpiredAsync(Owner, ct);
        }
        var max = Math.Max(1, options.Value.Workers.MaxConcurrentLoads);
        while (true)
        {
            lock (_running)
            {
                _running.RemoveAll(t => t.IsCompleted);
                if (_running.Count >= max) return;
            }
            Guid? claimed;
            await using (var scope = scopes.CreateAsyncScope())
                claimed = (await scope.ServiceProvider.GetRequiredService<LoadQueue>().ClaimNextAsync(Owner, ct))?.Id;
            if (claimed is not { } id) return;
            var task = Task.Run(() => RunAsync(id, ct), CancellationToken.None);
            lock (_running) _running.Add(task);
        }
    }

    private async Task RunAsync(Guid loadId, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DataLoader>().RunAsync(loadId, Owner, new LoadRunOptions(RequeueOnStop: true), ct);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "加载 {Load} 意外中止：{Message}", loadId, ex.Message);
        }
        finally
        {
            signal.Notify();
        }
    }
}
