using GovData.Portal.Features.Open;
using GovData.Portal.Features.Shared;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Features.Statistics;

/// <summary>Views, downloads and API calls.</summary>
internal sealed record UsageFiguresDto(long Views, long Downloads, long Calls);

/// <summary>One day.</summary>
internal sealed record DailyUsageDto(DateOnly Day, long Views, long Downloads, long Calls);

/// <summary>A dataset (name and title null when it is no longer in the open catalog).</summary>
internal sealed record DatasetUsageDto(string? Name, string? Title, string? Department, long Views, long Downloads, long Calls);

/// <summary>A department (organization = its name in portal addresses).</summary>
internal sealed record DepartmentUsageDto(string? Organization, string? Department, long Views, long Downloads, long Calls);

/// <summary>Downloads of one file format.</summary>
internal sealed record FormatUsageDto(string Format, long Downloads);

/// <summary>The statistics of a period, as on the page <c>/portal/statistics</c>.</summary>
internal sealed record StatisticsResponse(
    DateOnly From, DateOnly To, int Days, UsageFiguresDto Totals, int DatasetsUsed, IReadOnlyList<DailyUsageDto> Daily,
    IReadOnlyList<DatasetUsageDto> Datasets, IReadOnlyList<DepartmentUsageDto> Departments, IReadOnlyList<FormatUsageDto> Formats);

/// <summary><c>GET /api/v1/open/statistics</c>: the statistics page's figures as JSON (counted against the open API's limits).</summary>
internal static class StatisticsApi
{
    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup(OpenDataApi.Prefix).AllowAnonymous().DisableAntiforgery().WithTags("开放数据接口")
            .AddEndpointFilter(async (context, next) =>
            {
                var gate = context.HttpContext.RequestServices.GetRequiredService<OpenGate>();
                var refusal = await gate.EnterAsync(context.HttpContext, context.HttpContext.RequestAborted);
                return refusal is null ? await next(context) : refusal.ToProblem(context.HttpContext.Response);
            })
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .MapGet("/statistics", GetAsync)
            .WithSummary("访问统计")
            .WithDescription("开放数据集的浏览、下载和接口调用次数（服务器端按请求计数，不含搜索引擎等自动程序）：期间合计、每日（daily）、"
                + $"使用最多的 {PortalStatistics.TopCount} 个数据集（datasets，按下载加调用次数排列）、各提供部门（departments）、各下载格式（formats）。"
                + $"参数：from、to（年-月-日，含两端；默认最近 {StatisticsRange.DefaultDays} 天，最长 {StatisticsRange.MaxDays} 天）。日期无效时返回 400，errors 中指明参数。");
        return app;
    }

    private static async Task<Results<Ok<StatisticsResponse>, ValidationProblem>> GetAsync(string? from, string? to, PortalStatistics statistics, CancellationToken ct)
    {
        var (range, errors) = StatisticsRange.Parse(from, to, statistics.Today);
        if (errors.Count > 0) return Problems.Validation(errors.ToDictionary(e => e.Key, e => new[] { e.Value }), "统计期间无效");
        var r = await statistics.ReportAsync(range, ct);
        return TypedResults.Ok(new StatisticsResponse(
            r.Range.From, r.Range.To, r.Range.Days, new UsageFiguresDto(r.Totals.Views, r.Totals.Downloads, r.Totals.Calls), r.DatasetsUsed,
            r.Daily.Select(d => new DailyUsageDto(d.Day, d.Figures.Views, d.Figures.Downloads, d.Figures.Calls)).ToList(),
            r.TopDatasets.Select(d => new DatasetUsageDto(d.Dataset is { } ds ? PortalNames.Package(ds.Code) : null, d.Dataset?.Name, d.Dataset?.DepartmentName,
                d.Figures.Views, d.Figures.Downloads, d.Figures.Calls)).ToList(),
            r.Departments.Select(d => new DepartmentUsageDto(d.Department is { } dept ? PortalNames.Organization(dept) : null, d.Department?.Name,
                d.Figures.Views, d.Figures.Downloads, d.Figures.Calls)).ToList(),
            r.Formats.Select(f => new FormatUsageDto(f.Format, f.Downloads)).ToList()));
    }
}
