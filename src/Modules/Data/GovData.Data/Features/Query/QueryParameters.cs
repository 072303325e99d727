namespace GovData.Data.Features.Query;

/// <summary>
/// The query-string names with a meaning of their own in the data API (<c>/rows</c>, <c>/aggregate</c> and the export
/// endpoints). Every other parameter is a filter on a field. This is the one list: an endpoint that adds a parameter
/// adds it here, so it never gets taken for a field. A field whose API name equals a reserved name is still filtered
/// with an explicit operator (<c>count.eq=5</c>).
/// </summary>
internal static class QueryParameters
{
    public const string Fields = "fields";
    public const string Sort = "sort";
    public const string Limit = "limit";
    public const string Offset = "offset";
    public const string After = "after";
    public const string Count = "count";
    public const string Version = "version";
    public const string Format = "format";
    public const string Group = "group";
    public const string Agg = "agg";
    /// <summary><c>raw=false</c>: masked values even for a caller entitled to raw ones; <c>raw=true</c> without the right → 403.</summary>
    public const string Raw = "raw";

    /// <summary>Names used by the export endpoint (<c>/export</c>: file options; <see cref="Format"/> too).</summary>
    public static readonly string[] ExportOptions = ["bom", "encoding", "header"];

    /// <summary>Names read by the host's middleware (request culture), never filters.</summary>
    public static readonly string[] HostOptions = ["culture", "ui-culture"];

    /// <summary>Every reserved name (compared case-insensitively).</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(
        [Fields, Sort, Limit, Offset, After, Count, Version, Format, Group, Agg, Raw, .. ExportOptions, .. HostOptions],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="name"/> is not a filter.</summary>
    public static bool IsReserved(string name) => Reserved.Contains(name);
}
