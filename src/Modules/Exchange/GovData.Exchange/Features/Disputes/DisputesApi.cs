using System.Globalization;
using System.Security.Claims;
using GovData.Exchange.Features.Sharing;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Features.Disputes;

/// <summary>/api/v1/exchange/disputes: data disputes (数据异议/校核纠错) between consumer and provider.</summary>
internal static class DisputesApi
{
    private const string VersionNote = "请求体可附读取时的 version：与当前版本不符时返回 409，不做任何修改。";

    /// <summary>Registers the dispute service (one line in <c>ExchangeModule</c>).</summary>
    public static IServiceCollection AddDisputes(this IServiceCollection services) => services.AddScoped<DisputeService>();

    public static RouteGroupBuilder MapDisputesApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/disputes").WithTags("数据异议").RequireAuthorization(SharingPolicies.Staff);
        g.MapPost("/", Create)
            .WithSummary("提出数据异议")
            .WithDescription("用数人员或部门管理员对本部门获授权使用的数据提出异议：grantId（数据来源的授权）、recordKey（记录标识，如 credit_code=91370…）、field（有疑问的信息项，须为授权的信息项；不填表示整条记录）、reportedValue（收到的值）、expectedValue（应为的值）、description（异议说明）、evidence（证明材料）、dataVersion（所读数据版本）。提供部门须在配置的工作日内（默认 5 个）核实答复。");
        g.MapGet("/", List)
            .WithSummary("数据异议列表")
            .WithDescription("as=consumer：本部门提出的异议；as=provider：针对本部门资源的异议（部门管理员，待核实的按期限在前）；as=all：全部（平台管理员、安全审计员）。status：open 待核实、corrected 已更正、rejected 已驳回、withdrawn 已撤回；overdue=true/false；page、pageSize。");
        g.MapGet("/{id:guid}", Get)
            .WithSummary("查看数据异议")
            .WithDescription("异议内容、状态、核实期限与是否逾期、提供方的答复（更正说明与更正后的数据版本，或驳回理由）、当前用户可执行的操作与全部办理记录。双方、辖区主管部门、平台管理员与安全审计员可见。");
        g.MapPost("/{id:guid}/correct", Correct)
            .WithSummary("核实更正（提供方）")
            .WithDescription("提供部门的部门管理员确认数据有误并已更正：note（更正说明）必填，correctedVersion（载入更正的数据版本号）必填，须晚于异议所指的版本。" + VersionNote);
        g.MapPost("/{id:guid}/reject", Reject)
            .WithSummary("驳回异议（提供方）")
            .WithDescription("提供部门的部门管理员核实数据无误，reason（理由）必填。" + VersionNote);
        g.MapPost("/{id:guid}/withdraw", Withdraw)
            .WithSummary("撤回异议")
            .WithDescription("提出异议的部门撤回待核实的异议，可附 reason。" + VersionNote);
        return api;
    }

    private static Task<SharingActor> Actor(ClaimsPrincipal user, IDepartmentDirectory departments, CancellationToken ct) =>
        SharingActor.FromPrincipalAsync(user, departments, ct);

    private static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToHttp<T>(SharingResult<T> r) => r switch
    {
        { NotFound: true } => Problems.NotFound(DisputeService.NotFoundMessage),
        { Errors: { } e } => Problems.Validation(e),
        { Forbidden: { } f } => Problems.Forbidden(f),
        { Conflict: { } c } => Problems.Conflict(c),
        _ => TypedResults.Ok(r.Value!),
    };

    private static async Task<Results<Created<DisputeDto>, ValidationProblem, ProblemHttpResult>> Create(CreateDisputeInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, DisputeService service, CancellationToken ct)
    {
        var r = await service.CreateAsync(await Actor(user, departments, ct), body, ct);
        return r switch
        {
            { Errors: { } e } => Problems.Validation(e),
            { Forbidden: { } f } => Problems.Forbidden(f),
            { Conflict: { } c } => Problems.Conflict(c),
            { NotFound: true } => Problems.NotFound(DisputeService.NotFoundMessage),
            _ => TypedResults.Created($"/api/v1/exchange/disputes/{r.Value!.Id}", r.Value),
        };
    }

    private static async Task<Results<Ok<PageDto<DisputeDto>>, ValidationProblem, ProblemHttpResult>> List(ClaimsPrincipal user,
        IDepartmentDirectory departments, DisputeService service, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "as")] string? asRole, string? status,
        string? overdue, string? page, string? pageSize, CancellationToken ct)
    {
        var errors = new FieldErrors();
        bool? od = overdue?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "true" or "1" => true,
            "false" or "0" => false,
            _ => Fail(errors, "overdue", $"overdue 只能是 true 或 false，收到“{overdue}”"),
        };
        var p = Int(page, "page", errors);
        var size = Int(pageSize, "pageSize", errors);
        return ToHttp(await service.ListAsync(await Actor(user, departments, ct), asRole, status, od, p, size, ct, errors));
    }

    private static async Task<Results<Ok<DisputeDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, IDepartmentDirectory departments,
        DisputeService service, CancellationToken ct)
    {
        var dto = await service.GetAsync(await Actor(user, departments, ct), id, ct);
        return dto is null ? Problems.NotFound(DisputeService.NotFoundMessage) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<DisputeDto>, ValidationProblem, ProblemHttpResult>> Correct(Guid id, CorrectDisputeInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, DisputeService service, CancellationToken ct) =>
        ToHttp(await service.CorrectAsync(await Actor(user, departments, ct), id, body, ct));

    private static async Task<Results<Ok<DisputeDto>, ValidationProblem, ProblemHttpResult>> Reject(Guid id, DisputeReasonInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, DisputeService service, CancellationToken ct) =>
        ToHttp(await service.RejectAsync(await Actor(user, departments, ct), id, body, ct));

    private static async Task<Results<Ok<DisputeDto>, ValidationProblem, ProblemHttpResult>> Withdraw(Guid id, DisputeReasonInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, DisputeService service, CancellationToken ct) =>
        ToHttp(await service.WithdrawAsync(await Actor(user, departments, ct), id, body, ct));

    private static bool? Fail(FieldErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }

    private static int? Int(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        errors.Add(field, $"{field} 必须是整数，收到“{text}”");
        return null;
    }
}
