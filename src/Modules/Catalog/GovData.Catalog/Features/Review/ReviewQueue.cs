using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Review;

/// <summary>One line of the reviewer's queue.</summary>
internal sealed record QueueItem(Guid Id, string Code, string Name, string DepartmentName, int RevisionNumber, bool IsRevision,
    DateTime SubmittedAt, string? SubmittedBy, int ItemCount, string? ShareType);

/// <summary>
/// The reviewer's queue: entries waiting for review (new entries and revisions of published ones) of the departments
/// the reviewer reaches (<see cref="CatalogActor.CanReview"/>), the longest-waiting first.
/// </summary>
internal sealed class ReviewQueue(CatalogDb db, IDepartmentDirectory departments, RegionDirectory regions)
{
    public async Task<(IReadOnlyList<QueueItem> Items, int Total, IReadOnlyList<DepartmentInfo> Reach)> ListAsync(
        CatalogActor actor, Guid? departmentId, string? keyword, int page, int pageSize, CancellationToken ct)
    {
        var reach = (await departments.ListAsync(ct)).Where(d => actor.CanReview(d, regions)).ToList();
        var scope = reach.Select(d => d.Id).Where(d => departmentId is null || d == departmentId).ToList();
        var q = from e in db.Entries.AsNoTracking()
                join r in db.Revisions.AsNoTracking() on e.WorkingRevisionId equals (Guid?)r.Id
                where r.Status == RevisionStatus.Pending && scope.Contains(e.DepartmentId)
                select new { e, r };
        if (ResourceValidator.Blank(keyword) is { } kw) q = q.Where(x => x.r.Name.Contains(kw) || x.e.Code.Contains(kw));
        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(x => x.r.SubmittedAt ?? x.e.UpdatedAt).ThenBy(x => x.e.Code)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(x => new
            {
                x.e.Id, x.e.Code, x.r.Name, x.e.DepartmentId, x.r.Number, IsRevision = x.e.PublishedRevisionId != null,
                Submitted = x.r.SubmittedAt ?? x.e.UpdatedAt, Items = db.Items.Count(i => i.RevisionId == x.r.Id), x.r.ShareType,
            })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var submitters = (await db.History.AsNoTracking().Where(h => ids.Contains(h.EntryId) && h.Action == HistoryActions.Submitted)
                .Select(h => new { h.EntryId, h.Id, h.ActorName }).ToListAsync(ct))
            .GroupBy(h => h.EntryId).ToDictionary(g => g.Key, g => g.MaxBy(h => h.Id)!.ActorName);
        var names = reach.ToDictionary(d => d.Id, d => d.Name);
        var items = rows.Select(r => new QueueItem(r.Id, r.Code, r.Name, names.GetValueOrDefault(r.DepartmentId, ""), r.Number, r.IsRevision,
            r.Submitted, submitters.GetValueOrDefault(r.Id), r.Items, CatalogTerms.Label(r.ShareType))).ToList();
        return (items, total, reach);
    }
}
