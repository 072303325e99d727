using GovData.Identity.Contracts;
using GovData.SharedKernel.Hosting.ScheduledJobs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Features.Sharing;

/// <summary>Authorization policy of the sharing API; roles, departments and regions are checked per object in the services.</summary>
internal static class SharingPolicies
{
    /// <summary>Government staff (a department); API keys need the exchange:query scope.</summary>
    public const string Staff = "govdata.exchange.sharing";

    public static void Register(AuthorizationBuilder builder) => builder
        .AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireClaim(GovDataClaims.DepartmentId)
            .RequireAssertion(c => c.User.HasScope(ApiScopes.ExchangeQuery)));
}

/// <summary>Registration of requests and grants (one line in <c>ExchangeModule</c>).</summary>
internal static class SharingRegistration
{
    public static IServiceCollection AddSharing(this IServiceCollection services)
    {
        services.AddOptions<SharingOptions>().BindConfiguration(SharingOptions.Section);
        services.AddSingleton<SharingClock>();
        services.AddScoped<CalendarService>();
        services.AddScoped<ShareCatalog>();
        // SharingWriter needs IAuditTrail, which the audit part registers. A factory registration keeps the host's start-up
        // validation (ValidateOnBuild in Development) from insisting on it; without it a sharing change fails loudly.
        services.AddScoped(sp => ActivatorUtilities.CreateInstance<SharingWriter>(sp));
        services.AddScoped<SharingService>();
        services.AddScoped<GrantService>();
        // The access endpoints' view of the grants (Features/Access/IGrantLookup.cs).
        services.AddScoped<GovData.Exchange.Features.Access.IGrantLookup, SharingGrantLookup>();
        services.AddScoped<SharingDeadlines>();
        services.AddScoped<GovData.Exchange.Contracts.IOpenGrants, OpenGrants>();
        services.AddScheduledJob<SharingDeadlineJob>();
        SharingPolicies.Register(services.AddAuthorizationBuilder());
        return services;
    }
}
