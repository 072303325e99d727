using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Data.Features.Versions;
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

    public async Task<DataUpdateHistory> HistoryAsync(Guid entryId, UpdateCycle? cycle, DateTime nowUtc, int take = 20, CancellationToken ct = default)
    {
        var current = await (from r in db.Resources.AsNoTracking()
                             join v in db.Versions.AsNoTracking() on r.CurrentVersionId equals v.Id
                             where r.EntryId == entryId && v.Status == VersionStatus.Ready
                             select new { r.Id, v.LoadedAt }).FirstOrDefaultAsync(ct);
        var updates = current is null ? [] : await (
            from s in db.Switches.AsNoTracking()
            join v in db.Versions.AsNoTracking() on s.ToVersionId equals v.Id
            where s.ResourceId == current.Id
            orderby s.SwitchedAt descending
            select new DataUpdate(s.SwitchedAt, v.Number, v.RowCount, s.Reason == SwitchReasons.Rollback)).Take(Math.Clamp(take, 1, 200)).ToListAsync(ct);
        var timeliness = UpdateTimeliness.Evaluate(cycle, current?.LoadedAt, nowUtc);
        return new DataUpdateHistory(timeliness.Label, timeliness.Status == TimelinessStatus.Overdue, timeliness.DueAt, timeliness.Description,
            current?.LoadedAt, updates);
    }
}
