using GovData.Catalog.Contracts;
using GovData.Catalog.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Directory;

/// <summary>Published catalog content for other modules (<see cref="ICatalogResources"/>).</summary>
internal sealed class CatalogResources(CatalogDb db) : ICatalogResources
{
    public async Task<CatalogResource?> FindAsync(ResourceCode code, CancellationToken ct = default)
    {
        var text = code.ToString();
        var entry = await db.Entries.AsNoTracking().FirstOrDefaultAsync(e => e.Code == text, ct);
        return entry is null ? null : (await LoadAsync([entry], ct)).FirstOrDefault();
    }

    public async Task<CatalogResource?> FindAsync(Guid entryId, CancellationToken ct = default)
    {
        var entry = await db.Entries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, ct);
        return entry is null ? null : (await LoadAsync([entry], ct)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<CatalogResource>> ListPublishedAsync(Guid? departmentId = null, CancellationToken ct = default)
    {
        var query = db.Entries.AsNoTracking().Where(e => e.Status == EntryStatus.Published && e.PublishedRevisionId != null);
        if (departmentId is { } d) query = query.Where(e => e.DepartmentId == d);
        var entries = await query.ToListAsync(ct);
        var list = await LoadAsync(entries, ct);
        return list.OrderBy(r => r.Code.Prefix, StringComparer.Ordinal).ThenBy(r => r.Code.Sequence).ToList();
    }

    private async Task<List<CatalogResource>> LoadAsync(IReadOnlyList<CatalogEntry> entries, CancellationToken ct)
    {
        var revisionIds = entries.Where(e => e.PublishedRevisionId != null).Select(e => e.PublishedRevisionId!.Value).ToList();
        if (revisionIds.Count == 0) return [];
        var revisions = new Dictionary<Guid, ResourceRevision>();
        // Chunked so a department with thousands of entries stays under the providers' parameter limits.
        foreach (var chunk in revisionIds.Chunk(500))
            foreach (var r in await db.Revisions.AsNoTracking().Include(r => r.Items).Where(r => chunk.Contains(r.Id)).ToListAsync(ct))
                revisions[r.Id] = r;
        var result = new List<CatalogResource>(entries.Count);
        foreach (var e in entries)
        {
            if (e.PublishedRevisionId is not { } rid || !revisions.TryGetValue(rid, out var r)) continue;
            var items = r.Items.OrderBy(i => i.Ordinal).Select(i => new CatalogItem(
                i.Ordinal, i.Name, i.FieldCode, i.DataType, i.Length, i.Precision, i.IsRequired, i.IsKey, i.ValueDomain,
                i.Sensitivity, i.MaskingRule, i.Description)).ToList();
            result.Add(new CatalogResource(e.Id, ResourceCode.Parse(e.Code), r.Name, e.DepartmentId, r.ProviderName, e.Status,
                r.ShareType, r.OpenType, r.UpdateCycle, r.FormatCategory, r.Number, r.ReviewedAt ?? e.FirstPublishedAt, items)
            {
                ShareCondition = r.ShareCondition,
                ShareBasis = r.ShareBasis,
                ShareChannel = r.ShareChannel,
                ShareMethodType = r.ShareMethodType,
            });
        }
        return result;
    }
}
