using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.OpenApply;
using GovData.Portal.Features.Shared;
using GovData.Portal.Features.Statistics;
using GovData.Portal.Persistence;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Features.Open;

/// <summary>A dataset in search results.</summary>
/// <param name="Name">Stable ASCII name (resource code with '/' as '-'), used in every address.</param>
/// <param name="Code">信息资源代码.</param>
/// <param name="Title">信息资源名称.</param>
/// <param name="Description">摘要.</param>
/// <param name="Department">提供部门.</param>
/// <param name="Organization">The department's name in addresses (lower-case 统一社会信用代码).</param>
/// <param name="OpenType">无条件开放 or 有条件开放.</param>
/// <param name="Access"><c>open</c>: rows through this API; <c>apply</c>: 需申请 (有条件开放, not served here).</param>
/// <param name="UpdateCycle">更新周期.</param>
/// <param name="UpdatedAt">Last publication of the catalog entry (UTC).</param>
/// <param name="Keywords">关键字.</param>
/// <param name="Domains">领域.</param>
/// <param name="Url">The dataset page.</param>
/// <param name="Rows">The rows address of this API (only when <paramref name="Access"/> is <c>open</c> and the catalog lists
/// information items; files and services have no rows).</param>
internal sealed record OpenDatasetSummary(
    string Name, string Code, string Title, string? Description, string Department, string? Organization, string OpenType, string Access,
    string? UpdateCycle, DateTime UpdatedAt, IReadOnlyList<string> Keywords, IReadOnlyList<string> Domains, string Url, string? Rows);

/// <summary>A page of search results.</summary>
internal sealed record OpenSearchResponse(int Total, int Page, int Limit, IReadOnlyList<OpenDatasetSummary> Items);

/// <summary>An information item (数据项) of a dataset.</summary>
internal sealed record OpenItem(int Ordinal, string Name, string? FieldCode, string? DataType, bool Required, bool Key, string? ValueDomain,
    bool Masked, string? MaskingRule, string? Description);

/// <summary>The loaded data of a dataset as the public sees it (fields always masked where the catalog says so).</summary>
internal sealed record OpenDataInfo(int Version, long RowCount, DateTime? LoadedAt, IReadOnlyList<DataFieldDescription> Fields,
    IReadOnlyDictionary<string, string> Downloads);

/// <summary>A dataset with all published metadata, its data (when open and loaded) and its use.</summary>
internal sealed record OpenDatasetDetail(
    OpenDatasetSummary Dataset, string Classification, string? Provider, string? Format, string? OpenCondition, DateOnly? PublishDate,
    DateTime? FirstPublishedAt, int CatalogRevision, IReadOnlyList<OpenItem> Items, OpenDataInfo? Data, IReadOnlyDictionary<string, long> Usage);

/// <summary>A page of masked rows.</summary>
internal sealed record OpenRowsResponse(string Dataset, string Code, int Version, DateTime? LoadedAt, IReadOnlyList<DataFieldDescription> Fields,
    IReadOnlyList<Dictionary<string, object?>> Rows, long? Total, int Limit, int Offset, string? Next);

/// <summary>
/// 开放数据接口 <c>/api/v1/open</c>: dataset search and metadata (the open catalog through <c>IOpenCatalog</c>), masked rows
/// and exports of 无条件开放 datasets (through <c>IGovernedDataAccess</c>). Anonymous or with a developer's API key
/// (<c>X-Api-Key</c>); every call goes through <see cref="OpenGate"/> (rate limit and daily quota in the database, 429
/// with <c>Retry-After</c>). Bad parameters answer 400 with the parameter as the key of <c>errors</c>.
/// </summary>
internal static class OpenDataApi
{
    public const string Prefix = "/api/v1/open";

    public static string RowsPath(string name) => $"{Prefix}/datasets/{name}/rows";

    public static string ExportPath(string name, string format) => $"{Prefix}/datasets/{name}/export?format={format}";

    public static IEndpointRouteBuilder MapOpenDataApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).AllowAnonymous().DisableAntiforgery().WithTags("开放数据接口")
            .AddEndpointFilter(async (context, next) =>
            {
                var gate = context.HttpContext.RequestServices.GetRequiredService<OpenGate>();
                var refusal = await gate.EnterAsync(context.HttpContext, context.HttpContext.RequestAborted);
                return refusal is null ? await next(context) : refusal.ToProblem(context.HttpContext.Response);
            })
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapGet("/datasets", SearchAsync)
            .WithSummary("检索开放数据集")
            .WithDescription("按检索词和条件检索开放目录（已发布的无条件开放和有条件开放资源）。参数：q（检索词，中文按字匹配，多个词用空格分隔须同时出现）、"
                + "domain（领域，如 企业）、dept（部门名称，即统一社会信用代码小写）、format（格式分类，如 电子表格）、open（开放属性：无条件开放、有条件开放）、"
                + "cycle（更新周期，如 每月）、tag（关键字）、sort（relevance 相关度、updated 最近更新、downloads 下载最多、name 名称）、page（页码，从 1 开始）、limit（每页条数，1–100，默认 20）。"
                + "access 为 open 的数据集可通过本接口读取数据，apply 表示需申请。");
        group.MapGet("/datasets/{name}", DetailAsync)
            .WithSummary("开放数据集的元数据")
            .WithDescription("数据集的全部目录信息、数据项（标明对外脱敏的项）、已加载数据的版本、行数、字段和下载地址，以及接口调用和下载次数。name 为数据集名称（资源代码中的“/”写作“-”）。");
        group.MapGet("/datasets/{name}/rows", RowsAsync)
            .WithSummary("查询开放数据集的数据行（脱敏）")
            .WithDescription("读取无条件开放数据集当前版本的数据行，敏感数据项一律脱敏。参数：fields（字段，逗号分隔）、sort（排序字段，逗号分隔，前加 - 为降序）、"
                + "limit（每页行数，默认与上限见开发者说明）、offset（跳过的行数）、after（上一页返回的 next，键集翻页）、count（是否返回总数，默认 true），"
                + "以及过滤条件 字段=值 或 字段.运算符=值（eq、ne、gt、ge、lt、le、in、between、contains、startswith、isnull）。脱敏字段不能用于过滤和排序。"
                + "有条件开放的数据集返回 403（需申请）；申请获批的开发者用本人 API 密钥（X-Api-Key）调用时，返回批准的数据项和数据范围内的行（同样脱敏），"
                + "授权过期或被撤销后返回 403 并说明原因。");
        group.MapGet("/datasets/{name}/export", ExportAsync)
            .WithSummary("导出开放数据集（脱敏）")
            .WithDescription("以文件导出无条件开放数据集当前版本的数据（可带与数据行查询相同的 fields、sort 和过滤条件）。format：csv（UTF-8 带 BOM，可直接用 Excel 打开）、xlsx、json、xml。"
                + "敏感数据项一律脱敏；有条件开放的数据集返回 403（需申请），申请获批的开发者用本人 API 密钥调用时导出批准的数据项和范围。")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/xml")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static readonly Dictionary<string, OpenCatalogSortField> SortFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["relevance"] = OpenCatalogSortField.Relevance,
        ["updated"] = OpenCatalogSortField.Updated,
        ["name"] = OpenCatalogSortField.Name,
        ["downloads"] = OpenCatalogSortField.Popularity,
    };

    private static async Task<Results<Ok<OpenSearchResponse>, ValidationProblem>> SearchAsync(
        HttpContext context, IOpenCatalog catalog, IDepartmentDirectory departments, PortalSettings settings, PortalStatistics statistics,
        string? q, string? domain, string? dept, string? format, string? open, string? cycle, string? tag, string? sort, string? page, string? limit,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var query = new OpenCatalogQuery { Q = string.IsNullOrWhiteSpace(q) ? null : q.Trim(), Keyword = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim() };
        var directory = await departments.ListAsync(ct);
        if (!string.IsNullOrWhiteSpace(domain))
        {
            if (CatalogDomains.Names.Contains(domain.Trim())) query = query with { Domain = domain.Trim() };
            else if (PortalNames.FindDomain(domain.Trim()) is { } d) query = query with { Domain = d.Name };
            else errors["domain"] = [$"领域“{domain}”无效，可选：{string.Join("、", CatalogDomains.Names)}"];
        }
        if (!string.IsNullOrWhiteSpace(dept))
        {
            if (PortalNames.FindOrganization(directory, dept.Trim()) is { } department) query = query with { DepartmentId = department.Id };
            else errors["dept"] = [$"部门“{dept}”不存在：应为部门名称（统一社会信用代码小写），见 /api/3/action/organization_list"];
        }
        query = Term<FormatCategory>(format, "format", "格式分类", errors) is { } f ? query with { Format = f } : query;
        query = Term<OpenType>(open, "open", "开放属性", errors) is { } o ? query with { OpenType = o } : query;
        query = Term<UpdateCycle>(cycle, "cycle", "更新周期", errors) is { } c ? query with { UpdateCycle = c } : query;
        var sortField = query.Q is null ? OpenCatalogSortField.Updated : OpenCatalogSortField.Relevance;
        if (!string.IsNullOrWhiteSpace(sort))
        {
            if (SortFields.TryGetValue(sort.Trim(), out var s)) sortField = s;
            else errors["sort"] = [$"排序“{sort}”无效，可选：relevance、updated、downloads、name"];
        }
        var pageNumber = Number(page, "page", 1, 1, 10_000, errors);
        var pageSize = Number(limit, "limit", 20, 1, 100, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        query = query with
        {
            Sort = [new OpenCatalogSortKey(sortField, sortField != OpenCatalogSortField.Name), new OpenCatalogSortKey(OpenCatalogSortField.Code, false)],
            Offset = (pageNumber - 1) * pageSize,
            Limit = pageSize,
            Popularity = sortField == OpenCatalogSortField.Popularity ? await statistics.DownloadsByDatasetAsync(ct) : null,
        };
        var result = await catalog.SearchAsync(query, ct);
        if (result.Errors is { } searchErrors)
            return Problems.Validation(searchErrors.ToDictionary(e => e.Key switch { "offset" => "page", _ => e.Key }, e => new[] { e.Value }));
        var byId = directory.ToDictionary(d => d.Id);
        var baseUrl = settings.BaseUrl(context.Request);
        return TypedResults.Ok(new OpenSearchResponse(result.Page!.Total, pageNumber, pageSize,
            result.Page.Items.Select(h => Summary(h.Dataset, byId, baseUrl)).ToList()));
    }

    private static T? Term<T>(string? text, string parameter, string label, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (CatalogTerms.TryParse<T>(text, out var value)) return value;
        errors[parameter] = [$"{label}“{text}”无效，可选：{string.Join("、", CatalogTerms.Labels<T>())}"];
        return null;
    }

    private static int Number(string? text, string parameter, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors[parameter] = [$"参数 {parameter} 的值“{text}”无效，应为 {min} 到 {max} 之间的整数"];
        return fallback;
    }

    internal static OpenDatasetSummary Summary(OpenDataset d, IReadOnlyDictionary<Guid, DepartmentInfo> departments, string baseUrl)
    {
        var name = PortalNames.Package(d.Code);
        var open = d.OpenType == OpenType.Unconditional;
        return new OpenDatasetSummary(name, d.Code.ToString(), d.Name, d.Abstract, d.DepartmentName,
            departments.TryGetValue(d.DepartmentId, out var dept) ? PortalNames.Organization(dept) : null,
            CatalogTerms.Label(d.OpenType), open ? "open" : "apply", CatalogTerms.Label(d.UpdateCycle), d.UpdatedAt, d.Keywords, d.Domains,
            baseUrl + PortalPaths.Dataset(d.Code), open && d.Items.Count > 0 ? baseUrl + RowsPath(name) : null);
    }

    private static async Task<Results<Ok<OpenDatasetDetail>, ProblemHttpResult>> DetailAsync(
        string name, HttpContext context, OpenData open, IDepartmentDirectory departments, DatasetUsage usage, PortalSettings settings, CancellationToken ct)
    {
        var dataset = await open.FindAsync(name, ct);
        if (dataset is null) return NotFound(name);
        var baseUrl = settings.BaseUrl(context.Request);
        var directory = (await departments.ListAsync(ct)).ToDictionary(d => d.Id);
        var (_, description) = await open.DescribeAsync(dataset, ct);
        var package = PortalNames.Package(dataset.Code);
        var data = description is null ? null : new OpenDataInfo(description.Version, description.RowCount, description.LoadedAt, description.Fields,
            OpenData.Formats.Keys.ToDictionary(f => f, f => baseUrl + ExportPath(package, f)));
        return TypedResults.Ok(new OpenDatasetDetail(
            Summary(dataset, directory, baseUrl), dataset.ClassificationPath, dataset.ProviderName,
            CatalogTerms.Label(dataset.FormatCategory) is { } category ? category + (string.IsNullOrEmpty(dataset.FormatType) ? "" : " / " + dataset.FormatType) : dataset.FormatType,
            dataset.OpenType == OpenType.Conditional ? dataset.OpenCondition : null, dataset.PublishDate, dataset.FirstPublishedAt, dataset.RevisionNumber,
            dataset.Items.Select(i => new OpenItem(i.Ordinal, i.Name, i.FieldCode, PortalText.DataType(i), i.IsRequired, i.IsKey, i.ValueDomain,
                PortalText.IsMasked(i), PortalText.IsMasked(i) ? CatalogTerms.Label(i.MaskingRule) : null, i.Description)).ToList(),
            data, await usage.TotalsAsync(dataset.EntryId, ct)));
    }

    private static async Task<Results<Ok<OpenRowsResponse>, ValidationProblem, ProblemHttpResult>> RowsAsync(
        string name, HttpContext context, OpenData open, DatasetUsage usage, ConditionalAccess conditional, CancellationToken ct)
    {
        var dataset = await open.FindAsync(name, ct);
        if (dataset is null) return NotFound(name);
        ConditionalDecision? granted = null;
        if (dataset.OpenType != OpenType.Unconditional)
        {
            granted = await conditional.DecideAsync(context, dataset, ct);
            if (granted.Refusal is { } refusal) return Problems.Forbidden(refusal);
        }
        GovernedRowPage page;
        try
        {
            page = await open.QueryAsync(dataset, Pairs(context.Request.Query, []), ct, granted?.Policy);
        }
        catch (DataAccessException e) when (e.Kind != DataAccessErrorKind.NotFound)
        {
            return Problems.Validation(e.Parameter, e.Message);
        }
        catch (DataAccessException e)
        {
            return Problems.NotFound(e.Message);
        }
        await usage.RecordAsync(dataset, UsageKinds.Api, context.Request, program: true, ct);
        if (granted is not null)
            await conditional.RecordAsync(context, dataset, granted.Grant, context.User.GetUserId()!.Value, true, page.Rows.Count, "有条件开放数据行", ct);
        var rows = page.Rows.Select(r =>
        {
            var row = new Dictionary<string, object?>(page.Fields.Count, StringComparer.Ordinal);
            for (var i = 0; i < page.Fields.Count; i++) row[page.Fields[i].Name] = OpenData.JsonValueOf(r[i]);
            return row;
        }).ToList();
        return TypedResults.Ok(new OpenRowsResponse(PortalNames.Package(dataset.Code), dataset.Code.ToString(), page.Version, page.LoadedAt, page.Fields,
            rows, page.Total, page.Limit, page.Offset, page.Next));
    }

    private static async Task<IResult> ExportAsync(string name, string? format, HttpContext context, OpenData open, ConditionalAccess conditional,
        CancellationToken ct)
    {
        var dataset = await open.FindAsync(name, ct);
        if (dataset is null) return NotFound(name);
        if (string.IsNullOrWhiteSpace(format) || !OpenData.Formats.TryGetValue(format.Trim(), out var exportFormat))
            return Problems.Validation("format", $"文件格式“{format}”无效，可选：{string.Join("、", OpenData.Formats.Keys)}");
        if (dataset.OpenType != OpenType.Unconditional)
        {
            var granted = await conditional.DecideAsync(context, dataset, ct);
            if (granted.Refusal is { } refusal) return Problems.Forbidden(refusal);
            var result = await OpenDownload.PrepareAsync(open, dataset, exportFormat, Pairs(context.Request.Query, ["format"]), program: true, ct, granted.Policy);
            await conditional.RecordAsync(context, dataset, granted.Grant, context.User.GetUserId()!.Value, true, 0, $"有条件开放数据导出（{format.Trim().ToLowerInvariant()}）", ct);
            return result;
        }
        return await OpenDownload.PrepareAsync(open, dataset, exportFormat, Pairs(context.Request.Query, ["format"]), program: true, ct);
    }

    private static ProblemHttpResult NotFound(string name) =>
        Problems.NotFound($"开放目录中没有名为“{name}”的数据集：它可能不存在、尚未发布或不向社会开放");

    /// <summary>The query-string pairs passed to the Data contract (minus the names this endpoint reads itself).</summary>
    internal static List<KeyValuePair<string, string?>> Pairs(IQueryCollection query, string[] own)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in query)
        {
            if (own.Contains(key, StringComparer.OrdinalIgnoreCase)) continue;
            foreach (var value in values) pairs.Add(new(key, value));
        }
        return pairs;
    }
}
