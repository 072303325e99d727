using System.Security.Cryptography;
using System.Text.Json;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Persistence;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Access;

/// <summary>States of a file extract.</summary>
internal static class FileStatus
{
    public const string Queued = "queued", Running = "running", Ready = "ready", Failed = "failed", Expired = "expired";

    public static string Label(string status) => status switch
    {
        Queued => "排队中",
        Running => "生成中",
        Ready => "可下载",
        Failed => "生成失败",
        Expired => "链接已过期",
        _ => status,
    };
}

/// <summary>A file extract (文件交付, <c>exchange_file_jobs</c>).</summary>
internal sealed class FileJob
{
    public Guid Id { get; set; }
    public Guid GrantId { get; set; }
    public Guid ConsumerDepartmentId { get; set; }
    public Guid ProviderDepartmentId { get; set; }
    public string ClientId { get; set; } = "";
    public string ResourceCode { get; set; } = "";
    /// <summary>csv, json, ndjson, xlsx, xml.</summary>
    public string Format { get; set; } = "csv";
    public bool Bom { get; set; }
    public bool Gb18030 { get; set; }
    public bool FieldCodeHeader { get; set; }
    /// <summary>The query pairs (rows-API syntax) as a JSON array of [name, value].</summary>
    public string QueryJson { get; set; } = "[]";
    public string RequestId { get; set; } = "";
    public string? Issue { get; set; }
    public string Status { get; set; } = FileStatus.Queued;
    /// <summary>Rows of a daily quota reserved for the extract (its row limit), or null.</summary>
    public long? QuotaRows { get; set; }
    /// <summary>The quota day (unix seconds of its start) of the reservation.</summary>
    public long? QuotaDay { get; set; }
    public long Rows { get; set; }
    public long SizeBytes { get; set; }
    public string? Sha256 { get; set; }
    /// <summary>Relative to the files folder.</summary>
    public string? BlobPath { get; set; }
    public string? FileName { get; set; }
    public string? ContentType { get; set; }
    public string? Error { get; set; }
    public DateTime RequestedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    /// <summary>Lower-case hex SHA-256 of the download token (the token itself is given to the caller once).</summary>
    public string DownloadTokenHash { get; set; } = "";
    public DateTime? LinkExpiresAt { get; set; }
    public int Downloads { get; set; }

    public static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    public IReadOnlyList<KeyValuePair<string, string?>> Query() =>
        JsonSerializer.Deserialize<string[][]>(QueryJson)!.Select(p => new KeyValuePair<string, string?>(p[0], p[1])).ToList();

    public DataExportRequest ExportRequest() => new(Enum.Parse<DataExportFormat>(Format, ignoreCase: true), Bom, Gb18030, FieldCodeHeader);
}

/// <summary>Settings of file delivery, section <c>GovData:Exchange:Access:Files</c>.</summary>
internal sealed class FileDeliveryOptions
{
    public const string Section = "GovData:Exchange:Access:Files";

    /// <summary>Whether this host generates extracts (hosts that must not, e.g. a CLI, set false). Default true.</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How often the worker looks for queued extracts, in seconds (a request on the same host wakes it at once). Default 2.</summary>
    public double PollSeconds { get; set; } = 2;

    /// <summary>How long a claim lasts without renewal, in seconds (a crashed host's extract is taken over after it). Default 120.</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>How long the download link stays valid after the extract is ready, in hours. Default 24.</summary>
    public double LinkHours { get; set; } = 24;

    /// <summary>Folder of the files: absolute, or relative to <c>GovData:DataFolder</c>. Default <c>exchange-files</c>.</summary>
    public string Folder { get; set; } = "exchange-files";

    /// <summary>Rows an extract counts against a daily quota in rows when the request gives no <c>limit</c>. Default 1,000,000.</summary>
    public long MaxRowsPerQuotaExtract { get; set; } = 1_000_000;
}

/// <summary>Wakes this host's worker when an extract is queued here; names this host in <c>lease_owner</c>.</summary>
internal sealed class FileJobSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>This host's name in <c>lease_owner</c> (machine, process, instance).</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}" is var o && o.Length > 100 ? o[^100..] : o;

    public void Notify()
    {
        if (_signal.CurrentCount == 0) _signal.Release();
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await _signal.WaitAsync(timeout, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}

/// <summary>
/// Generates extracts: claims a queued extract (or one whose claim expired) with a conditional update — whichever host
/// wins the update runs it —, checks the grant again (a revoked or expired grant fails the extract), writes the file
/// through <see cref="IGovernedDataAccess.PrepareExportAsync"/> under the grant's policy into the files folder
/// (<c>yyyy/MM/{id}.{ext}</c>, via a <c>.part</c> file, SHA-256 on the way), renews the claim while writing, marks it
/// ready with the link's expiry, gives back unused quota rows and logs the outcome. Also deletes the files of expired
/// links.
/// </summary>
internal sealed class FileDelivery(
    ExchangeDb db, IServiceProvider services, AccessStore store, FileJobSignal host, TimeProvider clock, IOptions<FileDeliveryOptions> options,
    IConfiguration configuration, IHostEnvironment environment, ILogger<FileDelivery> log)
{
    private string Owner => host.Owner;

    /// <summary>The files folder.</summary>
    public string Folder
    {
        get
        {
            var folder = options.Value.Folder;
            return Path.IsPathRooted(folder) ? folder : Path.Combine(DatabaseSettings.DataFolder(configuration, environment.ContentRootPath), folder);
        }
    }

    /// <summary>The absolute path of a stored file, checked to stay inside the folder.</summary>
    public string PathOf(string relative)
    {
        var root = Path.GetFullPath(Folder);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new InvalidOperationException($"文件路径越界：{relative}");
    }

    /// <summary>Claims and runs one extract; false when none was waiting.</summary>
    public async Task<bool> RunNextAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.FileJobs().AsNoTracking()
            .Where(j => j.Status == FileStatus.Queued || (j.Status == FileStatus.Running && j.LeaseUntil < now))
            .OrderBy(j => j.RequestedAt).Select(j => j.Id).Take(5).ToListAsync(ct);
        foreach (var id in candidates)
        {
            var until = now.AddSeconds(options.Value.LeaseSeconds);
            var claimed = await db.FileJobs()
                .Where(j => j.Id == id && (j.Status == FileStatus.Queued || (j.Status == FileStatus.Running && j.LeaseUntil < now)))
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, FileStatus.Running).SetProperty(j => j.LeaseOwner, Owner)
                    .SetProperty(j => j.LeaseUntil, until).SetProperty(j => j.StartedAt, now), ct);
            if (claimed != 1) continue;
            var job = await db.FileJobs().AsNoTracking().SingleAsync(j => j.Id == id, ct);
            await RunAsync(job, ct);
            return true;
        }
        return false;
    }

    private async Task RunAsync(FileJob job, CancellationToken ct)
    {
        var relative = Path.Combine(job.RequestedAt.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture),
            job.RequestedAt.ToString("MM", System.Globalization.CultureInfo.InvariantCulture), job.Id.ToString("N") + "." + job.Format);
        var path = PathOf(relative);
        var part = path + ".part";
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewing = RenewAsync(job.Id, renewal);
        try
        {
            await using var scope = services.CreateAsyncScope();
            var grants = scope.ServiceProvider.GetRequiredService<IGrantLookup>();
            var data = scope.ServiceProvider.GetRequiredService<IGovernedDataAccess>();
            var found = await grants.FindActiveAsync(job.ConsumerDepartmentId, job.ResourceCode, GrantAccessMode.File, clock.GetUtcNow().UtcDateTime, ct);
            if (found.Grant is not { } grant || grant.GrantId != job.GrantId)
                throw new FileJobException($"授权已失效（{found.Refusal switch { GrantRefusal.Expired => "已过期", GrantRefusal.Revoked => "已撤销", GrantRefusal.ModeNotGranted => "不再包含文件交付方式", _ => "已不存在或已更换" }}），未生成文件", AuditOutcomes.Denied);
            var policy = new AccessPolicy(grant.Items, grant.RowConditions, grant.RawAllowed);
            GovernedExport export;
            try
            {
                export = await data.PrepareExportAsync(ResourceCode.Parse(job.ResourceCode), policy, job.ExportRequest(), job.Query(), ct);
            }
            catch (DataAccessException ex)
            {
                throw new FileJobException(ex.Message, ex.Kind == DataAccessErrorKind.Forbidden ? AuditOutcomes.Denied : AuditOutcomes.Invalid);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            long rows;
            string sha;
            long size;
            await using (var file = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await using (var hashing = new HashingStream(file))
            {
                rows = await export.WriteToAsync(hashing, renewal.Token);
                await hashing.FlushAsync(renewal.Token);
                sha = hashing.Hash();
                size = hashing.Length;
            }
            File.Move(part, path, overwrite: true);
            var finished = clock.GetUtcNow().UtcDateTime;
            var updated = await db.FileJobs().Where(j => j.Id == job.Id && j.LeaseOwner == Owner && j.Status == FileStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, FileStatus.Ready).SetProperty(j => j.Rows, rows)
                    .SetProperty(j => j.SizeBytes, size).SetProperty(j => j.Sha256, sha).SetProperty(j => j.BlobPath, relative)
                    .SetProperty(j => j.FileName, export.FileName).SetProperty(j => j.ContentType, export.ContentType)
                    .SetProperty(j => j.FinishedAt, finished).SetProperty(j => j.LinkExpiresAt, finished.AddHours(options.Value.LinkHours))
                    .SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseUntil, (DateTime?)null), CancellationToken.None);
            if (updated != 1)
            {
                // Another host took the extract over (this one stalled past its lease): its result wins.
                File.Delete(path);
                return;
            }
            await GiveBackAsync(job, rows);
            await LogAsync(scope.ServiceProvider, job, AuditOutcomes.Ok, rows, sha, $"文件交付：生成 {job.Format.ToUpperInvariant()} 文件 {rows} 行，{size} 字节");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            TryDelete(part);
            var (message, outcome) = ex is FileJobException f ? (f.Message, f.Outcome) : ("生成文件时出错，请重新申请；如持续出现请联系平台管理员", AuditOutcomes.Error);
            if (ex is not FileJobException) log.LogError(ex, "文件交付 {Id}（{Code}）生成失败", job.Id, job.ResourceCode);
            var failed = await db.FileJobs().Where(j => j.Id == job.Id && j.LeaseOwner == Owner)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, FileStatus.Failed).SetProperty(j => j.Error, message.Length > 1000 ? message[..1000] : message)
                    .SetProperty(j => j.FinishedAt, clock.GetUtcNow().UtcDateTime)
                    .SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseUntil, (DateTime?)null), CancellationToken.None);
            if (failed == 1)
            {
                await GiveBackAsync(job, 0);
                await using var scope = services.CreateAsyncScope();
                await LogAsync(scope.ServiceProvider, job, outcome, 0, null, "文件交付失败：" + message);
            }
        }
        finally
        {
            await renewal.CancelAsync();
            await renewing;
        }
    }

    /// <summary>Renews the claim every third of the lease while the extract runs; cancels the extract if the claim was lost.</summary>
    private async Task RenewAsync(Guid id, CancellationTokenSource running)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, options.Value.LeaseSeconds / 3.0));
        try
        {
            while (!running.IsCancellationRequested)
            {
                await Task.Delay(every, running.Token);
                await using var scope = services.CreateAsyncScope();
                var exchange = scope.ServiceProvider.GetRequiredService<ExchangeDb>();
                var until = clock.GetUtcNow().UtcDateTime.AddSeconds(options.Value.LeaseSeconds);
                var kept = await exchange.FileJobs().Where(j => j.Id == id && j.LeaseOwner == Owner && j.Status == FileStatus.Running)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, until), running.Token);
                if (kept == 0) await running.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task GiveBackAsync(FileJob job, long rows)
    {
        if (job.QuotaRows is { } reserved && job.QuotaDay is { } day && reserved > rows)
            await store.RefundAsync(job.GrantId, AccessStore.Day, day, reserved - rows, CancellationToken.None);
    }

    private static async Task LogAsync(IServiceProvider services, FileJob job, string outcome, long rows, string? sha, string detail)
    {
        var grant = job.GrantId;
        await services.GetRequiredService<IAuditTrail>().AppendAsync(new AuditRecord(AuditKinds.File, outcome,
            ConsumerDepartmentId: job.ConsumerDepartmentId, ProviderDepartmentId: job.ProviderDepartmentId, ClientId: job.ClientId,
            ResourceCode: job.ResourceCode, GrantId: grant, Issue: job.Issue, MessageId: job.RequestId, RowsReturned: rows,
            ResponseHash: sha, Detail: detail), CancellationToken.None);
    }

    /// <summary>Deletes the files of links that have expired (status 已过期); returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var expired = await db.FileJobs().AsNoTracking().Where(j => j.Status == FileStatus.Ready && j.LinkExpiresAt < now)
            .Select(j => new { j.Id, j.BlobPath }).Take(500).ToListAsync(ct);
        var count = 0;
        foreach (var job in expired)
        {
            var changed = await db.FileJobs().Where(j => j.Id == job.Id && j.Status == FileStatus.Ready)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, FileStatus.Expired), ct);
            if (changed != 1) continue;
            if (job.BlobPath is not null) TryDelete(PathOf(job.BlobPath));
            count++;
        }
        return count;
    }

    private void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException ex)
        {
            log.LogWarning(ex, "无法删除文件 {Path}", path);
        }
    }
}

/// <summary>Why an extract failed, with its audit outcome; the message is shown to the consumer.</summary>
internal sealed class FileJobException(string message, string outcome) : Exception(message)
{
    public string Outcome { get; } = outcome;
}

/// <summary>Runs queued extracts on this host (<see cref="FileDeliveryOptions.WorkerEnabled"/>), and sweeps expired links every minute.</summary>
internal sealed class FileDeliveryWorker(IServiceProvider services, FileJobSignal signal, IOptions<FileDeliveryOptions> options, ILogger<FileDeliveryWorker> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled) return;
        var nextSweep = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var ran = false;
            try
            {
                await using var scope = services.CreateAsyncScope();
                var delivery = scope.ServiceProvider.GetRequiredService<FileDelivery>();
                if (DateTime.UtcNow >= nextSweep)
                {
                    await delivery.SweepAsync(stoppingToken);
                    nextSweep = DateTime.UtcNow.AddMinutes(1);
                }
                ran = await delivery.RunNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogError(ex, "文件交付任务轮询失败");
            }
            if (!ran) await signal.WaitAsync(TimeSpan.FromSeconds(Math.Max(0.05, options.Value.PollSeconds)), stoppingToken);
        }
    }
}

/// <summary>A write-only stream that forwards to another and computes the SHA-256 and length of what passed.</summary>
internal sealed class HashingStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    public string Hash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _length += buffer.Length;
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        _length += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
