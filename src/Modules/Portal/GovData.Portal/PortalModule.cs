using GovData.Portal.Features.Apps;
using GovData.Portal.Features.Ckan;
using GovData.Portal.Features.Dcat;
using GovData.Portal.Features.Open;
using GovData.Portal.Features.Feedback;
using GovData.Portal.Features.OpenApply;
using GovData.Portal.Features.Seo;
using GovData.Portal.Features.Shared;
using GovData.Portal.Features.Showcase;
using GovData.Portal.Features.Statistics;
using GovData.Portal.Persistence;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal;

/// <summary>
/// Wiring of the Portal module (开放门户): the public open-data site under <c>/portal</c> (no login), the CKAN-compatible
/// Action API at <c>/api/3/action/{name}</c>, the DCAT-AP 3 export (<c>/catalog.ttl</c>, <c>/catalog.jsonld</c>, per
/// dataset <c>.ttl</c>/<c>.jsonld</c>), <c>/sitemap.xml</c> and <c>/robots.txt</c>. Reads the catalog through
/// <c>GovData.Catalog.Contracts.IOpenCatalog</c> and departments through <c>GovData.Identity.Contracts</c> only.
/// </summary>
public static class PortalModule
{
    /// <summary>Registers the module's services and schema (order 60).</summary>
    public static IServiceCollection AddPortalModule(this IServiceCollection services)
    {
        services.AddModuleSchema("portal", typeof(PortalModule).Assembly, 60);
        services.AddDbContext<PortalDb>((sp, o) => sp.GetRequiredService<DatabaseSettings>().Configure(o));
        services.AddSingleton<PortalSettings>();
        services.AddScoped<DatasetViews>();
        services.AddScoped<DatasetUsage>();
        services.AddSingleton<OpenAccessSettings>();
        services.AddScoped<OpenGate>();
        services.AddScoped<OpenData>();
        services.AddScoped<CkanActions>();
        services.AddScoped<DcatExport>();
        services.AddPortalFeedback();
        services.AddScoped<DeveloperApps>();
        services.AddPortalOpenApply();
        services.AddScoped<PortalStatistics>();
        services.AddPortalShowcase();
        return services;
    }

    /// <summary>Maps the machine interfaces (the pages are Razor pages under /portal).</summary>
    public static IEndpointRouteBuilder MapPortalModule(this IEndpointRouteBuilder app)
    {
        app.MapPortalAssets();
        app.MapCkanApi();
        app.MapOpenDataApi();
        app.MapOpenDownloads();
        app.MapDcatApi();
        app.MapSeo();
        app.MapDeveloperAppsApi();
        app.MapStatisticsApi();
        return app;
    }
}
