using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Views;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Catalog.Tests.Infrastructure;

/// <summary>
/// The catalog's services over a real, migrated database (SQLite temp file or a PostgreSQL database), with the
/// department tree faked. Each call of <see cref="Run{T}"/> gets its own DI scope, like one HTTP request.
/// </summary>
internal sealed class CatalogHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly Func<ValueTask>? _cleanup;

    private CatalogHost(ServiceProvider services, FakeDepartmentDirectory departments, DatabaseSettings database, Func<ValueTask>? cleanup)
    {
        _services = services;
        Departments = departments;
        Database = database;
        _cleanup = cleanup;
    }

    public FakeDepartmentDirectory Departments { get; }

    public DatabaseSettings Database { get; }

    public static Task<CatalogHost> SqliteAsync(IEnumerable<DepartmentInfo>? departments = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "govdata-catalog-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return CreateAsync($"Data Source={Path.Combine(folder, "catalog.db")}", folder, departments, () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
            return ValueTask.CompletedTask;
        });
    }

    public static Task<CatalogHost> PostgresAsync(string connectionString, IEnumerable<DepartmentInfo>? departments = null, Func<ValueTask>? cleanup = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "govdata-catalog-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return CreateAsync(connectionString, folder, departments, async () =>
        {
            if (cleanup is not null) await cleanup();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        });
    }

    private static async Task<CatalogHost> CreateAsync(string connectionString, string folder, IEnumerable<DepartmentInfo>? departments, Func<ValueTask>? cleanup)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = connectionString,
            ["GovData:DataFolder"] = folder,
        }).Build();
        var fake = new FakeDepartmentDirectory(departments ?? TestData.All);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGovDataPlatform(config, folder);
        services.AddCatalogModule();
        services.AddSingleton<IDepartmentDirectory>(fake);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await provider.GetRequiredService<SchemaMigrator>().MigrateAsync();
        return new CatalogHost(provider, fake, provider.GetRequiredService<DatabaseSettings>(), cleanup);
    }

    public async Task<T> Run<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<T> Resources<T>(Func<ResourceService, Task<T>> work) => Run(sp => work(sp.GetRequiredService<ResourceService>()));

    public Task<T> Classifications<T>(Func<ClassificationService, Task<T>> work) => Run(sp => work(sp.GetRequiredService<ClassificationService>()));

    public Task<T> Views<T>(Func<CatalogViews, Task<T>> work) => Run(sp => work(sp.GetRequiredService<CatalogViews>()));

    public Task<T> Db<T>(Func<CatalogDb, Task<T>> work) => Run(sp => work(sp.GetRequiredService<CatalogDb>()));

    public static CatalogActor Compiler(DepartmentInfo d, string name = "编目员") => new(Guid.NewGuid(), name, d, IsCompiler: true, IsReviewer: false, IsPlatformAdmin: false);

    public static CatalogActor Reviewer(DepartmentInfo d, string name = "审核员") => new(Guid.NewGuid(), name, d, IsCompiler: false, IsReviewer: true, IsPlatformAdmin: false);

    public static CatalogActor Admin(DepartmentInfo d) => new(Guid.NewGuid(), "平台管理员", d, IsCompiler: false, IsReviewer: false, IsPlatformAdmin: true);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_cleanup is not null) await _cleanup();
    }
}
