using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Portal.Features.Statistics;
using GovData.Portal.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Features.Open;

/// <summary>
/// File downloads of open datasets: the download links of the dataset page (<c>/portal/datasets/{name}/download/{format}</c>)
/// and the open API's export. The export is checked by the Data contract before the first byte (errors are problems),
/// then streamed from one database snapshot in constant memory; masked always. The download is counted (per format, and
/// for the API also as a call) once the file has been written.
/// </summary>
internal static class OpenDownload
{
    public static string PagePath(string name, string format) => $"/portal/datasets/{name}/download/{format}";

    public static IEndpointRouteBuilder MapOpenDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/portal/datasets/{name}/download/{format}", async (string name, string format, HttpContext context, OpenData open, OpenGate gate, CancellationToken ct) =>
        {
            var dataset = await open.FindAsync(name, ct);
            if (dataset is null) return Problems.NotFound($"开放目录中没有名为“{name}”的数据集");
            if (!OpenData.Formats.TryGetValue(format, out var exportFormat))
                return Problems.Validation("format", $"文件格式“{format}”无效，可选：{string.Join("、", OpenData.Formats.Keys)}");
            if (await gate.EnterAsync(context, ct) is { } refusal) return refusal.ToProblem(context.Response);
            return await PrepareAsync(open, dataset, exportFormat, [], program: false, ct);
        }).AllowAnonymous().WithTags("开放数据接口").WithSummary("下载开放数据集文件（数据集页面的下载链接）")
            .WithDescription("format：csv（UTF-8 带 BOM）、xlsx、json、xml。敏感数据项一律脱敏；有条件开放的数据集返回 403（需申请）。");
        return app;
    }

    /// <summary>Checks the export and returns the streaming result, or the problem (403 需申请, 400 naming the parameter, 404).</summary>
    public static async Task<IResult> PrepareAsync(OpenData open, OpenDataset dataset, DataExportFormat format,
        List<KeyValuePair<string, string?>> pairs, bool program, CancellationToken ct, AccessPolicy? granted = null)
    {
        // granted: the policy of a 有条件开放 grant (the open API export with a developer's key, see OpenApply/ConditionalAccess).
        if (dataset.OpenType != OpenType.Unconditional && granted is null) return Problems.Forbidden(OpenData.ApplyMessage(dataset));
        try
        {
            var export = await open.ExportAsync(dataset, format, pairs, ct, granted);
            return new FileResult(dataset, export, format.ToString().ToLowerInvariant(), program);
        }
        catch (DataAccessException e) when (e.Kind != DataAccessErrorKind.NotFound)
        {
            return Problems.Validation(e.Parameter, e.Message);
        }
        catch (DataAccessException e)
        {
            return Problems.NotFound(e.Message);
        }
    }

    private sealed class FileResult(OpenDataset dataset, GovernedExport export, string kind, bool program) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = export.ContentType;
            response.Headers.ContentDisposition = export.ContentDisposition;
            response.Headers.CacheControl = "no-store";
            await export.WriteToAsync(response.Body, context.RequestAborted);
            var usage = context.RequestServices.GetRequiredService<DatasetUsage>();
            // The response has been written: counting must not depend on the client still listening.
            await usage.RecordAsync(dataset, kind, context.Request, program, CancellationToken.None);
            if (program) await usage.RecordAsync(dataset, UsageKinds.Api, context.Request, program, CancellationToken.None);
        }
    }
}
