using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Features.Showcase;

/// <summary>Services and the console link of 应用展示 (one line in <see cref="PortalModule"/>).</summary>
internal static class ShowcaseRegistration
{
    public static IServiceCollection AddPortalShowcase(this IServiceCollection services)
    {
        services.AddScoped<ShowcaseService>();
        services.AddSingleton(new ConsoleNavItem("开放门户", "应用展示审核", "/console/portal/showcase", 720, u => u.IsInRole(Roles.PlatformAdmin)));
        return services;
    }
}
