using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace GovData.SharedKernel.Web;

/// <summary>
/// RFC 9457 problem details with Chinese titles, so every module answers errors the same way.
/// </summary>
public static class Problems
{
    /// <summary>400 with per-field Chinese messages (field name → messages).</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail ?? "提交的数据未通过校验，请按字段提示修改。", title: "请求参数有误",
            type: "https://govdata.local/problems/validation");

    /// <summary>400 for a single field.</summary>
    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>404: the object does not exist or is outside the caller's scope (never reveals which).</summary>
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "未找到", type: "https://govdata.local/problems/not-found");

    /// <summary>403 with the reason.</summary>
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "无权执行此操作", type: "https://govdata.local/problems/forbidden");

    /// <summary>409, e.g. a stale edit or a duplicate.</summary>
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "数据冲突", type: "https://govdata.local/problems/conflict");

    /// <summary>Chinese titles for status codes produced by the framework itself (401, 404 of routing, 500...).</summary>
    public static string TitleFor(int status) => status switch
    {
        400 => "请求参数有误",
        401 => "未登录或凭据无效",
        403 => "无权执行此操作",
        404 => "未找到",
        405 => "不支持的请求方法",
        409 => "数据冲突",
        413 => "请求内容过大",
        415 => "不支持的内容类型",
        429 => "请求过于频繁",
        500 => "服务器内部错误",
        503 => "服务暂不可用",
        _ => "请求失败",
    };

    /// <summary>Chinese detail for framework-produced statuses.</summary>
    public static string DetailFor(int status) => status switch
    {
        400 => "请求格式不正确，请检查参数与请求体。",
        401 => "请先登录，或在请求头 X-Api-Key 中提供有效的 API 密钥。",
        403 => "当前账号没有执行此操作的权限。",
        404 => "请求的资源不存在。",
        405 => "该地址不支持此请求方法。",
        413 => "上传内容超过了允许的大小。",
        415 => "请求的内容类型不受支持。",
        429 => "请求过于频繁，请稍后再试。",
        500 => "服务器处理请求时出错，请稍后重试；如持续出现请联系平台管理员。",
        503 => "服务暂不可用，请稍后重试。",
        _ => "请求未能完成。",
    };

    /// <summary>Fills Chinese title/detail on problem details the framework produces.</summary>
    public static void Localize(ProblemDetails problem)
    {
        var status = problem.Status ?? 500;
        if (string.IsNullOrEmpty(problem.Title) || problem.Title.All(c => c < 128)) problem.Title = TitleFor(status);
        if (string.IsNullOrEmpty(problem.Detail) || problem.Detail.All(c => c < 128)) problem.Detail = DetailFor(status);
    }
}
