using System.Data.Common;
using GovData.SharedKernel.Persistence;
using Microsoft.Data.Sqlite;

namespace GovData.Tests.Common.Databases;

/// <summary>
/// A fresh, empty database for one test or test class: a new SQLite file in a temporary folder, or a new
/// database <c>govdata_test_&lt;guid&gt;</c> on the shared PostgreSQL server. Disposing deletes it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _sqliteFolder;
    private readonly string? _postgresName;
    private readonly PostgresServer? _server;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? sqliteFolder, string? postgresName, PostgresServer? server)
    {
        Provider = provider;
        Settings = new DatabaseSettings(connectionString);
        _sqliteFolder = sqliteFolder;
        _postgresName = postgresName;
        _server = server;
    }

    /// <summary>The engine.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>Settings as the platform would build them from <see cref="ConnectionString"/>.</summary>
    public DatabaseSettings Settings { get; }

    /// <summary>The connection string to give the platform (<c>GovData:ConnectionString</c>).</summary>
    public string ConnectionString => Settings.ConnectionString;

    /// <summary>True on PostgreSQL.</summary>
    public bool IsPostgres => Provider == DatabaseProvider.PostgreSql;

    /// <summary>
    /// Why a database of this provider cannot be created on this machine, or null when it can
    /// (SQLite always can).
    /// </summary>
    public static string? UnavailableReason(DatabaseProvider provider) =>
        provider == DatabaseProvider.PostgreSql ? PostgresServer.UnavailableReason() : null;

    /// <summary>
    /// Creates a database. When PostgreSQL is unavailable the current test is skipped (or fails on CI):
    /// call this from a test body, not from a fixture.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, CancellationToken ct = default)
    {
        TestEnvironment.SkipOrFailWhenMissing(UnavailableReason(provider));
        return await CreateAvailableAsync(provider, ct);
    }

    /// <summary>Creates a database without the skip check (callers checked <see cref="UnavailableReason"/>).</summary>
    public static async Task<TestDatabase> CreateAvailableAsync(DatabaseProvider provider, CancellationToken ct = default)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = TestEnvironment.NewTempFolder("sqlite");
            return new TestDatabase(provider, $"Data Source={Path.Combine(folder, "govdata.db")}", folder, null, null);
        }
        var server = await PostgresServer.GetAsync();
        var (name, cs) = await server.CreateDatabaseAsync(ct);
        return new TestDatabase(provider, cs, null, name, server);
    }

    /// <summary>Opens a new connection (caller disposes).</summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken ct = default)
    {
        var connection = Settings.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// A value as this provider stores it in raw SQL: SQLite keeps GUIDs as upper-case text (as EF Core writes them)
    /// and booleans as 0/1; PostgreSQL takes them natively.
    /// </summary>
    public object Value(object? value) => (Provider, value) switch
    {
        (_, null) => DBNull.Value,
        (DatabaseProvider.Sqlite, Guid g) => g.ToString().ToUpperInvariant(),
        (DatabaseProvider.Sqlite, bool b) => b ? 1 : 0,
        (DatabaseProvider.Sqlite, DateTime d) => d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"),
        (_, DateTime d) => DateTime.SpecifyKind(d.ToUniversalTime(), DateTimeKind.Utc),
        _ => value,
    };

    /// <inheritdoc />
    public override string ToString() => IsPostgres ? $"PostgreSQL {_postgresName}" : $"SQLite {ConnectionString}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null && _postgresName is not null)
        {
            Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(ConnectionString));
            await _server.DropDatabaseAsync(_postgresName);
        }
        if (_sqliteFolder is not null)
        {
            SqliteConnection.ClearPool(new SqliteConnection(ConnectionString));
            TestEnvironment.TryDeleteFolder(_sqliteFolder);
        }
    }
}
