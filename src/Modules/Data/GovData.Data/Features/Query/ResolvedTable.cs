using GovData.Catalog.Contracts;
using GovData.Data.Domain;

namespace GovData.Data.Features.Query;

/// <summary>The table a query reads: a resource's current (or a named Ready) version, with its layout.</summary>
internal sealed record ResolvedTable(Guid ResourceId, Guid EntryId, Guid DepartmentId, string ResourceCode, string ResourceName, int VersionNumber, DateTime? LoadedAt, TableLayout Layout);

/// <summary>Finds the table behind a resource code (implemented by the Data core: current or a given Ready version).</summary>
internal interface IDataTableResolver
{
    Task<ResolvedTable?> ResolveAsync(ResourceCode code, int? version, CancellationToken ct = default);
}
