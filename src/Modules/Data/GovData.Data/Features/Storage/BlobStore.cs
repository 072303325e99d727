using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace GovData.Data.Features.Storage;

/// <summary>A blob written to the store: its path relative to the store, size and SHA-256 (lower-case hex).</summary>
internal sealed record StoredBlob(string Path, long Size, string Sha256);

/// <summary>An upload exceeded <see cref="DataOptions.MaxUploadBytes"/>; nothing was kept.</summary>
internal sealed class BlobTooLargeException(long limit)
    : IOException($"上传的文件超过大小限制（最大 {BlobStore.FormatSize(limit)}），已停止接收")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Files of the module in a folder (<see cref="DataOptions.BlobFolder"/>): uploads waiting for their load, rejected-rows
/// files and resource files. Writes stream through a temporary file in constant memory, computing SHA-256 on the way and
/// stopping as soon as the size limit is passed; the blob appears under its final name only when complete. Stored paths
/// are relative (<c>uploads/2026/05/{id}</c>) so the folder can move; they are generated here and checked on the way back
/// in, so a stored path can never point outside the store.
/// </summary>
internal sealed class BlobStore(DataPaths paths, IOptions<DataOptions> options, TimeProvider clock)
{
    /// <summary>Folder of uploaded load sources.</summary>
    public const string Uploads = "uploads";
    /// <summary>Folder of rejected-rows files.</summary>
    public const string Rejected = "rejected";
    /// <summary>Folder of resource files.</summary>
    public const string Files = "files";

    private const int BufferSize = 1 << 16;

    /// <summary>The absolute store folder.</summary>
    public string Root => paths.BlobFolder;

    /// <summary>The configured upload limit.</summary>
    public long MaxUploadBytes => options.Value.MaxUploadBytes > 0 ? options.Value.MaxUploadBytes : DataOptions.DefaultMaxUploadBytes;

    /// <summary>Copies <paramref name="content"/> into a new blob of <paramref name="category"/>, enforcing <see cref="MaxUploadBytes"/>.</summary>
    /// <exception cref="BlobTooLargeException">The content is larger than the limit (the partial file is deleted).</exception>
    public async Task<StoredBlob> WriteAsync(Stream content, string category, CancellationToken ct = default)
    {
        var limit = MaxUploadBytes;
        var relative = NewPath(category);
        var target = Absolute(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".part";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                var buffer = new byte[BufferSize];
                int n;
                while ((n = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += n;
                    if (size > limit) throw new BlobTooLargeException(limit);
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
            File.Move(temp, target);
            return new StoredBlob(relative, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// A new blob written by the caller (rejected-rows files): returns its relative path and a stream on a temporary file;
    /// call <see cref="Commit"/> after disposing the stream, or <see cref="DeleteAsync"/> of the path to abandon it.
    /// </summary>
    public (string Path, Stream Stream) Create(string category)
    {
        var relative = NewPath(category);
        var target = Absolute(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return (relative, new FileStream(target + ".part", FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize));
    }

    /// <summary>Publishes a blob written through <see cref="Create"/>.</summary>
    public void Commit(string relativePath)
    {
        var target = Absolute(relativePath);
        File.Move(target + ".part", target, overwrite: true);
    }

    /// <summary>Opens a blob for reading, or null when it does not exist.</summary>
    public Stream? OpenRead(string relativePath)
    {
        var path = Absolute(relativePath);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan) : null;
    }

    /// <summary>The absolute path of a stored blob (checked to stay inside the store).</summary>
    public string Absolute(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath) || Path.IsPathRooted(relativePath))
            throw new ArgumentException("存储路径无效", nameof(relativePath));
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        var root = Path.GetFullPath(Root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal)) throw new ArgumentException("存储路径超出文件存储目录", nameof(relativePath));
        return full;
    }

    /// <summary>True when the blob exists.</summary>
    public bool Exists(string relativePath) => File.Exists(Absolute(relativePath));

    /// <summary>Deletes a blob (and an abandoned temporary file of it); missing blobs are ignored.</summary>
    public Task DeleteAsync(string? relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath)) return Task.CompletedTask;
        var path = Absolute(relativePath);
        TryDelete(path);
        TryDelete(path + ".part");
        return Task.CompletedTask;
    }

    private string NewPath(string category)
    {
        if (category is not (Uploads or Rejected or Files)) throw new ArgumentOutOfRangeException(nameof(category));
        var now = clock.GetUtcNow().UtcDateTime;
        return string.Join('/', category, now.ToString("yyyy", CultureInfo.InvariantCulture), now.ToString("MM", CultureInfo.InvariantCulture),
            Guid.CreateVersion7().ToString("N"));
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Bytes as people read them (4 GiB, 512 MiB, 20 KiB, 100 字节).</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.##} KiB",
        _ => $"{bytes} 字节",
    };
}
