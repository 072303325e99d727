using GovData.Data.Features.Storage;
using GovData.Data.Persistence;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.Data.Features.Loading;

/// <summary>
/// The load queue in <c>data_loads</c>, shared by every host over the database: no in-memory state another host would
/// miss. A worker takes a queued load by one claim transaction — PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c> on the
/// queued rows plus a lock on the resource's row, so two workers never take the same load nor two loads of one
/// resource; SQLite: <c>BEGIN IMMEDIATE</c> (one writer at a time). The claim sets a lease (owner, until) that the
/// loader renews with every progress flush; a load whose lease expired belongs to a dead host and is recovered here.
/// </summary>
internal sealed class LoadQueue(DataDb db, DatabaseSettings database, BlobStore blobs, TimeProvider clock, IOptions<DataOptions> options,
    ILogger<LoadQueue> logger)
{
    /// <summary>Message of a load recovered after its host stopped responding.</summary>
    public const string CrashMessage = "加载中断：执行加载的服务停止响应（主机停止或崩溃），租约已过期。未完成的版本已清理，原有数据不受影响，请重新提交加载。";

    private TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(5, options.Value.Workers.LeaseSeconds));

    /// <summary>Claims the oldest queued load whose resource has no running load, for <paramref name="owner"/>; null when none.</summary>
    public async Task<DataLoad?> ClaimNextAsync(string owner, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        db.ChangeTracker.Clear();
        // A plain read first: an idle poll must not take SQLite's write lock.
        if (!await db.Loads.AnyAsync(l => l.Status == LoadStatus.Queued && !l.CancelRequested, ct)) return null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);   // SQLite: BEGIN IMMEDIATE
        DataLoad? claimed = null;
        if (database.IsPostgres)
        {
            var candidates = await db.Loads.FromSqlRaw("""
                SELECT * FROM data_loads l
                WHERE l.status = 'queued' AND NOT l.cancel_requested
                  AND NOT EXISTS (SELECT 1 FROM data_loads r WHERE r.resource_id = l.resource_id AND r.status = 'running')
                ORDER BY l.created_at, l.id
                LIMIT 5
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            foreach (var candidate in candidates)
            {
                // Serialise per resource: lock its row (skip it when another transaction holds it), then re-check with a
                // fresh snapshot that no load of it is running (a concurrent claim committed before releasing the lock).
                var locked = await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM data_resources WHERE id = {candidate.ResourceId} FOR UPDATE SKIP LOCKED")
                    .ToListAsync(ct);
                if (locked.Count == 0) continue;
                if (await db.Loads.AnyAsync(r => r.ResourceId == candidate.ResourceId && r.Status == LoadStatus.Running, ct)) continue;
                claimed = candidate;
                break;
            }
        }
        else
        {
            claimed = await db.Loads
                .Where(l => l.Status == LoadStatus.Queued && !l.CancelRequested
                    && !db.Loads.Any(r => r.ResourceId == l.ResourceId && r.Status == LoadStatus.Running))
                .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
                .FirstOrDefaultAsync(ct);
        }
        if (claimed is null)
        {
            await tx.RollbackAsync(ct);
            return null;
        }
        claimed.Status = LoadStatus.Running;
        claimed.LeaseOwner = owner;
        claimed.LeaseUntil = now + Lease;
        claimed.StartedAt = now;
        claimed.ProgressAt = now;
        claimed.Attempts++;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return claimed;
    }

    /// <summary>Adds a queued load (uploads).</summary>
    public async Task<DataLoad> EnqueueAsync(DataLoad load, CancellationToken ct = default)
    {
        load.Status = LoadStatus.Queued;
        db.Loads.Add(load);
        await db.SaveChangesAsync(ct);
        return load;
    }

    /// <summary>
    /// Cancels a load: a queued one at once; a running one is asked to stop (<c>cancel_requested</c>, seen by its loader
    /// at the next progress flush, within about a second). Returns the load's status afterwards, or null when unknown.
    /// </summary>
    public async Task<LoadStatus?> CancelAsync(Guid loadId, string? byName, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Queued, or staged (uploaded in the console, mapping not yet confirmed): no worker has it, cancel at once.
        var queued = await db.Loads.Where(l => l.Id == loadId && (l.Status == LoadStatus.Queued || l.Status == LoadStatus.Staged)).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.Status, LoadStatus.Cancelled).SetProperty(l => l.FinishedAt, now).SetProperty(l => l.CancelRequested, true)
            .SetProperty(l => l.Message, $"已取消（{byName ?? "未知用户"}，开始加载前）"), ct);
        if (queued == 1)
        {
            var blob = await db.Loads.AsNoTracking().Where(l => l.Id == loadId).Select(l => l.BlobPath).FirstAsync(ct);
            if (!options.Value.KeepSourceFiles) await blobs.DeleteAsync(blob);
            return LoadStatus.Cancelled;
        }
        await db.Loads.Where(l => l.Id == loadId && l.Status == LoadStatus.Running).ExecuteUpdateAsync(s => s.SetProperty(l => l.CancelRequested, true), ct);
        var status = await db.Loads.AsNoTracking().Where(l => l.Id == loadId).Select(l => (LoadStatus?)l.Status).FirstOrDefaultAsync(ct);
        return status;
    }

    /// <summary>
    /// Recovers loads whose lease expired (their host died): each is taken over by one atomic update, its partial version
    /// table dropped and the version marked failed (incremental loads staged in a session-local table that died with the
    /// host: the target was never touched), and the load marked failed with <see cref="CrashMessage"/>. Returns their ids.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> RecoverExpiredAsync(string owner, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var expired = await db.Loads.AsNoTracking().Where(l => l.Status == LoadStatus.Running && l.LeaseUntil < now).Select(l => l.Id).ToListAsync(ct);
        var recovered = new List<Guid>();
        foreach (var id in expired)
        {
            var taken = await db.Loads.Where(l => l.Id == id && l.Status == LoadStatus.Running && l.LeaseUntil < now)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.LeaseOwner, owner).SetProperty(l => l.LeaseUntil, now + Lease), ct);
            if (taken != 1) continue;
            db.ChangeTracker.Clear();
            var load = await db.Loads.FirstAsync(l => l.Id == id, ct);
            await FailVersionAsync(load, "加载中断（主机停止响应），未完成的数据表已清理", ct);
            load.Status = LoadStatus.Failed;
            load.Message = CrashMessage;
            load.FinishedAt = now;
            load.LeaseOwner = null;
            load.LeaseUntil = null;
            await db.SaveChangesAsync(ct);
            if (load.RejectedPath is not null) { await blobs.DeleteAsync(load.RejectedPath); }
            if (!options.Value.KeepSourceFiles) await blobs.DeleteAsync(load.BlobPath);
            logger.LogWarning("加载 {Load} 的租约已过期，已清理并标记为失败", id);
            recovered.Add(id);
        }
        return recovered;
    }

    /// <summary>
    /// Start-up and periodic clean-up: expired leases (above), then tables of versions that are failed or purged but still
    /// exist (a drop that failed) and of versions left "loading" without a running load. Returns the tables dropped.
    /// </summary>
    public async Task<int> SweepAsync(string owner, CancellationToken ct = default)
    {
        await RecoverExpiredAsync(owner, ct);
        await ExpireStagedAsync(ct);
        var runningVersions = db.Loads.Where(l => l.Status == LoadStatus.Running && l.VersionId != null).Select(l => l.VersionId);
        var suspects = await db.Versions
            .Where(v => v.Status == VersionStatus.Failed || v.Status == VersionStatus.Purged
                || (v.Status == VersionStatus.Loading && !runningVersions.Contains(v.Id)))
            .OrderBy(v => v.CreatedAt).ToListAsync(ct);
        var dropped = 0;
        if (suspects.Count == 0) return 0;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var tables = await RowTables.ListRowTablesAsync(connection, database.Provider, ct);
            foreach (var version in suspects)
            {
                if (tables.Contains(version.TableName)
                    && !await RowTables.DropAsync(connection, version.TableName, database.Provider, ct, TimeSpan.FromSeconds(2))) continue;
                if (tables.Contains(version.TableName)) dropped++;
                if (version.Status == VersionStatus.Loading)
                {
                    version.Status = VersionStatus.Failed;
                    version.Note = "加载未完成，残留的数据表已清理";
                }
            }
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        if (dropped > 0) logger.LogInformation("清理了 {Count} 个残留的数据表", dropped);
        return dropped;
    }

    /// <summary>How long a console upload may wait for its column mapping to be confirmed before the sweep cancels it.</summary>
    public static readonly TimeSpan StagedLifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// Cancels console uploads whose mapping was never confirmed within <see cref="StagedLifetime"/> and deletes their
    /// uploaded files (unless <see cref="DataOptions.KeepSourceFiles"/>). Returns how many were cancelled.
    /// </summary>
    public async Task<int> ExpireStagedAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var before = now - StagedLifetime;
        var stale = await db.Loads.AsNoTracking().Where(l => l.Status == LoadStatus.Staged && l.CreatedAt < before)
            .Select(l => new { l.Id, l.BlobPath }).ToListAsync(ct);
        var expired = 0;
        foreach (var load in stale)
        {
            var changed = await db.Loads.Where(l => l.Id == load.Id && l.Status == LoadStatus.Staged).ExecuteUpdateAsync(s => s
                .SetProperty(l => l.Status, LoadStatus.Cancelled).SetProperty(l => l.FinishedAt, now)
                .SetProperty(l => l.Message, "上传后 24 小时内未确认列映射，已自动取消；数据未作任何改变"), ct);
            if (changed != 1) continue;
            if (!options.Value.KeepSourceFiles) await blobs.DeleteAsync(load.BlobPath);
            expired++;
        }
        if (expired > 0) logger.LogInformation("取消了 {Count} 个超过 24 小时未确认列映射的上传", expired);
        return expired;
    }

    /// <summary>Drops a full load's version table and marks the version failed (nothing for incremental loads).</summary>
    internal async Task FailVersionAsync(DataLoad load, string note, CancellationToken ct)
    {
        if (load.Mode != LoadMode.Full || load.VersionId is not { } versionId) return;
        var version = await db.Versions.FirstOrDefaultAsync(v => v.Id == versionId, ct);
        if (version is null || version.Status != VersionStatus.Loading) return;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await RowTables.DropAsync(db.Database.GetDbConnection(), version.TableName, database.Provider, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        version.Status = VersionStatus.Failed;
        version.Note = note;
        await db.SaveChangesAsync(ct);
    }
}
