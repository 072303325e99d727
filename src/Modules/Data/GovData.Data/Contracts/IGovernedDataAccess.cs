using GovData.Catalog.Contracts;

namespace GovData.Data.Contracts;

/// <summary>
/// Governed read access to a resource's data for other modules (受控数据访问): the exchange module's grants now, the open
/// portal later. Every call carries an <see cref="AccessPolicy"/> — the fields the caller may see, row conditions that are
/// always applied, raw or masked values — and the data module enforces it: fields outside the policy are never returned
/// and cannot be used to filter or sort, and the row conditions are ANDed to every statement. Queries use the syntax of
/// the data rows API (<c>GET /api/v1/data/{code}/rows</c>, query-string pairs). Reads the current version of the resource.
/// <para>
/// Errors are <see cref="DataAccessException"/> with a Chinese message naming the parameter at fault: <see
/// cref="DataAccessErrorKind.InvalidRequest"/> (bad parameters, HTTP 400), <see cref="DataAccessErrorKind.Forbidden"/>
/// (a field or operation the policy does not allow, or a policy that cannot be enforced on the current version, HTTP 403)
/// and <see cref="DataAccessErrorKind.NotFound"/> (no readable data, HTTP 404).
/// </para>
/// </summary>
public interface IGovernedDataAccess
{
    /// <summary>
    /// The resource's current version as the policy shows it: the allowed fields (API name, item name, type, masked,
    /// key), the row count of the version and its load time. Null when the resource has no readable data.
    /// </summary>
    Task<DataResourceDescription?> DescribeAsync(ResourceCode code, AccessPolicy policy, CancellationToken ct = default);

    /// <summary>
    /// One page of rows: filters (<c>field=value</c>, <c>field.op=value</c>), <c>fields</c>, <c>sort</c>, <c>limit</c>,
    /// <c>offset</c>, <c>after</c>, <c>count</c> — the rows API syntax, restricted to the policy's fields. <c>version</c>,
    /// <c>raw</c> and the export options are refused (the policy decides masking; only the current version is served).
    /// <paramref name="maxRows"/>, when given, caps the page (e.g. the rows left of a daily quota): the page holds at most
    /// that many rows and <see cref="GovernedRowPage.Next"/> continues after them.
    /// </summary>
    Task<GovernedRowPage> QueryAsync(ResourceCode code, AccessPolicy policy, IEnumerable<KeyValuePair<string, string?>> query,
        int? maxRows = null, CancellationToken ct = default);

    /// <summary>
    /// Checks an export (format, query pairs as for <see cref="QueryAsync"/> without a default limit, the same policy) and
    /// returns it ready to stream: every error is raised here, before the first byte is written.
    /// </summary>
    Task<GovernedExport> PrepareExportAsync(ResourceCode code, AccessPolicy policy, DataExportRequest export,
        IEnumerable<KeyValuePair<string, string?>> query, CancellationToken ct = default);

    /// <summary>
    /// 核验: answers whether the row with these key values exists (within the policy's row conditions) and whether every
    /// claimed value equals the stored one — <see cref="VerificationOutcome.Match"/>, <see cref="VerificationOutcome.Mismatch"/>
    /// or <see cref="VerificationOutcome.NotFound"/>, nothing else. One indexed lookup on the key columns; no stored value
    /// leaves the database (the comparison is made in SQL). Error messages name fields, never the values given.
    /// </summary>
    Task<VerificationOutcome> VerifyAsync(ResourceCode code, AccessPolicy policy, VerificationQuery query, CancellationToken ct = default);

    /// <summary>
    /// Batch 核验: the outcomes in the order of <paramref name="queries"/>. Every query is checked before the first lookup;
    /// an error names the query's position (<c>items[3].claims.name</c>).
    /// </summary>
    Task<IReadOnlyList<VerificationOutcome>> VerifyManyAsync(ResourceCode code, AccessPolicy policy, IReadOnlyList<VerificationQuery> queries,
        CancellationToken ct = default);

    /// <summary>
    /// Change feed (订阅增量): rows added, changed and removed by key between consecutive versions, restricted to the
    /// policy's fields and rows, at most <paramref name="limit"/> per page. A null <paramref name="cursor"/> starts with the
    /// whole current version as added rows (the initial copy); pass <see cref="DataChangePage.Cursor"/> back to continue.
    /// When the version a cursor stands on was changed in place (an append or upsert load), rolled back from, or is no
    /// longer kept, the page starts again from nothing with <see cref="DataChangePage.Reset"/>. Needs key items, granted
    /// and not masked for the caller.
    /// </summary>
    Task<DataChangePage> ChangesAsync(ResourceCode code, AccessPolicy policy, string? cursor, int limit, CancellationToken ct = default);
}
