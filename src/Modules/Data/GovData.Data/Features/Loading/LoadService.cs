using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Storage;
using GovData.Data.Persistence;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GovData.Data.Features.Loading;

/// <summary>Submitting loads (uploads → queue; the CLI runs its own), reading their progress and reports, cancelling.</summary>
internal sealed class LoadService(
    DataDb db, DataResources resources, LoadQueue queue, LoadSignal signal, BlobStore blobs, TimeProvider clock, IOptions<DataOptions> options)
{
    /// <summary>
    /// Everything that can be checked before the file is received: the resource is published and structured, the caller
    /// may load it, and the mode fits (incremental loads need a current version; upsert needs key items).
    /// </summary>
    public async Task<DataResult<ResourceContext>> PrepareAsync(ResourceCode code, ClaimsPrincipal user, LoadMode mode, CancellationToken ct = default)
    {
        var ensured = await resources.EnsureAsync(code, ct);
        if (!ensured.Ok) return ensured;
        var (resource, catalog) = ensured.Value!;
        if (!DataAccess.CanManage(user, resource.DepartmentId)) return DataResult<ResourceContext>.Denied(DataAccess.ManageDenied(resource.ResourceName));
        if (catalog.Items.Count == 0)
            return DataResult<ResourceContext>.Refused($"信息资源“{resource.ResourceName}”没有信息项（非结构化资源），不能加载表格数据；可在“文件”中上传");
        if (mode != LoadMode.Full)
        {
            var current = resource.CurrentVersionId is { } id ? await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct) : null;
            if (current is null)
                return DataResult<ResourceContext>.Refused("该资源还没有数据版本：增量加载（追加、按主键更新）之前，请先进行一次全量加载");
            if (mode == LoadMode.Upsert && !ColumnsJson.Deserialize(current.ColumnsJson).Any(c => c.IsKey))
                return DataResult<ResourceContext>.Invalid("mode", "该资源的信息项中没有主键，不能按主键更新（upsert）；请使用 append（追加）或 full（全量）");
        }
        return ensured;
    }

    /// <summary>Queues a load of an uploaded file (already in the blob store) and wakes this host's worker.</summary>
    public async Task<DataLoad> SubmitAsync(ResourceContext context, StoredBlob blob, string fileName, LoadOptions loadOptions, LoadSource source,
        ClaimsPrincipal user, CancellationToken ct = default)
    {
        var load = NewLoad(context.Resource, fileName, blob.Size, loadOptions, source, user);
        load.BlobPath = blob.Path;
        load.BytesTotal = blob.Size;
        await queue.EnqueueAsync(load, ct);
        signal.Notify();
        return load;
    }

    /// <summary>
    /// A load the caller runs itself on a local file (the CLI): created already running, with a lease held by
    /// <paramref name="owner"/> — no worker takes it; if the caller dies, its lease expires and a worker cleans it up.
    /// </summary>
    public async Task<DataLoad> StartLocalAsync(ResourceContext context, string path, LoadOptions loadOptions, ClaimsPrincipal user, string owner,
        CancellationToken ct = default)
    {
        var info = new FileInfo(path);
        var now = clock.GetUtcNow().UtcDateTime;
        var load = NewLoad(context.Resource, info.Name, info.Length, loadOptions, LoadSource.Cli, user);
        load.LocalPath = info.FullName;
        load.BytesTotal = info.Length;
        load.Status = LoadStatus.Running;
        load.LeaseOwner = owner;
        load.LeaseUntil = now + TimeSpan.FromSeconds(Math.Max(5, options.Value.Workers.LeaseSeconds));
        load.StartedAt = now;
        load.ProgressAt = now;
        load.Attempts = 1;
        db.Loads.Add(load);
        await db.SaveChangesAsync(ct);
        return load;
    }

    private DataLoad NewLoad(DataResource resource, string fileName, long size, LoadOptions loadOptions, LoadSource source, ClaimsPrincipal user) => new()
    {
        Id = Guid.CreateVersion7(), ResourceId = resource.Id, Mode = loadOptions.Mode, Source = source, FileName = CleanFileName(fileName), FileSize = size,
        OptionsJson = loadOptions.ToJson(), Status = LoadStatus.Queued, RequestedBy = user.GetUserId(), RequestedByName = Truncate(user.GetDisplayName(), 100),
        CreatedAt = clock.GetUtcNow().UtcDateTime,
    };

    /// <summary>The load with its report (first <paramref name="errorLimit"/> errors); 404 unless the caller is an insider of its department.</summary>
    public async Task<DataResult<LoadDto>> GetAsync(Guid id, ClaimsPrincipal user, int errorLimit = 100, CancellationToken ct = default)
    {
        var load = await db.Loads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
        var resource = load is null ? null : await db.Resources.AsNoTracking().FirstAsync(r => r.Id == load.ResourceId, ct);
        if (load is null || resource is null || !DataAccess.IsInsider(user, resource.DepartmentId))
            return DataResult<LoadDto>.Missing("加载任务不存在，或不属于本部门的资源");
        var errors = await db.LoadErrors.AsNoTracking().Where(e => e.LoadId == id).OrderBy(e => e.Seq)
            .Take(Math.Clamp(errorLimit, 0, DataLoader.MaxStoredErrors)).ToListAsync(ct);
        var number = load.VersionId is { } v ? await db.Versions.AsNoTracking().Where(x => x.Id == v).Select(x => (int?)x.Number).FirstOrDefaultAsync(ct) : null;
        return DataResult<LoadDto>.Success(LoadMapping.ToDto(load, resource, number, errors, clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>Loads of a resource, newest first.</summary>
    public async Task<IReadOnlyList<LoadDto>> ListAsync(DataResource resource, int take, CancellationToken ct = default)
    {
        var loads = await db.Loads.AsNoTracking().Where(l => l.ResourceId == resource.Id).OrderByDescending(l => l.CreatedAt)
            .Take(Math.Clamp(take, 1, 200)).ToListAsync(ct);
        var versionIds = loads.Where(l => l.VersionId != null).Select(l => l.VersionId!.Value).Distinct().ToList();
        var numbers = await db.Versions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Number, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return loads.Select(l => LoadMapping.ToDto(l, resource, l.VersionId is { } v && numbers.TryGetValue(v, out var n) ? n : null, null, now)).ToList();
    }

    /// <summary>The rejected-rows file of a finished load, with a download name.</summary>
    public async Task<DataResult<(Stream Stream, string FileName)>> RejectedRowsAsync(Guid id, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var found = await GetAsync(id, user, 0, ct);
        if (!found.Ok) return found.As<(Stream, string)>();
        var load = await db.Loads.AsNoTracking().FirstAsync(l => l.Id == id, ct);
        if (!load.IsFinished) return DataResult<(Stream, string)>.Refused("加载尚未结束，未通过行文件在加载结束后提供");
        if (load.RejectedPath is null) return DataResult<(Stream, string)>.Missing("该次加载没有未通过校验的行");
        var stream = blobs.OpenRead(load.RejectedPath);
        if (stream is null) return DataResult<(Stream, string)>.Missing("未通过行文件已不存在");
        return DataResult<(Stream, string)>.Success((stream, $"{Path.GetFileNameWithoutExtension(load.FileName)}-未通过行.csv"));
    }

    /// <summary>Cancels a load (manage rights on its resource).</summary>
    public async Task<DataResult<LoadDto>> CancelAsync(Guid id, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var load = await db.Loads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
        var resource = load is null ? null : await db.Resources.AsNoTracking().FirstAsync(r => r.Id == load.ResourceId, ct);
        if (load is null || resource is null || !DataAccess.IsInsider(user, resource.DepartmentId))
            return DataResult<LoadDto>.Missing("加载任务不存在，或不属于本部门的资源");
        if (!DataAccess.CanManage(user, resource.DepartmentId)) return DataResult<LoadDto>.Denied(DataAccess.ManageDenied(resource.ResourceName));
        if (load.IsFinished) return DataResult<LoadDto>.Refused($"加载已结束（{LoadMapping.StatusLabel(load.Status)}），不能取消");
        await queue.CancelAsync(id, user.GetDisplayName(), ct);
        return await GetAsync(id, user, 0, ct);
    }

    /// <summary>A file name without path parts or control characters, at most 255 characters.</summary>
    public static string CleanFileName(string? name)
    {
        var n = (name ?? "").Replace('\\', '/');
        n = n[(n.LastIndexOf('/') + 1)..];
        n = new string(n.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (n.Length == 0) n = "上传文件";
        return n.Length > 255 ? n[^255..] : n;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
