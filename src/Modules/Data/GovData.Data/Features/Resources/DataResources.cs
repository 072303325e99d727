using GovData.Catalog.Contracts;
using GovData.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Features.Resources;

/// <summary>A resource's data row together with the published catalog content it belongs to.</summary>
internal sealed record ResourceContext(DataResource Resource, CatalogResource Catalog);

/// <summary>A resource for reading: its catalog content and its data row, if it ever had data.</summary>
internal sealed record ResourceLookup(DataResource? Row, CatalogResource Catalog)
{
    public Guid DepartmentId => Row?.DepartmentId ?? Catalog.DepartmentId;
    public string Name => Row?.ResourceName ?? Catalog.Name;
    public string Code => Row?.ResourceCode ?? Catalog.Code.ToString();
}

/// <summary>
/// The <c>data_resources</c> row of a catalog entry. Only published entries (已发布) can receive data; the row is created on
/// first use and follows the entry's name, department and 更新周期 (codes never change once published).
/// </summary>
internal sealed class DataResources(DataDb db, ICatalogResources catalog, TimeProvider clock)
{
    /// <summary>Chinese 404 text for an unknown or unpublished code.</summary>
    public static string NotFoundMessage(string code) => $"信息资源“{code}”不存在或尚未发布（只有已发布的目录资源可以挂接数据）";

    /// <summary>Parses a path segment (<c>303026010201%2F1</c> or already unescaped); null with the Chinese reason when invalid.</summary>
    public static ResourceCode? ParseCode(string? segment, out string? error)
    {
        error = null;
        var text = segment is null ? null : Uri.UnescapeDataString(segment);
        if (ResourceCode.TryParse(text, out var code, out var reason)) return code;
        error = reason;
        return null;
    }

    /// <summary>
    /// The data row of a published entry, created or refreshed from the catalog. 404 when the code is unknown or never
    /// published; 409 when the entry is offline (已下线).
    /// </summary>
    public async Task<DataResult<ResourceContext>> EnsureAsync(ResourceCode code, CancellationToken ct = default)
    {
        var published = await catalog.FindAsync(code, ct);
        if (published is null) return DataResult<ResourceContext>.Missing(NotFoundMessage(code.ToString()));
        if (published.Status != EntryStatus.Published)
            return DataResult<ResourceContext>.Refused($"信息资源“{published.Name}”（{code}）当前状态为“{CatalogTerms.Label(published.Status)}”，只有已发布的资源可以加载数据");
        return DataResult<ResourceContext>.Success(new ResourceContext(await UpsertAsync(published, ct), published));
    }

    /// <summary>
    /// A resource for read endpoints, without creating anything: published entries, and entries taken offline that still
    /// have data (their history stays readable). 404 otherwise.
    /// </summary>
    public async Task<DataResult<ResourceLookup>> LookupAsync(ResourceCode code, CancellationToken ct = default)
    {
        var row = await FindAsync(code, ct);
        var published = row is not null ? await catalog.FindAsync(row.EntryId, ct) : await catalog.FindAsync(code, ct);
        if (published is null || (published.Status != EntryStatus.Published && row is null))
            return DataResult<ResourceLookup>.Missing(NotFoundMessage(code.ToString()));
        return DataResult<ResourceLookup>.Success(new ResourceLookup(row, published));
    }

    /// <summary>The existing data row of a code (no catalog call), or null.</summary>
    public Task<DataResource?> FindAsync(ResourceCode code, CancellationToken ct = default)
    {
        var text = code.ToString();
        return db.Resources.FirstOrDefaultAsync(r => r.ResourceCode == text, ct);
    }

    /// <summary>Inserts or refreshes the data row of a published entry.</summary>
    public async Task<DataResource> UpsertAsync(CatalogResource published, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.Resources.FirstOrDefaultAsync(r => r.EntryId == published.EntryId, ct);
            if (row is null)
            {
                row = new DataResource
                {
                    Id = Guid.CreateVersion7(), EntryId = published.EntryId, ResourceCode = published.Code.ToString(), ResourceName = published.Name,
                    DepartmentId = published.DepartmentId, UpdateCycle = published.UpdateCycle, CreatedAt = now, UpdatedAt = now,
                };
                db.Resources.Add(row);
            }
            else if (row.ResourceName != published.Name || row.DepartmentId != published.DepartmentId || row.UpdateCycle != published.UpdateCycle
                     || row.ResourceCode != published.Code.ToString())
            {
                row.ResourceName = published.Name;
                row.DepartmentId = published.DepartmentId;
                row.UpdateCycle = published.UpdateCycle;
                row.ResourceCode = published.Code.ToString();
                row.UpdatedAt = now;
            }
            else return row;
            try
            {
                await db.SaveChangesAsync(ct);
                return row;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another request created the row at the same moment (unique entry_id): read theirs.
                db.ChangeTracker.Clear();
            }
        }
    }
}
