using System.Security.Claims;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Storage;
using GovData.Data.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GovData.Data.Features.Loading;

/// <summary>/api/v1/data/{code}/loads and /api/v1/data/loads/{id}: submit, follow, report, rejected rows, cancel.</summary>
internal static class LoadsEndpoints
{
    private const string OptionsDescription =
        "参数（表单字段或查询参数）：mode = full（全量，生成新版本，完成后原子切换）| append（追加到当前版本）| upsert（按主键更新当前版本），默认 full；" +
        "mapping = 列映射 JSON {\"文件列名\":\"信息项字段名或名称\"}（值为空表示忽略该列），未给出的列按名称或字段代码自动对应；" +
        "nullMarkers = 视为空值的文本，逗号分隔，如 -,NULL,无；threshold = 错误阈值，百分比（如 5%，按读取行数）或行数（如 100），0 表示不允许错误行，默认 5%；" +
        "encoding = utf-8 | gb18030（不填则对整个文件自动检测）；delimiter = 分隔符（不填自动检测，\\t 为制表符）；sheet = XLSX 工作表名（默认第一个）；format = csv | xlsx | json | ndjson（不填按文件名与内容判断）。";

    public static void MapLoadsEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("").WithTags("数据加载");
        g.MapPost("/{code}/loads", Submit).RequireAuthorization(DataAccess.ManagePolicy).DisableAntiforgery()
            .Produces<LoadDto>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("提交数据加载")
            .WithDescription("上传 CSV、XLSX、JSON（数组）或 NDJSON 文件，由后台任务加载：返回 202 与加载任务（Location 指向 /api/v1/data/loads/{id}，可轮询进度）。" +
                Uploads.HowTo + "。" + OptionsDescription + "资源所属部门的编目员、部门管理员或平台管理员可以加载（API 密钥需 data:write）。" + DataCoreApi.CodeDescription);
        g.MapGet("/{code}/loads", List).RequireAuthorization(DataAccess.StaffPolicy).Produces<IReadOnlyList<LoadDto>>()
            .WithSummary("加载历史").WithDescription("资源的加载任务，最新在前（take 默认 50，最多 200）；仅本部门人员与平台管理员。" + DataCoreApi.CodeDescription);
        g.MapGet("/loads/{id:guid}", Get).RequireAuthorization(DataAccess.StaffPolicy).Produces<LoadDto>()
            .WithSummary("加载进度与报告")
            .WithDescription("进度（读取/加载/拒绝行数、字节、速率）与报告：各校验规则的错误数（rules）、前若干条错误（errors，含行号、列、值与中文原因；errorLimit 默认 100，最多 1000）、未通过行文件地址（rejectedRowsUrl）。");
        g.MapGet("/loads/{id:guid}/rejected", Rejected).RequireAuthorization(DataAccess.StaffPolicy)
            .WithSummary("下载未通过行").WithDescription("未通过校验的行（CSV，UTF-8 带 BOM）：原文件的列、原始值，加“行号”与“错误原因”两列；修正后可重新加载。");
        g.MapPost("/loads/{id:guid}/cancel", Cancel).RequireAuthorization(DataAccess.ManagePolicy).Produces<LoadDto>()
            .WithSummary("取消加载").WithDescription("排队中的加载立即取消；进行中的加载在约 1 秒内停止并清理，数据不作任何改变。");
    }

    private static async Task<IResult> Submit(string code, HttpRequest request, ClaimsPrincipal user, LoadService loads, BlobStore blobs, CancellationToken ct)
    {
        if (DataCoreApi.Code(code, out var bad) is not { } parsed) return bad!;
        // Options given in the query string are checked before the file is received.
        var q = request.Query;
        var (queryOptions, queryErrors) = Parse(name => q[name].FirstOrDefault());
        if (queryErrors is not null) return Problems.Validation(queryErrors);
        var prepared = await loads.PrepareAsync(parsed, user, queryOptions!.Mode, ct);
        if (!prepared.Ok) return DataCoreApi.Problem(prepared);

        ReceivedUpload? upload;
        string? error;
        try
        {
            (upload, error) = await Uploads.ReceiveAsync(request, blobs, BlobStore.Uploads, ct);
        }
        catch (BlobTooLargeException ex)
        {
            return DataCoreApi.TooLarge(ex.Message);
        }
        if (upload is null) return Problems.Validation("file", error!);

        var (options, errors) = Parse(name => upload.Fields.TryGetValue(name, out var v) ? v : q[name].FirstOrDefault());
        if (errors is not null || options!.Mode != queryOptions.Mode)
        {
            if (errors is null) prepared = await loads.PrepareAsync(parsed, user, options!.Mode, ct);
            if (errors is not null || !prepared.Ok)
            {
                await blobs.DeleteAsync(upload.Blob.Path);
                return errors is not null ? Problems.Validation(errors) : DataCoreApi.Problem(prepared);
            }
        }
        var load = await loads.SubmitAsync(prepared.Value!, upload.Blob, upload.FileName, options!, LoadSource.Api, user, ct);
        var dto = await loads.GetAsync(load.Id, user, 0, ct);
        return TypedResults.Accepted($"/api/v1/data/loads/{load.Id}", dto.Value);
    }

    private static (LoadOptions?, Dictionary<string, string[]>?) Parse(Func<string, string?> get) =>
        LoadOptions.Parse(get("mode"), get("mapping"), get("nullMarkers"), get("threshold"), get("encoding"), get("delimiter"), get("sheet"), get("format"));

    private static async Task<IResult> List(string code, int? take, ClaimsPrincipal user, DataResources resources, LoadService loads, CancellationToken ct)
    {
        if (DataCoreApi.Code(code, out var bad) is not { } parsed) return bad!;
        var found = await resources.LookupAsync(parsed, ct);
        if (!found.Ok) return DataCoreApi.Problem(found);
        if (!DataAccess.IsInsider(user, found.Value!.DepartmentId)) return Problems.Forbidden("只有资源所属部门的人员与平台管理员可以查看加载记录");
        return TypedResults.Ok(found.Value.Row is { } resource ? await loads.ListAsync(resource, take ?? 50, ct) : []);
    }

    private static async Task<IResult> Get(Guid id, int? errorLimit, ClaimsPrincipal user, LoadService loads, CancellationToken ct)
    {
        var r = await loads.GetAsync(id, user, errorLimit ?? 100, ct);
        return r.Ok ? TypedResults.Ok(r.Value) : DataCoreApi.Problem(r);
    }

    private static async Task<IResult> Rejected(Guid id, ClaimsPrincipal user, LoadService loads, CancellationToken ct)
    {
        var r = await loads.RejectedRowsAsync(id, user, ct);
        if (!r.Ok) return DataCoreApi.Problem(r);
        var (stream, name) = r.Value;
        return TypedResults.File(stream, "text/csv; charset=utf-8", name);
    }

    private static async Task<IResult> Cancel(Guid id, ClaimsPrincipal user, LoadService loads, CancellationToken ct)
    {
        var r = await loads.CancelAsync(id, user, ct);
        return r.Ok ? TypedResults.Ok(r.Value) : DataCoreApi.Problem(r);
    }
}
