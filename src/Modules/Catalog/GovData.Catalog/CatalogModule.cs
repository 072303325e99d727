using GovData.Catalog.Demo;
using GovData.Catalog.Features.Browse;
using GovData.Catalog.Contracts;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Directory;
using GovData.Catalog.Features.Home;
using GovData.Catalog.Features.Quality;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Review;
using GovData.Catalog.Features.Search;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Statistics;
using GovData.Catalog.Features.Transfer;
using GovData.Catalog.Features.Views;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Catalog;

/// <summary>
/// Wiring of the Catalog module (政务信息资源目录): the 1272-guide classification, resource codes, compilation and
/// review of catalog entries, and the 业务/共享/开放 catalogs. Departments, roles and policies come from
/// GovData.Identity.Contracts only.
/// </summary>
public static class CatalogModule
{
    /// <summary>Registers the module's services, schema (order 20) and authorization policies.</summary>
    public static IServiceCollection AddCatalogModule(this IServiceCollection services)
    {
        services.AddModuleSchema("catalog", typeof(CatalogModule).Assembly, 20);
        services.AddDbContext<CatalogDb>((sp, o) => sp.GetRequiredService<DatabaseSettings>().Configure(o));
        services.AddScoped<ClassificationService>();
        services.AddScoped<ResourceService>();
        services.AddScoped<CatalogViews>();
        services.AddScoped<CatalogExport>();
        services.AddScoped<CatalogImport>();
        services.AddScoped<CatalogFigures>();
        services.AddScoped<ExportScope>();
        foreach (var item in BrowseNavigation.Items) services.AddSingleton(item);
        services.AddScoped<ReviewQueue>();
        foreach (var item in Navigation) services.AddSingleton(item);
        services.AddScoped<CatalogSearch>();
        services.AddScoped<ICatalogResources, CatalogResources>();
        services.AddScoped<IOpenCatalog, Features.Open.OpenCatalog>();
        services.AddSingleton<IDemoSeeder, CatalogDemoSeeder>();
        services.AddScoped<IConsoleStatistics, CatalogStatistics>();
        services.AddCatalogQuality();
        CatalogPolicies.Register(services.AddAuthorizationBuilder());
        return services;
    }

    /// <summary>Console navigation (section 资源目录): the compiler's workspace and the reviewer's queue.</summary>
    internal static readonly ConsoleNavItem[] Navigation =
    [
        new("资源目录", "目录编制", "/console/catalog/resources", 100, u => u.IsInRole(Roles.Cataloger)),
        new("资源目录", "目录审核", "/console/catalog/review", 110, u => u.IsInRole(Roles.CatalogReviewer)),
    ];

    /// <summary>Maps the module's API under <c>/api/v1/catalog</c>.</summary>
    public static IEndpointRouteBuilder MapCatalogModule(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/catalog");
        api.MapClassificationsApi();
        api.MapResourcesApi();
        api.MapViewsApi();
        api.MapTransferApi();
        api.MapStatisticsApi();
        api.MapQualityApi();
        api.MapSearchApi();
        return app;
    }
}
