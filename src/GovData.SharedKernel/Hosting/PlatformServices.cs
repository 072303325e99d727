using GovData.SharedKernel.Hosting.ScheduledJobs;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Regions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GovData.SharedKernel.Hosting;

/// <summary>Registration of what every host (web and CLI) needs before the modules.</summary>
public static class PlatformServices
{
    /// <summary>
    /// Registers the database settings, the schema migrator, the platform schema, demo seeding,
    /// the region list, data protection keyed in the database, and the scheduled-job runner (<c>GovData:Jobs</c>;
    /// it only runs where the host runs hosted services, i.e. in the web host, not in the CLI).
    /// </summary>
    public static IServiceCollection AddGovDataPlatform(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var database = DatabaseSettings.FromConfiguration(configuration, contentRoot);
        services.AddSingleton(database);
        services.AddSingleton(new ModuleSchema("platform", typeof(PlatformServices).Assembly, 0));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<DemoSeedRunner>();
        services.AddSingleton(RegionDirectory.Default);
        services.AddSingleton(TimeProvider.System);
        services.AddScheduledJobRunner(configuration);
        services.AddDataProtection().SetApplicationName("GovData");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<DatabaseSettings>())));
        return services;
    }

    /// <summary>Registers a module's schema so its migrations run.</summary>
    public static IServiceCollection AddModuleSchema(this IServiceCollection services, string module, System.Reflection.Assembly assembly, int order) =>
        services.AddSingleton(new ModuleSchema(module, assembly, order));
}
