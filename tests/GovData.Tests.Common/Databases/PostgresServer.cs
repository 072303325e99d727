using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace GovData.Tests.Common.Databases;

/// <summary>
/// The PostgreSQL server the tests of this process use, started at most once:
/// <list type="bullet">
/// <item>env <c>GOVDATA_TEST_PG</c> — a connection string to a server where the tests may create databases; or</item>
/// <item>a throwaway cluster: <c>initdb</c> from <c>/usr/lib/postgresql/*/bin</c> into a temporary folder, started with
/// <c>pg_ctl</c> on 127.0.0.1 and a free port (socket in the same folder), stopped and deleted when the process exits.
/// As root the binaries run as user <c>postgres</c> (<c>runuser -u postgres --</c>), since PostgreSQL refuses to run as root.</item>
/// </list>
/// Every test database is created fresh (<c>govdata_test_&lt;guid&gt;</c>) by <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer
{
    /// <summary>Env var naming an existing server (admin connection string).</summary>
    public const string ExternalServerVariable = "GOVDATA_TEST_PG";

    /// <summary>Prefix of throwaway cluster folders in the system temp folder (cleaned up by .ci/run too).</summary>
    public const string ClusterFolderPrefix = "govdata-pg-";

    private static readonly object Gate = new();
    private static Task<PostgresServer>? _shared;

    private readonly string? _clusterFolder;
    private readonly string? _binDir;
    private int _stopped;

    private PostgresServer(string adminConnectionString, string? clusterFolder, string? binDir)
    {
        AdminConnectionString = adminConnectionString;
        _clusterFolder = clusterFolder;
        _binDir = binDir;
    }

    /// <summary>Connection string of a role that may create and drop databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when this process started the server itself.</summary>
    public bool IsThrowaway => _clusterFolder is not null;

    /// <summary>
    /// Why PostgreSQL tests cannot run here (no <c>GOVDATA_TEST_PG</c> and no <c>initdb</c>), or null when they can.
    /// </summary>
    public static string? UnavailableReason()
    {
        // Lets a developer run only the SQLite half quickly; on CI this makes the PostgreSQL tests fail, not skip.
        if (Environment.GetEnvironmentVariable("GOVDATA_TEST_SKIP_PG") is "1" or "true")
            return "PostgreSQL tests disabled by GOVDATA_TEST_SKIP_PG";
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ExternalServerVariable))) return null;
        return FindBinDir() is null
            ? $"PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and {ExternalServerVariable} is not set"
            : null;
    }

    /// <summary>
    /// The shared server, started on first use. Throws when PostgreSQL is unavailable (check
    /// <see cref="UnavailableReason"/> first) or fails to start.
    /// </summary>
    public static Task<PostgresServer> GetAsync()
    {
        lock (Gate)
        {
            if (_shared is null || _shared.IsFaulted) _shared = Task.Run(StartAsync);
            return _shared;
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<(string Name, string ConnectionString)> CreateDatabaseAsync(CancellationToken ct = default)
    {
        var name = $"govdata_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", connection);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = name,
            IncludeErrorDetail = true,
            // Each database gets its own pool; keep them small so many test databases fit under max_connections.
            MaxPoolSize = 20,
        };
        return (name, builder.ConnectionString);
    }

    /// <summary>Drops a test database (connections to it are terminated). Best effort.</summary>
    public async Task DropDatabaseAsync(string name)
    {
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A throwaway cluster is deleted anyway; on an external server a leftover database is only litter.
        }
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            await using var probe = new NpgsqlConnection(external);
            await probe.OpenAsync();
            return new PostgresServer(external, null, null);
        }

        var binDir = FindBinDir() ?? throw new InvalidOperationException(UnavailableReason());
        CleanUpStaleClusters(binDir);

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // Short path: the Unix socket lives in this folder and socket paths are limited to about 100 bytes.
            var folder = Path.Combine(Path.GetTempPath(), $"{ClusterFolderPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
            try
            {
                var server = await StartClusterAsync(binDir, folder);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                return server;
            }
            catch (Exception ex)
            {
                last = ex;
                StopCluster(binDir, folder);
                TestEnvironment.TryDeleteFolder(folder);
            }
        }
        throw new InvalidOperationException("Could not start a throwaway PostgreSQL cluster: " + last?.Message, last);
    }

    private static async Task<PostgresServer> StartClusterAsync(string binDir, string folder)
    {
        Directory.CreateDirectory(folder);
        // Who owns the cluster: a later run removes clusters whose owner process is gone (killed test runs).
        await File.WriteAllTextAsync(Path.Combine(folder, "owner.pid"), Environment.ProcessId.ToString());
        var data = Path.Combine(folder, "data");
        if (Environment.IsPrivilegedProcess) Run("chown", ["-R", "postgres:postgres", folder], asPostgres: false);

        Run(Path.Combine(binDir, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);

        var port = FreePort();
        var options = string.Join(' ',
            "-c listen_addresses=127.0.0.1", $"-p {port}", $"-k {folder}",
            // Durability is irrelevant for a throwaway cluster; speed is not.
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c max_connections=400", "-c shared_buffers=64MB");
        Run(Path.Combine(binDir, "pg_ctl"), ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", options, "start"]);

        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
            Timeout = 30,
        }.ConnectionString;
        var server = new PostgresServer(admin, folder, binDir);
        await using var probe = new NpgsqlConnection(admin);
        await probe.OpenAsync();
        return server;
    }

    /// <summary>Stops the shared throwaway cluster if this process started one (end of the test run).</summary>
    public static async Task StopSharedAsync()
    {
        Task<PostgresServer>? shared;
        lock (Gate) shared = _shared;
        if (shared is null) return;
        try { (await shared).Stop(); }
        catch (InvalidOperationException) { /* it never started */ }
    }

    /// <summary>Stops a throwaway cluster and deletes its folder (idempotent; also runs at process exit).</summary>
    public void Stop()
    {
        if (_clusterFolder is null || _binDir is null || Interlocked.Exchange(ref _stopped, 1) == 1) return;
        StopCluster(_binDir, _clusterFolder);
        TestEnvironment.TryDeleteFolder(_clusterFolder);
    }

    private static void StopCluster(string binDir, string folder)
    {
        var data = Path.Combine(folder, "data");
        if (!File.Exists(Path.Combine(data, "postmaster.pid"))) return;
        try { Run(Path.Combine(binDir, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]); }
        catch (InvalidOperationException) { /* already stopped */ }
    }

    /// <summary>Stops and deletes clusters left behind by test processes that no longer exist.</summary>
    private static void CleanUpStaleClusters(string binDir)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), ClusterFolderPrefix + "*"))
        {
            var ownerFile = Path.Combine(folder, "owner.pid");
            if (!File.Exists(ownerFile) || !int.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner)) continue;
            if (owner == Environment.ProcessId || TestEnvironment.ProcessIsAlive(owner)) continue;
            StopCluster(binDir, folder);
            TestEnvironment.TryDeleteFolder(folder);
        }
    }

    private static string? FindBinDir()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.EnumerateDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL tool (as user postgres when this process is root) and throws with its output on failure.</summary>
    private static void Run(string file, IReadOnlyList<string> args, bool asPostgres = true)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            psi.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", file }) psi.ArgumentList.Add(a);
        }
        else psi.FileName = file;
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C.UTF-8";

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} timed out:\n{output}");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}):\n{output}");
    }
}
