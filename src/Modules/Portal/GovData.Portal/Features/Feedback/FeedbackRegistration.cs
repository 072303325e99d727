using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Features.Feedback;

/// <summary>Services and console links of the feedback loops (one line in <see cref="PortalModule"/>).</summary>
internal static class FeedbackRegistration
{
    public static IServiceCollection AddPortalFeedback(this IServiceCollection services)
    {
        services.AddSingleton<FeedbackSettings>();
        services.AddScoped<SensitiveWordFilter>();
        services.AddScoped<FeedbackService>();
        services.AddScoped<FeedbackQueue>();
        services.AddScoped<FeedbackModeration>();
        services.AddScoped<IConsoleStatistics, FeedbackStatistics>();
        services.AddSingleton(new ConsoleNavItem("开放门户", "纠错与数据需求", "/console/portal/feedback", 700,
            u => u.IsInRole(Roles.DepartmentAdmin) || u.IsInRole(Roles.PlatformAdmin)));
        services.AddSingleton(new ConsoleNavItem("开放门户", "互动审核", "/console/portal/moderation", 710, u => u.IsInRole(Roles.PlatformAdmin)));
        return services;
    }
}
