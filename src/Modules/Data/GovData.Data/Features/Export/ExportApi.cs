using System.Globalization;
using System.Reflection;
using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using GovData.Data.Features.Query;
using GovData.Data.Features.Resources;

namespace GovData.Data.Features.Export;

/// <summary>
/// <c>GET /api/v1/data/{code}/export?format=csv|json|ndjson|xlsx|xml&amp;bom=true&amp;encoding=gbk&amp;header=name|code&amp;version=N&amp;raw=…</c>:
/// streams the whole current version (or version N) of a resource, or — when query parameters are given (filters,
/// <c>fields</c>, <c>sort</c>, <c>limit</c>/<c>offset</c>, the syntax of the rows API) — that query's result. The code's '/' is percent-encoded
/// (<c>303026010201%2F1</c>). Signed-in callers with scope <c>data:read</c> (API keys); values are masked unless the
/// caller is entitled to raw values (平台管理员, or staff of the resource's own department). <c>raw=false</c> asks for
/// masked values even when entitled; <c>raw=true</c> without entitlement is refused (403).
/// </summary>
internal static class ExportApi
{
    /// <summary>Maps the export endpoint on the module's group (<c>/api/v1/data</c>).</summary>
    public static RouteGroupBuilder MapExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{code}/export", Export)
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.HasScope(ApiScopes.DataRead)))
            .WithTags("数据清单")
            .WithName("ExportData")
            .WithSummary("导出数据（CSV、JSON、NDJSON、XLSX、XML，流式）")
            .WithDescription("导出资源当前版本（或 version 指定的版本）的全部数据；带查询参数（筛选条件、fields、sort、limit、offset，语法同 rows 接口）时导出该查询的结果。format：csv（默认）、json、ndjson、xlsx、xml；" +
                "bom=true：CSV 带 UTF-8 BOM，便于 Excel 打开；encoding=gbk：CSV 按 GB18030（GBK 的超集）编码；header=name|code：" +
                "CSV/XLSX 表头用信息项名称（默认）或字段代码；raw=false：即使有权也输出脱敏值。资源代码中的“/”写作 %2F。");
        return api;
    }

    private static async Task<Results<ExportStreamResult, ValidationProblem, ProblemHttpResult>> Export(
        string code, string? format, string? bom, string? encoding, string? header, string? version, string? raw,
        HttpRequest request, ClaimsPrincipal user, [FromServices] IDataTableResolver resolver,
        [FromServices] IOptions<RowQueryOptions> queryOptions, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ResourceCode.TryParse(Uri.UnescapeDataString(code), out var resourceCode, out var codeError)) errors["code"] = [codeError];
        if (!ExportOptions.TryParse(format, bom, encoding, header, out var options, out var optionErrors))
            foreach (var (k, v) in optionErrors) errors[k] = v;
        int? versionNumber = null;
        if (!string.IsNullOrWhiteSpace(version))
        {
            if (int.TryParse(version.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) versionNumber = n;
            else errors["version"] = [$"参数 version 的值“{version.Trim()}”无效，应为正整数版本号"];
        }
        bool? rawAsked = null;
        if (!string.IsNullOrWhiteSpace(raw))
        {
            if (ExportOptions.TryParseFlag(raw, out var r)) rawAsked = r;
            else errors["raw"] = [$"参数 raw 的值“{raw.Trim()}”无效，应为 true 或 false"];
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var table = await resolver.ResolveAsync(resourceCode!, versionNumber, ct);
        if (table is null)
            return Problems.NotFound(versionNumber is null
                ? $"资源“{resourceCode}”不存在或尚无可用数据"
                : $"资源“{resourceCode}”没有可用的版本 {versionNumber}");

        if (!DataAccess.CanReadRows(user, table.DepartmentId)) return Problems.Forbidden(DataAccess.ReadDenied(table.ResourceName));
        var entitled = IsEntitledToRaw(user, table.DepartmentId);
        if (rawAsked == true && !entitled)
            return Problems.Forbidden("只有平台管理员和资源提供部门的人员可以导出未脱敏的数据");

        // Any other parameter is part of a query (filters, fields, sort, limit/offset): export that query's result.
        var pairs = QueryPairs(request.Query).ToList();
        RowQuery? query = null;
        if (pairs.Count > 0)
        {
            try
            {
                query = RowQueryParser.ParseRows(table.Layout, pairs, queryOptions.Value, unlimited: true);
                if (!(rawAsked ?? entitled)) RowQueryService.EnsureAllowed(query);
            }
            catch (QueryException ex)
            {
                return ex.Forbidden ? Problems.Forbidden(ex.Message) : Problems.Validation(ex.Parameter, ex.Message);
            }
        }
        var dataset = new ExportDataset(table.ResourceCode, table.ResourceName, table.VersionNumber, query?.Fields ?? table.Layout.Columns);
        return new ExportStreamResult(options, dataset, table, rawAsked ?? entitled, query);
    }

    /// <summary>Raw (unmasked) values: 平台管理员 and staff of the providing department.</summary>
    public static bool IsEntitledToRaw(ClaimsPrincipal user, Guid departmentId) => DataAccess.IsInsider(user, departmentId);

    // The export's own parameters are not query parameters; everything else is handed to the row-query parser, which
    // refuses unknown fields with a message naming them.
    private static readonly HashSet<string> ExportParameters = new(StringComparer.OrdinalIgnoreCase)
        { "format", "bom", "encoding", "header", "version", "raw" };

    private static IEnumerable<KeyValuePair<string, string?>> QueryPairs(IQueryCollection query)
    {
        foreach (var (key, values) in query)
        {
            if (ExportParameters.Contains(key)) continue;
            if (values.Count == 0) yield return new(key, "");
            foreach (var value in values) yield return new(key, value);
        }
    }
}

/// <summary>
/// Streams an export to the response body. Headers go out first (status 200, content type, Content-Disposition with
/// the Chinese file name, no caching); rows follow as they are read. A failure after the first bytes cannot change the
/// status any more, so the connection is aborted: the client sees a failed download, never a silently truncated file.
/// </summary>
internal sealed class ExportStreamResult(ExportOptions options, ExportDataset dataset, ResolvedTable table, bool raw, RowQuery? query = null)
    : IResult, IEndpointMetadataProvider
{
    /// <summary>Options of the export.</summary>
    public ExportOptions Options => options;

    /// <summary>Whether values go out unmasked.</summary>
    public bool Raw => raw;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GovData.Data.Export");
        var settings = http.RequestServices.GetRequiredService<DatabaseSettings>();
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync(ct);

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = options.ContentType;
        response.Headers.ContentDisposition = options.ContentDisposition(dataset.ResourceName, dataset.ResourceCode, dataset.Version);
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var started = DateTime.UtcNow;
        try
        {
            // A query result comes through the query service, already masked unless raw; a whole version straight from its table.
            var rows = query is null
                ? TableRowReader.ReadAsync(connection, settings.Provider, table.Layout, dataset.Columns, ct)
                : http.RequestServices.GetRequiredService<RowQueryService>().StreamAsync(table, query, raw, ct);
            var count = await DataExporter.WriteAsync(options, dataset, rows, response.Body, raw || query is not null, ct);
            logger.LogInformation("导出 {Code} 版本 {Version}：{Format}，{Rows} 行，{Masking}，用户 {User}，用时 {Seconds:0.0} 秒",
                dataset.ResourceCode, dataset.Version, options.Extension, count, raw ? "原始值" : "已脱敏",
                http.User.GetUserId(), (DateTime.UtcNow - started).TotalSeconds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; nothing left to send.
        }
        catch (Exception ex) when (response.HasStarted)
        {
            logger.LogError(ex, "导出 {Code} 版本 {Version}（{Format}）中途失败，连接已中止", dataset.ResourceCode, dataset.Version, options.Extension);
            http.Abort();
        }
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream),
            ["text/csv", "application/json", "application/x-ndjson", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/xml"]));
}
