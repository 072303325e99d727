using System.Security.Claims;
using GovData.Exchange.Features.Sharing;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Features.Statistics;

/// <summary>Wiring and API of the sharing statistics and the annual evaluation (one line each in <see cref="ExchangeModule"/>).</summary>
internal static class StatisticsApi
{
    /// <summary>Signed-in department staff (cookie, or an API key with exchange:query or audit:read); the view is decided per caller.</summary>
    public const string Policy = "govdata.exchange.statistics";

    public const string PagePath = "/console/exchange/statistics";

    /// <summary>Who sees the navigation entry: anyone with a department (each sees the view the page allows).</summary>
    public static bool CanOpen(ClaimsPrincipal user) => user.GetDepartmentId() is not null;

    internal static readonly ConsoleNavItem[] Navigation =
    [
        new("共享交换", "共享统计", PagePath, 470, CanOpen),
        new("共享交换", "年度共享评估报告", PagePath + "/report", 471, CanOpen),
    ];

    public static IServiceCollection AddStatistics(this IServiceCollection services)
    {
        services.AddScoped<ExchangeStatistics>();
        services.Configure<AuthorizationOptions>(o => o.AddPolicy(Policy, p => p
            .RequireAuthenticatedUser()
            .RequireClaim(GovDataClaims.DepartmentId)
            .RequireAssertion(c => c.User.HasScope(ApiScopes.ExchangeQuery) || c.User.HasScope(ApiScopes.AuditRead))));
        foreach (var item in Navigation) services.AddSingleton(item);
        return services;
    }

    public static RouteGroupBuilder MapStatisticsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/statistics").WithTags("共享统计").RequireAuthorization(Policy);
        g.MapGet("/", Get)
            .WithSummary("共享统计与年度共享评估")
            .WithDescription("按部门统计一个年度（year，默认当年；可用 from/to 限定为年内的日期区间，yyyy-MM-dd）的共享情况：提供的共享资源（已发布的无条件、有条件共享资源）；" +
                "作为提供方收到的申请、已答复、按时答复、逾期（逾期答复与逾期未答复）、批准、拒绝，平均与中位响应时间（工作日，按平台工作日历）；作为用数方提出的申请；" +
                "新发与有效授权；审计日志中的被访问与访问次数及数据行数、核验次数；数据异议的提出、收到与按时办结。另附合计与月度趋势（申请数、访问次数）。" +
                "平台管理员与安全审计员看到全部部门，主管部门的目录审核员看到辖区内各部门，其他部门人员只看到本部门；departmentId 可只看一个部门（须在可见范围内，否则 403）。");
        g.MapGet("/report.xlsx", Xlsx)
            .WithSummary("导出年度共享评估报告（XLSX）")
            .WithDescription("与 GET /statistics 相同的参数与可见范围；工作簿含“评估概况”“部门明细”“月度趋势”三个工作表，数字为数值单元格。");
        return api;
    }

    private static async Task<Results<Ok<StatisticsReportDto>, ValidationProblem, ProblemHttpResult>> Get(string? year, string? from, string? to,
        string? departmentId, ClaimsPrincipal user, IDepartmentDirectory departments, ExchangeStatistics statistics, SharingClock clock,
        CancellationToken ct)
    {
        var (report, problem, validation) = await ComputeAsync(year, from, to, departmentId, user, departments, statistics, clock, ct);
        if (validation is not null) return validation;
        if (problem is not null) return problem;
        return TypedResults.Ok(report!);
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Xlsx(string? year, string? from, string? to,
        string? departmentId, ClaimsPrincipal user, IDepartmentDirectory departments, ExchangeStatistics statistics, SharingClock clock,
        CancellationToken ct)
    {
        var (report, problem, validation) = await ComputeAsync(year, from, to, departmentId, user, departments, statistics, clock, ct);
        if (validation is not null) return validation;
        if (problem is not null) return problem;
        var (content, name) = StatisticsWorkbook.Build(report!);
        return TypedResults.File(content, StatisticsWorkbook.ContentType, name);
    }

    /// <summary>Parses the parameters, decides the view and computes (shared by the API, the pages and the export).</summary>
    internal static async Task<(StatisticsReportDto? Report, ProblemHttpResult? Problem, ValidationProblem? Validation)> ComputeAsync(
        string? year, string? from, string? to, string? departmentId, ClaimsPrincipal user, IDepartmentDirectory departments,
        ExchangeStatistics statistics, SharingClock clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var period = StatisticsPeriod.Parse(year, from, to, clock.Today, errors);
        Guid? only = null;
        if (!string.IsNullOrWhiteSpace(departmentId))
        {
            if (Guid.TryParse(departmentId.Trim(), out var id)) only = id;
            else errors.Add("departmentId", $"departmentId 必须是部门 ID（GUID），收到“{departmentId}”");
        }
        if (errors.Any) return (null, null, Problems.Validation(errors.Errors));
        var viewer = await StatisticsViewer.FromAsync(user, departments, ct);
        if (viewer is null) return (null, Problems.Forbidden("只有部门人员可以查看共享统计"), null);
        if (only is { } d)
        {
            var department = await departments.FindAsync(d, ct);
            if (department is null) return (null, null, Problems.Validation("departmentId", $"部门 {d} 不存在"));
            if (!viewer.CanSee(department, statistics.Regions))
                return (null, Problems.Forbidden($"无权查看“{department.Name}”的共享统计：只能查看{viewer.Name}的统计"), null);
        }
        return (await statistics.ComputeAsync(period!, viewer, only, ct), null, null);
    }
}
