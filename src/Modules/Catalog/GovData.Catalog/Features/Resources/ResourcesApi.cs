using System.Security.Claims;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Shared;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GovData.Catalog.Features.Resources;

/// <summary>
/// /api/v1/catalog/resources: compile (CRUD), 报送/撤回/审核/驳回/下线, history and dry-run validation.
/// An entry is addressed by its id or its code; the code's '/' is written %2F in the path (303026010201%2F1).
/// </summary>
internal static class ResourcesApi
{
    private const string KeyDescription = "资源 ID，或信息资源代码（路径中的“/”写作 %2F，如 303026010201%2F1）";

    public static RouteGroupBuilder MapResourcesApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/resources").WithTags("资源目录");
        g.MapGet("/", List).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("编目工作台列表").WithDescription("编目员看到本部门的资源，审核员看到其审核范围内部门的资源，平台管理员与审计员看到全部。可按状态（草稿、待审核、已发布、已驳回、已下线）、部门、分类（前段码前缀）、关键字筛选。");
        g.MapGet("/{key}", Get).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("查看资源").WithDescription("返回已发布内容（published）与正在编制或审核的修订（working，仅本部门与审核员可见）。" + KeyDescription);
        g.MapPost("/", Create).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("新建资源（草稿）").WithDescription("部门编目员在本部门新建资源，系统按所选目/细目自动分配信息资源代码（前段码/顺序码），不接受手工填写的代码。");
        g.MapPut("/{key}", Update).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("修改资源").WithDescription("须附读取时的 version。草稿或已驳回的资源直接修改；已发布的资源生成新的修订版本，审核通过前已发布内容保持可见。" + KeyDescription);
        g.MapDelete("/{key}", Delete).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("删除未发布的资源").WithDescription("仅草稿或已驳回且从未发布的资源可以删除；其代码作废，不再复用。查询参数 version 必填。" + KeyDescription);
        g.MapPost("/{key}/submit", Submit).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("报送审核").WithDescription("按全部目录规则校验后提交主管部门审核。" + KeyDescription);
        g.MapPost("/{key}/recall", Recall).RequireAuthorization(CatalogPolicies.Write).WithSummary("撤回报送");
        g.MapPost("/{key}/approve", Approve).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("审核通过").WithDescription("主管部门的目录审核员审核通过：资源发布，或以修订替换已发布内容。");
        g.MapPost("/{key}/reject", Reject).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("驳回（退回修改）").WithDescription("reasons 按字段填写理由，字段键如 name、shareType、items[0].dataType。");
        g.MapPost("/{key}/withdraw", Withdraw).RequireAuthorization(CatalogPolicies.Write)
            .WithSummary("下线（撤销）").WithDescription("已发布的资源下线，须填写原因；代码保留，不再复用。");
        g.MapPost("/{key}/discard-revision", Discard).RequireAuthorization(CatalogPolicies.Write).WithSummary("放弃修订");
        g.MapGet("/{key}/history", History).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("变更历史").WithDescription("谁、何时、做了什么，以及逐字段的变更前后内容。" + KeyDescription);
        g.MapPost("/validate", Validate).RequireAuthorization(CatalogPolicies.Read)
            .WithSummary("校验与代码预览（不保存）").WithDescription("mode=draft 按保存草稿的规则，mode=submit（默认）按报送规则；codePreview 为将分配的代码（未预留）。");
        api.MapGet("/review-queue", Queue).RequireAuthorization(CatalogPolicies.Read).WithTags("资源目录")
            .WithSummary("待审核队列").WithDescription("审核员审核范围内等待审核的资源（含已发布资源的修订）。");
        return g;
    }

    private static Task<CatalogActor> Actor(ClaimsPrincipal user, IDepartmentDirectory departments, CancellationToken ct) =>
        CatalogActor.FromPrincipalAsync(user, departments, ct);

    private static async Task<Results<Ok<PageDto<EntrySummaryDto>>, ValidationProblem, ProblemHttpResult>> List(
        ClaimsPrincipal user, IDepartmentDirectory departments, ResourceService service, string? status, Guid? departmentId,
        string? classificationCode, string? keyword, int? page, int? pageSize, CancellationToken ct)
    {
        var actor = await Actor(user, departments, ct);
        return (await service.ListAsync(actor, new EntryListQuery(status, departmentId, classificationCode, keyword, false, page ?? 1, pageSize ?? 20), ct)).ToHttp();
    }

    private static async Task<Results<Ok<PageDto<EntrySummaryDto>>, ValidationProblem, ProblemHttpResult>> Queue(
        ClaimsPrincipal user, IDepartmentDirectory departments, ResourceService service, int? page, int? pageSize, CancellationToken ct)
    {
        var actor = await Actor(user, departments, ct);
        if (!actor.IsReviewer) return Problems.Forbidden("只有目录审核员有待审核队列");
        return (await service.ListAsync(actor, new EntryListQuery(PendingReviewOnly: true, Page: page ?? 1, PageSize: pageSize ?? 20), ct)).ToHttp();
    }

    private static async Task<Results<Ok<EntryDto>, ProblemHttpResult>> Get(string key, ClaimsPrincipal user, IDepartmentDirectory departments,
        ResourceService service, CancellationToken ct)
    {
        var dto = await service.GetAsync(await Actor(user, departments, ct), key, ct);
        return dto is null ? Problems.NotFound(ResultMapping.NotFoundMessage) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Created<EntryDto>, ValidationProblem, ProblemHttpResult>> Create(ResourceInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, ResourceService service, CancellationToken ct)
    {
        if (body is null) return Problems.Validation("resource", "请求体不能为空：请提交资源内容（JSON）");
        var r = await service.CreateAsync(await Actor(user, departments, ct), body, ct);
        return r switch
        {
            { Errors: { } e } => Problems.Validation(e),
            { Forbidden: { } f } => Problems.Forbidden(f),
            { Conflict: { } c } => Problems.Conflict(c),
            { NotFound: true } => Problems.NotFound(ResultMapping.NotFoundMessage),
            _ => TypedResults.Created($"/api/v1/catalog/resources/{Uri.EscapeDataString(r.Value!.Code)}", r.Value),
        };
    }

    private static async Task<Results<Ok<EntryDto>, ValidationProblem, ProblemHttpResult>> Update(string key, UpdateResourceRequest? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, ResourceService service, CancellationToken ct) =>
        (await service.UpdateAsync(await Actor(user, departments, ct), key, body?.Version, body?.Resource, ct)).ToHttp();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(string key, int? version, ClaimsPrincipal user,
        IDepartmentDirectory departments, ResourceService service, CancellationToken ct)
    {
        var r = await service.DeleteAsync(await Actor(user, departments, ct), key, version, ct);
        return r switch
        {
            { NotFound: true } => Problems.NotFound(ResultMapping.NotFoundMessage),
            { Errors: { } e } => Problems.Validation(e),
            { Forbidden: { } f } => Problems.Forbidden(f),
            { Conflict: { } c } => Problems.Conflict(c),
            _ => TypedResults.NoContent(),
        };
    }

    private static async Task<Results<Ok<EntryDto>, ValidationProblem, ProblemHttpResult>> Submit(string key, VersionRequest? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, ResourceService service, CancellationToken ct) =>
        (await service.SubmitAsync(await Actor(user, departments, ct), key, body?.Version, ct)).ToHttp();

    private static async Task<Results<Ok<EntryDto>, ValidationProblem, ProblemHttpResult>> Recall(string key, VersionRequest? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, ResourceService service, CancellationToken ct) =>
        (await service.RecallAsync(await Actor(user, departments, ct), key, body?.Version, ct)).ToHttp();

    private static async Task<Results<Ok<EntryDto>, ValidationProblem, ProblemHttpResult>> Approve(string key, ApproveRequest? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, ResourceService service, CancellationToken ct) =>
        (await service.ApproveAsync(await Actor(user, departments, ct), key, body?.Version, body?.Comment, ct)).ToHttp();

    private static async Task<Results<Ok<EntryDto>, ValidationProblem, ProblemHttpResult>> Reject(string key, RejectRequest? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, ResourceService service, CancellationToken ct) =>
        (await service.RejectAsync(await Actor(user, departments, ct), key, body?.Version, body?.Summary, body?.Reasons, ct)).ToHttp();

    private static async Task<Results<Ok<EntryDto>, ValidationProblem, ProblemHttpResult>> Withdraw(string key, WithdrawRequest? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, ResourceService service, CancellationToken ct) =>
        (await service.WithdrawAsync(await Actor(user, departments, ct), key, body?.Version, body?.Reason, ct)).ToHttp();

    private static async Task<Results<Ok<EntryDto>, ValidationProblem, ProblemHttpResult>> Discard(string key, VersionRequest? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, ResourceService service, CancellationToken ct) =>
        (await service.DiscardRevisionAsync(await Actor(user, departments, ct), key, body?.Version, ct)).ToHttp();

    private static async Task<Results<Ok<List<HistoryDto>>, ValidationProblem, ProblemHttpResult>> History(string key, ClaimsPrincipal user,
        IDepartmentDirectory departments, ResourceService service, CancellationToken ct) =>
        (await service.HistoryAsync(await Actor(user, departments, ct), key, ct)).ToHttp();

    private static async Task<Results<Ok<ValidationPreviewDto>, ValidationProblem, ProblemHttpResult>> Validate(ResourceInput? body, string? mode,
        ClaimsPrincipal user, IDepartmentDirectory departments, ResourceService service, CancellationToken ct)
    {
        if (body is null) return Problems.Validation("resource", "请求体不能为空：请提交资源内容（JSON）");
        var m = mode?.Trim().ToLowerInvariant() switch
        {
            null or "" or "submit" => ValidationMode.Submit,
            "draft" => ValidationMode.Draft,
            _ => (ValidationMode?)null,
        };
        if (m is null) return Problems.Validation("mode", "mode 只能是 draft（保存草稿）或 submit（报送）");
        return (await service.PreviewAsync(await Actor(user, departments, ct), body, m.Value, ct)).ToHttp();
    }
}
