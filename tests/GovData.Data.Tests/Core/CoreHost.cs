using System.Runtime.CompilerServices;
using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Resources;
using GovData.Data.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common;
using GovData.Tests.Common.Databases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Data.Tests.Core;

/// <summary>Published catalog resources held in memory (the Data module only sees the catalog through ICatalogResources).</summary>
internal sealed class FakeCatalog : ICatalogResources
{
    private readonly Dictionary<Guid, CatalogResource> _entries = [];

    public CatalogResource Add(CatalogResource resource)
    {
        lock (_entries) _entries[resource.EntryId] = resource;
        return resource;
    }

    public Task<CatalogResource?> FindAsync(ResourceCode code, CancellationToken ct = default)
    {
        lock (_entries) return Task.FromResult(_entries.Values.FirstOrDefault(e => e.Code == code));
    }

    public Task<CatalogResource?> FindAsync(Guid entryId, CancellationToken ct = default)
    {
        lock (_entries) return Task.FromResult(_entries.GetValueOrDefault(entryId));
    }

    public Task<IReadOnlyList<CatalogResource>> ListPublishedAsync(Guid? departmentId = null, CancellationToken ct = default)
    {
        lock (_entries)
            return Task.FromResult<IReadOnlyList<CatalogResource>>(_entries.Values
                .Where(e => e.Status == EntryStatus.Published && (departmentId is null || e.DepartmentId == departmentId)).ToList());
    }
}

/// <summary>Wraps the reader factory so a test can make a load fail after K records (a crash mid-load) or read slowly.</summary>
internal sealed class TestReaderFactory(ILoadReaderFactory inner) : ILoadReaderFactory
{
    /// <summary>Throws after this many records (null: never).</summary>
    public long? ThrowAfter { get; set; }

    /// <summary>Delay per record (slow sources for cancellation tests).</summary>
    public TimeSpan DelayPerRecord { get; set; }

    /// <summary>Invoked after this many records with the count (e.g. to kill the lease).</summary>
    public (long After, Func<Task> Action)? Pause { get; set; }

    public async Task<ILoadReader> OpenAsync(string path, string fileName, TableLayout layout, LoadOptions options, CancellationToken ct) =>
        new Reader(await inner.OpenAsync(path, fileName, layout, options, ct), this);

    private sealed class Reader(ILoadReader inner, TestReaderFactory owner) : ILoadReader
    {
        public SourceFormat Format => inner.Format;
        public string Description => inner.Description;
        public IReadOnlyList<string> Header => inner.Header;
        public IReadOnlyList<int> SourceIndexes => inner.SourceIndexes;
        public long BytesTotal => inner.BytesTotal;
        public long BytesRead => inner.BytesRead;
        public void Convert(SourceRecord record, object?[] values, List<CellProblem> problems) => inner.Convert(record, values, problems);
        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public async IAsyncEnumerable<SourceRecord> ReadRecordsAsync([EnumeratorCancellation] CancellationToken ct = default)
        {
            long n = 0;
            await foreach (var record in inner.ReadRecordsAsync(ct))
            {
                if (owner.ThrowAfter is { } k && n >= k) throw new InvalidOperationException($"模拟崩溃：读取 {n} 行后中断");
                if (owner.Pause is { } p && n == p.After) await p.Action();
                if (owner.DelayPerRecord > TimeSpan.Zero) await Task.Delay(owner.DelayPerRecord, ct);
                n++;
                yield return record;
            }
        }
    }
}

/// <summary>
/// The Data core over a fresh database (all platform migrations), a temporary data folder and an in-memory catalog:
/// the module's real services, without the web host.
/// </summary>
internal sealed class CoreHost : IAsyncDisposable
{
    public static readonly Guid DepartmentId = Guid.Parse("0195f2c4-0000-7000-8000-00000000d001");

    private CoreHost(TestDatabase db, ServiceProvider services, string folder, FakeCatalog catalog, TestReaderFactory readers)
    {
        Db = db;
        Services = services;
        Folder = folder;
        Catalog = catalog;
        Readers = readers;
    }

    public TestDatabase Db { get; }
    public ServiceProvider Services { get; }
    public string Folder { get; }
    public FakeCatalog Catalog { get; }
    public TestReaderFactory Readers { get; }
    public DatabaseProvider Provider => Db.Provider;

    public static async Task<CoreHost> CreateAsync(DatabaseProvider provider, IDictionary<string, string?>? settings = null)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await PlatformSchemas.MigratorFor(db).MigrateAsync();
        var folder = TestEnvironment.NewTempFolder("data-core");
        var values = new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = db.ConnectionString,
            ["GovData:DataFolder"] = folder,
            ["GovData:Data:Workers:ProgressIntervalMilliseconds"] = "50",
            ["GovData:Data:Workers:LeaseSeconds"] = "30",
        };
        if (settings is not null) foreach (var (k, v) in settings) values[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(db.Settings);
        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<DataDb>((sp, o) => sp.GetRequiredService<DatabaseSettings>().Configure(o));
        services.AddDataCore();
        var catalog = new FakeCatalog();
        services.AddSingleton<ICatalogResources>(catalog);
        var readers = new TestReaderFactory(new IngestionReaderFactory());
        services.AddSingleton<ILoadReaderFactory>(readers);
        return new CoreHost(db, services.BuildServiceProvider(), folder, catalog, readers);
    }

    /// <summary>A department cataloger of <see cref="DepartmentId"/>.</summary>
    public static ClaimsPrincipal Cataloger { get; } = new(new ClaimsIdentity(
    [
        new Claim(GovDataClaims.UserId, Guid.CreateVersion7().ToString()),
        new Claim(GovDataClaims.DepartmentId, DepartmentId.ToString()),
        new Claim(GovDataClaims.DisplayName, "测试编目员"),
        new Claim(ClaimTypes.Role, Roles.Cataloger),
    ], "test", ClaimTypes.Name, ClaimTypes.Role));

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task<T> WithDbAsync<T>(Func<DataDb, Task<T>> action) => WithScopeAsync(sp => action(sp.GetRequiredService<DataDb>()));

    /// <summary>Publishes a resource with these items in the fake catalog.</summary>
    public CatalogResource Publish(string code, string name, IReadOnlyList<CatalogItem> items, UpdateCycle cycle = UpdateCycle.Monthly) =>
        Catalog.Add(new CatalogResource(Guid.CreateVersion7(), ResourceCode.Parse(code), name, DepartmentId, "测试部门", EntryStatus.Published,
            ShareType.Unconditional, OpenType.NotOpen, cycle, FormatCategory.Database, 1, DateTime.UtcNow, items));

    public string WriteFile(string name, string content, System.Text.Encoding? encoding = null)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content, encoding ?? new System.Text.UTF8Encoding(false));
        return path;
    }

    /// <summary>Runs a load of a local file as the CLI does (in-process, own lease) and returns the outcome.</summary>
    public async Task<LoadOutcome> LoadAsync(string code, string path, LoadOptions? options = null, CancellationToken ct = default)
    {
        options ??= new LoadOptions();
        return await WithScopeAsync(async sp =>
        {
            var service = sp.GetRequiredService<LoadService>();
            var prepared = await service.PrepareAsync(ResourceCode.Parse(code), Cataloger, options.Mode, ct);
            if (!prepared.Ok) throw new InvalidOperationException(prepared.NotFound ?? prepared.Conflict ?? prepared.Forbidden ?? string.Join("；", prepared.Errors!.SelectMany(e => e.Value)));
            var owner = "test/" + Guid.NewGuid().ToString("N");
            var load = await service.StartLocalAsync(prepared.Value!, path, options, Cataloger, owner, ct);
            return await sp.GetRequiredService<DataLoader>().RunAsync(load.Id, owner, new LoadRunOptions(), ct);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Db.DisposeAsync();
        TestEnvironment.TryDeleteFolder(Folder);
    }
}
