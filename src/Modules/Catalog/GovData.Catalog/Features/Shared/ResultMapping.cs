using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GovData.Catalog.Features.Shared;

/// <summary>Maps <see cref="CatalogResult{T}"/> to RFC 9457 responses with Chinese messages.</summary>
internal static class ResultMapping
{
    public const string NotFoundMessage = "资源不存在或不在您的查看范围内";

    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToHttp<T>(this CatalogResult<T> r, string? notFound = null) => r switch
    {
        { NotFound: true } => Problems.NotFound(notFound ?? NotFoundMessage),
        { Errors: { } e } => Problems.Validation(e),
        { Forbidden: { } f } => Problems.Forbidden(f),
        { Conflict: { } c } => Problems.Conflict(c),
        _ => TypedResults.Ok(r.Value!),
    };
}
