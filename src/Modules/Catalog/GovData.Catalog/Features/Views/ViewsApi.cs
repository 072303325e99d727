using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GovData.Catalog.Features.Views;

/// <summary>The catalog's enumerations with their Chinese terms (for forms and clients).</summary>
internal sealed record CatalogTermsDto(
    IReadOnlyList<string> ShareTypes, IReadOnlyList<string> ShareChannels, IReadOnlyList<string> ShareMethodTypes, IReadOnlyList<string> OpenTypes,
    IReadOnlyList<string> UpdateCycles, IReadOnlyDictionary<string, IReadOnlyList<string>> Formats, IReadOnlyDictionary<string, string> DataTypes,
    IReadOnlyList<string> Sensitivities, IReadOnlyList<string> MaskingRules, IReadOnlyList<string> SecurityClasses, IReadOnlyList<string> Hierarchies,
    IReadOnlyList<string> Statuses, IReadOnlyDictionary<string, string> Fields);

/// <summary>/api/v1/catalog/views: 业务目录, 共享目录, 开放目录.</summary>
internal static class ViewsApi
{
    public static RouteGroupBuilder MapViewsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/views").WithTags("三类目录");
        (CatalogView View, string Path, string Description)[] views =
        [
            (CatalogView.Business, "business", "全部已发布资源"),
            (CatalogView.Shared, "shared", "无条件共享与有条件共享的已发布资源，含共享条件与共享方式"),
            (CatalogView.Open, "open", "向社会无条件开放与有条件开放的已发布资源（公开，无需登录）"),
        ];
        foreach (var (view, path, description) in views)
        {
            var list = g.MapGet("/" + path, (CatalogViews service, string? classificationCode, Guid? departmentId, string? keyword, string? shareType,
                    string? openType, int? page, int? pageSize, CancellationToken ct) =>
                    List(service, view, new(classificationCode, departmentId, keyword, shareType, openType, page ?? 1, pageSize ?? 20), ct))
                .WithSummary(CatalogViews.Label(view))
                .WithDescription(description + "；可按分类（前段码前缀，即分类树节点）、部门、关键字、共享类型、开放类型筛选。");
            var facets = g.MapGet($"/{path}/facets", async (CatalogViews service, CancellationToken ct) => TypedResults.Ok(await service.FacetsAsync(view, ct)))
                .WithSummary(CatalogViews.Label(view) + "统计").WithDescription("按分类树（每个节点的数量含其下级）与部门统计资源数，用于按分类和部门浏览。");
            if (view == CatalogView.Open) { list.AllowAnonymous(); facets.AllowAnonymous(); }
            else { list.RequireAuthorization(CatalogPolicies.Read); facets.RequireAuthorization(CatalogPolicies.Read); }
        }
        api.MapGet("/terms", Terms).RequireAuthorization(CatalogPolicies.Read).WithTags("三类目录").WithSummary("目录术语与可选值");
        return g;
    }

    private static async Task<Results<Ok<PageDto<CatalogViewItemDto>>, ValidationProblem>> List(CatalogViews views, CatalogView view, CatalogViewQuery query, CancellationToken ct)
    {
        var (page, errors) = await views.ListAsync(view, query, ct);
        return errors is not null ? Problems.Validation(errors) : TypedResults.Ok(page!);
    }

    private static Ok<CatalogTermsDto> Terms() => TypedResults.Ok(new CatalogTermsDto(
        CatalogTerms.Labels<ShareType>(), CatalogTerms.Labels<ShareChannel>(), CatalogTerms.Labels<ShareMethodType>(), CatalogTerms.Labels<OpenType>(),
        CatalogTerms.Labels<UpdateCycle>(),
        ResourceFormats.Types.ToDictionary(kv => CatalogTerms.Label(kv.Key), kv => kv.Value),
        DataTypeSpec.Names.ToDictionary(kv => CatalogTerms.Label(kv.Key), kv => kv.Value),
        CatalogTerms.Labels<ItemSensitivity>(), CatalogTerms.Labels<MaskingRule>(), CatalogTerms.Labels<SecurityClass>(), CatalogTerms.Labels<CatalogHierarchy>(),
        CatalogTerms.Labels<EntryStatus>(), ResourceFields.Labels));
}
