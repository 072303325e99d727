using System.Collections.Concurrent;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Storage;
using GovData.Data.Persistence;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.Tests.Core;

public sealed class SqliteQueueTests() : QueueTests(DatabaseProvider.Sqlite);

public sealed class PostgresQueueTests() : QueueTests(DatabaseProvider.PostgreSql);

/// <summary>The load queue in the database: claims by competing workers, the background worker end to end.</summary>
public abstract class QueueTests(DatabaseProvider provider) : IAsyncLifetime
{
    private CoreHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await CoreHost.CreateAsync(provider);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task<DataLoad> QueueAsync(ResourceContext context, string csv)
    {
        var blobs = _host.Services.GetRequiredService<BlobStore>();
        var blob = await blobs.WriteAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), BlobStore.Uploads);
        return await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadService>().SubmitAsync(context, blob, "data.csv", new LoadOptions(), LoadSource.Api, CoreHost.Cataloger));
    }

    [Fact]
    public async Task Two_workers_never_take_the_same_load_nor_two_loads_of_one_resource()
    {
        var contexts = new List<ResourceContext>();
        for (var i = 1; i <= 12; i++)
        {
            var published = _host.PublishCompanies($"3010010201/{i}");
            contexts.Add((await _host.WithScopeAsync(sp => sp.GetRequiredService<DataResources>().EnsureAsync(published.Code))).Value!);
        }
        var loads = new List<DataLoad>();
        foreach (var c in contexts) loads.Add(await QueueAsync(c, CoreData.Csv(1, 3)));
        for (var extra = 0; extra < 4; extra++) loads.Add(await QueueAsync(contexts[0], CoreData.Csv(1, 3)));

        var claimed = new ConcurrentBag<(string Worker, Guid Load, Guid Resource)>();
        async Task Worker(string name)
        {
            while (true)
            {
                var load = await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadQueue>().ClaimNextAsync(name));
                if (load is null) return;
                claimed.Add((name, load.Id, load.ResourceId));
            }
        }
        await Task.WhenAll(Worker("worker-a"), Worker("worker-b"));

        claimed.Select(c => c.Load).Distinct().Count().ShouldBe(claimed.Count);
        claimed.Count.ShouldBe(12);                                            // one per resource: the others of resource 1 wait
        claimed.Select(c => c.Resource).Distinct().Count().ShouldBe(12);
        var rows = await _host.WithDbAsync(db => db.Loads.AsNoTracking().ToListAsync());
        rows.Count(l => l.Status == LoadStatus.Running).ShouldBe(12);
        rows.Where(l => l.Status == LoadStatus.Running).ShouldAllBe(l => l.LeaseOwner == "worker-a" || l.LeaseOwner == "worker-b");
        rows.Count(l => l.Status == LoadStatus.Queued).ShouldBe(4);
        if (provider == DatabaseProvider.PostgreSql) claimed.Select(c => c.Worker).Distinct().Count().ShouldBe(2);   // both got work
    }

    [Fact]
    public async Task The_background_worker_runs_queued_loads_and_cancels_queued_ones()
    {
        var published = _host.PublishCompanies();
        var context = (await _host.WithScopeAsync(sp => sp.GetRequiredService<DataResources>().EnsureAsync(published.Code))).Value!;
        var first = await QueueAsync(context, CoreData.Csv(1, 50));
        var second = await QueueAsync(context, CoreData.Csv(1, 60));
        var third = await QueueAsync(context, CoreData.Csv(1, 70));
        (await _host.WithScopeAsync(sp => sp.GetRequiredService<LoadQueue>().CancelAsync(third.Id, "测试"))).ShouldBe(LoadStatus.Cancelled);

        var worker = _host.Services.GetRequiredService<LoadWorker>();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            for (var i = 0; i < 300; i++)
            {
                var states = await _host.WithDbAsync(db => db.Loads.AsNoTracking().Select(l => l.Status).ToListAsync());
                if (states.All(s => s is not (LoadStatus.Queued or LoadStatus.Running))) break;
                await Task.Delay(100);
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
        (await _host.LoadRowAsync(first.Id)).Status.ShouldBe(LoadStatus.Succeeded);
        (await _host.LoadRowAsync(second.Id)).Status.ShouldBe(LoadStatus.Succeeded);
        (await _host.LoadRowAsync(third.Id)).Status.ShouldBe(LoadStatus.Cancelled);
        (await _host.CountAndSumAsync(published.Code.ToString())).Count.ShouldBe(60);   // in queue order: the second load is current
        // Uploads are deleted once their load ended.
        var uploads = Path.Combine(_host.Folder, "blobs", "uploads");
        Directory.EnumerateFiles(uploads, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }
}
