using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting.ScheduledJobs;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Features.Audit;

/// <summary>Wiring of the audit log, called with one line from <see cref="ExchangeModule"/>.</summary>
internal static class AuditRegistration
{
    public const string Section = "共享交换";

    internal static readonly ConsoleNavItem[] Navigation =
    [
        new(Section, "交换审计日志", "/console/exchange/audit", 480, AuditApi.IsAuditor),
        new(Section, "审计日志校验", "/console/exchange/audit/verify", 481, AuditApi.IsAuditor),
    ];

    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section)
            .Validate(o => o.SealIntervalMinutes > 0 && o.MaxBatchSize is >= 1 and <= 10_000 && o.MaxPageSize is >= 1 and <= 10_000,
                "GovData:Exchange:Audit 配置无效：SealIntervalMinutes 应大于 0，MaxBatchSize 为 1–10000，MaxPageSize 为 1–10000");
        services.AddSingleton<AuditWriter>();
        services.AddScoped<AuditLog>();
        services.AddScoped<IAuditTrail>(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<NodeKeys>();
        services.AddSingleton<AuditSealer>();
        services.AddSingleton<AuditProofs>();
        services.AddSingleton<AuditVerifier>();
        services.AddScoped<AuditVerifications>();
        services.AddScoped<AuditNames>();
        services.AddScheduledJob<AuditSealJob>();
        services.Configure<AuthorizationOptions>(o => o.AddPolicy(AuditApi.ProvePolicy, p => p
            .RequireAuthenticatedUser()
            .RequireClaim(GovDataClaims.DepartmentId)
            .RequireAssertion(c => c.User.HasScope(ApiScopes.AuditRead))));
        foreach (var item in Navigation) services.AddSingleton(item);
        return services;
    }
}
