using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GovData.Bench.Search;

/// <summary>
/// A PostgreSQL cluster for one benchmark run, from the Debian binaries: initdb + pg_ctl as user postgres on
/// 127.0.0.1, a free port, socket in /tmp, default settings except fsync=off (the load is thrown away; queries are
/// unaffected) unless <c>fsync: true</c> (write benchmarks: PostgreSQL's durable defaults). Removed again on dispose.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private static readonly string[] BinDirs = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"];
    private readonly string _bin;
    private readonly string _dataDir;

    private ThrowawayPostgres(string bin, string dataDir, string connectionString, string version)
    {
        _bin = bin;
        _dataDir = dataDir;
        ConnectionString = connectionString;
        Version = version;
    }

    public string ConnectionString { get; }

    public string Version { get; }

    public string DataDirectory => _dataDir;

    /// <summary>Starts a cluster; <paramref name="fsync"/> keeps fsync on (commit latency as in production), otherwise fsync=off.</summary>
    public static async Task<ThrowawayPostgres> StartAsync(bool fsync = false)
    {
        var bin = BinDirs.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
                  ?? throw new InvalidOperationException("未找到 PostgreSQL 程序（/usr/lib/postgresql/*/bin）");
        var dataDir = Path.Combine("/tmp", "govdata-bench-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, "initdb"), "-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
        await RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "-D", dataDir, "-l", Path.Combine(dataDir, "server.log"), "-w",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k /tmp{(fsync ? "" : " -c fsync=off")}", "start"]);
        var version = (await RunAsync(Path.Combine(bin, "postgres"), ["--version"])).Trim();
        return new ThrowawayPostgres(bin, dataDir, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true", version);
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        try { await RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", _dataDir, "-m", "fast", "-w", "stop"]); }
        finally { try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
    }

    private static async Task<string> RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"无法启动 {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} 失败（{process.ExitCode}）：{await stderr}{await stdout}");
        return await stdout;
    }
}
