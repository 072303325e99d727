using System.Collections.Concurrent;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Export;
using GovData.Data.Features.Query;
using GovData.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Features.Versions;

/// <summary>
/// <see cref="IDataTableResolver"/> over <c>data_resources</c>/<c>data_versions</c>: one indexed query returns the resource
/// and its current version (or the Ready version with the given number). A version's table never changes shape, so
/// parsed layouts are cached by version id.
/// <para>
/// Atomicity for readers: a full load makes its version current in one transaction, and the table a reader resolved
/// stays readable after a switch — retention never drops the current version nor the one it just replaced — so a reader
/// sees either the old or the new version, whole.
/// </para>
/// </summary>
internal sealed class DataTableResolver(DataDb db) : IDataTableResolver
{
    private static readonly ConcurrentDictionary<Guid, TableLayout> Layouts = new();

    public async Task<ResolvedTable?> ResolveAsync(ResourceCode code, int? version, CancellationToken ct = default)
    {
        var text = code.ToString();
        var query = version is { } number
            ? from r in db.Resources.AsNoTracking()
              join v in db.Versions.AsNoTracking() on r.Id equals v.ResourceId
              where r.ResourceCode == text && v.Number == number && v.Status == VersionStatus.Ready
              select new { r, v }
            : from r in db.Resources.AsNoTracking()
              join v in db.Versions.AsNoTracking() on r.CurrentVersionId equals v.Id
              where r.ResourceCode == text && v.Status == VersionStatus.Ready
              select new { r, v };
        var hit = await query.FirstOrDefaultAsync(ct);
        if (hit is null) return null;
        var layout = Layouts.GetOrAdd(hit.v.Id, _ => ColumnsJson.LayoutOf(hit.v));
        return new ResolvedTable(hit.r.Id, hit.r.EntryId, hit.r.DepartmentId, hit.r.ResourceCode, hit.r.ResourceName, hit.v.Number, hit.v.LoadedAt, layout, hit.v.RowCount);
    }
}
