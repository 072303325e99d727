using GovData.Data.Features.Loading;
using GovData.Data.Features.Resources;
using GovData.Data.Persistence;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace GovData.Data.Features.Versions;

/// <summary>A version as the API shows it.</summary>
internal sealed record VersionDto(
    Guid Id, int Number, string Status, string StatusLabel, bool IsCurrent, long RowCount, DateTime CreatedAt, DateTime? LoadedAt,
    int CatalogRevision, Guid? LoadId, string? Note, IReadOnlyList<VersionColumnDto> Columns);

/// <summary>A column of a version (data dictionary).</summary>
internal sealed record VersionColumnDto(string Field, string Name, string DataType, int? Length, int? Precision, bool Required, bool Key);

/// <summary>A change of the current version.</summary>
internal sealed record SwitchDto(int? FromVersion, int ToVersion, string Reason, string ReasonLabel, string? By, DateTime At);

/// <summary>Versions of a resource: listing, rollback (activating an earlier Ready version), retention.</summary>
internal sealed class VersionService(DataDb db, DatabaseSettings database, TimeProvider clock, ILogger<VersionService> logger)
{
    /// <summary>Largest retention accepted.</summary>
    public const int MaxRetention = 100;

    public static string StatusCode(VersionStatus s) => s switch
    {
        VersionStatus.Loading => "loading",
        VersionStatus.Ready => "ready",
        VersionStatus.Failed => "failed",
        VersionStatus.Purged => "purged",
        _ => s.ToString().ToLowerInvariant(),
    };

    public static string StatusLabel(VersionStatus s) => s switch
    {
        VersionStatus.Loading => "加载中",
        VersionStatus.Ready => "可用",
        VersionStatus.Failed => "失败",
        VersionStatus.Purged => "已清理",
        _ => s.ToString(),
    };

    /// <summary>Versions of a resource, newest first, with the load that created each.</summary>
    public async Task<IReadOnlyList<VersionDto>> ListAsync(DataResource resource, CancellationToken ct = default)
    {
        var versions = await db.Versions.AsNoTracking().Where(v => v.ResourceId == resource.Id).OrderByDescending(v => v.Number).ToListAsync(ct);
        var ids = versions.Select(v => v.Id).ToList();
        var loads = await db.Loads.AsNoTracking().Where(l => l.VersionId != null && ids.Contains(l.VersionId.Value) && l.Mode == LoadMode.Full)
            .Select(l => new { l.Id, l.VersionId }).ToListAsync(ct);
        return versions.Select(v => ToDto(v, resource.CurrentVersionId, loads.FirstOrDefault(l => l.VersionId == v.Id)?.Id)).ToList();
    }

    public static VersionDto ToDto(DataVersion v, Guid? currentId, Guid? loadId)
    {
        var columns = ColumnsJson.Deserialize(v.ColumnsJson).Select(c => new VersionColumnDto(c.FieldName, c.ItemName, c.DataType.ToString(), c.Length,
            c.Precision, c.IsRequired, c.IsKey)).ToList();
        return new VersionDto(v.Id, v.Number, StatusCode(v.Status), StatusLabel(v.Status), v.Id == currentId, v.RowCount, v.CreatedAt, v.LoadedAt,
            v.CatalogRevision, loadId, v.Note, columns);
    }

    /// <summary>Who switched versions when (newest first).</summary>
    public async Task<IReadOnlyList<SwitchDto>> SwitchesAsync(Guid resourceId, int take = 50, CancellationToken ct = default)
    {
        var rows = await db.Switches.AsNoTracking().Where(s => s.ResourceId == resourceId).OrderByDescending(s => s.SwitchedAt).Take(take).ToListAsync(ct);
        var ids = rows.SelectMany(s => new[] { s.FromVersionId, (Guid?)s.ToVersionId }).Where(x => x is not null).Select(x => x!.Value).Distinct().ToList();
        var numbers = await db.Versions.AsNoTracking().Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Number, ct);
        return rows.Select(s => new SwitchDto(s.FromVersionId is { } f ? numbers.GetValueOrDefault(f) : null, numbers.GetValueOrDefault(s.ToVersionId),
            s.Reason, s.Reason == SwitchReasons.Rollback ? "回退" : "全量加载", s.SwitchedByName, s.SwitchedAt)).ToList();
    }

    /// <summary>
    /// Makes an earlier Ready version current (回退) in one transaction and records who and when. Refused while a load of
    /// the resource runs (it would switch again when it completes) and for versions whose table is gone.
    /// </summary>
    public async Task<DataResult<VersionDto>> ActivateAsync(Guid resourceId, int number, Guid? by, string? byName, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (database.IsPostgres)
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM data_resources WHERE id = {resourceId} FOR UPDATE", ct);
        var resource = await db.Resources.FirstAsync(r => r.Id == resourceId, ct);
        var version = await db.Versions.FirstOrDefaultAsync(v => v.ResourceId == resourceId && v.Number == number, ct);
        if (version is null) return DataResult<VersionDto>.Missing($"资源“{resource.ResourceName}”没有第 {number} 版");
        if (version.Status != VersionStatus.Ready)
            return DataResult<VersionDto>.Refused($"第 {number} 版的状态为“{StatusLabel(version.Status)}”，只能切换到可用的版本");
        if (await db.Loads.AnyAsync(l => l.ResourceId == resourceId && l.Status == LoadStatus.Running, ct))
            return DataResult<VersionDto>.Refused("该资源正在加载数据，请在加载结束后再切换版本");
        if (resource.CurrentVersionId == version.Id)
            return DataResult<VersionDto>.Refused($"第 {number} 版已经是当前版本");
        if (!await RowTables.ExistsAsync(db.Database.GetDbConnection(), version.TableName, database.Provider, ct, tx.GetDbTransaction()))
            return DataResult<VersionDto>.Refused($"第 {number} 版的数据表已不存在，不能切换");
        db.Switches.Add(new DataVersionSwitch
        {
            Id = Guid.CreateVersion7(), ResourceId = resourceId, FromVersionId = resource.CurrentVersionId, ToVersionId = version.Id,
            Reason = SwitchReasons.Rollback, SwitchedBy = by, SwitchedByName = byName, SwitchedAt = now,
        });
        resource.CurrentVersionId = version.Id;
        resource.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("资源 {Code} 回退到第 {Number} 版（{By}）", resource.ResourceCode, number, byName);
        return DataResult<VersionDto>.Success(ToDto(version, version.Id, null));
    }

    /// <summary>Sets how many Ready versions are kept and applies it at once.</summary>
    public async Task<DataResult<int>> SetRetentionAsync(Guid resourceId, int? retention, CancellationToken ct = default)
    {
        if (retention is not { } n || n < 1 || n > MaxRetention)
            return DataResult<int>.Invalid("retention", $"保留版本数应为 1 到 {MaxRetention} 之间的整数");
        var resource = await db.Resources.FirstAsync(r => r.Id == resourceId, ct);
        resource.Retention = n;
        resource.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return DataResult<int>.Success(await ApplyRetentionAsync(resourceId, ct));
    }

    /// <summary>
    /// Drops the tables of Ready versions beyond the resource's retention (the newest N by number are kept), never the
    /// current version nor the version the last switch replaced — a reader that resolved it just before the switch may
    /// still be reading it. A table a reader still holds (PostgreSQL lock) is left for the next pass. Returns the tables dropped.
    /// </summary>
    public async Task<int> ApplyRetentionAsync(Guid resourceId, CancellationToken ct = default)
    {
        var resource = await db.Resources.AsNoTracking().FirstAsync(r => r.Id == resourceId, ct);
        var lastSwitch = await db.Switches.AsNoTracking().Where(s => s.ResourceId == resourceId).OrderByDescending(s => s.SwitchedAt).FirstOrDefaultAsync(ct);
        var protectedIds = new HashSet<Guid?> { resource.CurrentVersionId, lastSwitch?.FromVersionId };
        var ready = await db.Versions.Where(v => v.ResourceId == resourceId && v.Status == VersionStatus.Ready).OrderByDescending(v => v.Number).ToListAsync(ct);
        var purge = ready.Skip(Math.Max(1, resource.Retention)).Where(v => !protectedIds.Contains(v.Id)).ToList();
        var dropped = 0;
        if (purge.Count == 0) return 0;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            foreach (var version in purge)
            {
                if (!await RowTables.DropAsync(db.Database.GetDbConnection(), version.TableName, database.Provider, ct, TimeSpan.FromSeconds(5)))
                {
                    logger.LogWarning("第 {Number} 版的数据表 {Table} 正被读取，稍后再清理", version.Number, version.TableName);
                    continue;
                }
                version.Status = VersionStatus.Purged;
                version.Note = $"超出保留版本数（{resource.Retention}），数据表已于 {clock.GetUtcNow().UtcDateTime:yyyy-MM-dd HH:mm} UTC 清理";
                await db.SaveChangesAsync(ct);
                dropped++;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return dropped;
    }
}
