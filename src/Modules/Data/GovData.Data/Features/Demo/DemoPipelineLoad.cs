using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Storage;
using GovData.Data.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GovData.Data.Features.Demo;

/// <summary>
/// Runs a demo file through the real ingestion path — the file goes into the blob store as an upload would, then
/// <see cref="DataLoader"/> runs the load in-process (reader and encoding detection, header mapping, conversion and
/// validation, bulk writer, key checks, error threshold, atomic switch, load report and rejected-rows file). The load is
/// recorded with source 演示数据. Each load runs in its own DI scope.
/// </summary>
internal static class DemoPipelineLoad
{
    public static async Task<LoadOutcome> RunAsync(IServiceProvider services, CatalogResource published, Stream content, string fileName,
        LoadOptions options, CancellationToken ct)
    {
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var resource = await sp.GetRequiredService<DataResources>().UpsertAsync(published, ct);
        var blob = await sp.GetRequiredService<BlobStore>().WriteAsync(content, BlobStore.Uploads, ct);
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var lease = TimeSpan.FromSeconds(Math.Max(5, sp.GetRequiredService<IOptions<DataOptions>>().Value.Workers.LeaseSeconds));
        var owner = "demo/" + Guid.NewGuid().ToString("N");
        var load = new DataLoad
        {
            Id = Guid.CreateVersion7(), ResourceId = resource.Id, Mode = options.Mode, Source = LoadSource.Demo, FileName = fileName, FileSize = blob.Size,
            BlobPath = blob.Path, BytesTotal = blob.Size, OptionsJson = options.ToJson(), Status = LoadStatus.Running, LeaseOwner = owner,
            LeaseUntil = now + lease, RequestedByName = DemoTableWriter.GeneratorName, CreatedAt = now, StartedAt = now, ProgressAt = now, Attempts = 1,
        };
        var db = sp.GetRequiredService<DataDb>();
        db.Loads.Add(load);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return await sp.GetRequiredService<DataLoader>().RunAsync(load.Id, owner, new LoadRunOptions(), ct);
    }
}
