namespace GovData.Data.Features.Query;

/// <summary>
/// Limits of the query API, configuration section <c>GovData:Data:Query</c>
/// (e.g. <c>GovData__Data__Query__MaxLimit=20000</c>).
/// </summary>
internal sealed class RowQueryOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "GovData:Data:Query";

    /// <summary>Rows (or groups) per page when <c>limit</c> is not given.</summary>
    public int DefaultLimit { get; set; } = 100;

    /// <summary>Largest <c>limit</c> accepted.</summary>
    public int MaxLimit { get; set; } = 10_000;

    /// <summary>Most values in one <c>in</c> filter.</summary>
    public int MaxInValues { get; set; } = 1_000;

    /// <summary>Most filters in one query.</summary>
    public int MaxFilters { get; set; } = 50;

    /// <summary>Largest <c>offset</c> accepted; deeper pages use the keyset cursor <c>after</c>.</summary>
    public int MaxOffset { get; set; } = 1_000_000;
}
