using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GovData.Identity.Features.Regions;

internal sealed record RegionDto(string Code, string Name, string FullName, RegionLevel Level, string? ParentCode);

/// <summary>GB/T 2260 lookup: tree navigation and code validation.</summary>
internal static class RegionsApi
{
    public static RouteGroupBuilder MapRegionsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/regions").WithTags("行政区划").RequireAuthorization(Policies.ReadIdentity);
        g.MapGet("/", Children).WithSummary("行政区划：不带 parent 返回省级，带 parent 返回下级");
        g.MapGet("/{code}", Get).WithSummary("查看并校验行政区划代码");
        return g;
    }

    private static RegionDto ToDto(Region r, RegionDirectory d) => new(r.Code, r.Name, d.FullName(r.Code), r.Level, r.ParentCode);

    private static Results<Ok<List<RegionDto>>, ProblemHttpResult> Children(RegionDirectory regions, string? parent)
    {
        if (parent is null) return TypedResults.Ok(regions.Provinces.Select(r => ToDto(r, regions)).ToList());
        if (regions.Validate(parent) is { } error) return Problems.NotFound(error);
        return TypedResults.Ok(regions.ChildrenOf(parent).Select(r => ToDto(r, regions)).ToList());
    }

    private static Results<Ok<RegionDto>, ValidationProblem> Get(string code, RegionDirectory regions)
    {
        if (regions.Validate(code) is { } error) return Problems.Validation("code", error);
        return TypedResults.Ok(ToDto(regions.Find(code)!, regions));
    }
}
