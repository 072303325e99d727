namespace GovData.Data.Features.Query;

/// <summary>
/// A query the caller got wrong: <see cref="Parameter"/> is the query-string name to blame and the message is Chinese and
/// names the parameter and the value. <see cref="Forbidden"/> marks a query the caller may not run (filtering on a
/// masked field without the right to raw values): HTTP 403 instead of 400.
/// </summary>
internal sealed class QueryException(string parameter, string message, bool forbidden = false) : Exception(message)
{
    /// <summary>The query parameter at fault (e.g. <c>age.gt</c>, <c>sort</c>).</summary>
    public string Parameter { get; } = parameter;

    /// <summary>True when the query is well-formed but not allowed for this caller.</summary>
    public bool Forbidden { get; } = forbidden;
}
