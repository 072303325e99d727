using System.Globalization;
using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GovData.Exchange.Features.Sharing;

/// <summary>
/// /api/v1/exchange: the share catalog for departments, requests (申请) and their transitions, grants (授权) with revocation
/// and renewal, and the working-day calendar. Errors are RFC 9457 problem details with Chinese messages per field.
/// </summary>
internal static class SharingApi
{
    private const string RequestIdDescription = "申请 ID。";
    private const string VersionNote = "请求体可附读取时的 version：与当前版本不符时返回 409，不做任何修改。";

    public static RouteGroupBuilder MapSharingApi(this RouteGroupBuilder api)
    {
        var catalog = api.MapGroup("/catalog").WithTags("共享目录").RequireAuthorization(SharingPolicies.Staff);
        catalog.MapGet("/", ListCatalog)
            .WithSummary("部门共享目录")
            .WithDescription("各部门已发布的资源（不含草稿）。无条件共享、有条件共享的资源可以申请；不予共享的资源只列出名称与依据，标为不可申请（requestable=false），不提供信息项；本部门的资源无需申请。筛选：departmentId（提供部门）、keyword（名称、代码、提供方、共享条件、信息项）、shareType（无条件共享/有条件共享/不予共享）、requestable、page、pageSize（1–200）。");
        catalog.MapGet("/{code}", GetCatalogEntry)
            .WithSummary("共享目录中的资源")
            .WithDescription("资源的共享属性与可申请的信息项（fieldName 即申请与授权中使用的字段名）。代码中的“/”写作 %2F，如 102003%2F1。");

        var requests = api.MapGroup("/requests").WithTags("共享申请").RequireAuthorization(SharingPolicies.Staff);
        requests.MapPost("/", Create)
            .WithSummary("提交共享申请")
            .WithDescription("用数人员或部门管理员为本部门申请其他部门已发布的共享资源：resourceCode、purpose（用途/应用场景）、legalBasis（申请依据）、businessCase（所服务的事项或业务）、items（信息项字段名）、rowScope（数据范围条件：field + op eq/in/prefix + values，如行政区划代码以 3701 开头）、accessModes（api 接口查询、verify 核验、file 文件交付、feed 订阅增量）、durationDays（申请期限，天）。默认立即提交（submit=false 保存为草稿）。无条件共享资源按配置自动通过合规审查并立即授权；有条件共享资源先经主管部门合规审查（默认 2 个工作日），再由提供部门审批（默认 10 个工作日）。不予共享的资源不能申请。");
        requests.MapGet("/", ListMine)
            .WithSummary("本部门的共享申请")
            .WithDescription("用数方（用数人员、部门管理员）查看本部门提交的申请，含办理阶段的工作日计时（已用/剩余工作日、办理期限）与逾期标记。筛选：status（all 或状态代码）、overdue（true/false）、keyword、page、pageSize。");
        requests.MapGet("/to-decide", ListToDecide)
            .WithSummary("待本部门审批的申请")
            .WithDescription("提供方（部门管理员）查看申请本部门资源的共享申请，默认只列待提供方审批的，按办理期限先后排列（最紧急的在前），含工作日计时与逾期标记；status=all 列出全部。");
        requests.MapGet("/competent-queue", ListCompetent)
            .WithSummary("主管部门队列（合规审查、逾期、协调）")
            .WithDescription("主管部门的目录审核员（及平台管理员）查看其辖区（本级及下级行政区划）提供部门的：待合规审查的申请、已逾期的申请、已提请协调的申请，按办理期限排列；status 可指定某一状态或 all。");
        requests.MapGet("/{id:guid}", Get)
            .WithSummary("查看共享申请")
            .WithDescription("申请内容、当前状态、工作日计时、拒绝或不通过的理由、协调意见、当前用户可执行的操作（allowedActions）以及完整的办理记录（谁、何时、从何状态到何状态、理由）。用数方、提供方、辖区主管部门、平台管理员与安全审计员可见。" + RequestIdDescription);
        requests.MapPost("/{id:guid}/submit", Submit).WithSummary("提交草稿").WithDescription("用数方提交草稿，进入合规审查。" + VersionNote);
        requests.MapPost("/{id:guid}/pass-compliance", PassCompliance).WithSummary("合规审查通过").WithDescription("主管部门审核员（或平台管理员）审查通过：无条件共享资源即批准并生成授权；有条件共享资源转提供方审批，计算提供方办理期限。可附 note。" + VersionNote);
        requests.MapPost("/{id:guid}/fail-compliance", FailCompliance).WithSummary("合规审查不通过").WithDescription("主管部门审核员审查不通过，reason（理由）必填并永久保留。" + VersionNote);
        requests.MapPost("/{id:guid}/approve", Approve).WithSummary("批准（提供方）").WithDescription("提供部门的部门管理员批准并设定授权内容：items（授权的信息项，可少于申请的）、rawAllowed（是否允许不脱敏，默认否）、dailyQuota 与 quotaUnit（每日限额，rows 行或 calls 次）、rateLimitPerMinute（每分钟调用次数）、expiresOn（到期日，默认今天加申请天数）、note。续期申请只能调整 expiresOn。" + VersionNote);
        requests.MapPost("/{id:guid}/refuse", Refuse).WithSummary("拒绝（提供方）").WithDescription("提供部门的部门管理员拒绝，reason（理由）必填并永久保留；用数方可对拒绝提请协调。" + VersionNote);
        requests.MapPost("/{id:guid}/withdraw", Withdraw).WithSummary("撤回申请").WithDescription("用数方撤回草稿或办理中的申请，可附 reason。" + VersionNote);
        requests.MapPost("/{id:guid}/escalate", Escalate).WithSummary("提请协调").WithDescription("用数方对已逾期的申请（每个办理期限一次；逾期检查任务也会自动提请）或对被拒绝的申请（reason 必填）提请主管部门协调。申请主状态不变，进入主管部门队列。" + VersionNote);
        requests.MapPost("/{id:guid}/coordinate", Coordinate).WithSummary("协调").WithDescription("主管部门审核员（或平台管理员）对已提请协调的申请给出协调意见 note（必填），办理中的申请可设定新的办理期限 dueOn（今天之后的工作日）。申请主状态不变。" + VersionNote);

        var grants = api.MapGroup("/grants").WithTags("共享授权").RequireAuthorization(SharingPolicies.Staff);
        grants.MapGet("/", ListGrants)
            .WithSummary("授权列表")
            .WithDescription("as=consumer：本部门获得的授权（用数人员、部门管理员）；as=provider：本部门发出的授权（部门管理员）；as=all：全部（平台管理员、安全审计员）。status：active 有效、revoked 已撤销、expired 已过期（有效期已过即视为过期）；keyword、page、pageSize。");
        grants.MapGet("/{id:guid}", GetGrant)
            .WithSummary("查看授权")
            .WithDescription("授权的信息项、数据范围、用途、使用方式、是否允许原始值、每日限额与频率限制、有效期、状态与全部变更记录（生效、续期、撤销、到期）。");
        grants.MapPost("/{id:guid}/revoke", Revoke)
            .WithSummary("撤销授权")
            .WithDescription("提供部门的部门管理员或平台管理员撤销有效的授权，reason（理由）必填，立即生效。" + VersionNote);
        grants.MapPost("/{id:guid}/renewal", Renew)
            .WithSummary("申请续期")
            .WithDescription("被授权部门的用数人员或部门管理员为有效的授权申请续期：durationDays（延长天数，自当前到期日起算）、reason（续期理由）。续期申请按同样流程办理（无条件共享自动通过），批准后延长授权有效期。返回新建的续期申请。");

        var calendar = api.MapGroup("/calendar").WithTags("工作日历").RequireAuthorization(SharingPolicies.Staff);
        calendar.MapGet("/days", ListDays)
            .WithSummary("节假日与调休")
            .WithDescription("工作日历的例外日期：holiday 节假日（休息）、workday 调休（周末上班）。默认当年，from/to 为日期（yyyy-MM-dd）。其余日期按周一至周五上班、周六周日休息计算。平台不内置法定节假日，由平台管理员逐年维护。");
        calendar.MapGet("/range", Range)
            .WithSummary("工作日查询")
            .WithDescription("from 至 to（含两端，最多 366 天）的每一天是否工作日，以及工作日天数。");
        calendar.MapPut("/days/{day}", PutDay)
            .WithSummary("设置节假日或调休（平台管理员）")
            .WithDescription("day 为日期 yyyy-MM-dd；请求体 kind：holiday（节假日，休息）或 workday（调休上班，只能设在周六、周日），name：名称（如 国庆节、国庆节调休）。已有的设置被替换。已开始计时的办理期限不随之改变。");
        calendar.MapDelete("/days/{day}", DeleteDay)
            .WithSummary("删除节假日或调休设置（平台管理员）")
            .WithDescription("该日恢复按星期计算是否工作日。");
        return api;
    }

    private static Task<SharingActor> Actor(ClaimsPrincipal user, IDepartmentDirectory departments, CancellationToken ct) =>
        SharingActor.FromPrincipalAsync(user, departments, ct);

    private static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToHttp<T>(this SharingResult<T> r, string notFound) => r switch
    {
        { NotFound: true } => Problems.NotFound(notFound),
        { Errors: { } e } => Problems.Validation(e),
        { Forbidden: { } f } => Problems.Forbidden(f),
        { Conflict: { } c } => Problems.Conflict(c),
        _ => TypedResults.Ok(r.Value!),
    };

    // ---- share catalog --------------------------------------------------------------------------------------------

    private static async Task<Results<Ok<PageDto<ShareCatalogEntryDto>>, ValidationProblem, ProblemHttpResult>> ListCatalog(
        ClaimsPrincipal user, IDepartmentDirectory departments, ShareCatalog service, string? departmentId, string? keyword, string? shareType,
        string? requestable, string? page, string? pageSize, CancellationToken ct)
    {
        var args = new QueryArgs();
        var dept = args.Guid(departmentId, "departmentId");
        var req = args.Bool(requestable, "requestable");
        var p = args.Int(page, "page");
        var size = args.Int(pageSize, "pageSize");
        var actor = await Actor(user, departments, ct);
        return (await service.ListAsync(actor, dept, keyword, shareType, req, p, size, ct, args.Errors)).ToHttp("");
    }

    private static async Task<Results<Ok<ShareCatalogDetailDto>, ValidationProblem, ProblemHttpResult>> GetCatalogEntry(string code,
        ClaimsPrincipal user, IDepartmentDirectory departments, ShareCatalog service, CancellationToken ct) =>
        (await service.GetAsync(await Actor(user, departments, ct), code, ct)).ToHttp("资源不存在或未发布");

    // ---- requests -------------------------------------------------------------------------------------------------

    private static async Task<Results<Created<RequestDto>, ValidationProblem, ProblemHttpResult>> Create(CreateRequestInput? body,
        ClaimsPrincipal user, IDepartmentDirectory departments, SharingService service, CancellationToken ct)
    {
        var r = await service.CreateAsync(await Actor(user, departments, ct), body, ct);
        return r switch
        {
            { Errors: { } e } => Problems.Validation(e),
            { Forbidden: { } f } => Problems.Forbidden(f),
            { Conflict: { } c } => Problems.Conflict(c),
            { NotFound: true } => Problems.NotFound(SharingService.NotFoundMessage),
            _ => TypedResults.Created($"/api/v1/exchange/requests/{r.Value!.Id}", r.Value),
        };
    }

    private static Task<Results<Ok<PageDto<RequestSummaryDto>>, ValidationProblem, ProblemHttpResult>> ListMine(ClaimsPrincipal user,
        IDepartmentDirectory departments, SharingService service, string? status, string? overdue, string? keyword, string? page, string? pageSize,
        CancellationToken ct) => List(RequestBox.Consumer, user, departments, service, status, overdue, keyword, page, pageSize, ct);

    private static Task<Results<Ok<PageDto<RequestSummaryDto>>, ValidationProblem, ProblemHttpResult>> ListToDecide(ClaimsPrincipal user,
        IDepartmentDirectory departments, SharingService service, string? status, string? overdue, string? keyword, string? page, string? pageSize,
        CancellationToken ct) => List(RequestBox.Provider, user, departments, service, status, overdue, keyword, page, pageSize, ct);

    private static Task<Results<Ok<PageDto<RequestSummaryDto>>, ValidationProblem, ProblemHttpResult>> ListCompetent(ClaimsPrincipal user,
        IDepartmentDirectory departments, SharingService service, string? status, string? overdue, string? keyword, string? page, string? pageSize,
        CancellationToken ct) => List(RequestBox.Competent, user, departments, service, status, overdue, keyword, page, pageSize, ct);

    private static async Task<Results<Ok<PageDto<RequestSummaryDto>>, ValidationProblem, ProblemHttpResult>> List(RequestBox box, ClaimsPrincipal user,
        IDepartmentDirectory departments, SharingService service, string? status, string? overdue, string? keyword, string? page, string? pageSize,
        CancellationToken ct)
    {
        var args = new QueryArgs();
        var od = args.Bool(overdue, "overdue");
        var p = args.Int(page, "page");
        var size = args.Int(pageSize, "pageSize");
        var actor = await Actor(user, departments, ct);
        return (await service.ListAsync(actor, box, new RequestListQuery(status, od, keyword, p, size), ct, args.Errors)).ToHttp("");
    }

    private static async Task<Results<Ok<RequestDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, IDepartmentDirectory departments,
        SharingService service, CancellationToken ct)
    {
        var dto = await service.GetAsync(await Actor(user, departments, ct), id, ct);
        return dto is null ? Problems.NotFound(SharingService.NotFoundMessage) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Submit(Guid id, TransitionInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, SharingService service, CancellationToken ct) =>
        (await service.SubmitAsync(await Actor(user, departments, ct), id, body, ct)).ToHttp(SharingService.NotFoundMessage);

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> PassCompliance(Guid id, TransitionInput? body,
        ClaimsPrincipal user, IDepartmentDirectory departments, SharingService service, CancellationToken ct) =>
        (await service.PassComplianceAsync(await Actor(user, departments, ct), id, body, ct)).ToHttp(SharingService.NotFoundMessage);

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> FailCompliance(Guid id, TransitionInput? body,
        ClaimsPrincipal user, IDepartmentDirectory departments, SharingService service, CancellationToken ct) =>
        (await service.FailComplianceAsync(await Actor(user, departments, ct), id, body, ct)).ToHttp(SharingService.NotFoundMessage);

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Approve(Guid id, ApproveInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, SharingService service, CancellationToken ct) =>
        (await service.ApproveAsync(await Actor(user, departments, ct), id, body, ct)).ToHttp(SharingService.NotFoundMessage);

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Refuse(Guid id, TransitionInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, SharingService service, CancellationToken ct) =>
        (await service.RefuseAsync(await Actor(user, departments, ct), id, body, ct)).ToHttp(SharingService.NotFoundMessage);

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Withdraw(Guid id, TransitionInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, SharingService service, CancellationToken ct) =>
        (await service.WithdrawAsync(await Actor(user, departments, ct), id, body, ct)).ToHttp(SharingService.NotFoundMessage);

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Escalate(Guid id, TransitionInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, SharingService service, CancellationToken ct) =>
        (await service.EscalateAsync(await Actor(user, departments, ct), id, body, ct)).ToHttp(SharingService.NotFoundMessage);

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Coordinate(Guid id, CoordinateInput? body,
        ClaimsPrincipal user, IDepartmentDirectory departments, SharingService service, CancellationToken ct) =>
        (await service.CoordinateAsync(await Actor(user, departments, ct), id, body, ct)).ToHttp(SharingService.NotFoundMessage);

    // ---- grants ---------------------------------------------------------------------------------------------------

    private static async Task<Results<Ok<PageDto<GrantDto>>, ValidationProblem, ProblemHttpResult>> ListGrants(ClaimsPrincipal user,
        IDepartmentDirectory departments, GrantService service, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "as")] string? asRole, string? status,
        string? keyword, string? page, string? pageSize, CancellationToken ct)
    {
        var args = new QueryArgs();
        var p = args.Int(page, "page");
        var size = args.Int(pageSize, "pageSize");
        return (await service.ListAsync(await Actor(user, departments, ct), asRole, status, keyword, p, size, ct, args.Errors)).ToHttp("");
    }

    private static async Task<Results<Ok<GrantDto>, ProblemHttpResult>> GetGrant(Guid id, ClaimsPrincipal user, IDepartmentDirectory departments,
        GrantService service, CancellationToken ct)
    {
        var dto = await service.GetAsync(await Actor(user, departments, ct), id, ct);
        return dto is null ? Problems.NotFound(GrantService.NotFoundMessage) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<GrantDto>, ValidationProblem, ProblemHttpResult>> Revoke(Guid id, RevokeInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, GrantService service, CancellationToken ct) =>
        (await service.RevokeAsync(await Actor(user, departments, ct), id, body, ct)).ToHttp(GrantService.NotFoundMessage);

    private static async Task<Results<Created<RequestDto>, ValidationProblem, ProblemHttpResult>> Renew(Guid id, RenewalInput? body, ClaimsPrincipal user,
        IDepartmentDirectory departments, SharingService service, CancellationToken ct)
    {
        var r = await service.RenewAsync(await Actor(user, departments, ct), id, body, ct);
        return r switch
        {
            { NotFound: true } => Problems.NotFound(GrantService.NotFoundMessage),
            { Errors: { } e } => Problems.Validation(e),
            { Forbidden: { } f } => Problems.Forbidden(f),
            { Conflict: { } c } => Problems.Conflict(c),
            _ => TypedResults.Created($"/api/v1/exchange/requests/{r.Value!.Id}", r.Value),
        };
    }

    // ---- calendar -------------------------------------------------------------------------------------------------

    private static async Task<Results<Ok<IReadOnlyList<CalendarDayDto>>, ValidationProblem, ProblemHttpResult>> ListDays(string? from, string? to,
        CalendarService service, CancellationToken ct) => (await service.ListAsync(from, to, ct)).ToHttp("");

    private static async Task<Results<Ok<CalendarRangeDto>, ValidationProblem, ProblemHttpResult>> Range(string? from, string? to,
        CalendarService service, CancellationToken ct) => (await service.RangeAsync(from, to, ct)).ToHttp("");

    private static async Task<Results<Ok<CalendarDayDto>, ValidationProblem, ProblemHttpResult>> PutDay(string day, CalendarDayInput? body,
        ClaimsPrincipal user, IDepartmentDirectory departments, CalendarService service, CancellationToken ct) =>
        (await service.PutAsync(await Actor(user, departments, ct), day, body, ct)).ToHttp("");

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteDay(string day, ClaimsPrincipal user,
        IDepartmentDirectory departments, CalendarService service, CancellationToken ct)
    {
        var r = await service.DeleteAsync(await Actor(user, departments, ct), day, ct);
        return r switch
        {
            { NotFound: true } => Problems.NotFound($"{day} 没有节假日或调休设置"),
            { Errors: { } e } => Problems.Validation(e),
            { Forbidden: { } f } => Problems.Forbidden(f),
            { Conflict: { } c } => Problems.Conflict(c),
            _ => TypedResults.NoContent(),
        };
    }

    /// <summary>Query-string values parsed here (not by the framework), so a bad value is answered in Chinese naming the parameter.</summary>
    private sealed class QueryArgs
    {
        public FieldErrors Errors { get; } = new();

        public int? Int(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
            Errors.Add(field, $"{field} 必须是整数，收到“{text}”");
            return null;
        }

        public bool? Bool(string? text, string field)
        {
            switch (text?.Trim().ToLowerInvariant())
            {
                case null or "": return null;
                case "true" or "1" or "是": return true;
                case "false" or "0" or "否": return false;
                default:
                    Errors.Add(field, $"{field} 只能是 true 或 false，收到“{text}”");
                    return null;
            }
        }

        public Guid? Guid(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (System.Guid.TryParse(text.Trim(), out var v)) return v;
            Errors.Add(field, $"{field} 必须是部门 ID（GUID），收到“{text}”");
            return null;
        }
    }
}
