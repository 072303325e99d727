using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Masking;
using GovData.Data.Features.Query;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

using GovData.SharedKernel.Web;

namespace GovData.Data.Features.Pages;

/// <summary>
/// 数据预览: the first rows of the current version (or <c>?version=n</c>) through <see cref="RowQueryService"/>, values
/// masked unless the caller is entitled to raw values (平台管理员 and the providing department's staff), one filter
/// (field + operator + value) written as the query API writes it (<c>field.op=value</c>, parsed by
/// <see cref="RowQueryParser"/> with the same Chinese messages), and keyset paging (下一页 carries the API's cursor).
/// </summary>
internal sealed class PreviewModel(IDataTableResolver resolver, RowQueryService rows, IOptions<RowQueryOptions> queryOptions,
    IOptions<DataPagesOptions> pageOptions) : ResourcePageModel
{
    public override string Tab => "preview";

    [BindProperty(SupportsGet = true, Name = "field")] public string? Field { get; set; }
    [BindProperty(SupportsGet = true, Name = "op")] public string? Op { get; set; }
    [BindProperty(SupportsGet = true, Name = "value")] public string? Value { get; set; }
    [BindProperty(SupportsGet = true, Name = "after")] public string? After { get; set; }
    [BindProperty(SupportsGet = true, Name = "version")] public string? Version { get; set; }

    /// <summary>Operators offered by the filter form, as the API names them.</summary>
    public static readonly (string Op, string Label)[] Ops =
    [
        ("eq", "等于"), ("ne", "不等于"), ("gt", "大于"), ("ge", "大于等于"), ("lt", "小于"), ("le", "小于等于"),
        ("contains", "包含（文本）"), ("startswith", "开头为（文本）"), ("in", "属于（逗号分隔）"), ("between", "介于（下限,上限）"), ("isnull", "为空（是/否）"),
    ];

    public ResolvedTable? Table { get; private set; }
    public RowPage? Result { get; private set; }
    public bool Raw { get; private set; }
    public string? Message { get; private set; }
    public FormErrors Errors { get; } = new();
    public int Limit => pageOptions.Value.PreviewRows;

    /// <summary>The query-string pair the filter form stands for (<c>deal_type=地铁入站</c>, <c>deal_money.gt=2</c>), or null.</summary>
    public KeyValuePair<string, string?>? FilterPair { get; private set; }

    /// <summary>Columns the caller may filter on (masked columns are not filterable without the right to raw values).</summary>
    public IEnumerable<DataColumn> FilterColumns => Table is null ? [] : Table.Layout.Columns.Where(c => Raw || !Masker.Masks(c));

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (!Resource.Structured) return Page();
        int? version = null;
        if (!string.IsNullOrWhiteSpace(Version))
        {
            if (int.TryParse(Version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) version = n;
            else
            {
                Errors.Add("version", $"版本号“{Version}”无效，应为正整数");
                return Page();
            }
        }
        var pairs = new List<KeyValuePair<string, string?>> { new("limit", Limit.ToString(CultureInfo.InvariantCulture)) };
        if (!string.IsNullOrWhiteSpace(Field))
        {
            var op = string.IsNullOrWhiteSpace(Op) ? "eq" : Op.Trim().ToLowerInvariant();
            if (!Ops.Any(o => o.Op == op))
            {
                Errors.Add("op", $"运算符“{Op}”无效");
                op = "eq";
            }
            var value = Value ?? "";
            if (op == "isnull") value = value.Trim() switch { "" or "是" or "true" => "true", "否" or "false" => "false", var v => v };
            FilterPair = new(op == "eq" ? Field.Trim() : $"{Field.Trim()}.{op}", value);
            pairs.Add(FilterPair.Value);
        }
        if (!string.IsNullOrEmpty(After)) pairs.Add(new("after", After));
        pairs.Add(new("count", string.IsNullOrEmpty(After) ? "true" : "false"));   // the total costs a scan: first page only

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Table = await resolver.ResolveAsync(ResourceCode.Parse(Resource.Code), version, ct);
            if (Table is null)
            {
                Message = version is { } v ? $"没有可预览的第 {v} 版（不存在、加载未完成或数据表已按保留策略清理）" : "该资源尚无可用数据，请先上传并加载数据";
                return Page();
            }
            Raw = Query.RowsApi.IsEntitledToRaw(User, Table);
            if (Errors.Any) return Page();
            try
            {
                var query = RowQueryParser.ParseRows(Table.Layout, pairs, queryOptions.Value);
                Result = await rows.QueryAsync(Table, query, Raw, ct);
                return Page();
            }
            catch (QueryException ex)
            {
                Errors.Add(ex.Parameter == "after" ? "after" : "filter", ex.Message);
                return Page();
            }
            catch (DataTableGoneException) when (attempt == 1)
            {
                // The version was switched and its table dropped between resolving and reading: read the new one.
            }
            catch (DataTableGoneException)
            {
                Message = "数据版本刚刚切换，请刷新页面";
                return Page();
            }
        }
        return Page();
    }

    /// <summary>This page with the current filter and version, at another keyset position (null: the first page).</summary>
    public string Link(string? after) => DataUi.Link(Resource.Path("/preview"), ("field", Field), ("op", Field is null ? null : Op), ("value", Field is null ? null : Value),
        ("version", Version), ("after", after));

    /// <summary>The same query against the API (JSON), for users who want to script it.</summary>
    public string ApiLink => DataUi.Link(Resource.Api("/rows"), ("limit", Limit.ToString(CultureInfo.InvariantCulture)), ("version", Version),
        (FilterPair?.Key ?? "", FilterPair?.Value));
}
