using GovData.Data.Features.Demo;
using GovData.Data.Features.Export;
using GovData.Data.Features.Query;
using GovData.Data.Features.Resources;
using GovData.Data.Persistence;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data;

/// <summary>
/// Wiring of the Data module (数据清单): typed per-version tables behind catalog resources, ingestion, validation,
/// versions, query, export and masking. Reads the catalog through GovData.Catalog.Contracts only.
/// </summary>
public static class DataModule
{
    /// <summary>Registers the module's services and schema (order 30, after the catalog).</summary>
    public static IServiceCollection AddDataModule(this IServiceCollection services)
    {
        services.AddModuleSchema("data", typeof(DataModule).Assembly, 30);
        services.AddDbContext<DataDb>((sp, o) => sp.GetRequiredService<DatabaseSettings>().Configure(o));
        services.AddDataCore();
        services.AddDataQuery();
        services.AddDataDemo();
        Features.Governed.GovernedRegistration.AddGovernedDataAccess(services);
        Features.Pages.DataPages.AddDataPages(services);
        services.AddScoped<GovData.Data.Contracts.IDataVolumes, Features.Governed.DataVolumes>();
        return services;
    }

    /// <summary>Maps the module's API under <c>/api/v1/data</c>.</summary>
    public static IEndpointRouteBuilder MapDataModule(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/data");
        api.MapDataCoreApi();
        api.MapRowsApi();
        api.MapExportApi();
        return app;
    }
}
