using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GovData.Web.Infrastructure;

/// <summary>Ready only when the database answers and its schema has been migrated.</summary>
internal sealed class DatabaseHealthCheck(DatabaseSettings database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM platform_schema_migrations";
            var count = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
            return count > 0 ? HealthCheckResult.Healthy($"数据库可用，已应用 {count} 个迁移") : HealthCheckResult.Unhealthy("数据库尚未迁移");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("数据库不可用：" + ex.Message);
        }
    }
}
