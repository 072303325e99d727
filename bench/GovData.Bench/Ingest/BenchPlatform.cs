using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Bench.Ingest;

/// <summary>Published resources held in memory: the Data module reads the catalog only through <see cref="ICatalogResources"/>.</summary>
internal sealed class BenchCatalog : ICatalogResources
{
    private readonly List<CatalogResource> _entries = [];

    public static readonly Guid DepartmentId = Guid.Parse("0195f2c4-0000-7000-8000-00000000be01");

    public CatalogResource Publish(string code, string name, IReadOnlyList<CatalogItem> items)
    {
        var entry = new CatalogResource(Guid.CreateVersion7(), ResourceCode.Parse(code), name, DepartmentId, "基准测试部门", EntryStatus.Published,
            ShareType.Unconditional, OpenType.NotOpen, UpdateCycle.Daily, FormatCategory.Database, 1, DateTime.UtcNow, items);
        lock (_entries) _entries.Add(entry);
        return entry;
    }

    public Task<CatalogResource?> FindAsync(ResourceCode code, CancellationToken ct = default)
    {
        lock (_entries) return Task.FromResult(_entries.FirstOrDefault(e => e.Code == code));
    }

    public Task<CatalogResource?> FindAsync(Guid entryId, CancellationToken ct = default)
    {
        lock (_entries) return Task.FromResult(_entries.FirstOrDefault(e => e.EntryId == entryId));
    }

    public Task<IReadOnlyList<CatalogResource>> ListPublishedAsync(Guid? departmentId = null, CancellationToken ct = default)
    {
        lock (_entries) return Task.FromResult<IReadOnlyList<CatalogResource>>(_entries.Where(e => departmentId is null || e.DepartmentId == departmentId).ToList());
    }
}

/// <summary>
/// The Data module's real services (the web host's registrations: <c>AddGovData</c>) over one database and a temporary
/// data folder, with the catalog replaced by <see cref="BenchCatalog"/>; no web host, no background worker running.
/// A load runs exactly as <c>govdata import</c> runs it: <c>LoadService.PrepareAsync</c> → <c>StartLocalAsync</c> →
/// <c>DataLoader.RunAsync</c>.
/// </summary>
internal sealed class BenchPlatform : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchPlatform(ServiceProvider services, DatabaseSettings settings, BenchCatalog catalog)
    {
        _services = services;
        Settings = settings;
        Catalog = catalog;
    }

    public DatabaseSettings Settings { get; }

    public BenchCatalog Catalog { get; }

    /// <summary>A platform administrator without an API key (may load any resource).</summary>
    public static ClaimsPrincipal Admin { get; } = new(new ClaimsIdentity(
    [
        new Claim(GovDataClaims.UserId, Guid.CreateVersion7().ToString()),
        new Claim(ClaimTypes.Name, "bench"),
        new Claim(GovDataClaims.DisplayName, "基准测试"),
        new Claim(ClaimTypes.Role, Roles.PlatformAdmin),
    ], "bench", ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>Migrates <paramref name="settings"/>' database (all platform modules) and builds the services.</summary>
    public static async Task<BenchPlatform> CreateAsync(DatabaseSettings settings, string dataFolder)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = settings.ConnectionString,
            ["GovData:DataFolder"] = dataFolder,
            ["GovData:Data:KeepSourceFiles"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        services.AddGovData(configuration, dataFolder);
        var catalog = new BenchCatalog();
        services.AddSingleton<ICatalogResources>(catalog);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<SchemaMigrator>().MigrateAsync();
        return new BenchPlatform(provider, provider.GetRequiredService<DatabaseSettings>(), catalog);
    }

    /// <summary>Which reader factory the loader will use (the last registered, as <c>DataLoader</c> picks it).</summary>
    public string ReaderFactoryName => _services.GetServices<ILoadReaderFactory>().LastOrDefault()?.GetType().FullName ?? "（无）";

    /// <summary>A full load of <paramref name="path"/> into the resource <paramref name="code"/>, as the CLI runs it.</summary>
    public async Task<LoadOutcome> LoadAsync(string code, string path, LoadOptions options, CancellationToken ct = default)
    {
        await using var scope = _services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<LoadService>();
        var prepared = await service.PrepareAsync(ResourceCode.Parse(code), Admin, options.Mode, ct);
        if (!prepared.Ok) throw new InvalidOperationException(prepared.NotFound ?? prepared.Conflict ?? prepared.Forbidden ?? "加载准备失败");
        var owner = "bench/" + Guid.NewGuid().ToString("N");
        var load = await service.StartLocalAsync(prepared.Value!, path, options, Admin, owner, ct);
        return await scope.ServiceProvider.GetRequiredService<DataLoader>().RunAsync(load.Id, owner, new LoadRunOptions(), ct);
    }

    /// <summary>The current version's table of a resource.</summary>
    public async Task<string> CurrentTableAsync(string code)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GovData.Data.Persistence.DataDb>();
        var text = ResourceCode.Parse(code).ToString();
        var resource = await db.Resources.AsNoTracking().FirstAsync(r => r.ResourceCode == text);
        return await db.Versions.AsNoTracking().Where(v => v.Id == resource.CurrentVersionId).Select(v => v.TableName).FirstAsync();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
