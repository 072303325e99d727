using GovData.Catalog.Contracts;
using GovData.Data.Domain;

namespace GovData.Data.Features.Query;

/// <summary>
/// A readable version of a resource's data: who owns it (department, for the raw-value entitlement), which version and
/// its physical layout, and its row count when the resolver knows it. Produced by <see cref="IDataTableResolver"/>.
/// </summary>
internal sealed record ResolvedTable(
    Guid ResourceId,
    Guid EntryId,
    Guid DepartmentId,
    string ResourceCode,
    string ResourceName,
    int VersionNumber,
    DateTime? LoadedAt,
    TableLayout Layout,
    long? RowCount = null);

/// <summary>
/// Finds the table to read for a resource code: the current version when <c>version</c> is null, otherwise that version
/// if it is readable (Ready). Null when the resource has no (such) readable data. Implemented by the load pipeline,
/// which owns data_resources/data_versions; the query side only reads through it.
/// </summary>
internal interface IDataTableResolver
{
    Task<ResolvedTable?> ResolveAsync(ResourceCode code, int? version, CancellationToken ct);
}
