using System.Globalization;
using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Masking;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

using GovData.Data.Features.Resources;

namespace GovData.Data.Features.Query;

/// <summary>A field of a result: API name, 信息项名称, type (text, decimal, double, integer, date, timestamp, boolean)
/// and whether its values are masked for this caller (masked values are text).</summary>
internal sealed record FieldDto(string Name, string ItemName, string Type, bool Masked);

/// <summary>A page of rows of <c>GET /api/v1/data/{code}/rows</c>.</summary>
internal sealed record RowsResponse(
    string ResourceCode, int Version, DateTime? LoadedAt, IReadOnlyList<FieldDto> Fields,
    IReadOnlyList<Dictionary<string, object?>> Rows, long? Total, int Limit, int Offset, string? Next);

/// <summary>A page of groups of <c>GET /api/v1/data/{code}/aggregate</c>.</summary>
internal sealed record AggregateResponse(
    string ResourceCode, int Version, DateTime? LoadedAt, IReadOnlyList<FieldDto> Fields,
    IReadOnlyList<Dictionary<string, object?>> Rows, long? Total, int Limit, int Offset);

/// <summary>
/// <c>GET /api/v1/data/{code}/rows</c> and <c>GET /api/v1/data/{code}/aggregate</c>: typed filters, field selection,
/// sorting, offset and keyset paging, and declarative aggregates over a resource's current (or a given) version.
/// </summary>
internal static class RowsApi
{
    private const string CodeDescription = "信息资源代码，路径中的“/”写作 %2F，如 /api/v1/data/303026010201%2F1/rows。";

    private const string FilterSyntax = """
        筛选：`字段=值`（等于）或 `字段.运算符=值`，多个条件为“且”。字段为信息项的英文字段代码（无代码时为信息项名称），不区分大小写；不接受物理列名。
        运算符：eq 等于，ne 不等于（不含空值），gt/ge/lt/le 大于/大于等于/小于/小于等于，in 属于（逗号分隔，值中的逗号写作 `\,`，也可重复该参数），
        between 介于（`下限,上限`，含两端），contains 包含、startswith 开头为（仅文本，区分大小写，% 与 _ 按字面匹配），isnull 为空（true/false）。
        值按字段类型解析：数字用半角小数点（1234.56），日期 yyyy-MM-dd，日期时间 yyyy-MM-dd HH:mm:ss 或 yyyy-MM-ddTHH:mm:ss，布尔 true/false 或 是/否。
        未知字段、不适用的运算符或无法解析的值返回 400，并指明参数与值。
        """;

    private const string RowsDescription = FilterSyntax + """

        fields=a,b 只返回这些字段；sort=a,-b 排序（- 为降序），空值升序在前、降序在后，同值按行号；
        limit 每页行数（默认 100，最大 10000，可配置）；offset 跳过的行数；
        after=游标 键集分页：取上一页响应的 next 原样传入，适合深分页（不随页数变慢地定位，且翻页期间顺序稳定），不能与 offset 同时使用；
        count=true|false 是否返回符合条件的总行数 total（默认 true；需扫描全部符合条件的行，大表上请在翻页时传 count=false）；
        version=n 读取指定版本（默认当前版本）。
        示例：?reg_capital.ge=1000000&est_date.between=2018-01-01,2018-12-31&name.contains=科技&sort=-reg_capital&limit=20
        平台管理员与资源所属部门的人员看到原始值（raw=false 时也看脱敏值），其他调用方看到按信息项脱敏规则处理后的值，且不能按脱敏字段筛选或排序（403）；无权者传 raw=true 返回 403。
        """;

    private const string AggregateDescription = FilterSyntax + """

        group=a,b 分组字段；agg=count,sum:x,avg:x,min:x,max:x 聚合（默认 count；sum/avg 仅用于数值字段，min/max 不用于布尔字段；count:x 统计 x 非空的行数），
        结果名为 count、count_x、sum_x、avg_x、min_x、max_x；sort 按分组字段或结果名排序（如 sort=-count）；limit/offset 作用于分组；count=true 返回分组总数 total。
        sum 对整数与数值字段为精确小数（SQLite 上以双精度累加），avg 为双精度。
        示例：?group=region_code&agg=count,sum:reg_capital&sort=-sum_reg_capital&limit=10
        """;

    public static RouteGroupBuilder MapRowsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{code}/rows", Rows)
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.HasScope(ApiScopes.DataRead)))
            .WithTags("数据查询")
            .WithSummary("查询数据行")
            .WithDescription(CodeDescription + "\n\n" + RowsDescription);
        api.MapGet("/{code}/aggregate", Aggregate)
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.HasScope(ApiScopes.DataRead)))
            .WithTags("数据查询")
            .WithSummary("分组聚合统计")
            .WithDescription(CodeDescription + "\n\n" + AggregateDescription);
        return api;
    }

    /// <summary>Raw values for 平台管理员 and staff of the resource's own department; everyone else sees masked values.</summary>
    public static bool IsEntitledToRaw(ClaimsPrincipal user, ResolvedTable table) => DataAccess.IsInsider(user, table.DepartmentId);

    private static async Task<Results<Ok<RowsResponse>, ValidationProblem, ProblemHttpResult>> Rows(
        string code, HttpRequest request, ClaimsPrincipal user, [FromServices] IDataTableResolver resolver,
        [FromServices] RowQueryService service, [FromServices] IOptions<RowQueryOptions> options, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (table, problem) = await ResolveAsync(code, request, resolver, ct);
            if (problem is not null) return problem.Validation is { } v ? v : problem.Other!;
            if (!DataAccess.CanReadRows(user, table!.DepartmentId)) return Problems.Forbidden(DataAccess.ReadDenied(table.ResourceName));
            try
            {
                var query = RowQueryParser.ParseRows(table!.Layout, Pairs(request.Query), options.Value);
                var raw = Raw(request, user, table);
                var page = await service.QueryAsync(table, query, raw, ct);
                var rows = page.Rows.Select(r => ToObject(page.Columns.Select(c => c.FieldName), r)).ToList();
                return TypedResults.Ok(new RowsResponse(table.ResourceCode, table.VersionNumber, table.LoadedAt,
                    Fields(page.Columns, raw), rows, page.Total, query.Limit ?? 0, query.Offset, page.Next));
            }
            catch (QueryException ex)
            {
                return ex.Forbidden ? Problems.Forbidden(ex.Message) : Problems.Validation(ex.Parameter, ex.Message);
            }
            catch (DataTableGoneException) when (attempt == 1)
            {
                // The version was switched and its table dropped between resolving and reading: read the new current one.
            }
            catch (DataTableGoneException)
            {
                return Gone(table!);
            }
        }
    }

    private static async Task<Results<Ok<AggregateResponse>, ValidationProblem, ProblemHttpResult>> Aggregate(
        string code, HttpRequest request, ClaimsPrincipal user, [FromServices] IDataTableResolver resolver,
        [FromServices] RowQueryService service, [FromServices] IOptions<RowQueryOptions> options, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (table, problem) = await ResolveAsync(code, request, resolver, ct);
            if (problem is not null) return problem.Validation is { } v ? v : problem.Other!;
            if (!DataAccess.CanReadRows(user, table!.DepartmentId)) return Problems.Forbidden(DataAccess.ReadDenied(table.ResourceName));
            try
            {
                var query = RowQueryParser.ParseAggregate(table!.Layout, Pairs(request.Query), options.Value);
                var raw = Raw(request, user, table);
                var page = await service.AggregateAsync(table, query, raw, ct);
                var names = page.Group.Select(c => c.FieldName).Concat(page.Aggregates.Select(a => a.Alias)).ToList();
                var fields = Fields(page.Group, raw: true)
                    .Concat(page.Aggregates.Select(a => new FieldDto(a.Alias, AggregateLabel(a), RowQueryService.AggregateType(a), false)))
                    .ToList();
                return TypedResults.Ok(new AggregateResponse(table.ResourceCode, table.VersionNumber, table.LoadedAt, fields,
                    page.Rows.Select(r => ToObject(names, r)).ToList(), page.Total, query.Limit, query.Offset));
            }
            catch (QueryException ex)
            {
                return ex.Forbidden ? Problems.Forbidden(ex.Message) : Problems.Validation(ex.Parameter, ex.Message);
            }
            catch (DataTableGoneException) when (attempt == 1)
            {
            }
            catch (DataTableGoneException)
            {
                return Gone(table!);
            }
        }
    }

    private static ProblemHttpResult Gone(ResolvedTable table) =>
        Problems.NotFound($"资源“{table.ResourceCode}”第 {table.VersionNumber} 版的数据表已被清理（版本已切换），请重新查询");

    private sealed record Failure(ValidationProblem? Validation, ProblemHttpResult? Other);

    /// <summary>
    /// Whether values go out raw: the caller's entitlement, narrowed by <c>raw=false</c>; <c>raw=true</c> without the right
    /// is refused (the same rule as the export endpoint).
    /// </summary>
    private static bool Raw(HttpRequest request, ClaimsPrincipal user, ResolvedTable table)
    {
        var entitled = IsEntitledToRaw(user, table);
        var asked = request.Query[QueryParameters.Raw];
        if (asked.Count == 0 || string.IsNullOrWhiteSpace(asked[0])) return entitled;
        if (asked.Count > 1) throw new QueryException(QueryParameters.Raw, "参数 raw 只能出现一次");
        bool want = asked[0]!.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "是" => true,
            "false" or "0" or "否" => false,
            _ => throw new QueryException(QueryParameters.Raw, $"参数 raw 的值“{asked[0]}”无效：应为 true 或 false"),
        };
        if (want && !entitled)
            throw new QueryException(QueryParameters.Raw, "只有平台管理员和资源提供部门的人员可以查看未脱敏的数据", forbidden: true);
        return want;
    }

    private static async Task<(ResolvedTable? Table, Failure? Problem)> ResolveAsync(string code, HttpRequest request, IDataTableResolver resolver, CancellationToken ct)
    {
        var text = Uri.UnescapeDataString(code);
        if (!ResourceCode.TryParse(text, out var resourceCode, out var error))
            return (null, new Failure(Problems.Validation("code", error), null));
        int? version = null;
        var versions = request.Query[QueryParameters.Version];
        if (versions.Count > 1) return (null, new Failure(Problems.Validation(QueryParameters.Version, "参数 version 只能出现一次"), null));
        if (versions.Count == 1 && !string.IsNullOrWhiteSpace(versions[0]))
        {
            if (!int.TryParse(versions[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                return (null, new Failure(Problems.Validation(QueryParameters.Version, $"参数 version 的值“{versions[0]}”无效：应为从 1 开始的版本号"), null));
            version = n;
        }
        var table = await resolver.ResolveAsync(resourceCode, version, ct);
        if (table is null)
            return (null, new Failure(null, Problems.NotFound(version is null
                ? $"资源“{resourceCode}”尚无可查询的数据（未发布、未导入数据，或无权访问）"
                : $"资源“{resourceCode}”没有可查询的第 {version} 版数据（版本不存在、未完成导入或已清理）")));
        return (table, null);
    }

    private static IEnumerable<KeyValuePair<string, string?>> Pairs(IQueryCollection query)
    {
        foreach (var (key, values) in query)
        {
            // version is read by ResolveAsync, raw by Raw
            if (string.Equals(key, QueryParameters.Version, StringComparison.OrdinalIgnoreCase) || string.Equals(key, QueryParameters.Raw, StringComparison.OrdinalIgnoreCase)) continue;
            if (values.Count == 0) yield return new(key, "");
            foreach (var value in values) yield return new(key, value);
        }
    }

    private static List<FieldDto> Fields(IEnumerable<DataColumn> columns, bool raw) =>
        columns.Select(c => new FieldDto(c.FieldName, c.ItemName, QueryValues.ApiType(c.Kind), !raw && Masker.Masks(c))).ToList();

    private static string AggregateLabel(AggregateSpec a) => a.Function switch
    {
        AggregateFunction.Count => a.Column is null ? "行数" : a.Column.ItemName + " 非空行数",
        AggregateFunction.Sum => a.Column!.ItemName + " 合计",
        AggregateFunction.Avg => a.Column!.ItemName + " 平均值",
        AggregateFunction.Min => a.Column!.ItemName + " 最小值",
        AggregateFunction.Max => a.Column!.ItemName + " 最大值",
        _ => a.Alias,
    };

    private static Dictionary<string, object?> ToObject(IEnumerable<string> names, object?[] values)
    {
        var row = new Dictionary<string, object?>(values.Length);
        var i = 0;
        foreach (var name in names) row[name] = values[i++];
        return row;
    }
}
