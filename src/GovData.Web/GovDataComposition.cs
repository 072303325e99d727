using GovData.Catalog;
using GovData.Data;
using GovData.Exchange;
using GovData.Identity;
using GovData.Portal;
using GovData.SharedKernel.Hosting;

namespace GovData.Web;

/// <summary>
/// The one place that lists the modules. The web host and the CLI both compose the platform through it,
/// so a module added here is migrated, seeded and served everywhere.
/// </summary>
public static class GovDataComposition
{
    /// <summary>Registers the platform services and every module.</summary>
    public static IServiceCollection AddGovData(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddGovDataPlatform(configuration, contentRoot);
        services.AddIdentityModule();
        services.AddCatalogModule();
        services.AddDataModule();
        services.AddPortalModule();
        services.AddExchangeModule();
        return services;
    }

    /// <summary>Maps every module's endpoints.</summary>
    public static IEndpointRouteBuilder MapGovData(this IEndpointRouteBuilder app)
    {
        app.MapIdentityModule();
        app.MapCatalogModule();
        app.MapDataModule();
        app.MapPortalModule();
        app.MapExchangeModule();
        return app;
    }
}
