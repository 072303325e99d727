using Microsoft.Extensions.DependencyInjection;

namespace GovData.Data.Features.Query;

/// <summary>Services of the query side. The <see cref="IDataTableResolver"/> is registered by the load pipeline.</summary>
internal static class QueryRegistration
{
    public static IServiceCollection AddDataQuery(this IServiceCollection services)
    {
        services.AddOptions<RowQueryOptions>().BindConfiguration(RowQueryOptions.Section)
            .Validate(o => o.DefaultLimit >= 1 && o.DefaultLimit <= o.MaxLimit && o.MaxInValues >= 1 && o.MaxFilters >= 1 && o.MaxOffset >= 0,
                "GovData:Data:Query 配置无效：须 1 ≤ DefaultLimit ≤ MaxLimit，MaxInValues ≥ 1，MaxFilters ≥ 1，MaxOffset ≥ 0");
        services.AddScoped<RowQueryService>();
        return services;
    }
}
