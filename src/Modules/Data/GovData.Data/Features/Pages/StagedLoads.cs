using System.Security.Claims;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Loading;
using GovData.Data.Features.Resources;
using GovData.Data.Features.Storage;
using GovData.Data.Persistence;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Features.Pages;

/// <summary>The head of an uploaded file as the mapping step shows it: what was detected, the header and a few rows.</summary>
internal sealed record SourceSample(SourceFormat Format, string Description, IReadOnlyList<string> Header, IReadOnlyList<string?[]> Rows);

/// <summary>
/// The console's two-step load: the upload is stored and recorded as a load in status <see cref="LoadStatus.Staged"/>
/// (no worker takes it), the user checks the detected format and corrects the column mapping, and confirming turns it into
/// an ordinary queued load whose options carry the mapping (<see cref="LoadOptions.Mapping"/>: every source column → the
/// field it feeds, "" for ignored columns). Cancelling a staged load, and the sweep after
/// <see cref="LoadQueue.StagedLifetime"/>, delete the file (<see cref="LoadQueue.CancelAsync"/>, <see cref="LoadQueue.ExpireStagedAsync"/>).
/// </summary>
internal sealed class StagedLoads(DataDb db, BlobStore blobs, LoadSignal signal, ICatalogResources catalog, TimeProvider clock)
{
    /// <summary>Rows of the file shown next to its header.</summary>
    public const int SampleRows = 3;

    /// <summary>Records an uploaded file (already in the blob store) as a load waiting for its mapping.</summary>
    public async Task<DataLoad> StageAsync(ResourceContext context, StoredBlob blob, string? fileName, LoadOptions options, ClaimsPrincipal user,
        CancellationToken ct = default)
    {
        var name = user.GetDisplayName();
        var load = new DataLoad
        {
            Id = Guid.CreateVersion7(), ResourceId = context.Resource.Id, Mode = options.Mode, Source = LoadSource.Console,
            FileName = LoadService.CleanFileName(fileName), FileSize = blob.Size, BlobPath = blob.Path, BytesTotal = blob.Size,
            OptionsJson = options.ToJson(), Status = LoadStatus.Staged, RequestedBy = user.GetUserId(),
            RequestedByName = name.Length <= 100 ? name : name[..100], CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Loads.Add(load);
        await db.SaveChangesAsync(ct);
        return load;
    }

    /// <summary>A load of the resource, or null.</summary>
    public Task<DataLoad?> FindAsync(DataResource resource, Guid id, CancellationToken ct = default) =>
        db.Loads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id && l.ResourceId == resource.Id, ct);

    /// <summary>
    /// The columns a load in <paramref name="mode"/> would fill now: a full load takes the published items (as the loader
    /// will when it starts), an incremental one the current version's columns. Null with the Chinese reason when none.
    /// </summary>
    public async Task<(IReadOnlyList<DataColumn>? Columns, string? Error)> ColumnsAsync(DataResource resource, LoadMode mode, CancellationToken ct = default)
    {
        if (mode == LoadMode.Full)
        {
            var published = await catalog.FindAsync(resource.EntryId, ct);
            if (published is null || published.Status != EntryStatus.Published)
                return (null, $"信息资源“{resource.ResourceName}”已不是已发布状态，不能加载数据");
            if (published.Items.Count == 0) return (null, $"信息资源“{resource.ResourceName}”没有信息项，不能加载表格数据");
            return (TableLayout.For(resource.Id, resource.LastVersionNumber + 1, published.Items).Columns, null);
        }
        var current = resource.CurrentVersionId is { } id ? await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct) : null;
        if (current is null) return (null, "该资源还没有数据版本：增量加载（追加、按主键更新）之前，请先进行一次全量加载");
        return (ColumnsJson.Deserialize(current.ColumnsJson), null);
    }

    /// <summary>
    /// Opens the uploaded file as the loader will (the load's format, encoding, delimiter and sheet options) and reads its
    /// header and first rows; records what was detected on the load. A file that cannot be read gives the reader's reason.
    /// </summary>
    public async Task<(SourceSample? Sample, string? Error)> SampleAsync(DataLoad load, CancellationToken ct = default)
    {
        if (load.BlobPath is null || !blobs.Exists(load.BlobPath)) return (null, $"上传的文件“{load.FileName}”已不存在，请重新上传");
        var sourceOptions = LoadOptions.FromJson(load.OptionsJson).ToSourceOptions();
        // As the loader's reader factory does: uploads are stored without their extension, so the submitted file name says
        // what the file is (XLSX is always recognised by its content).
        if (sourceOptions.Format is null && TabularSources.FormatOfExtension(load.FileName) is { } byName and not SourceFormat.Xlsx)
            sourceOptions = sourceOptions with { Format = byName };
        try
        {
            await using var source = await TabularSources.OpenAsync(blobs.Absolute(load.BlobPath), sourceOptions, ct);
            var rows = new List<string?[]>();
            await foreach (var record in source.ReadRecordsAsync(ct))
            {
                rows.Add(record.Values);
                if (rows.Count == SampleRows) break;
            }
            if (load.Detected != source.Description)
                await db.Loads.Where(l => l.Id == load.Id && l.Status == LoadStatus.Staged).ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.Format, DataDb.DbText(source.Format)).SetProperty(l => l.Detected, source.Description), ct);
            return (new SourceSample(source.Format, source.Description, source.Header, rows), null);
        }
        catch (SourceFormatException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>
    /// Confirms the mapping of a staged load and queues it (one conditional update: a load cancelled or confirmed meanwhile
    /// is left alone). False when the load is no longer waiting for its mapping.
    /// </summary>
    public async Task<bool> ConfirmAsync(DataLoad load, IReadOnlyDictionary<string, string> mapping, CancellationToken ct = default)
    {
        var options = LoadOptions.FromJson(load.OptionsJson) with { Mapping = mapping };
        var json = options.ToJson();
        var changed = await db.Loads.Where(l => l.Id == load.Id && l.Status == LoadStatus.Staged)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.OptionsJson, json).SetProperty(l => l.Status, LoadStatus.Queued), ct);
        if (changed == 1) signal.Notify();
        return changed == 1;
    }
}
