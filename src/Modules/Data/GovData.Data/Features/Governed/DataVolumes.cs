using GovData.Data.Contracts;
using GovData.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Features.Governed;

/// <summary><see cref="IDataVolumes"/>: the current version of every resource (the same join as the table resolver), its row count.</summary>
internal sealed class DataVolumes(DataDb db) : IDataVolumes
{
    public async Task<IReadOnlyList<DataVolume>> CurrentAsync(CancellationToken ct = default) =>
        await (from r in db.Resources.AsNoTracking()
               join v in db.Versions.AsNoTracking() on r.CurrentVersionId equals v.Id
               where v.Status == VersionStatus.Ready
               select new DataVolume(r.EntryId, r.ResourceCode, v.RowCount)).ToListAsync(ct);
}
