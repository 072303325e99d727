using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Features.Access;

/// <summary>
/// Wiring of governed access (part 3): application credentials, signed requests, the query and 核验 endpoints. The
/// endpoints also need an <see cref="IGrantLookup"/> (registered by the sharing part) and the module's
/// <see cref="Audit.IAuditTrail"/> (registered by the audit part); both are resolved per request.
/// </summary>
internal static class AccessRegistration
{
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>()
            .Configure<IConfiguration>((o, configuration) => o.TimeZone = configuration["GovData:Exchange:TimeZone"] is { Length: > 0 } zone ? zone : o.TimeZone)
            .BindConfiguration(AccessOptions.Section)
            .Validate(o => o.TimestampToleranceSeconds is >= 30 and <= 3600 && o.MaxVerifyBatch is >= 1 and <= 10_000
                    && o.MaxBodyBytes >= 1024 && o.RotationGraceMinutes is >= 0 and <= 10_080 && o.MaxAppsPerDepartment >= 1,
                "GovData:Exchange:Access 配置无效：TimestampToleranceSeconds 30–3600，MaxVerifyBatch 1–10000，MaxBodyBytes ≥ 1024，" +
                "RotationGraceMinutes 0–10080，MaxAppsPerDepartment ≥ 1")
            .ValidateOnStart();
        services.AddOptions<FileDeliveryOptions>().BindConfiguration(FileDeliveryOptions.Section)
            .Validate(o => o.PollSeconds > 0 && o.LeaseSeconds >= 10 && o.LinkHours > 0 && o.MaxRowsPerQuotaExtract >= 1 && !string.IsNullOrWhiteSpace(o.Folder),
                "GovData:Exchange:Access:Files 配置无效：PollSeconds > 0，LeaseSeconds ≥ 10，LinkHours > 0，MaxRowsPerQuotaExtract ≥ 1，Folder 不能为空")
            .ValidateOnStart();
        services.AddSingleton<FileJobSignal>();
        services.AddScoped<FileDelivery>();
        services.AddHostedService<FileDeliveryWorker>();
        services.AddSingleton<AppSecrets>();
        services.AddScoped<AppService>();
        services.AddSingleton<AccessStore>();
        services.AddScoped<AccessGate>();
        return services;
    }

    /// <summary>Maps <c>/apps</c>, <c>/data/{code}/rows</c>, <c>/verify/{code}</c>, <c>/feed/{code}</c> and <c>/files/…</c> on the module's group.</summary>
    public static RouteGroupBuilder MapAccess(this RouteGroupBuilder api)
    {
        api.MapAppsApi();
        api.MapAccessApi();
        api.MapFilesApi();
        return api;
    }
}
