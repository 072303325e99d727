using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Export;
using GovData.Data.Features.Masking;
using GovData.Data.Features.Query;
using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GovData.Data.Features.Governed;

/// <summary>Registration of the governed-access contract.</summary>
internal static class GovernedRegistration
{
    public static IServiceCollection AddGovernedDataAccess(this IServiceCollection services) =>
        services.AddScoped<IGovernedDataAccess, GovernedDataAccess>();
}

/// <summary>
/// <see cref="IGovernedDataAccess"/> over the query side: the policy becomes a narrowed <see cref="TableLayout"/> (only the
/// allowed columns, so the parser knows no other field — unknown to filters, sort and <c>fields</c>, and never named in
/// messages) plus <see cref="RowQuery.Scope"/> conditions parsed against the whole layout; SQL is built by
/// <see cref="QuerySql"/>, rows read by <see cref="RowQueryService"/>, files written by <see cref="DataExporter"/>.
/// </summary>
internal sealed partial class GovernedDataAccess(IDataTableResolver resolver, RowQueryService rows, DatabaseSettings settings, IOptions<RowQueryOptions> options)
    : IGovernedDataAccess
{
    /// <summary>Longest value accepted in a 核验 question.</summary>
    public const int MaxVerifyValueLength = 1000;

    // Reserved names that have no meaning under a policy: the policy decides masking, the current version is served,
    // export options travel in DataExportRequest.
    private static readonly HashSet<string> Refused = new(StringComparer.OrdinalIgnoreCase)
        { QueryParameters.Version, QueryParameters.Raw, QueryParameters.Format, "bom", "encoding", "header" };

    public async Task<DataResourceDescription?> DescribeAsync(ResourceCode code, AccessPolicy policy, CancellationToken ct = default)
    {
        var table = await resolver.ResolveAsync(code, null, ct);
        if (table is null) return null;
        var view = PolicyView.Apply(table, policy, options.Value);
        // The load pipeline's resolver knows the row count; another resolver (tests) is answered by counting.
        var count = table.RowCount ?? (await rows.QueryAsync(table, new RowQuery([], [], [], 0, 0, null, true), raw: true, ct)).Total ?? 0;
        return new DataResourceDescription(table.ResourceCode, table.ResourceName, table.DepartmentId, table.VersionNumber, count,
            table.LoadedAt, Fields(view.Layout.Columns, policy.Raw));
    }

    public async Task<GovernedRowPage> QueryAsync(ResourceCode code, AccessPolicy policy, IEnumerable<KeyValuePair<string, string?>> query,
        int? maxRows = null, CancellationToken ct = default)
    {
        var pairs = CheckPairs(query);
        for (var attempt = 1; ; attempt++)
        {
            var table = await ResolveAsync(code, ct);
            var view = PolicyView.Apply(table, policy, options.Value);
            try
            {
                var parsed = RowQueryParser.ParseRows(view.Layout, pairs, options.Value) with { Scope = view.Scope };
                if (maxRows is { } cap && (parsed.Limit ?? int.MaxValue) > Math.Max(0, cap)) parsed = parsed with { Limit = Math.Max(0, cap) };
                var page = await rows.QueryAsync(table, parsed, policy.Raw, ct);
                return new GovernedRowPage(table.ResourceCode, table.VersionNumber, table.LoadedAt, Fields(page.Columns, policy.Raw),
                    page.Rows, page.Total, parsed.Limit ?? 0, parsed.Offset, page.Next);
            }
            catch (QueryException ex)
            {
                throw Map(ex);
            }
            catch (DataTableGoneException) when (attempt == 1)
            {
                // The version was switched and its table dropped between resolving and reading: read the new current one.
            }
            catch (DataTableGoneException)
            {
                throw Gone(table);
            }
        }
    }

    public async Task<GovernedExport> PrepareExportAsync(ResourceCode code, AccessPolicy policy, DataExportRequest export,
        IEnumerable<KeyValuePair<string, string?>> query, CancellationToken ct = default)
    {
        var pairs = CheckPairs(query);
        if (!ExportOptions.TryParse(export.Format.ToString(), export.Bom ? "true" : null, export.Gb18030 ? "gbk" : null,
                export.FieldCodeHeader ? "code" : null, out var exportOptions, out var errors))
        {
            var (parameter, messages) = errors.First();
            throw new DataAccessException(DataAccessErrorKind.InvalidRequest, parameter, messages[0]);
        }
        var table = await ResolveAsync(code, ct);
        var view = PolicyView.Apply(table, policy, options.Value);
        RowQuery parsed;
        try
        {
            parsed = RowQueryParser.ParseRows(view.Layout, pairs, options.Value, unlimited: true) with { Scope = view.Scope };
            if (!policy.Raw) RowQueryService.EnsureAllowed(parsed);
        }
        catch (QueryException ex)
        {
            throw Map(ex);
        }
        var dataset = new ExportDataset(table.ResourceCode, table.ResourceName, table.VersionNumber, parsed.Fields);
        var raw = policy.Raw;
        return new GovernedExport(table.ResourceCode, table.VersionNumber, exportOptions.ContentType,
            exportOptions.FileName(table.ResourceName, table.VersionNumber),
            exportOptions.ContentDisposition(table.ResourceName, table.ResourceCode, table.VersionNumber),
            Fields(parsed.Fields, raw),
            async (output, token) =>
            {
                try
                {
                    // Rows come from the query service already masked unless raw: the writers must not mask again.
                    return await DataExporter.WriteAsync(exportOptions, dataset, rows.StreamAsync(table, parsed, raw, token), output, raw: true, token);
                }
                catch (DataTableGoneException)
                {
                    throw Gone(table);
                }
            });
    }

    public async Task<VerificationOutcome> VerifyAsync(ResourceCode code, AccessPolicy policy, VerificationQuery query, CancellationToken ct = default) =>
        (await VerifyCoreAsync(code, policy, [query], batch: false, ct))[0];

    public Task<IReadOnlyList<VerificationOutcome>> VerifyManyAsync(ResourceCode code, AccessPolicy policy, IReadOnlyList<VerificationQuery> queries,
        CancellationToken ct = default) => VerifyCoreAsync(code, policy, queries, batch: true, ct);

    private async Task<IReadOnlyList<VerificationOutcome>> VerifyCoreAsync(ResourceCode code, AccessPolicy policy,
        IReadOnlyList<VerificationQuery> queries, bool batch, CancellationToken ct)
    {
        if (queries.Count == 0) return [];
        for (var attempt = 1; ; attempt++)
        {
            var table = await ResolveAsync(code, ct);
            var view = PolicyView.Apply(table, policy, options.Value);
            var keyColumns = table.Layout.KeyColumns;
            if (keyColumns.Count == 0)
                throw new DataAccessException(DataAccessErrorKind.InvalidRequest, "keys", $"资源“{table.ResourceCode}”没有主键信息项，不支持核验");
            var hidden = keyColumns.FirstOrDefault(k => !view.Layout.Columns.Contains(k));
            if (hidden is not null)
                throw new DataAccessException(DataAccessErrorKind.Forbidden, "keys", $"授权范围不包含主键字段“{hidden.FieldName}”（{hidden.ItemName}），无法核验");
            var questions = new List<(IReadOnlyList<QueryFilter>, IReadOnlyList<QueryFilter>)>(queries.Count);
            for (var i = 0; i < queries.Count; i++)
                questions.Add(Question(view.Layout, keyColumns, queries[i], batch ? $"items[{i}]." : ""));
            try
            {
                var answers = await rows.VerifyAsync(table, questions, view.Scope, ct);
                return answers.Select(a => a switch
                {
                    null => VerificationOutcome.NotFound,
                    true => VerificationOutcome.Match,
                    false => VerificationOutcome.Mismatch,
                }).ToList();
            }
            catch (DataTableGoneException) when (attempt == 1)
            {
            }
            catch (DataTableGoneException)
            {
                throw Gone(table);
            }
        }
    }

    /// <summary>
    /// Checks one 核验 question against the narrowed layout: a value for every key column, claims on allowed non-key
    /// fields, every value non-empty and of the field's type. Messages name the fields, never the values.
    /// </summary>
    private static (IReadOnlyList<QueryFilter> Keys, IReadOnlyList<QueryFilter> Claims) Question(TableLayout view, IReadOnlyList<DataColumn> keyColumns,
        VerificationQuery query, string prefix)
    {
        var keyNames = string.Join("、", keyColumns.Select(k => k.FieldName));
        var keys = new List<QueryFilter>();
        foreach (var (name, value) in query.Keys ?? new Dictionary<string, string?>())
        {
            var parameter = prefix + "keys." + name;
            var column = view.Find(name);
            if (column is null || !column.IsKey)
                throw Invalid(parameter, $"“{Shorten(name)}”不是本资源的主键字段；主键字段：{keyNames}");
            if (keys.Any(k => k.Column == column))
                throw Invalid(parameter, $"主键字段“{column.FieldName}”重复");
            keys.Add(new QueryFilter(parameter, column, FilterOp.Eq, [Parse(parameter, column, value)]));
        }
        var missing = keyColumns.FirstOrDefault(k => !keys.Any(f => f.Column == k));
        if (missing is not null)
            throw Invalid(prefix + "keys." + missing.FieldName, $"缺少主键字段“{missing.FieldName}”（{missing.ItemName}）；核验须给出全部主键字段：{keyNames}");
        var claims = new List<QueryFilter>();
        foreach (var (name, value) in query.Claims ?? new Dictionary<string, string?>())
        {
            var parameter = prefix + "claims." + name;
            var column = view.Find(name) ?? throw Invalid(parameter, $"字段“{Shorten(name)}”不在可核验的范围内");
            if (column.IsKey) throw Invalid(parameter, $"主键字段“{column.FieldName}”用于查找记录，请放在 keys 中，不能作为核验项");
            if (claims.Any(c => c.Column == column)) throw Invalid(parameter, $"核验项“{column.FieldName}”重复");
            claims.Add(new QueryFilter(parameter, column, FilterOp.Eq, [Parse(parameter, column, value)]));
        }
        return (keys, claims);
    }

    private static object Parse(string parameter, DataColumn column, string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) throw Invalid(parameter, $"字段“{column.FieldName}”的值不能为空");
        if (text.Length > MaxVerifyValueLength) throw Invalid(parameter, $"字段“{column.FieldName}”的值超过 {MaxVerifyValueLength} 个字符");
        return QueryValues.TryParse(column.Kind, text, out var parsed)
            ? parsed
            : throw Invalid(parameter, $"字段“{column.FieldName}”的值格式不正确，应为{QueryValues.Expected(column.Kind)}");
    }

    private async Task<ResolvedTable> ResolveAsync(ResourceCode code, CancellationToken ct) =>
        await resolver.ResolveAsync(code, null, ct)
        ?? throw new DataAccessException(DataAccessErrorKind.NotFound, "code", $"资源“{code}”尚无可查询的数据（未发布或未导入数据）");

    private static List<KeyValuePair<string, string?>> CheckPairs(IEnumerable<KeyValuePair<string, string?>> query)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var pair in query)
        {
            var key = pair.Key.Trim();
            if (QueryParameters.HostOptions.Contains(key, StringComparer.OrdinalIgnoreCase)) continue;
            if (Refused.Contains(key))
                throw Invalid(key.ToLowerInvariant(), key.Equals(QueryParameters.Raw, StringComparison.OrdinalIgnoreCase)
                    ? "参数 raw 不适用：是否脱敏由授权决定"
                    : key.Equals(QueryParameters.Version, StringComparison.OrdinalIgnoreCase)
                        ? "参数 version 不适用：授权访问只提供当前版本"
                        : $"参数 {key.ToLowerInvariant()} 不适用于此查询");
            pairs.Add(pair);
        }
        return pairs;
    }

    private static List<DataFieldDescription> Fields(IEnumerable<DataColumn> columns, bool raw) =>
        columns.Select(c => new DataFieldDescription(c.FieldName, c.ItemName,
            !raw && Masker.Masks(c) ? "text" : QueryValues.ApiType(c.Kind), !raw && Masker.Masks(c), c.IsKey)).ToList();

    private static DataAccessException Map(QueryException ex) =>
        new(ex.Forbidden ? DataAccessErrorKind.Forbidden : DataAccessErrorKind.InvalidRequest, ex.Parameter, ex.Message);

    private static DataAccessException Invalid(string parameter, string message) => new(DataAccessErrorKind.InvalidRequest, parameter, message);

    private static DataAccessException Gone(ResolvedTable table) =>
        new(DataAccessErrorKind.NotFound, "code", $"资源“{table.ResourceCode}”第 {table.VersionNumber} 版的数据表已被清理（版本已切换），请重新查询");

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

/// <summary>
/// A policy applied to one version: <see cref="Layout"/> has the same table and only the allowed columns (the same
/// <see cref="DataColumn"/> instances, so statements built from parsed queries still run on the whole table);
/// <see cref="Scope"/> holds the row conditions as filters on the whole layout. Anything the version cannot honour —
/// no allowed field left, a condition on a missing field, a value of the wrong type — refuses the access.
/// </summary>
internal sealed record PolicyView(TableLayout Layout, IReadOnlyList<QueryFilter> Scope)
{
    public static PolicyView Apply(ResolvedTable table, AccessPolicy policy, RowQueryOptions options)
    {
        var layout = table.Layout;
        IReadOnlyList<DataColumn> allowed = layout.Columns;
        if (policy.Fields is not null)
        {
            var granted = new HashSet<DataColumn>();
            foreach (var field in policy.Fields)
                if (layout.Find(field) is { } column) granted.Add(column);
            allowed = layout.Columns.Where(granted.Contains).ToList();
            if (allowed.Count == 0)
                throw Refuse($"授权的信息项在资源“{table.ResourceCode}”当前版本（第 {table.VersionNumber} 版）中均不存在，无法访问");
        }
        var scope = new List<QueryFilter>();
        for (var i = 0; i < policy.Rows.Count; i++)
        {
            var condition = policy.Rows[i];
            var label = $"授权的行范围条件 {i + 1}（字段“{condition.Field}”）";
            var column = layout.Find(condition.Field)
                ?? throw Refuse($"{label}引用的字段在资源“{table.ResourceCode}”当前版本（第 {table.VersionNumber} 版）中不存在；为避免扩大访问范围，拒绝访问");
            if (condition.Values is null || condition.Values.Count == 0) throw Refuse($"{label}没有取值");
            if (condition.Operator is RowConditionOperator.Equals or RowConditionOperator.Prefix && condition.Values.Count != 1)
                throw Refuse($"{label}只能有一个取值");
            if (condition.Operator == RowConditionOperator.Prefix && column.Kind != ColumnKind.Text)
                throw Refuse($"{label}：前缀条件只适用于文本字段，“{column.FieldName}”是{QueryValues.KindName(column.Kind)}字段");
            if (condition.Values.Count > options.MaxInValues) throw Refuse($"{label}的取值超过 {options.MaxInValues} 个");
            var values = new List<object>(condition.Values.Count);
            foreach (var text in condition.Values)
            {
                if (text is null || !QueryValues.TryParse(column.Kind, condition.Operator == RowConditionOperator.Prefix ? text : text.Trim(), out var value)
                    || value is string { Length: 0 })
                    throw Refuse($"{label}的取值不是有效的{QueryValues.KindName(column.Kind)}");
                values.Add(value);
            }
            var op = condition.Operator switch
            {
                RowConditionOperator.Equals => FilterOp.Eq,
                RowConditionOperator.In => FilterOp.In,
                RowConditionOperator.Prefix => FilterOp.StartsWith,
                _ => throw Refuse($"{label}的运算符无效"),
            };
            scope.Add(new QueryFilter("policy.rows[" + i + "]", column, op, values));
        }
        return new PolicyView(new TableLayout(layout.TableName, allowed), scope);
    }

    private static DataAccessException Refuse(string message) => new(DataAccessErrorKind.Forbidden, "policy", message);
}
