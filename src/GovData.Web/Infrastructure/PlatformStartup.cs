using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;

namespace GovData.Web.Infrastructure;

/// <summary>Brings the database up to date and seeds demo data before the host accepts requests.</summary>
internal static class PlatformStartup
{
    public static async Task PrepareDatabaseAsync(IServiceProvider services, IConfiguration configuration, ILogger logger)
    {
        var database = services.GetRequiredService<DatabaseSettings>();
        logger.LogInformation("数据库：{Provider}", database.IsPostgres ? "PostgreSQL" : "SQLite " + database.ConnectionString);
        if (configuration.GetValue("GovData:MigrateOnStartup", true))
        {
            var applied = await services.GetRequiredService<SchemaMigrator>().MigrateAsync();
            if (applied.Count > 0) logger.LogInformation("已应用 {Count} 个数据库迁移", applied.Count);
        }
        if (configuration.GetValue("GovData:SeedDemoData", true))
        {
            var seeded = await services.GetRequiredService<DemoSeedRunner>().SeedAsync();
            if (seeded.Count > 0) logger.LogInformation("已写入演示数据：{Modules}", string.Join(", ", seeded));
        }
    }
}
