using GovData.SharedKernel.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace GovData.Data.Features.Storage;

/// <summary>Configuration section <c>GovData:Data</c>.</summary>
internal sealed class DataOptions
{
    /// <summary>Default upload limit: 4 GiB.</summary>
    public const long DefaultMaxUploadBytes = 4L << 30;

    /// <summary>
    /// Blob store folder (uploads, rejected-rows files, resource files). Relative paths are read against the data folder;
    /// default <c>{GovData:DataFolder}/blobs</c>. Hosts sharing one PostgreSQL must share this folder too (a load uploaded
    /// to one host may be run by the worker of another).
    /// </summary>
    public string? BlobFolder { get; set; }

    /// <summary>Largest upload accepted (loads and files), enforced while streaming. Default 4 GiB.</summary>
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;

    /// <summary>Keep the uploaded source file after its load ended (default false: deleted, the report stays).</summary>
    public bool KeepSourceFiles { get; set; }

    /// <summary>Background load workers.</summary>
    public LoadWorkerOptions Workers { get; set; } = new();
}

/// <summary>Configuration section <c>GovData:Data:Workers</c>.</summary>
internal sealed class LoadWorkerOptions
{
    /// <summary>Runs queued loads in this host (default true). Hosts that must not load data set it to false.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the worker looks for queued loads and expired leases, in seconds (default 2).</summary>
    public double PollIntervalSeconds { get; set; } = 2;

    /// <summary>Loads run at the same time by this host (default 1).</summary>
    public int MaxConcurrentLoads { get; set; } = 1;

    /// <summary>
    /// Lease of a running load, in seconds (default 60). Renewed with every progress flush (about every second), so it
    /// only bounds how long the load of a crashed host stays "running" before another worker cleans it up.
    /// </summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often a running load writes its progress, renews its lease and checks for cancellation (default 1000 ms).</summary>
    public int ProgressIntervalMilliseconds { get; set; } = 1000;
}

/// <summary>Resolved folders of the module.</summary>
internal sealed class DataPaths(string blobFolder)
{
    /// <summary>Absolute blob store folder.</summary>
    public string BlobFolder { get; } = blobFolder;

    /// <summary>
    /// <c>GovData:Data:BlobFolder</c> (absolute, or relative to the data folder), else <c>{data folder}/blobs</c>. The data
    /// folder is <c>GovData:DataFolder</c> against the host's content root (the CLI makes it absolute itself).
    /// </summary>
    public static DataPaths From(IConfiguration configuration, IHostEnvironment? environment)
    {
        var dataFolder = DatabaseSettings.DataFolder(configuration, environment?.ContentRootPath ?? Directory.GetCurrentDirectory());
        var configured = configuration["GovData:Data:BlobFolder"];
        var blobs = string.IsNullOrWhiteSpace(configured) ? Path.Combine(dataFolder, "blobs")
            : Path.GetFullPath(Path.IsPathRooted(configured) ? configured : Path.Combine(dataFolder, configured));
        return new DataPaths(blobs);
    }
}
