using GovData.Data.Features.Loading;
using GovData.Data.Features.Versions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using GovData.SharedKernel.Web;

namespace GovData.Data.Features.Resources;

/// <summary>
/// The Data core's endpoints under <c>/api/v1/data</c>: resources and their data status, loads, versions, files.
/// Resource codes in paths have their '/' percent-encoded: <c>/api/v1/data/303026010201%2F1/loads</c>.
/// </summary>
internal static class DataCoreApi
{
    public const string CodeDescription = "路径中的 {code} 为信息资源代码，其中的“/”写作 %2F，如 303026010201%2F1。";

    public static RouteGroupBuilder MapDataCoreApi(this RouteGroupBuilder api)
    {
        api.MapResourcesEndpoints();
        api.MapLoadsEndpoints();
        api.MapVersionsEndpoints();
        return api;
    }

    /// <summary>Parses the {code} segment; a 400 naming it when invalid.</summary>
    public static Catalog.Contracts.ResourceCode? Code(string code, out ValidationProblem? problem)
    {
        var parsed = DataResources.ParseCode(code, out var error);
        problem = parsed is null ? Problems.Validation("code", $"信息资源代码无效：{error}（路径中的“/”写作 %2F）") : null;
        return parsed;
    }

    /// <summary>A failed <see cref="DataResult{T}"/> as problem details.</summary>
    public static IResult Problem<T>(DataResult<T> r) => r switch
    {
        { Errors: { } e } => Problems.Validation(e),
        { NotFound: { } n } => Problems.NotFound(n),
        { Forbidden: { } f } => Problems.Forbidden(f),
        { Conflict: { } c } => Problems.Conflict(c),
        _ => throw new InvalidOperationException("结果不是失败"),
    };

    /// <summary>413 in Chinese.</summary>
    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "请求内容过大", type: "https://govdata.local/problems/too-large");
}
