using Dapper;
using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.SharedKernel.Hosting;

/// <summary>Runs each module's demo seeder once per database, in dependency order.</summary>
public sealed class DemoSeedRunner(IServiceProvider services, DatabaseSettings database, ILogger<DemoSeedRunner> logger)
{
    /// <summary>Seeds every module not yet seeded; returns the modules seeded by this call.</summary>
    public async Task<IReadOnlyList<string>> SeedAsync(CancellationToken ct = default)
    {
        var seeded = new List<string>();
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(ct);
        if (database.IsPostgres) await connection.ExecuteAsync("SELECT pg_advisory_lock(7262027)");
        try
        {
            foreach (var seeder in services.GetServices<IDemoSeeder>().OrderBy(s => s.Order))
            {
                var done = await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM platform_seed_history WHERE module = @Module", new { seeder.Module });
                if (done > 0) continue;
                logger.LogInformation("写入演示数据：{Module}", seeder.Module);
                await using (var scope = services.CreateAsyncScope())
                    await seeder.SeedAsync(scope.ServiceProvider, ct);
                await connection.ExecuteAsync("INSERT INTO platform_seed_history (module, seeded_at) VALUES (@Module, @At)",
                    new { seeder.Module, At = DateTime.UtcNow });
                seeded.Add(seeder.Module);
            }
        }
        finally
        {
            if (database.IsPostgres) await connection.ExecuteAsync("SELECT pg_advisory_unlock(7262027)");
        }
        return seeded;
    }
}
