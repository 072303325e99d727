using System.Security.Claims;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace GovData.Catalog.Features.Quality;

/// <summary>/api/v1/catalog/quality: 快速校核 runs and reports, the rule catalogue and authoritative sources (一数多源).</summary>
internal static class QualityApi
{
    private const string FilterDescription = "筛选：rule（规则编号，如 NORM-01）、severity（error/warning/info 或 错误/警告/提示）、departmentId、keyword（问题说明、资源代码或对象中包含的文字）。";

    public static void MapQualityApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/quality").WithTags("目录质量校核");
        g.MapGet("/rules", Rules).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("校核规则").WithDescription("规则编号、对应的评估指标（目录规范性、代码合规性、快速校核、更新机制、目录覆盖度）与检查内容。");
        g.MapPost("/runs", Start).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("发起质量校核（同步）")
            .WithDescription("目录审核员校核其主管部门所在行政区划及下级（scope 为 6 位行政区划代码，默认本区划）；平台管理员可校核全平台（scope=platform，默认）或任一区划。"
                + "校核已发布的资源目录，完成后返回本次校核的报告（第一页问题）。部门编目员无权发起（403）。");
        g.MapGet("/runs", List).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("校核记录").WithDescription("按时间倒序列出调用者可查看的校核（可按 scope 筛选）。审核员看到其区划及下级的校核，编目员看到覆盖本部门的校核。");
        g.MapGet("/runs/{id:guid}", Get).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("校核报告").WithDescription("按规则汇总并分组列出问题，附覆盖度（80% 达标线）。编目员只看到本部门的问题。" + FilterDescription + "分页：page、pageSize（最大 2000）。");
        g.MapGet("/runs/{id:guid}/export", Export).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("导出校核报告（XLSX）").WithDescription("工作表：校核概况、问题清单、一数多源、覆盖度。" + FilterDescription);
        g.MapGet("/authorities", Authorities).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("权威来源").WithDescription("主管部门为一数多源的数据元指定的权威来源资源。");
        g.MapPost("/authorities", Designate).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("指定权威来源").WithDescription("element 为数据元规范名称（如 统一社会信用代码、公民身份号码），resource 为已发布资源的代码或 ID，该资源须含有该数据元。"
                + "负责审核该部门目录的目录审核员或平台管理员可指定；下次校核时生效。");
        g.MapDelete("/authorities", Revoke).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("取消权威来源").WithDescription("查询参数 element、resource。");
    }

    private static Task<CatalogActor> Actor(ClaimsPrincipal user, IDepartmentDirectory departments, CancellationToken ct) =>
        CatalogActor.FromPrincipalAsync(user, departments, ct);

    private static Ok<List<RuleDto>> Rules() =>
        TypedResults.Ok(QualityRules.All.Select(r => new RuleDto(r.Code, r.Indicator, r.Title, r.Description)).ToList());

    private static async Task<Results<Created<QualityReportDto>, ValidationProblem, ProblemHttpResult>> Start(
        [FromBody] StartRunRequest? body, string? scope, ClaimsPrincipal user, IDepartmentDirectory departments, QualityService service,
        LinkGenerator links, CancellationToken ct)
    {
        var actor = await Actor(user, departments, ct);
        var started = await service.StartAsync(actor, body?.Scope ?? scope, ct);
        if (!started.Ok) return FailCreated(started);
        var report = await service.ReportAsync(actor, started.Value!.Id, new FindingQuery(), QualityLinks.For(links), ct);
        if (!report.Ok) return FailCreated(report);
        return TypedResults.Created($"/api/v1/catalog/quality/runs/{started.Value.Id}", report.Value);
    }

    private static async Task<Results<Ok<PageDto<QualityRunDto>>, ValidationProblem, ProblemHttpResult>> List(
        string? scope, int? page, int? pageSize, ClaimsPrincipal user, IDepartmentDirectory departments, QualityService service, CancellationToken ct) =>
        (await service.ListRunsAsync(await Actor(user, departments, ct), scope, page ?? 1, pageSize ?? 20, ct)).ToHttp();

    private static async Task<Results<Ok<QualityReportDto>, ValidationProblem, ProblemHttpResult>> Get(
        Guid id, string? rule, string? severity, Guid? departmentId, string? keyword, int? page, int? pageSize,
        ClaimsPrincipal user, IDepartmentDirectory departments, QualityService service, LinkGenerator links, CancellationToken ct) =>
        (await service.ReportAsync(await Actor(user, departments, ct), id,
            new FindingQuery(rule, severity, departmentId, keyword, page ?? 1, pageSize ?? 200), QualityLinks.For(links), ct))
        .ToHttp("校核记录不存在或不在您的查看范围内");

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        Guid id, string? rule, string? severity, Guid? departmentId, string? keyword,
        ClaimsPrincipal user, IDepartmentDirectory departments, QualityService service, CancellationToken ct)
    {
        var r = await service.AllFindingsAsync(await Actor(user, departments, ct), id, new FindingQuery(rule, severity, departmentId, keyword), ct);
        if (!r.Ok) return FailFile(r, "校核记录不存在或不在您的查看范围内");
        var (run, findings, access) = r.Value;
        var (content, fileName) = QualityExport.Workbook(run, findings, access);
        return TypedResults.File(content, QualityExport.ContentType, fileName);
    }

    private static async Task<Results<Ok<List<AuthorityDto>>, ValidationProblem, ProblemHttpResult>> Authorities(
        ClaimsPrincipal user, IDepartmentDirectory departments, QualityService service, CancellationToken ct) =>
        (await service.AuthoritiesAsync(await Actor(user, departments, ct), ct)).ToHttp();

    private static async Task<Results<Ok<AuthorityDto>, ValidationProblem, ProblemHttpResult>> Designate(
        DesignateRequest? body, ClaimsPrincipal user, IDepartmentDirectory departments, QualityService service, CancellationToken ct)
    {
        if (body is null) return Problems.Validation("element", "请求体不能为空：请提交 element（数据元）与 resource（资源代码或 ID）");
        return (await service.DesignateAsync(await Actor(user, departments, ct), body, ct)).ToHttp();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Revoke(
        string? element, string? resource, ClaimsPrincipal user, IDepartmentDirectory departments, QualityService service, CancellationToken ct)
    {
        var r = await service.RevokeAsync(await Actor(user, departments, ct), element, resource, ct);
        return r.Ok ? TypedResults.NoContent() : FailNoContent(r, "没有找到该权威来源指定");
    }

    private static ProblemHttpResult FailProblem<T>(CatalogResult<T> r, string? notFound) => r switch
    {
        { NotFound: true } => Problems.NotFound(notFound ?? ResultMapping.NotFoundMessage),
        { Forbidden: { } f } => Problems.Forbidden(f),
        { Conflict: { } c } => Problems.Conflict(c),
        _ => Problems.Conflict("请求未能完成"),
    };

    private static Results<Created<QualityReportDto>, ValidationProblem, ProblemHttpResult> FailCreated<T>(CatalogResult<T> r) =>
        r.Errors is { } e ? Problems.Validation(e) : FailProblem(r, null);

    private static Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult> FailFile<T>(CatalogResult<T> r, string notFound) =>
        r.Errors is { } e ? Problems.Validation(e) : FailProblem(r, notFound);

    private static Results<NoContent, ValidationProblem, ProblemHttpResult> FailNoContent<T>(CatalogResult<T> r, string notFound) =>
        r.Errors is { } e ? Problems.Validation(e) : FailProblem(r, notFound);
}
