using System.Globalization;
using System.Text;
using GovData.Data.Domain;

namespace GovData.Data.Features.Query;

/// <summary>
/// Turns query-string pairs into a validated <see cref="RowQuery"/> or <see cref="AggregateQuery"/> for one layout.
/// Independent of HTTP: the caller passes the pairs (repeated names allowed). Field names are API names resolved by
/// <see cref="TableLayout.Find"/> (physical column names are never accepted); every value is parsed as the column's CLR
/// type. Anything wrong throws <see cref="QueryException"/> naming the parameter and the value in Chinese.
/// </summary>
internal static class RowQueryParser
{
    private static readonly Dictionary<string, FilterOp> Ops = new(StringComparer.OrdinalIgnoreCase)
    {
        ["eq"] = FilterOp.Eq, ["ne"] = FilterOp.Ne, ["gt"] = FilterOp.Gt, ["ge"] = FilterOp.Ge, ["lt"] = FilterOp.Lt,
        ["le"] = FilterOp.Le, ["in"] = FilterOp.In, ["between"] = FilterOp.Between, ["contains"] = FilterOp.Contains,
        ["startswith"] = FilterOp.StartsWith, ["isnull"] = FilterOp.IsNull,
    };

    /// <summary>Operator names as written in the query string.</summary>
    public static string OpName(FilterOp op) => op switch
    {
        FilterOp.StartsWith => "startswith",
        FilterOp.IsNull => "isnull",
        _ => op.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether an operator applies to a column kind: contains/startswith only on text, order comparisons not on booleans.</summary>
    public static bool Supports(ColumnKind kind, FilterOp op) => op switch
    {
        FilterOp.Eq or FilterOp.Ne or FilterOp.In or FilterOp.IsNull => true,
        FilterOp.Contains or FilterOp.StartsWith => kind == ColumnKind.Text,
        _ => kind != ColumnKind.Boolean,
    };

    /// <summary>Parses a row query. <paramref name="unlimited"/>: no default limit and no maximum (export of a query result).</summary>
    public static RowQuery ParseRows(TableLayout layout, IEnumerable<KeyValuePair<string, string?>> pairs, RowQueryOptions options, bool unlimited = false)
    {
        var p = Split(pairs);
        foreach (var name in new[] { QueryParameters.Group, QueryParameters.Agg })
            if (p.Reserved.ContainsKey(name))
                throw new QueryException(name, $"参数 {name} 只能用于聚合查询（/aggregate），行查询（/rows）不支持");
        var filters = ParseFilters(layout, p.Filters, options);
        var fields = p.Reserved.TryGetValue(QueryParameters.Fields, out var f) ? ParseFields(layout, f) : layout.Columns;
        var sort = p.Reserved.TryGetValue(QueryParameters.Sort, out var s) ? ParseSort(layout, s) : [];
        int? limit = p.Reserved.TryGetValue(QueryParameters.Limit, out var l)
            ? ParseInt(QueryParameters.Limit, l, 0, unlimited ? int.MaxValue : options.MaxLimit)
            : unlimited ? null : options.DefaultLimit;
        var offset = p.Reserved.TryGetValue(QueryParameters.Offset, out var o) ? ParseInt(QueryParameters.Offset, o, 0, options.MaxOffset) : 0;
        var count = !p.Reserved.TryGetValue(QueryParameters.Count, out var c) || ParseBool(QueryParameters.Count, c);
        KeysetCursor? after = null;
        var query = new RowQuery(filters, fields, sort, limit, offset, null, count);
        if (p.Reserved.TryGetValue(QueryParameters.After, out var a) && a.Length > 0)
        {
            if (offset > 0) throw new QueryException(QueryParameters.After, "参数 after（游标）与 offset 不能同时使用：游标已指明从哪一行之后继续");
            after = CursorCodec.Decode(a, sort, query.SortSpec);
        }
        return query with { After = after };
    }

    /// <summary>Parses an aggregate query (<c>group=</c>, <c>agg=</c>, filters, <c>sort=</c>, <c>limit</c>/<c>offset</c> on groups).</summary>
    public static AggregateQuery ParseAggregate(TableLayout layout, IEnumerable<KeyValuePair<string, string?>> pairs, RowQueryOptions options)
    {
        var p = Split(pairs);
        foreach (var name in new[] { QueryParameters.Fields, QueryParameters.After })
            if (p.Reserved.ContainsKey(name))
                throw new QueryException(name, $"参数 {name} 不适用于聚合查询：结果列由 group 与 agg 决定，分页请用 limit 与 offset");
        var filters = ParseFilters(layout, p.Filters, options);
        var group = p.Reserved.TryGetValue(QueryParameters.Group, out var g) ? ParseColumnList(layout, QueryParameters.Group, g) : [];
        var aggregates = p.Reserved.TryGetValue(QueryParameters.Agg, out var a) ? ParseAggregates(layout, a) : [new AggregateSpec(AggregateFunction.Count, null, "count")];
        foreach (var spec in aggregates)
            if (group.Any(c => string.Equals(c.FieldName, spec.Alias, StringComparison.OrdinalIgnoreCase)))
                throw new QueryException(QueryParameters.Agg, $"参数 agg 的结果名“{spec.Alias}”与分组字段同名，请换用其他聚合或分组");
        var sort = p.Reserved.TryGetValue(QueryParameters.Sort, out var s) ? ParseAggregateSort(layout, s, group, aggregates) : [];
        var limit = p.Reserved.TryGetValue(QueryParameters.Limit, out var l) ? ParseInt(QueryParameters.Limit, l, 0, options.MaxLimit) : options.DefaultLimit;
        var offset = p.Reserved.TryGetValue(QueryParameters.Offset, out var o) ? ParseInt(QueryParameters.Offset, o, 0, options.MaxOffset) : 0;
        var count = !p.Reserved.TryGetValue(QueryParameters.Count, out var c) || ParseBool(QueryParameters.Count, c);
        return new AggregateQuery(filters, group, aggregates, sort, limit, offset, count);
    }

    private sealed record Pairs(Dictionary<string, string> Reserved, List<(string Key, string Value)> Filters);

    private static Pairs Split(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        var reserved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var filters = new List<(string, string)>();
        foreach (var (rawKey, rawValue) in pairs)
        {
            var key = rawKey.Trim();
            var value = rawValue ?? "";
            if (key.Length == 0) throw new QueryException("(空)", $"查询参数名不能为空（值为“{Shorten(value)}”）");
            if (QueryParameters.IsReserved(key))
            {
                var name = key.ToLowerInvariant();
                if (!reserved.TryAdd(name, value))
                    throw new QueryException(name, $"参数 {name} 只能出现一次");
            }
            else filters.Add((key, value));
        }
        return new Pairs(reserved, filters);
    }

    private static List<QueryFilter> ParseFilters(TableLayout layout, List<(string Key, string Value)> pairs, RowQueryOptions options)
    {
        var filters = new List<QueryFilter>();
        var inFilters = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);   // repeated field.in=... add values
        foreach (var (key, value) in pairs)
        {
            var (column, op) = ResolveFilterKey(layout, key);
            if (!Supports(column.Kind, op))
                throw new QueryException(key, $"参数“{key}”：运算符 {OpName(op)} 不适用于{QueryValues.KindName(column.Kind)}字段“{column.FieldName}”。"
                    + $"{QueryValues.KindName(column.Kind)}字段可用：{string.Join("、", Ops.Where(o => Supports(column.Kind, o.Value)).Select(o => o.Key))}");
            if (op == FilterOp.In && inFilters.TryGetValue(key, out var at))
            {
                var previous = filters[at];
                var merged = previous.Values.Concat(ParseValues(key, column, value, op, options)).ToList();
                if (merged.Count > options.MaxInValues)
                    throw new QueryException(key, $"参数“{key}”的取值超过 {options.MaxInValues} 个");
                filters[at] = previous with { Values = merged };
                continue;
            }
            if (op == FilterOp.In) inFilters[key] = filters.Count;
            filters.Add(new QueryFilter(key, column, op, ParseValues(key, column, value, op, options)));
            if (filters.Count > options.MaxFilters)
                throw new QueryException(key, $"筛选条件过多：一次查询最多 {options.MaxFilters} 个");
        }
        return filters;
    }

    private static (DataColumn Column, FilterOp Op) ResolveFilterKey(TableLayout layout, string key)
    {
        var dot = key.LastIndexOf('.');
        if (dot > 0 && dot < key.Length - 1)
        {
            var fieldName = key[..dot];
            var opName = key[(dot + 1)..];
            if (Ops.TryGetValue(opName, out var op))
            {
                if (layout.Find(fieldName) is { } c) return (c, op);
                if (layout.Find(key) is { } whole) return (whole, FilterOp.Eq);
                throw UnknownField(layout, key, fieldName);
            }
            if (layout.Find(key) is { } named) return (named, FilterOp.Eq);
            if (layout.Find(fieldName) is not null)
                throw new QueryException(key, $"参数“{key}”：不支持的运算符“{opName}”。可用运算符：{string.Join("、", Ops.Keys)}");
            throw UnknownField(layout, key, key);
        }
        return layout.Find(key) is { } column ? (column, FilterOp.Eq) : throw UnknownField(layout, key, key);
    }

    private static QueryException UnknownField(TableLayout layout, string parameter, string field)
    {
        var names = layout.Columns.Select(c => c.FieldName).ToList();
        var list = string.Join("、", names.Take(30)) + (names.Count > 30 ? $" 等 {names.Count} 个" : "");
        return new QueryException(parameter, $"参数“{Shorten(parameter)}”：未知字段“{Shorten(field)}”。可用字段：{list}");
    }

    private static List<object> ParseValues(string key, DataColumn column, string value, FilterOp op, RowQueryOptions options)
    {
        switch (op)
        {
            case FilterOp.IsNull:
                return [ParseBool(key, value)];
            case FilterOp.In:
            {
                var items = SplitList(value);
                if (items.Count > options.MaxInValues)
                    throw new QueryException(key, $"参数“{key}”的取值超过 {options.MaxInValues} 个");
                return items.Select(i => ParseValue(key, column, i, value)).ToList();
            }
            case FilterOp.Between:
            {
                var items = SplitList(value);
                if (items.Count != 2)
                    throw new QueryException(key, $"参数“{key}”的值“{Shorten(value)}”应为用逗号分隔的两个值（下限,上限），如 {Example(column.Kind)},{Example(column.Kind)}");
                return [ParseValue(key, column, items[0], value), ParseValue(key, column, items[1], value)];
            }
            case FilterOp.Contains or FilterOp.StartsWith:
                if (value.Length == 0) throw new QueryException(key, $"参数“{key}”的值不能为空");
                return [value];
            default:
                return [ParseValue(key, column, value, value)];
        }
    }

    private static object ParseValue(string key, DataColumn column, string text, string whole)
    {
        if (text.Length == 0)
            throw new QueryException(key, whole.Length == 0
                ? $"参数“{key}”的值为空；查找空值请用 {column.FieldName}.isnull=true"
                : $"参数“{key}”的值“{Shorten(whole)}”中有空项");
        if (!QueryValues.TryParse(column.Kind, text, out var value))
            throw new QueryException(key, $"参数“{key}”的值“{Shorten(text)}”不是有效的{QueryValues.KindName(column.Kind)}（字段“{column.FieldName}”应为{QueryValues.Expected(column.Kind)}）");
        return value;
    }

    private static string Example(ColumnKind kind) => kind switch
    {
        ColumnKind.Date => "2018-01-01",
        ColumnKind.Timestamp => "2018-01-01T00:00:00",
        ColumnKind.Text => "A",
        _ => "1",
    };

    /// <summary>Splits a comma-separated list; <c>\,</c> is a literal comma and <c>\\</c> a literal backslash.</summary>
    public static List<string> SplitList(string value)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var ch = value[i];
            if (ch == '\\' && i + 1 < value.Length && value[i + 1] is ',' or '\\')
            {
                current.Append(value[++i]);
            }
            else if (ch == ',')
            {
                items.Add(current.ToString());
                current.Clear();
            }
            else current.Append(ch);
        }
        items.Add(current.ToString());
        return items;
    }

    private static List<DataColumn> ParseFields(TableLayout layout, string value) => ParseColumnList(layout, QueryParameters.Fields, value);

    private static List<DataColumn> ParseColumnList(TableLayout layout, string parameter, string value)
    {
        var columns = new List<DataColumn>();
        foreach (var item in SplitList(value).Select(i => i.Trim()))
        {
            if (item.Length == 0) throw new QueryException(parameter, $"参数 {parameter} 的值“{Shorten(value)}”中有空的字段名");
            var column = layout.Find(item) ?? throw UnknownField(layout, parameter, item);
            if (columns.Contains(column)) throw new QueryException(parameter, $"参数 {parameter} 中字段“{item}”重复");
            columns.Add(column);
        }
        return columns;
    }

    private static List<SortKey> ParseSort(TableLayout layout, string value)
    {
        var keys = new List<SortKey>();
        foreach (var raw in SplitList(value).Select(i => i.Trim()))
        {
            var (name, desc) = SortName(raw, value);
            var column = layout.Find(name) ?? throw UnknownField(layout, QueryParameters.Sort, name);
            if (keys.Any(k => k.Column == column)) throw new QueryException(QueryParameters.Sort, $"参数 sort 中字段“{name}”重复");
            keys.Add(new SortKey(column, desc));
        }
        return keys;
    }

    private static (string Name, bool Descending) SortName(string raw, string whole)
    {
        var desc = raw.StartsWith('-');
        var name = raw.TrimStart('-', '+').Trim();
        if (name.Length == 0) throw new QueryException(QueryParameters.Sort, $"参数 sort 的值“{Shorten(whole)}”中有空的字段名");
        return (name, desc);
    }

    private static List<AggregateSpec> ParseAggregates(TableLayout layout, string value)
    {
        var specs = new List<AggregateSpec>();
        foreach (var item in SplitList(value).Select(i => i.Trim()))
        {
            if (item.Length == 0) throw new QueryException(QueryParameters.Agg, $"参数 agg 的值“{Shorten(value)}”中有空项");
            var colon = item.IndexOf(':');
            var fnName = (colon < 0 ? item : item[..colon]).Trim().ToLowerInvariant();
            var fieldName = colon < 0 ? null : item[(colon + 1)..].Trim();
            AggregateFunction fn = fnName switch
            {
                "count" => AggregateFunction.Count,
                "sum" => AggregateFunction.Sum,
                "avg" => AggregateFunction.Avg,
                "min" => AggregateFunction.Min,
                "max" => AggregateFunction.Max,
                _ => throw new QueryException(QueryParameters.Agg, $"参数 agg 中的“{Shorten(item)}”：不支持的聚合函数“{Shorten(fnName)}”，可用 count、sum、avg、min、max"),
            };
            DataColumn? column = null;
            if (fieldName is not null)
            {
                if (fieldName.Length == 0) throw new QueryException(QueryParameters.Agg, $"参数 agg 中的“{item}”缺少字段名，应写作 {fnName}:字段");
                column = layout.Find(fieldName) ?? throw UnknownField(layout, QueryParameters.Agg, fieldName);
            }
            else if (fn != AggregateFunction.Count)
                throw new QueryException(QueryParameters.Agg, $"参数 agg 中的“{item}”缺少字段名，应写作 {fnName}:字段，如 {fnName}:{layout.Columns.FirstOrDefault(c => IsNumeric(c.Kind))?.FieldName ?? "字段"}");
            if (column is not null)
            {
                if (fn is AggregateFunction.Sum or AggregateFunction.Avg && !IsNumeric(column.Kind))
                    throw new QueryException(QueryParameters.Agg, $"参数 agg 中的“{item}”：{fnName} 只能用于数值字段，“{column.FieldName}”是{QueryValues.KindName(column.Kind)}字段");
                if (fn is AggregateFunction.Min or AggregateFunction.Max && column.Kind == ColumnKind.Boolean)
                    throw new QueryException(QueryParameters.Agg, $"参数 agg 中的“{item}”：{fnName} 不适用于布尔字段“{column.FieldName}”");
            }
            var alias = column is null ? fnName : fnName + "_" + column.FieldName;
            if (specs.Any(x => string.Equals(x.Alias, alias, StringComparison.OrdinalIgnoreCase)))
                throw new QueryException(QueryParameters.Agg, $"参数 agg 中“{item}”重复");
            specs.Add(new AggregateSpec(fn, column, alias));
        }
        return specs;
    }

    private static bool IsNumeric(ColumnKind kind) => kind is ColumnKind.Decimal or ColumnKind.Double or ColumnKind.Integer;

    private static List<AggregateSortKey> ParseAggregateSort(TableLayout layout, string value, IReadOnlyList<DataColumn> group, IReadOnlyList<AggregateSpec> aggregates)
    {
        var keys = new List<AggregateSortKey>();
        foreach (var raw in SplitList(value).Select(i => i.Trim()))
        {
            var (name, desc) = SortName(raw, value);
            AggregateSortKey key;
            if (aggregates.FirstOrDefault(a => string.Equals(a.Alias, name, StringComparison.OrdinalIgnoreCase)) is { } spec)
                key = new AggregateSortKey(null, spec, desc);
            else if (layout.Find(name) is { } column && group.Contains(column))
                key = new AggregateSortKey(column, null, desc);
            else
                throw new QueryException(QueryParameters.Sort, $"参数 sort 中的“{Shorten(name)}”既不是分组字段也不是聚合结果名。可用：{string.Join("、", group.Select(c => c.FieldName).Concat(aggregates.Select(a => a.Alias)))}");
            if (keys.Any(k => k.GroupColumn is not null && k.GroupColumn == key.GroupColumn || k.Aggregate is not null && k.Aggregate == key.Aggregate))
                throw new QueryException(QueryParameters.Sort, $"参数 sort 中“{name}”重复");
            keys.Add(key);
        }
        return keys;
    }

    private static int ParseInt(string parameter, string value, int min, int max)
    {
        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new QueryException(parameter, $"参数 {parameter} 的值“{Shorten(value)}”无效：应为 {min} 到 {max.ToString("N0", CultureInfo.InvariantCulture)} 之间的整数"
                + (parameter == QueryParameters.Offset ? "；更深的分页请使用游标 after（上一页响应中的 next）" : ""));
        return n;
    }

    private static bool ParseBool(string parameter, string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "是" => true,
        "false" or "0" or "否" => false,
        _ => throw new QueryException(parameter, $"参数“{parameter}”的值“{Shorten(value)}”无效：应为 true 或 false"),
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
