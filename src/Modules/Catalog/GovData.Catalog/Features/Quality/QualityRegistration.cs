using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting.ScheduledJobs;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Catalog.Features.Quality;

/// <summary>Wiring of the quality feature, called from <see cref="CatalogModule"/>.</summary>
internal static class QualityRegistration
{
    /// <summary>The console link: reviewers, administrators and auditors see whole reports, compilers their department's findings.</summary>
    public static readonly ConsoleNavItem Navigation = new("资源目录", "目录质量校核", "/console/catalog/quality", 260,
        u => u.IsInRole(Roles.CatalogReviewer) || u.IsInRole(Roles.PlatformAdmin) || u.IsInRole(Roles.SecurityAuditor) || u.IsInRole(Roles.Cataloger));

    public static IServiceCollection AddCatalogQuality(this IServiceCollection services)
    {
        services.AddDbContext<QualityDb>((sp, o) => sp.GetRequiredService<DatabaseSettings>().Configure(o));
        services.AddScoped<QualityService>();
        services.AddScheduledJob<QualityJob>();
        services.AddSingleton(Navigation);
        return services;
    }
}
