using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GovData.Catalog.Contracts;
using GovData.Data.Domain;
using GovData.Data.Features.Ingestion;
using GovData.Data.Features.Storage;
using GovData.Data.Features.Versions;
using GovData.Data.Persistence;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.Data.Features.Loading;

/// <summary>Progress of a running load (reported about once a second).</summary>
internal sealed record LoadProgress(Guid LoadId, long RowsRead, long RowsLoaded, long RowsRejected, long BytesRead, long BytesTotal, TimeSpan Elapsed)
{
    /// <summary>Rows read per second so far.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsRead / Elapsed.TotalSeconds : 0;
}

/// <summary>How the caller runs a load.</summary>
/// <param name="Progress">Receives progress at each flush and at the end (the CLI's progress bar).</param>
/// <param name="RequeueOnStop">A cancelled <c>CancellationToken</c> means "host stopping": put the load back in the queue
/// (workers); otherwise it means "the user cancelled" (CLI Ctrl+C).</param>
internal sealed record LoadRunOptions(IProgress<LoadProgress>? Progress = null, bool RequeueOnStop = false);

/// <summary>The end of a load.</summary>
internal sealed record LoadOutcome(Guid LoadId, LoadStatus Status, string Message, int? VersionNumber, long RowsRead, long RowsLoaded, long RowsRejected);

/// <summary>
/// Runs one claimed load: open the source → map its header to the items → convert and validate every value → bulk write →
/// key checks → accept or reject by the error threshold → make it visible atomically.
/// <list type="bullet">
/// <item>Full: a new version (<c>TableLayout.For</c> of the entry's published items), its table written by binary COPY
/// (PostgreSQL, table created in the COPY's transaction) or a prepared INSERT in batches (SQLite); then ONE transaction makes
/// the version Ready and current and marks the load succeeded; then retention.</item>
/// <item>Append/upsert: rows are staged in a session-local table, then ONE transaction moves them into the current
/// version's table (<c>INSERT … SELECT</c>, upsert with <c>ON CONFLICT</c> on the key index) and updates its row count and
/// load time.</item>
/// <item>Rejected, failed, cancelled: the new version's table (or the staging table) is dropped, the version marked failed;
/// what readers see never changed.</item>
/// </list>
/// Progress, the first errors and the lease are flushed to <c>data_loads</c> about every second; a cancellation request
/// (<c>cancel_requested</c>) is read at the same time.
/// </summary>
internal sealed class DataLoader(
    DataDb db, DatabaseSettings database, ICatalogResources catalog, ILoadReaderFactory readers, BlobStore blobs, LoadQueue queue,
    VersionService versions, TimeProvider clock, IOptions<DataOptions> options, ILogger<DataLoader> logger)
{
    /// <summary>Errors stored per load (every rejected row is in the rejected-rows file).</summary>
    public const int MaxStoredErrors = 1000;

    /// <summary>Longest stored value of an error.</summary>
    public const int MaxErrorValueLength = 200;

    private TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(5, options.Value.Workers.LeaseSeconds));

    private TimeSpan FlushInterval => TimeSpan.FromMilliseconds(Math.Max(0, options.Value.Workers.ProgressIntervalMilliseconds));

    /// <summary>Runs the load <paramref name="loadId"/>, which <paramref name="owner"/> has claimed (status running, lease held).</summary>
    public async Task<LoadOutcome> RunAsync(Guid loadId, string owner, LoadRunOptions run, CancellationToken ct)
    {
        var load = await db.Loads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == loadId, ct)
            ?? throw new InvalidOperationException($"加载任务 {loadId} 不存在");
        if (load.Status != LoadStatus.Running || load.LeaseOwner != owner)
            throw new InvalidOperationException($"加载任务 {loadId} 未被本实例领取（状态 {load.Status}）");
        var resource = await db.Resources.AsNoTracking().FirstAsync(r => r.Id == load.ResourceId, ct);
        var state = new RunState(load, owner, LoadOptions.FromJson(load.OptionsJson), Stopwatch.StartNew());
        logger.LogInformation("开始加载 {Load}：资源 {Code}，{Mode}，文件 {File}", load.Id, resource.ResourceCode, LoadOptions.ModeLabel(load.Mode), load.FileName);

        await using var connection = database.CreateConnection();
        await connection.OpenAsync(ct);
        TableLayout? stage = null;
        try
        {
            var outcome = await ExecuteAsync(state, resource, connection, run, s => stage = s, ct);
            await FinishSourceAsync(load, requeued: false);
            return outcome;
        }
        catch (LeaseLostException)
        {
            logger.LogWarning("加载 {Load} 的租约已被其他实例接管，本实例停止加载", load.Id);
            if (state.Rejected is not null) await state.Rejected.DisposeAsync();
            return new LoadOutcome(load.Id, LoadStatus.Failed, "租约已被其他实例接管", null, state.RowsRead, state.RowsLoaded, state.RowsRejected);
        }
        catch (Exception ex)
        {
            LoadStatus status;
            string message;
            switch (ex)
            {
                case LoadRejectedException r:
                    (status, message) = (LoadStatus.Rejected, r.Message);
                    break;
                case SourceFormatException f:
                    // The file turned out unreadable part-way (a damaged workbook, invalid JSON): the user's file, not our failure.
                    (status, message) = (LoadStatus.Rejected, $"文件无法继续读取（已读取 {state.RowsRead:N0} 行）：{f.Message}；数据未作任何改变");
                    break;
                case OperationCanceledException when state.CancelRequested:
                    (status, message) = (LoadStatus.Cancelled, $"加载已按要求取消（已读取 {state.RowsRead:N0} 行）；数据未作任何改变");
                    break;
                case OperationCanceledException when ct.IsCancellationRequested && run.RequeueOnStop:
                    await RequeueAsync(state, resource, connection, stage);
                    return new LoadOutcome(load.Id, LoadStatus.Queued, "服务停止，加载已放回队列", null, 0, 0, 0);
                case OperationCanceledException when ct.IsCancellationRequested:
                    (status, message) = (LoadStatus.Cancelled, $"加载被中断（已读取 {state.RowsRead:N0} 行）；数据未作任何改变");
                    break;
                default:
                    logger.LogError(ex, "加载 {Load} 失败：{Message}", load.Id, ex.Message);
                    (status, message) = (LoadStatus.Failed, $"加载失败：{ex.Message}；数据未作任何改变");
                    break;
            }
            await AbortAsync(state, connection, stage, status, message);
            await FinishSourceAsync(load, requeued: false);
            run.Progress?.Report(state.Progress());
            return new LoadOutcome(load.Id, status, message, null, state.RowsRead, state.RowsLoaded, state.RowsRejected);
        }
    }

    private async Task<LoadOutcome> ExecuteAsync(RunState state, DataResource resource, DbConnection connection, LoadRunOptions run,
        Action<TableLayout> stageCreated, CancellationToken ct)
    {
        var load = state.Load;
        var threshold = ErrorThreshold.Parse(state.Options.Threshold, out _) ?? ErrorThreshold.Default;
        TableLayout layout;
        TableLayout target;
        DataVersion? newVersion = null;
        if (load.Mode == LoadMode.Full)
        {
            var published = await catalog.FindAsync(resource.EntryId, ct);
            if (published is null || published.Status != EntryStatus.Published)
                throw new LoadRejectedException($"信息资源“{resource.ResourceName}”已不是已发布状态，不能加载数据");
            if (published.Items.Count == 0)
                throw new LoadRejectedException($"信息资源“{resource.ResourceName}”没有信息项，不能加载表格数据（非结构化资源请上传文件）");
            newVersion = await CreateVersionAsync(state, resource, published, ct);
            layout = ColumnsJson.LayoutOf(newVersion);
            target = layout;
        }
        else
        {
            var current = resource.CurrentVersionId is { } cid ? await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == cid, ct) : null;
            if (current is null || current.Status != VersionStatus.Ready)
                throw new LoadRejectedException("该资源还没有可用的当前版本：增量加载（追加、按主键更新）之前，请先进行一次全量加载");
            layout = ColumnsJson.LayoutOf(current);
            if (load.Mode == LoadMode.Upsert && layout.KeyColumns.Count == 0)
                throw new LoadRejectedException("该资源的信息项中没有主键，不能按主键更新（upsert）；请使用追加或全量加载");
            await db.Loads.Where(l => l.Id == load.Id && l.LeaseOwner == state.Owner).ExecuteUpdateAsync(s => s.SetProperty(l => l.VersionId, current.Id), ct);
            state.VersionId = current.Id;
            state.VersionNumber = current.Number;
            target = RowTables.StageLayout(layout, load.Id);
        }

        var path = load.LocalPath ?? blobs.Absolute(load.BlobPath ?? throw new LoadRejectedException("加载任务没有源文件"));
        if (!File.Exists(path)) throw new LoadRejectedException($"源文件“{load.FileName}”不存在或已被删除");
        ILoadReader reader;
        try
        {
            reader = await readers.OpenAsync(path, load.FileName, layout, state.Options, ct);
        }
        catch (LoadInputException ex)
        {
            throw new LoadRejectedException(ex.Message);
        }
        await using (reader)
        {
            state.Reader = reader;
            state.Rejected = new RejectedRowsFile(blobs, reader.Header);
            await db.Loads.Where(l => l.Id == load.Id && l.LeaseOwner == state.Owner).ExecuteUpdateAsync(s => s
                .SetProperty(l => l.Format, DataDb.DbText(reader.Format)).SetProperty(l => l.Detected, reader.Description)
                .SetProperty(l => l.BytesTotal, reader.BytesTotal), ct);

            var temp = load.Mode != LoadMode.Full;
            await using (var writer = await RowWriter.OpenAsync(connection, target, database.Provider, create: true, temp, ct))
            {
                if (temp) stageCreated(target);
                await using (var pipe = new WritePipe(writer, ct))
                {
                    await ReadAllAsync(state, reader, layout, pipe, threshold, run, ct);
                    await pipe.CompleteAsync();
                }
                await writer.CompleteAsync(ct);
            }
            state.BytesRead = reader.BytesTotal;
        }

        if (layout.KeyColumns.Count > 0)
        {
            if (load.Mode == LoadMode.Full) await CheckKeysOfVersionAsync(state, connection, target, ct);
            else await CheckKeysOfStageAsync(state, connection, target, layout, load.Mode == LoadMode.Append, ct);
        }
        await FlushAsync(state, run, ct);

        if (state.RowsRead == 0) throw new LoadRejectedException("文件中没有数据行（只有表头或为空）");
        if (threshold.IsExceeded(state.RowsRejected, state.RowsRead)) throw new LoadRejectedException(ThresholdMessage(state, threshold, early: false));
        if (state.RowsLoaded == 0) throw new LoadRejectedException("没有任何一行通过校验，未加载数据");

        var rejectedPath = state.Rejected is null ? null : await state.Rejected.CommitAsync();
        state.RejectedPath = rejectedPath;
        var tail = state.RowsRejected > 0 ? $"；{state.RowsRejected:N0} 行未通过校验（{threshold.Describe()}），见错误报告与未通过行文件" : "";
        string message;
        if (newVersion is not null)
        {
            message = $"全量加载完成：{state.RowsLoaded:N0} 行，生成第 {newVersion.Number} 版并已切换为当前版本{tail}";
            await SwitchAsync(state, connection, newVersion, message, ct);
            try { await versions.ApplyRetentionAsync(resource.Id, CancellationToken.None); }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                logger.LogWarning(ex, "资源 {Code} 的旧版本清理失败，下次加载时重试：{Message}", resource.ResourceCode, ex.Message);
            }
        }
        else
        {
            var verb = load.Mode == LoadMode.Append ? "追加" : "按主键更新";
            message = $"{verb}完成：{state.RowsLoaded:N0} 行已写入第 {state.VersionNumber} 版{tail}";
            await ApplyStageAsync(state, connection, target, layout, message, ct);
        }
        run.Progress?.Report(state.Progress());
        logger.LogInformation("加载 {Load} 完成：{Message}", load.Id, message);
        return new LoadOutcome(load.Id, LoadStatus.Succeeded, message, state.VersionNumber, state.RowsRead, state.RowsLoaded, state.RowsRejected);
    }

    /// <summary>
    /// Reads, converts and validates every record; accepted rows go to the write pipe (written on another task while the
    /// next rows are read), rejected ones to the report. Flushes progress about once a second.
    /// </summary>
    private async Task ReadAllAsync(RunState state, ILoadReader reader, TableLayout layout, WritePipe pipe, ErrorThreshold threshold, LoadRunOptions run,
        CancellationToken ct)
    {
        var values = new object?[layout.Columns.Count];
        var problems = new List<CellProblem>();
        long row = 0;
        var lastFlush = state.Clock.Elapsed;
        await foreach (var record in reader.ReadRecordsAsync(ct))
        {
            state.RowsRead++;
            problems.Clear();
            if (record.Problem is not null) problems.Add(new CellProblem(-1, null, null, record.Rule ?? LoadRules.Record, record.Problem));
            else
            {
                Array.Clear(values);
                reader.Convert(record, values, problems);
                CheckValues(layout, reader, record, values, problems);
            }
            if (problems.Count > 0)
            {
                await RejectAsync(state, record.RowNumber, record.Values, problems);
                if (threshold.IsExceededEarly(state.RowsRejected))
                    throw new LoadRejectedException(ThresholdMessage(state, threshold, early: true));
            }
            else
            {
                row++;
                await pipe.AddAsync(row, values);
                state.Map.Note(row, record.RowNumber);
                state.RowsLoaded++;
            }
            if (state.Clock.Elapsed - lastFlush >= FlushInterval)
            {
                // SQLite: the batch transaction must be committed before progress is written on another connection.
                if (!database.IsPostgres) await pipe.CheckpointAsync();
                await FlushAsync(state, run, ct);
                lastFlush = state.Clock.Elapsed;
            }
        }
    }

    /// <summary>
    /// Checks the loader applies on top of value conversion: required/key items present, text fits the column. Runs for
    /// every row, so the source column name and raw text are only looked up for a value that fails.
    /// </summary>
    private static void CheckValues(TableLayout layout, ILoadReader reader, SourceRecord record, object?[] values, List<CellProblem> problems)
    {
        var failed = problems.Count;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            var column = layout.Columns[i];
            if (value is null)
            {
                if ((column.IsRequired || column.IsKey) && !HasProblem(problems, failed, i))
                    problems.Add(Problem(i, LoadRules.Required,
                        column.IsKey ? $"主键信息项“{column.ItemName}”不能为空" : $"必填信息项“{column.ItemName}”不能为空"));
                continue;
            }
            if (value is not string s) continue;
            if (s.Contains('\0'))
            {
                if (!HasProblem(problems, failed, i)) problems.Add(Problem(i, LoadRules.Character, $"“{column.ItemName}”含有空字符（\\0），数据库不能保存"));
            }
            // Length in code points: only a text longer in UTF-16 units than the limit can exceed it.
            else if (column.Kind == ColumnKind.Text && column.DataType == ItemDataType.C && column.Length is > 0 and var max && s.Length > max)
            {
                var length = s.Length;
                for (var k = 0; k < s.Length; k++) if (char.IsHighSurrogate(s[k])) length--;
                if (length > max && !HasProblem(problems, failed, i))
                    problems.Add(Problem(i, LoadRules.Length, $"“{column.ItemName}”长度为 {length}，超过信息项长度 {max}"));
            }
        }

        CellProblem Problem(int i, string rule, string message)
        {
            var source = reader.SourceIndexes[i];
            var field = source >= 0 ? reader.Header[source] : layout.Columns[i].FieldName;
            var raw = source >= 0 && source < record.Values.Length ? record.Values[source] : null;
            return new CellProblem(i, field, raw, rule, message);
        }
    }

    /// <summary>True when one of the first <paramref name="count"/> problems (the converters') is about column <paramref name="column"/>.</summary>
    private static bool HasProblem(List<CellProblem> problems, int count, int column)
    {
        for (var k = 0; k < count; k++) if (problems[k].Column == column) return true;
        return false;
    }

    private async Task RejectAsync(RunState state, long rowNumber, IReadOnlyList<string?> values, List<CellProblem> problems)
    {
        state.RowsRejected++;
        foreach (var p in problems)
        {
            state.RuleCounts[p.Rule] = state.RuleCounts.GetValueOrDefault(p.Rule) + 1;
            if (state.StoredErrors >= MaxStoredErrors) continue;
            state.StoredErrors++;
            state.PendingErrors.Add(new DataLoadError
            {
                LoadId = state.Load.Id, Seq = state.StoredErrors, RowNumber = rowNumber, Field = Truncate(p.Field, 200), Value = Truncate(p.Value, MaxErrorValueLength),
                Rule = p.Rule, Message = p.Field is null ? p.Message : $"列“{p.Field}”：{p.Message}",
            });
        }
        await state.Rejected!.WriteAsync(values, rowNumber, string.Join("；", problems.Select(p => p.Field is null ? p.Message : $"{p.Field}：{p.Message}")));
    }

    /// <summary>
    /// Key uniqueness of a new version: the unique index on the key items is created after the COPY; when it fails the
    /// rows repeating an earlier row's key are reported (rule DUPLICATE_KEY, source row number), written to the rejected
    /// rows file with their stored values, and deleted — the first occurrence stays — then the index is created.
    /// Memory stays constant (the database finds the duplicates), whatever the file size.
    /// </summary>
    private async Task CheckKeysOfVersionAsync(RunState state, DbConnection connection, TableLayout table, CancellationToken ct)
    {
        if (await RowTables.TryCreateKeyIndexAsync(connection, table, ct)) return;
        var duplicates = await RowTables.FindDuplicateKeysAsync(connection, table, ct);
        await RejectDuplicatesAsync(state, connection, table, duplicates.Select(d => (d.Row, $"与第 {state.Map.SourceRow(d.First)} 行重复")).ToList(),
            LoadRules.DuplicateKey, "主键（{0}）{1}，只保留第一次出现的行", ct);
        if (!await RowTables.TryCreateKeyIndexAsync(connection, table, ct)) throw new InvalidOperationException("去除重复主键后仍无法建立主键唯一索引");
    }

    /// <summary>Incremental loads: duplicate keys inside the file (later rows rejected); append also refuses keys already present.</summary>
    private async Task CheckKeysOfStageAsync(RunState state, DbConnection connection, TableLayout stage, TableLayout target, bool append, CancellationToken ct)
    {
        var duplicates = await RowTables.FindDuplicateKeysAsync(connection, stage, ct);
        if (duplicates.Count > 0)
            await RejectDuplicatesAsync(state, connection, stage, duplicates.Select(d => (d.Row, $"与第 {state.Map.SourceRow(d.First)} 行重复")).ToList(),
                LoadRules.DuplicateKey, "主键（{0}）{1}，只保留第一次出现的行", ct);
        if (!append) return;
        var existing = await RowTables.FindExistingKeysAsync(connection, stage, target, ct);
        if (existing.Count > 0)
            await RejectDuplicatesAsync(state, connection, stage, existing.Select(e => (e.Row, "已存在于当前版本")).ToList(),
                LoadRules.KeyExists, "主键（{0}）{1}；追加不会覆盖已有数据，如需更新请使用按主键更新（upsert）", ct);
    }

    private async Task RejectDuplicatesAsync(RunState state, DbConnection connection, TableLayout table, IReadOnlyList<(long Row, string Detail)> rows,
        string rule, string format, CancellationToken ct)
    {
        var reader = state.Reader!;
        var keys = table.KeyColumns;
        var keyNames = string.Join("、", keys.Select(k => k.ItemName));
        foreach (var chunk in rows.Chunk(500))
        {
            var stored = await RowTables.ReadRowsAsync(connection, table, chunk.Select(c => c.Row).ToList(), ct);
            foreach (var (row, detail) in chunk)
            {
                var values = stored[row];
                var source = new string?[reader.Header.Count];
                for (var i = 0; i < table.Columns.Count; i++)
                    if (reader.SourceIndexes[i] is var s && s >= 0 && s < source.Length) source[s] = StoredText(table.Columns[i], values[i]);
                var keyText = string.Join("，", keys.Select(k => StoredText(k, values[k.Ordinal - 1])));
                var field = string.Join("，", keys.Select(k => reader.SourceIndexes[k.Ordinal - 1] is var s && s >= 0 ? reader.Header[s] : k.FieldName));
                var message = string.Format(CultureInfo.InvariantCulture, format, keyNames, detail);
                state.RowsLoaded--;
                await RejectAsync(state, state.Map.SourceRow(row), source, [new CellProblem(-2, field, keyText, rule, message)]);
            }
            await RowTables.DeleteRowsAsync(connection, table.TableName, chunk.Select(c => c.Row).ToList(), ct);
        }
    }

    /// <summary>A stored value as text (rejected-rows file of key conflicts).</summary>
    private static string? StoredText(DataColumn column, object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t when column.Kind == ColumnKind.Date => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "是" : "否",
        long l when column.Kind == ColumnKind.Boolean => l != 0 ? "是" : "否",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string ThresholdMessage(RunState state, ErrorThreshold threshold, bool early) =>
        (early ? $"未通过校验的行已达 {state.RowsRejected:N0} 行，超过错误阈值（{threshold.Describe()}），加载已停止" :
            $"读取 {state.RowsRead:N0} 行，{state.RowsRejected:N0} 行未通过校验，超过错误阈值（{threshold.Describe()}）")
        + "，本次加载被拒绝，数据未作任何改变。请按错误报告修正文件后重新加载";

    private async Task<DataVersion> CreateVersionAsync(RunState state, DataResource resource, CatalogResource published, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Resources.Where(r => r.Id == resource.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastVersionNumber, r => r.LastVersionNumber + 1), ct);
        var number = await db.Resources.Where(r => r.Id == resource.Id).Select(r => r.LastVersionNumber).FirstAsync(ct);
        var layout = TableLayout.For(resource.Id, number, published.Items);
        var version = new DataVersion
        {
            Id = Guid.CreateVersion7(), ResourceId = resource.Id, Number = number, Status = VersionStatus.Loading, TableName = layout.TableName,
            ColumnsJson = ColumnsJson.Serialize(layout.Columns), CatalogRevision = published.PublishedRevision, CreatedAt = now,
            CreatedBy = state.Load.RequestedBy,
        };
        db.Versions.Add(version);
        await db.SaveChangesAsync(ct);
        var owned = await db.Loads.Where(l => l.Id == state.Load.Id && l.LeaseOwner == state.Owner)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.VersionId, version.Id), ct);
        if (owned != 1) throw new LeaseLostException();
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        state.VersionId = version.Id;
        state.VersionNumber = number;
        return version;
    }

    /// <summary>ONE transaction: the version becomes Ready and current, the switch is recorded, the load succeeds.</summary>
    private async Task SwitchAsync(RunState state, DbConnection connection, DataVersion version, string message, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tdb = DataDbFactory.On(connection, database.Provider);
        await using var tx = await tdb.Database.BeginTransactionAsync(ct);
        if (database.IsPostgres)
            await tdb.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM data_resources WHERE id = {version.ResourceId} FOR UPDATE", ct);
        var resource = await tdb.Resources.FirstAsync(r => r.Id == version.ResourceId, ct);
        var v = await tdb.Versions.FirstAsync(x => x.Id == version.Id, ct);
        v.Status = VersionStatus.Ready;
        v.RowCount = state.RowsLoaded;
        v.LoadedAt = now;
        tdb.Switches.Add(new DataVersionSwitch
        {
            Id = Guid.CreateVersion7(), ResourceId = resource.Id, FromVersionId = resource.CurrentVersionId, ToVersionId = v.Id, Reason = SwitchReasons.Load,
            LoadId = state.Load.Id, SwitchedBy = state.Load.RequestedBy, SwitchedByName = state.Load.RequestedByName, SwitchedAt = now,
        });
        resource.CurrentVersionId = v.Id;
        resource.UpdatedAt = now;
        await tdb.SaveChangesAsync(ct);
        await CompleteLoadAsync(tdb, state, LoadStatus.Succeeded, message, now, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>ONE transaction: staged rows into the current version's table, its row count and load time, the load succeeds.</summary>
    private async Task ApplyStageAsync(RunState state, DbConnection connection, TableLayout stage, TableLayout target, string message, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tdb = DataDbFactory.On(connection, database.Provider);
        await using var tx = await tdb.Database.BeginTransactionAsync(ct);
        if (database.IsPostgres)
            await tdb.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM data_resources WHERE id = {state.Load.ResourceId} FOR UPDATE", ct);
        var resource = await tdb.Resources.FirstAsync(r => r.Id == state.Load.ResourceId, ct);
        if (resource.CurrentVersionId != state.VersionId)
            throw new LoadRejectedException("加载期间当前版本已切换（回退或新的全量加载），本次增量加载未应用；请重新提交");
        await RowTables.ApplyStageAsync(connection, tx.GetDbTransaction(), stage, target, state.Load.Mode == LoadMode.Upsert, ct);
        var v = await tdb.Versions.FirstAsync(x => x.Id == state.VersionId, ct);
        v.RowCount = await RowTables.CountAsync(connection, target.TableName, ct, tx.GetDbTransaction());
        v.LoadedAt = now;
        await tdb.SaveChangesAsync(ct);
        await CompleteLoadAsync(tdb, state, LoadStatus.Succeeded, message, now, ct);
        await tx.CommitAsync(ct);
        await RowTables.DropAsync(connection, stage.TableName, database.Provider, CancellationToken.None);
    }

    /// <summary>Writes the final counters and status; throws <see cref="LeaseLostException"/> when another host took the load over.</summary>
    private async Task CompleteLoadAsync(DataDb target, RunState state, LoadStatus status, string message, DateTime now, CancellationToken ct)
    {
        var rules = state.RuleCounts.Count == 0 ? null : JsonSerializer.Serialize(state.RuleCounts);
        var rows = await target.Loads.Where(l => l.Id == state.Load.Id && l.LeaseOwner == state.Owner && l.Status == LoadStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.Status, status).SetProperty(l => l.Message, message).SetProperty(l => l.FinishedAt, now).SetProperty(l => l.ProgressAt, now)
                .SetProperty(l => l.RowsRead, state.RowsRead).SetProperty(l => l.RowsLoaded, state.RowsLoaded).SetProperty(l => l.RowsRejected, state.RowsRejected)
                .SetProperty(l => l.BytesRead, state.BytesRead).SetProperty(l => l.RuleCountsJson, rules).SetProperty(l => l.RejectedPath, state.RejectedPath)
                .SetProperty(l => l.LeaseOwner, (string?)null).SetProperty(l => l.LeaseUntil, (DateTime?)null), ct);
        if (rows != 1) throw new LeaseLostException();
        if (state.PendingErrors.Count > 0)
        {
            target.LoadErrors.AddRange(state.PendingErrors);
            await target.SaveChangesAsync(ct);
            state.PendingErrors.Clear();
        }
    }

    /// <summary>Progress, first errors, rule counts and lease to <c>data_loads</c>; reads the cancellation request.</summary>
    private async Task FlushAsync(RunState state, LoadRunOptions run, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (state.Reader is { } reader) state.BytesRead = reader.BytesRead;
        var rules = state.RuleCounts.Count == 0 ? null : JsonSerializer.Serialize(state.RuleCounts);
        var until = now + Lease;
        var rejectedPath = state.Rejected?.Path;
        var rows = await db.Loads.Where(l => l.Id == state.Load.Id && l.LeaseOwner == state.Owner && l.Status == LoadStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.RowsRead, state.RowsRead).SetProperty(l => l.RowsLoaded, state.RowsLoaded).SetProperty(l => l.RowsRejected, state.RowsRejected)
                .SetProperty(l => l.BytesRead, state.BytesRead).SetProperty(l => l.RuleCountsJson, rules).SetProperty(l => l.ProgressAt, now)
                .SetProperty(l => l.LeaseUntil, until).SetProperty(l => l.RejectedPath, rejectedPath), ct);
        if (rows != 1) throw new LeaseLostException();
        if (state.PendingErrors.Count > 0)
        {
            db.LoadErrors.AddRange(state.PendingErrors);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            state.PendingErrors.Clear();
        }
        run.Progress?.Report(state.Progress());
        if (await db.Loads.AsNoTracking().Where(l => l.Id == state.Load.Id).Select(l => l.CancelRequested).FirstAsync(ct))
        {
            state.CancelRequested = true;
            throw new OperationCanceledException("加载已被取消");
        }
    }

    /// <summary>Undoes a load that did not succeed and records why.</summary>
    private async Task AbortAsync(RunState state, DbConnection connection, TableLayout? stage, LoadStatus status, string message)
    {
        var ct = CancellationToken.None;
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            if (stage is not null && connection.State == System.Data.ConnectionState.Open)
                await RowTables.DropAsync(connection, stage.TableName, database.Provider, ct);
        }
        catch (DbException ex)
        {
            logger.LogWarning(ex, "删除暂存表 {Table} 失败（连接关闭后自动消失）", stage!.TableName);
        }
        db.ChangeTracker.Clear();
        var load = await db.Loads.FirstAsync(l => l.Id == state.Load.Id, ct);
        if (load.LeaseOwner != state.Owner || load.Status != LoadStatus.Running)
        {
            if (state.Rejected is not null) await state.Rejected.DisposeAsync();
            return;
        }
        await queue.FailVersionAsync(load, status switch
        {
            LoadStatus.Rejected => "加载被拒绝，数据表已删除",
            LoadStatus.Cancelled => "加载已取消，数据表已删除",
            _ => "加载失败，数据表已删除",
        }, ct);
        // A rejected load keeps its report: the rejected rows are what the user needs to fix the file.
        string? rejectedPath = null;
        if (state.Rejected is not null)
        {
            if (status == LoadStatus.Rejected) rejectedPath = await state.Rejected.CommitAsync();
            else await state.Rejected.AbandonAsync();
        }
        state.RejectedPath = rejectedPath;
        if (state.Reader is { } reader) state.BytesRead = reader.BytesRead;
        await CompleteLoadAsync(db, state, status, message, now, ct);
        logger.LogInformation("加载 {Load} 结束（{Status}）：{Message}", load.Id, status, message);
    }

    /// <summary>Host stopping: undo the partial work and put the load back in the queue for another worker (or this host after restart).</summary>
    private async Task RequeueAsync(RunState state, DataResource resource, DbConnection connection, TableLayout? stage)
    {
        var ct = CancellationToken.None;
        if (stage is not null) await RowTables.DropAsync(connection, stage.TableName, database.Provider, ct);
        db.ChangeTracker.Clear();
        var load = await db.Loads.FirstAsync(l => l.Id == state.Load.Id, ct);
        if (load.LeaseOwner != state.Owner) return;
        await queue.FailVersionAsync(load, "服务停止，加载中断，数据表已删除", ct);
        if (state.Rejected is not null) await state.Rejected.AbandonAsync();
        await db.LoadErrors.Where(e => e.LoadId == load.Id).ExecuteDeleteAsync(ct);
        load.Status = LoadStatus.Queued;
        load.VersionId = null;
        load.LeaseOwner = null;
        load.LeaseUntil = null;
        load.StartedAt = null;
        load.RowsRead = load.RowsLoaded = load.RowsRejected = load.BytesRead = 0;
        load.RuleCountsJson = null;
        load.Message = "服务停止，加载已放回队列，将重新开始";
        await db.SaveChangesAsync(ct);
        logger.LogInformation("服务停止：资源 {Code} 的加载 {Load} 已放回队列", resource.ResourceCode, load.Id);
    }

    /// <summary>The uploaded source is deleted once its load ended, unless <see cref="DataOptions.KeepSourceFiles"/>.</summary>
    private async Task FinishSourceAsync(DataLoad load, bool requeued)
    {
        if (requeued || options.Value.KeepSourceFiles || load.BlobPath is null) return;
        await blobs.DeleteAsync(load.BlobPath);
    }

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..(max - 1)] + "…";

    /// <summary>State of one run.</summary>
    private sealed class RunState(DataLoad load, string owner, LoadOptions options, Stopwatch clock)
    {
        public DataLoad Load { get; } = load;
        public string Owner { get; } = owner;
        public LoadOptions Options { get; } = options;
        public Stopwatch Clock { get; } = clock;
        public ILoadReader? Reader { get; set; }
        public RejectedRowsFile? Rejected { get; set; }
        public RowNumberMap Map { get; } = new();
        public Dictionary<string, long> RuleCounts { get; } = new(StringComparer.Ordinal);
        public List<DataLoadError> PendingErrors { get; } = [];
        public int StoredErrors { get; set; }
        public long RowsRead { get; set; }
        public long RowsLoaded { get; set; }
        public long RowsRejected { get; set; }
        public long BytesRead { get; set; }
        public bool CancelRequested { get; set; }
        public Guid? VersionId { get; set; }
        public int? VersionNumber { get; set; }
        public string? RejectedPath { get; set; }

        public LoadProgress Progress() =>
            new(Load.Id, RowsRead, RowsLoaded, RowsRejected, Reader?.BytesRead ?? BytesRead, Reader?.BytesTotal ?? Load.FileSize, Clock.Elapsed);
    }
}

/// <summary>The load is refused (Chinese reason); nothing it wrote stays.</summary>
internal sealed class LoadRejectedException(string message) : Exception(message);

/// <summary>Another host took the load over after this one's lease expired: stop without touching anything.</summary>
internal sealed class LeaseLostException() : Exception("加载任务的租约已失效");
