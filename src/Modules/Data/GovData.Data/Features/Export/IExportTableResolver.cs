using GovData.Catalog.Contracts;
using GovData.Data.Domain;

namespace GovData.Data.Features.Export;

/// <summary>The table behind a resource's version, as the export endpoint needs it.</summary>
/// <param name="ResourceCode">资源代码.</param>
/// <param name="ResourceName">资源名称 (download file name).</param>
/// <param name="VersionNumber">The version resolved (the current one when none was asked for).</param>
/// <param name="Layout">The version's table and columns.</param>
/// <param name="DepartmentId">The providing department (its staff are entitled to raw values).</param>
internal sealed record ExportTable(ResourceCode ResourceCode, string ResourceName, int VersionNumber, TableLayout Layout, Guid DepartmentId);

/// <summary>
/// Resolves a resource code (and optionally a version number) to the ready table readers may see: the current version
/// when <c>version</c> is null, otherwise that version if it is Ready; null when the resource, or a ready version of
/// it, does not exist. The Data module's core (versions, atomic switch) implements it; the export endpoint only
/// consumes it, so a version being loaded or a failed one is never exported.
/// </summary>
internal interface IExportTableResolver
{
    /// <summary>The table to export, or null (→ 404).</summary>
    Task<ExportTable?> ResolveAsync(ResourceCode code, int? version, CancellationToken ct = default);
}
