using GovData.Catalog.Features.Shared;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GovData.Catalog.Features.Statistics;

/// <summary>/api/v1/catalog/statistics: counts and coverage of the published catalog.</summary>
internal static class StatisticsApi
{
    public static void MapStatisticsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/statistics", Get).RequireAuthorization(CatalogPolicies.Read).WithTags("目录统计")
            .WithSummary("目录统计")
            .WithDescription("已发布信息资源按类、项、部门、共享类型、开放类型、更新周期的数量，以及目录覆盖度（12个考核领域、部门，按80%要求判断）。"
                + "region 为 GB/T 2260 行政区划代码时只统计该区划及其下级区划的部门，不填为全平台。");
        api.MapGet("/statistics/regions", async (CatalogFigures figures, CancellationToken ct) => TypedResults.Ok(await figures.RegionOptionsAsync(ct)))
            .RequireAuthorization(CatalogPolicies.Read).WithTags("目录统计")
            .WithSummary("可选的统计区划").WithDescription("有部门的行政区划及其上级区划。");
    }

    private static async Task<Results<Ok<CatalogStatisticsDto>, ValidationProblem>> Get(string? region, CatalogFigures figures, CancellationToken ct)
    {
        var (statistics, error) = await figures.GetAsync(region, ct);
        return error is not null ? Problems.Validation("region", error) : TypedResults.Ok(statistics!);
    }
}
