using GovData.Exchange.Features.Disputes;
using GovData.Exchange.Features.Sharing;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Features.Access;
using GovData.Exchange.Features.Pages;
using GovData.Exchange.Features.Statistics;
using GovData.Exchange.Persistence;
using GovData.SharedKernel.Hosting;
using GovData.SharedKernel.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange;

/// <summary>
/// Wiring of the Exchange module (共享交换): the share catalog for departments, requests, approvals and grants, governed
/// access (query API, 核验, file delivery, subscription), the tamper-evident audit log, disputes and the annual sharing
/// statistics. Reads Identity, Catalog and Data through their Contracts only.
/// </summary>
public static class ExchangeModule
{
    /// <summary>Registers the module's services and schema (order 40, after the data module).</summary>
    public static IServiceCollection AddExchangeModule(this IServiceCollection services)
    {
        services.AddModuleSchema("exchange", typeof(ExchangeModule).Assembly, 40);
        services.AddDbContext<ExchangeDb>((sp, o) => sp.GetRequiredService<DatabaseSettings>().Configure(o));
        services.AddSharing();
        services.AddDisputes();
        services.AddAudit();
        services.AddAccess();
        services.AddExchangePages();
        services.AddStatistics();
        return services;
    }

    /// <summary>Maps the module's API under <c>/api/v1/exchange</c>.</summary>
    public static IEndpointRouteBuilder MapExchangeModule(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/exchange");
        api.MapSharingApi();
        api.MapDisputesApi();
        api.MapAuditApi();
        api.MapAccess();
        api.MapStatisticsApi();
        return app;
    }
}
