using System.Security.Claims;
using GovData.Data.Features.Storage;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace GovData.Data.Features.Resources;

/// <summary>/api/v1/data/resources, /api/v1/data/{code}, files and links.</summary>
internal static class ResourcesEndpoints
{
    public static void MapResourcesEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("数据清单");
        g.MapGet("/resources", List).RequireAuthorization(DataAccess.StaffPolicy)
            .WithSummary("资源数据状态列表")
            .WithDescription("已发布的目录资源及其数据：当前版本、行数、加载时间与更新及时性（按时/逾期/未加载，依据更新周期计算）。可按部门 departmentId、及时性 timeliness（ontime/overdue/notloaded）、关键字 keyword 筛选，page/pageSize 分页。");
        g.MapGet("/{code}", Summary).RequireAuthorization(DataAccess.StaffPolicy)
            .WithSummary("资源数据概况")
            .WithDescription("当前版本（含数据字典）、可用版本数、保留版本数、更新及时性、文件与接口链接；本部门人员还可看到最近的加载。" + DataCoreApi.CodeDescription);

        var files = api.MapGroup("").WithTags("资源文件");
        files.MapGet("/{code}/files", ListFiles).RequireAuthorization(DataAccess.StaffPolicy)
            .WithSummary("资源文件列表").WithDescription("资源的非结构化文件（文档、图片等），含大小与 SHA-256。" + DataCoreApi.CodeDescription);
        files.MapPost("/{code}/files", Upload).RequireAuthorization(DataAccess.ManagePolicy).DisableAntiforgery()
            .WithSummary("上传资源文件")
            .WithDescription("资源所属部门的编目员、部门管理员或平台管理员上传文件（说明字段 description）。" + Uploads.HowTo + "。大小上限见配置 GovData:Data:MaxUploadBytes（默认 4 GiB）。" + DataCoreApi.CodeDescription);
        files.MapGet("/{code}/files/{id:guid}", Download).RequireAuthorization(DataAccess.StaffPolicy)
            .WithSummary("下载资源文件").WithDescription("本部门人员与平台管理员可下载；响应头 X-Content-SHA256 为文件的 SHA-256。" + DataCoreApi.CodeDescription);
        files.MapDelete("/{code}/files/{id:guid}", DeleteFile).RequireAuthorization(DataAccess.ManagePolicy).WithSummary("删除资源文件");
        files.MapGet("/{code}/links", ListLinks).RequireAuthorization(DataAccess.StaffPolicy).WithSummary("接口链接列表");
        files.MapPost("/{code}/links", AddLink).RequireAuthorization(DataAccess.ManagePolicy)
            .WithSummary("添加接口链接").WithDescription("外部接口或页面的地址（url，http/https）与说明（description）。" + DataCoreApi.CodeDescription);
        files.MapDelete("/{code}/links/{id:guid}", DeleteLink).RequireAuthorization(DataAccess.ManagePolicy).WithSummary("删除接口链接");
    }

    private static async Task<IResult> List(ResourceOverview overview, Guid? departmentId, string? timeliness, string? keyword, int? page, int? pageSize,
        CancellationToken ct)
    {
        var r = await overview.ListAsync(departmentId, timeliness, keyword, page ?? 1, pageSize ?? 50, ct);
        return r.Ok ? TypedResults.Ok(r.Value) : DataCoreApi.Problem(r);
    }

    private static async Task<IResult> Summary(string code, ClaimsPrincipal user, ResourceOverview overview, CancellationToken ct)
    {
        if (DataCoreApi.Code(code, out var bad) is not { } parsed) return bad!;
        var r = await overview.SummaryAsync(parsed, user, ct);
        return r.Ok ? TypedResults.Ok(r.Value) : DataCoreApi.Problem(r);
    }

    /// <summary>The resource for a file/link change: published, and managed by the caller (creates its data row if needed).</summary>
    private static async Task<(Persistence.DataResource? Resource, IResult? Problem)> ResourceAsync(string code, ClaimsPrincipal user, DataResources resources,
        bool manage, CancellationToken ct)
    {
        if (DataCoreApi.Code(code, out var bad) is not { } parsed) return (null, bad);
        if (manage)
        {
            var ensured = await resources.EnsureAsync(parsed, ct);
            if (!ensured.Ok) return (null, DataCoreApi.Problem(ensured));
            var resource = ensured.Value!.Resource;
            return DataAccess.CanManage(user, resource.DepartmentId) ? (resource, null) : (null, Problems.Forbidden(DataAccess.ManageDenied(resource.ResourceName)));
        }
        var found = await resources.LookupAsync(parsed, ct);
        return found.Ok ? (found.Value!.Row, null) : (null, DataCoreApi.Problem(found));
    }

    private static async Task<IResult> ListFiles(string code, ClaimsPrincipal user, DataResources resources, ResourceOverview overview, CancellationToken ct)
    {
        var (resource, problem) = await ResourceAsync(code, user, resources, false, ct);
        return problem ?? TypedResults.Ok(resource is null ? [] : await overview.FilesAsync(resource, ct));
    }

    private static async Task<IResult> Upload(string code, HttpRequest request, ClaimsPrincipal user, DataResources resources, ResourceFiles files,
        BlobStore blobs, CancellationToken ct)
    {
        var (resource, problem) = await ResourceAsync(code, user, resources, true, ct);
        if (problem is not null) return problem;
        ReceivedUpload? upload;
        string? error;
        try
        {
            (upload, error) = await Uploads.ReceiveAsync(request, blobs, BlobStore.Files, ct);
        }
        catch (BlobTooLargeException ex)
        {
            return DataCoreApi.TooLarge(ex.Message);
        }
        if (upload is null) return Problems.Validation("file", error!);
        var description = upload.Fields.GetValueOrDefault("description") ?? request.Query["description"].FirstOrDefault();
        var file = await files.AddAsync(resource!, upload, description, user, ct);
        var dto = ResourceOverview.ToDto(file, Uri.EscapeDataString(resource!.ResourceCode));
        return TypedResults.Created(dto.Url, dto);
    }

    private static async Task<IResult> Download(string code, Guid id, HttpContext http, ClaimsPrincipal user, DataResources resources, ResourceFiles files,
        CancellationToken ct)
    {
        var (resource, problem) = await ResourceAsync(code, user, resources, false, ct);
        if (problem is not null) return problem;
        if (resource is null || !DataAccess.IsInsider(user, resource.DepartmentId) || await files.OpenAsync(resource, id, ct) is not { } found)
            return Problems.NotFound("文件不存在，或不属于本部门的资源");
        http.Response.Headers["X-Content-SHA256"] = found.File.Sha256;
        http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        // Always an attachment: an uploaded HTML or SVG file must never render in the platform's origin.
        return TypedResults.File(found.Content, found.File.ContentType is "text/html" or "image/svg+xml" or "application/xhtml+xml" ? "application/octet-stream" : found.File.ContentType,
            found.File.FileName, entityTag: new EntityTagHeaderValue($"\"{found.File.Sha256}\""), enableRangeProcessing: true);
    }

    private static async Task<IResult> DeleteFile(string code, Guid id, ClaimsPrincipal user, DataResources resources, ResourceFiles files, CancellationToken ct)
    {
        var (resource, problem) = await ResourceAsync(code, user, resources, true, ct);
        if (problem is not null) return problem;
        return await files.DeleteAsync(resource!, id, ct) ? TypedResults.NoContent() : Problems.NotFound("文件不存在");
    }

    private static async Task<IResult> ListLinks(string code, ClaimsPrincipal user, DataResources resources, ResourceOverview overview, CancellationToken ct)
    {
        var (resource, problem) = await ResourceAsync(code, user, resources, false, ct);
        return problem ?? TypedResults.Ok(resource is null ? [] : await overview.LinksAsync(resource, ct));
    }

    internal sealed record LinkRequest(string? Url, string? Description);

    private static async Task<IResult> AddLink(string code, LinkRequest? body, ClaimsPrincipal user, DataResources resources, ResourceFiles files, CancellationToken ct)
    {
        var (resource, problem) = await ResourceAsync(code, user, resources, true, ct);
        if (problem is not null) return problem;
        var (link, errors) = await files.AddLinkAsync(resource!, body?.Url, body?.Description, user, ct);
        if (errors is not null) return Problems.Validation(errors);
        return TypedResults.Created($"/api/v1/data/{Uri.EscapeDataString(resource!.ResourceCode)}/links",
            new DataLinkDto(link!.Id, link.Url, link.Description, link.CreatedByName, link.CreatedAt));
    }

    private static async Task<IResult> DeleteLink(string code, Guid id, ClaimsPrincipal user, DataResources resources, ResourceFiles files, CancellationToken ct)
    {
        var (resource, problem) = await ResourceAsync(code, user, resources, true, ct);
        if (problem is not null) return problem;
        return await files.DeleteLinkAsync(resource!, id, ct) ? TypedResults.NoContent() : Problems.NotFound("链接不存在");
    }
}
