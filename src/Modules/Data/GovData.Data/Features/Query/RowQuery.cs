using GovData.Data.Domain;

namespace GovData.Data.Features.Query;

/// <summary>Filter operators of the data API (<c>field.op=value</c>).</summary>
internal enum FilterOp
{
    Eq, Ne, Gt, Ge, Lt, Le, In, Between, Contains, StartsWith, IsNull,
}

/// <summary>
/// One filter: <paramref name="Parameter"/> is the query-string name as the caller wrote it (named in error messages),
/// <paramref name="Values"/> are CLR values of the column's type (string, decimal, double, long, DateOnly, DateTime,
/// bool): one for comparisons, two for <c>between</c>, one or more for <c>in</c>, one bool for <c>isnull</c>.
/// </summary>
internal sealed record QueryFilter(string Parameter, DataColumn Column, FilterOp Op, IReadOnlyList<object> Values);

/// <summary>One sort key.</summary>
internal sealed record SortKey(DataColumn Column, bool Descending);

/// <summary>
/// Keyset position: the sort values of the last row of the previous page and its <c>_row</c>. <paramref name="Sort"/>
/// is the sort specification the cursor was made for (a cursor only continues the same order).
/// </summary>
internal sealed record KeysetCursor(string Sort, IReadOnlyList<object?> Values, long Row);

/// <summary>
/// A parsed, validated row query against one <see cref="TableLayout"/>: every field is a column of the layout, every
/// value is typed. <paramref name="Limit"/> null means no limit (export of a whole result only, never the rows API).
/// </summary>
internal sealed record RowQuery(
    IReadOnlyList<QueryFilter> Filters,
    IReadOnlyList<DataColumn> Fields,
    IReadOnlyList<SortKey> Sort,
    int? Limit,
    int Offset,
    KeysetCursor? After,
    bool Count)
{
    /// <summary>
    /// Conditions imposed by the caller's entitlement (the row conditions of an access policy, e.g. an exchange grant):
    /// ANDed to every statement like <see cref="Filters"/>, but never checked against masking — the caller did not write
    /// them and never sees them — and never part of a cursor.
    /// </summary>
    public IReadOnlyList<QueryFilter> Scope { get; init; } = [];

    /// <summary><see cref="Filters"/> and <see cref="Scope"/>: every condition of the statement.</summary>
    public IReadOnlyList<QueryFilter> AllFilters => Scope.Count == 0 ? Filters : [.. Filters, .. Scope];

    /// <summary>All rows, all columns, in load order (<c>_row</c>), no limit (export of a whole version).</summary>
    public static RowQuery All(TableLayout layout) => new([], layout.Columns, [], null, 0, null, false);

    /// <summary>The sort specification as text (<c>a,-b</c>; empty for the default order by <c>_row</c>), bound into cursors.</summary>
    public string SortSpec => string.Join(",", Sort.Select(s => (s.Descending ? "-" : "") + s.Column.FieldName));
}

/// <summary>Aggregate functions of <c>agg=</c>.</summary>
internal enum AggregateFunction
{
    Count, Sum, Avg, Min, Max,
}

/// <summary>One aggregate: <paramref name="Alias"/> is its JSON name (<c>count</c>, <c>sum_x</c> ...); Column is null for count.</summary>
internal sealed record AggregateSpec(AggregateFunction Function, DataColumn? Column, string Alias);

/// <summary>A sort key of an aggregate result: a group column or an aggregate.</summary>
internal sealed record AggregateSortKey(DataColumn? GroupColumn, AggregateSpec? Aggregate, bool Descending);

/// <summary>A parsed, validated aggregate query (<c>group=</c>, <c>agg=</c>, filters, <c>sort=</c>, limit on groups).</summary>
internal sealed record AggregateQuery(
    IReadOnlyList<QueryFilter> Filters,
    IReadOnlyList<DataColumn> Group,
    IReadOnlyList<AggregateSpec> Aggregates,
    IReadOnlyList<AggregateSortKey> Sort,
    int Limit,
    int Offset,
    bool Count);
