using System.ComponentModel;
using System.Security.Claims;
using GovData.Catalog.Features.Shared;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace GovData.Catalog.Features.Search;

/// <summary>Query string of <c>GET /api/v1/catalog/search</c>.</summary>
internal sealed record SearchRequest(
    [property: Description("检索词，以空格分隔的多个词须同时出现（AND）；按字符子串匹配，不区分英文大小写；引号、括号、*、运算符等符号视为分隔，不作检索语法。最长200个字符、10个词。为空时列出全部可见资源。")]
    [FromQuery(Name = "q")] string? Q,
    [property: Description("检索范围：business 业务目录、share 共享目录、open 开放目录（公开，无需登录）、workspace 编目工作台（本部门含草稿的当前内容；审核员含其审核范围）。缺省时政务人员为 business，公众为 open。")]
    [FromQuery(Name = "catalog")] string? Catalog,
    [property: Description("分类树节点代码（前段码前缀），如 102003")]
    [FromQuery(Name = "classificationCode")] string? ClassificationCode,
    [property: Description("类：1 基础类、2 主题类、3 部门类")]
    [FromQuery(Name = "classCode")] string? ClassCode,
    [property: Description("提供方部门 ID")]
    [FromQuery(Name = "departmentId")] Guid? DepartmentId,
    [property: Description("共享类型：无条件共享、有条件共享、不予共享")]
    [FromQuery(Name = "shareType")] string? ShareType,
    [property: Description("开放类型：无条件开放、有条件开放、不予开放")]
    [FromQuery(Name = "openType")] string? OpenType,
    [property: Description("更新周期：实时、每日、每周、每旬、每月、每季度、每半年、每年、不定期、其他")]
    [FromQuery(Name = "updateCycle")] string? UpdateCycle,
    [property: Description("信息资源格式分类：电子文件、电子表格、数据库、图形图像、流媒体、自描述格式、服务接口、其他")]
    [FromQuery(Name = "format")] string? Format,
    [property: Description("排序：relevance 相关度（缺省；名称命中最优先，其次关键字；仅在摘要、提供方、信息项中命中的按更新时间排在其后），updated 更新时间（新的在前）")]
    [FromQuery(Name = "sort")] string? Sort,
    [property: Description("页码，从1开始")]
    [FromQuery(Name = "page")] int? Page,
    [property: Description("每页条数，缺省20，最多200")]
    [FromQuery(Name = "pageSize")] int? PageSize);

/// <summary>/api/v1/catalog/search: Chinese full-text search of the catalogs.</summary>
internal static class SearchApi
{
    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder api)
    {
        api.MapGet("/search", Search).AllowAnonymous().WithTags("目录检索")
            .WithSummary("目录全文检索")
            .WithDescription("在信息资源名称、摘要、关键字、提供方和信息项名称中检索（中文按字符匹配：两字词如“社保”“法人”与更长的词组均可检出），"
                + "返回命中资源（含高亮：各字段先做 HTML 转义，再以 <mark> 标出命中词）、总数和分面统计（类、提供方部门、共享类型、开放类型、更新周期、格式；"
                + "每个分面按其他筛选条件统计，便于切换）。业务目录与共享目录须政务人员登录（catalog:read），开放目录公开。");
        return api;
    }

    private static async Task<Results<Ok<SearchResultDto>, ValidationProblem, ProblemHttpResult>> Search(
        [AsParameters] SearchRequest request, ClaimsPrincipal user, IAuthorizationService authorization, IDepartmentDirectory departments,
        CatalogSearch search, CancellationToken ct)
    {
        var staff = (await authorization.AuthorizeAsync(user, CatalogPolicies.Read)).Succeeded;
        SearchScope scope;
        if (string.IsNullOrWhiteSpace(request.Catalog)) scope = staff ? SearchScope.Business : SearchScope.Open;
        else if (!CatalogSearch.TryParseScope(request.Catalog, out scope))
            return Problems.Validation("catalog", $"检索范围“{request.Catalog}”无效，可选：business（业务目录）、share（共享目录）、open（开放目录）、workspace（编目工作台）");
        if (scope != SearchScope.Open && !staff)
        {
            var message = $"检索{CatalogSearch.Label(scope)}须以政务部门人员身份登录（API 密钥须有 catalog:read 权限）；公众请检索开放目录（catalog=open）";
            return user.Identity?.IsAuthenticated == true
                ? Problems.Forbidden(message)
                : TypedResults.Problem(message, statusCode: StatusCodes.Status401Unauthorized, title: Problems.TitleFor(401), type: "https://govdata.local/problems/unauthorized");
        }
        var actor = staff ? await CatalogActor.FromPrincipalAsync(user, departments, ct) : null;
        var result = await search.SearchAsync(actor, new SearchQuery(request.Q, scope, request.ClassificationCode, request.ClassCode, request.DepartmentId,
            request.ShareType, request.OpenType, request.UpdateCycle, request.Format, request.Sort, request.Page ?? 1, request.PageSize ?? 20), ct);
        return result.ToHttp();
    }
}
