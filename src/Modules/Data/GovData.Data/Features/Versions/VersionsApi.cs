using System.Security.Claims;
using GovData.Data.Features.Resources;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GovData.Data.Features.Versions;

/// <summary>The versions of a resource.</summary>
internal sealed record VersionListDto(string Code, string Name, int? CurrentVersion, int Retention, IReadOnlyList<VersionDto> Versions, IReadOnlyList<SwitchDto> Switches);

/// <summary>/api/v1/data/{code}/versions, rollback, retention.</summary>
internal static class VersionsEndpoints
{
    internal sealed record RetentionRequest(int? Retention);

    internal sealed record RetentionDto(int Retention, int Dropped);

    public static void MapVersionsEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("数据版本");
        g.MapGet("/{code}/versions", List).RequireAuthorization(DataAccess.StaffPolicy).Produces<VersionListDto>()
            .WithSummary("版本列表")
            .WithDescription("每次全量加载生成一个版本（加载中、可用、失败、已清理），含行数、加载时间与列定义；switches 为当前版本的切换记录（全量加载或回退，谁、何时）。" + DataCoreApi.CodeDescription);
        g.MapPost("/{code}/versions/{number:int}/activate", Activate).RequireAuthorization(DataAccess.ManagePolicy).Produces<VersionDto>()
            .WithSummary("切换到指定版本（回退）")
            .WithDescription("在一个事务中把指定的可用版本设为当前版本，记录操作人与时间；加载进行中时不能切换。" + DataCoreApi.CodeDescription);
        g.MapPut("/{code}/retention", Retention).RequireAuthorization(DataAccess.ManagePolicy).Produces<RetentionDto>()
            .WithSummary("设置保留版本数")
            .WithDescription("保留最新的 N 个可用版本（1–100），更早版本的数据表立即清理；当前版本和刚被替换的版本始终保留（可能仍有读取在进行）。请求体 {\"retention\": 5}。" + DataCoreApi.CodeDescription);
    }

    private static async Task<IResult> List(string code, DataResources resources, VersionService versions, CancellationToken ct)
    {
        if (DataCoreApi.Code(code, out var bad) is not { } parsed) return bad!;
        var found = await resources.LookupAsync(parsed, ct);
        if (!found.Ok) return DataCoreApi.Problem(found);
        if (found.Value!.Row is not { } resource)
            return TypedResults.Ok(new VersionListDto(found.Value.Code, found.Value.Name, null, Persistence.DataResource.DefaultRetention, [], []));
        var list = await versions.ListAsync(resource, ct);
        return TypedResults.Ok(new VersionListDto(resource.ResourceCode, resource.ResourceName, list.FirstOrDefault(v => v.IsCurrent)?.Number, resource.Retention, list,
            await versions.SwitchesAsync(resource.Id, 50, ct)));
    }

    private static async Task<IResult> Activate(string code, int number, ClaimsPrincipal user, DataResources resources, VersionService versions, CancellationToken ct)
    {
        if (DataCoreApi.Code(code, out var bad) is not { } parsed) return bad!;
        var resource = await resources.FindAsync(parsed, ct);
        if (resource is null) return Problems.NotFound($"信息资源“{parsed}”还没有数据版本");
        if (!DataAccess.CanManage(user, resource.DepartmentId)) return Problems.Forbidden(DataAccess.ManageDenied(resource.ResourceName));
        var r = await versions.ActivateAsync(resource.Id, number, user.GetUserId(), user.GetDisplayName(), ct);
        return r.Ok ? TypedResults.Ok(r.Value) : DataCoreApi.Problem(r);
    }

    private static async Task<IResult> Retention(string code, RetentionRequest? body, ClaimsPrincipal user, DataResources resources, VersionService versions,
        CancellationToken ct)
    {
        if (DataCoreApi.Code(code, out var bad) is not { } parsed) return bad!;
        var ensured = await resources.EnsureAsync(parsed, ct);
        if (!ensured.Ok) return DataCoreApi.Problem(ensured);
        var resource = ensured.Value!.Resource;
        if (!DataAccess.CanManage(user, resource.DepartmentId)) return Problems.Forbidden(DataAccess.ManageDenied(resource.ResourceName));
        var r = await versions.SetRetentionAsync(resource.Id, body?.Retention, ct);
        return r.Ok ? TypedResults.Ok(new RetentionDto(body!.Retention!.Value, r.Value)) : DataCoreApi.Problem(r);
    }
}
