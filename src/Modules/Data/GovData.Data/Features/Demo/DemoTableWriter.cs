using System.Diagnostics;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Loading;
using GovData.Data.Persistence;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Features.Demo;

/// <summary>What a demo version write produced.</summary>
internal sealed record DemoVersionResult(int Number, long Rows, TimeSpan Elapsed);

/// <summary>
/// Writes a generated demo version straight through the load pipeline's storage path, without a source file: a new
/// version (<see cref="TableLayout.For"/> of the published items), its table filled by the bulk row writer (PostgreSQL
/// binary COPY in the table's creating transaction; SQLite one prepared INSERT in one transaction), the unique key index,
/// then ONE transaction that makes the version Ready and current, records the switch and a succeeded load of source
/// 演示数据 — exactly the records a full load leaves, with the load time the demo chooses (<c>loadedAtUtc</c>
/// of <see cref="WriteAsync"/>), so timeliness and history look as if the loads happened then.
/// </summary>
internal sealed class DemoTableWriter(DataDb db, DatabaseSettings database)
{
    /// <summary>Shown as the load's file name and requester.</summary>
    public const string GeneratorName = "演示数据生成器";

    /// <summary>
    /// Writes up to <paramref name="maxRows"/> rows from <paramref name="generator"/> as a new current version of
    /// <paramref name="resource"/> loaded at <paramref name="loadedAtUtc"/>.
    /// </summary>
    public async Task<DemoVersionResult> WriteAsync(DataResource resource, CatalogResource published, DemoRowGenerator generator, long maxRows,
        DateTime loadedAtUtc, string description, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var startedAt = loadedAtUtc.AddSeconds(-Math.Max(1, maxRows / 50_000.0));
        var version = await CreateVersionAsync(resource, published, startedAt, ct);
        var layout = ColumnsJson.LayoutOf(version);
        long rows = 0;
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(ct);
        try
        {
            await using (var writer = await RowWriter.OpenAsync(connection, layout, database.Provider, create: true, temp: false, ct))
            {
                var texts = new string?[layout.Columns.Count];
                var values = new object?[layout.Columns.Count];
                while (rows < maxRows && generator.TryNext(texts, values))
                    writer.Write(++rows, values);
                await writer.CompleteAsync(ct);
            }
            if (!await RowTables.TryCreateKeyIndexAsync(connection, layout, ct))
                throw new InvalidOperationException($"演示数据“{resource.ResourceName}”的主键重复，无法建立唯一索引");
        }
        catch
        {
            await RowTables.DropAsync(connection, layout.TableName, database.Provider, CancellationToken.None);
            await db.Versions.Where(v => v.Id == version.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VersionStatus.Failed), CancellationToken.None);
            throw;
        }
        await SwitchAsync(resource, version, rows, startedAt, loadedAtUtc, description, ct);
        return new DemoVersionResult(version.Number, rows, clock.Elapsed);
    }

    private async Task<DataVersion> CreateVersionAsync(DataResource resource, CatalogResource published, DateTime createdAt, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Resources.Where(r => r.Id == resource.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastVersionNumber, r => r.LastVersionNumber + 1), ct);
        var number = await db.Resources.Where(r => r.Id == resource.Id).Select(r => r.LastVersionNumber).FirstAsync(ct);
        var layout = TableLayout.For(resource.Id, number, published.Items);
        var version = new DataVersion
        {
            Id = Guid.CreateVersion7(), ResourceId = resource.Id, Number = number, Status = VersionStatus.Loading, TableName = layout.TableName,
            ColumnsJson = ColumnsJson.Serialize(layout.Columns), CatalogRevision = published.PublishedRevision, CreatedAt = createdAt,
            Note = "演示数据",
        };
        db.Versions.Add(version);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return version;
    }

    /// <summary>ONE transaction: the version becomes Ready and current, the switch and a succeeded demo load are recorded.</summary>
    private async Task SwitchAsync(DataResource resource, DataVersion version, long rows, DateTime startedAt, DateTime loadedAt, string description,
        CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var r = await db.Resources.FirstAsync(x => x.Id == resource.Id, ct);
        var v = await db.Versions.FirstAsync(x => x.Id == version.Id, ct);
        v.Status = VersionStatus.Ready;
        v.RowCount = rows;
        v.LoadedAt = loadedAt;
        var load = new DataLoad
        {
            Id = Guid.CreateVersion7(), ResourceId = r.Id, VersionId = v.Id, Mode = LoadMode.Full, Source = LoadSource.Demo, FileName = GeneratorName,
            OptionsJson = new LoadOptions().ToJson(), Status = LoadStatus.Succeeded, RowsRead = rows, RowsLoaded = rows, Detected = description,
            Message = $"演示数据：{rows:N0} 行，生成第 {v.Number} 版并已切换为当前版本", RequestedByName = GeneratorName,
            CreatedAt = startedAt, StartedAt = startedAt, ProgressAt = loadedAt, FinishedAt = loadedAt, Attempts = 1,
        };
        db.Loads.Add(load);
        db.Switches.Add(new DataVersionSwitch
        {
            Id = Guid.CreateVersion7(), ResourceId = r.Id, FromVersionId = r.CurrentVersionId, ToVersionId = v.Id, Reason = SwitchReasons.Load,
            LoadId = load.Id, SwitchedByName = GeneratorName, SwitchedAt = loadedAt,
        });
        r.CurrentVersionId = v.Id;
        r.UpdatedAt = loadedAt;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }
}
