using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Versions;
using GovData.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Features.Resources;

/// <summary>更新及时性 in the API.</summary>
internal sealed record TimelinessDto(string Status, string Label, DateTime? DueAt, string Description)
{
    public static TimelinessDto From(Timeliness t) => new(t.Status switch
    {
        TimelinessStatus.OnTime => "ontime",
        TimelinessStatus.Overdue => "overdue",
        _ => "notloaded",
    }, t.Label, t.DueAt, t.Description);
}

/// <summary>A published resource with the status of its data.</summary>
internal sealed record DataResourceItemDto(
    string Code, string Name, Guid EntryId, Guid DepartmentId, string? Provider, string? UpdateCycle, bool Structured, bool HasData,
    int? CurrentVersion, long RowCount, DateTime? LoadedAt, TimelinessDto Timeliness, string? LastLoadStatus, DateTime? LastLoadAt);

/// <summary>A page of resources.</summary>
internal sealed record DataResourcePageDto(int Total, int Page, int PageSize, IReadOnlyList<DataResourceItemDto> Items);

/// <summary>A file of a resource.</summary>
internal sealed record DataFileDto(Guid Id, string FileName, string ContentType, long Size, string Sha256, string? Description, string? UploadedBy,
    DateTime UploadedAt, string Url);

/// <summary>A link to an external API.</summary>
internal sealed record DataLinkDto(Guid Id, string Url, string? Description, string? CreatedBy, DateTime CreatedAt);

/// <summary>The data summary of one resource.</summary>
internal sealed record DataResourceSummaryDto(
    string Code, string Name, Guid EntryId, Guid DepartmentId, string? Provider, string? UpdateCycle, string? ShareType, string? OpenType,
    bool Structured, int Retention, VersionDto? CurrentVersion, int ReadyVersions, TimelinessDto Timeliness, bool CanManage,
    IReadOnlyList<LoadDto>? RecentLoads, IReadOnlyList<DataFileDto> Files, IReadOnlyList<DataLinkDto> Links);

/// <summary>Lists published resources with the status of their data, and summarises one.</summary>
internal sealed class ResourceOverview(DataDb db, ICatalogResources catalog, DataResources resources, LoadService loads, TimeProvider clock)
{
    /// <summary>
    /// Published catalog resources (optionally of one department, by keyword in name or code, or by timeliness
    /// ontime/overdue/notloaded) with their data: current version, rows, load time and update timeliness.
    /// </summary>
    public async Task<DataResult<DataResourcePageDto>> ListAsync(Guid? departmentId, string? timeliness, string? keyword, int page, int pageSize,
        CancellationToken ct = default)
    {
        var filter = timeliness?.Trim().ToLowerInvariant() switch
        {
            null or "" => (TimelinessStatus?)null,
            "ontime" or "按时" => TimelinessStatus.OnTime,
            "overdue" or "逾期" => TimelinessStatus.Overdue,
            "notloaded" or "未加载" => TimelinessStatus.NotLoaded,
            _ => (TimelinessStatus)(-1),
        };
        if ((int?)filter == -1) return DataResult<DataResourcePageDto>.Invalid("timeliness", "timeliness 只能是 ontime（按时）、overdue（逾期）或 notloaded（未加载）");
        if (page < 1 || pageSize is < 1 or > 200) return DataResult<DataResourcePageDto>.Invalid("pageSize", "page 从 1 开始，pageSize 为 1 到 200");
        var published = await catalog.ListPublishedAsync(departmentId, ct);
        var rows = await db.Resources.AsNoTracking().ToDictionaryAsync(r => r.EntryId, ct);
        var currentIds = rows.Values.Where(r => r.CurrentVersionId != null).Select(r => r.CurrentVersionId!.Value).ToList();
        var current = await db.Versions.AsNoTracking().Where(v => currentIds.Contains(v.Id))
            .Select(v => new { v.Id, v.Number, v.RowCount, v.LoadedAt }).ToDictionaryAsync(v => v.Id, ct);
        var lastLoads = await db.Loads.AsNoTracking()
            .Where(l => l.CreatedAt == db.Loads.Where(x => x.ResourceId == l.ResourceId).Max(x => x.CreatedAt))
            .Select(l => new { l.ResourceId, l.Status, l.CreatedAt, l.FinishedAt }).ToListAsync(ct);
        var lastByResource = lastLoads.GroupBy(l => l.ResourceId).ToDictionary(g => g.Key, g => g.First());
        var now = clock.GetUtcNow().UtcDateTime;
        var items = new List<DataResourceItemDto>();
        foreach (var p in published)
        {
            var code = p.Code.ToString();
            if (!string.IsNullOrWhiteSpace(keyword) && !p.Name.Contains(keyword.Trim(), StringComparison.OrdinalIgnoreCase) && !code.Contains(keyword.Trim())) continue;
            rows.TryGetValue(p.EntryId, out var r);
            var v = r?.CurrentVersionId is { } cid && current.TryGetValue(cid, out var cv) ? cv : null;
            var t = UpdateTimeliness.Evaluate(p.UpdateCycle, v?.LoadedAt, now);
            if (filter is { } f && t.Status != f) continue;
            var last = r is not null && lastByResource.TryGetValue(r.Id, out var l) ? l : null;
            items.Add(new DataResourceItemDto(code, p.Name, p.EntryId, p.DepartmentId, p.ProviderName, CatalogTerms.Label(p.UpdateCycle), p.Items.Count > 0,
                v is not null, v?.Number, v?.RowCount ?? 0, v?.LoadedAt, TimelinessDto.From(t),
                last is null ? null : LoadMapping.StatusLabel(last.Status), last?.FinishedAt ?? last?.CreatedAt));
        }
        return DataResult<DataResourcePageDto>.Success(new DataResourcePageDto(items.Count, page, pageSize, items.Skip((page - 1) * pageSize).Take(pageSize).ToList()));
    }

    /// <summary>The data summary of a published resource (recent loads for insiders only). Reading creates nothing.</summary>
    public async Task<DataResult<DataResourceSummaryDto>> SummaryAsync(ResourceCode code, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var found = await resources.LookupAsync(code, ct);
        if (!found.Ok) return found.As<DataResourceSummaryDto>();
        var (r, p) = found.Value!;
        var current = r?.CurrentVersionId is { } cid ? await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == cid, ct) : null;
        var ready = r is null ? 0 : await db.Versions.CountAsync(v => v.ResourceId == r.Id && v.Status == VersionStatus.Ready, ct);
        var department = found.Value!.DepartmentId;
        var recent = r is not null && DataAccess.IsInsider(user, department) ? await loads.ListAsync(r, 5, ct)
            : DataAccess.IsInsider(user, department) ? [] : null;
        var files = r is null ? [] : await FilesAsync(r, ct);
        var links = r is null ? [] : await LinksAsync(r, ct);
        var t = UpdateTimeliness.Evaluate(p.UpdateCycle, current?.LoadedAt, clock.GetUtcNow().UtcDateTime);
        return DataResult<DataResourceSummaryDto>.Success(new DataResourceSummaryDto(found.Value.Code, found.Value.Name, p.EntryId, department, p.ProviderName,
            CatalogTerms.Label(p.UpdateCycle), CatalogTerms.Label(p.ShareType), CatalogTerms.Label(p.OpenType), p.Items.Count > 0, r?.Retention ?? DataResource.DefaultRetention,
            current is null ? null : VersionService.ToDto(current, current.Id, null), ready, TimelinessDto.From(t),
            p.Status == EntryStatus.Published && DataAccess.CanManage(user, department), recent, files, links));
    }

    public Task<List<DataLinkDto>> LinksAsync(DataResource r, CancellationToken ct = default) =>
        db.Links.AsNoTracking().Where(l => l.ResourceId == r.Id).OrderBy(l => l.CreatedAt)
            .Select(l => new DataLinkDto(l.Id, l.Url, l.Description, l.CreatedByName, l.CreatedAt)).ToListAsync(ct);

    public async Task<IReadOnlyList<DataFileDto>> FilesAsync(DataResource r, CancellationToken ct = default)
    {
        var segment = Uri.EscapeDataString(r.ResourceCode);
        var files = await db.Files.AsNoTracking().Where(f => f.ResourceId == r.Id).OrderBy(f => f.UploadedAt).ToListAsync(ct);
        return files.Select(f => ToDto(f, segment)).ToList();
    }

    public static DataFileDto ToDto(DataFile f, string codeSegment) =>
        new(f.Id, f.FileName, f.ContentType, f.Size, f.Sha256, f.Description, f.UploadedByName, f.UploadedAt, $"/api/v1/data/{codeSegment}/files/{f.Id}");
}
