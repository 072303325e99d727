using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GovData.Catalog.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: uses <c>GOVDATA_TEST_POSTGRES</c> (a server connection string) when
/// set, otherwise starts one from the Debian PostgreSQL binaries (initdb + pg_ctl as user postgres, 127.0.0.1, a free
/// port, socket in /tmp). Each test gets its own database. When neither is available the PostgreSQL tests are skipped
/// with the reason.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private static readonly string[] BinDirs = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"];
    private string? _dataDir;
    private string? _bin;

    /// <summary>Connection string of the server's maintenance database, or null when unavailable.</summary>
    public string? ServerConnectionString { get; private set; }

    /// <summary>Why PostgreSQL is unavailable.</summary>
    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("GOVDATA_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external)) { ServerConnectionString = external; return; }
        _bin = BinDirs.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        if (_bin is null) { Unavailable = "未找到 PostgreSQL 程序（/usr/lib/postgresql/*/bin），也未设置 GOVDATA_TEST_POSTGRES"; return; }
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") { Unavailable = "启动临时 PostgreSQL 集群需要 root（以 postgres 用户运行 initdb）"; return; }
        _dataDir = Path.Combine("/tmp", "govdata-catalog-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var port = FreePort();
        await RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, "initdb"), "-D", _dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
        await RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", _dataDir, "-l", Path.Combine(_dataDir, "server.log"), "-w",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k /tmp -c fsync=off -c max_connections=200", "start"]);
        ServerConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    /// <summary>Creates an empty database and returns its connection string; skips the test when PostgreSQL is unavailable.</summary>
    public async Task<(string ConnectionString, Func<ValueTask> Drop)> CreateDatabaseAsync()
    {
        if (ServerConnectionString is null) Assert.Skip(Unavailable ?? "PostgreSQL 不可用");
        var name = "catalog_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name };
        return (builder.ConnectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(ServerConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await cmd.ExecuteNonQueryAsync();
        });
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDir is null || _bin is null) return;
        try { await RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", _dataDir, "-m", "fast", "-w", "stop"]); }
        finally { try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"无法启动 {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} 失败（{process.ExitCode}）：{await stderr}{await stdout}");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
