using GovData.Data.Features.Export;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Query;
using GovData.Data.Features.Storage;
using GovData.Data.Features.Versions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GovData.Data.Features.Resources;

/// <summary>Registration of the Data core: storage, resources, loading (queue, loader, background worker), versions, table resolver.</summary>
internal static class DataCoreServices
{
    public static IServiceCollection AddDataCore(this IServiceCollection services)
    {
        services.AddOptions<DataOptions>().BindConfiguration("GovData:Data");
        services.AddSingleton(sp => DataPaths.From(sp.GetRequiredService<IConfiguration>(), sp.GetService<IHostEnvironment>()));
        services.AddSingleton<BlobStore>();
        services.AddSingleton<LoadSignal>();
        services.AddScoped<DataResources>();
        services.AddScoped<ResourceOverview>();
        services.AddScoped<ResourceFiles>();
        services.AddScoped<VersionService>();
        services.AddScoped<DataTableResolver>();
        services.AddScoped<IDataTableResolver>(sp => sp.GetRequiredService<DataTableResolver>());
        services.AddScoped<LoadQueue>();
        services.AddScoped<LoadService>();
        services.AddSingleton<ILoadReaderFactory, IngestionReaderFactory>();
        services.AddScoped<DataLoader>();
        services.AddSingleton<LoadWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<LoadWorker>());
        DataAccess.Register(services.AddAuthorizationBuilder());
        return services;
    }
}
