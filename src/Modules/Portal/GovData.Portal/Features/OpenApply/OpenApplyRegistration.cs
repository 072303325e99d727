using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Features.OpenApply;

/// <summary>Services and console link of 有条件开放 (one line in <see cref="PortalModule"/>).</summary>
internal static class OpenApplyRegistration
{
    public static IServiceCollection AddPortalOpenApply(this IServiceCollection services)
    {
        services.AddScoped<OpenApplications>();
        services.AddScoped<ConditionalAccess>();
        services.AddScoped<IConsoleStatistics, OpenApplyStatistics>();
        services.AddSingleton(new ConsoleNavItem("开放门户", "有条件开放申请", "/console/portal/applications", 720,
            u => u.IsInRole(Roles.DepartmentAdmin) || u.IsInRole(Roles.PlatformAdmin)));
        return services;
    }
}
