using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace GovData.SharedKernel.Persistence;

/// <summary>Which relational engine the platform runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded default: one file under the data folder.</summary>
    Sqlite,
    /// <summary>Production store.</summary>
    PostgreSql,
}

/// <summary>
/// The database the whole host uses. The provider is chosen by the connection string
/// (<c>Host=</c> means PostgreSQL, <c>Data Source=</c> means SQLite), so operators set one value.
/// </summary>
public sealed class DatabaseSettings
{
    /// <summary>Creates settings for a connection string.</summary>
    public DatabaseSettings(string connectionString)
    {
        ConnectionString = connectionString;
        Provider = Detect(connectionString);
        if (Provider == DatabaseProvider.Sqlite)
        {
            var b = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true };
            if (b.DefaultTimeout < 30) b.DefaultTimeout = 30;
            ConnectionString = b.ToString();
        }
    }

    /// <summary>The engine.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>The normalised connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>True on PostgreSQL.</summary>
    public bool IsPostgres => Provider == DatabaseProvider.PostgreSql;

    /// <summary>
    /// Reads <c>GovData:ConnectionString</c> (env <c>GOVDATA__CONNECTIONSTRING</c>) or <c>ConnectionStrings:GovData</c>; when absent, a SQLite file <c>govdata.db</c> in
    /// <c>GovData:DataFolder</c> (default <c>data</c> under the content root).
    /// </summary>
    public static DatabaseSettings FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var cs = configuration["GovData:ConnectionString"];
        if (string.IsNullOrWhiteSpace(cs)) cs = configuration.GetConnectionString("GovData");
        if (!string.IsNullOrWhiteSpace(cs)) return new DatabaseSettings(cs);
        var folder = DataFolder(configuration, contentRoot);
        Directory.CreateDirectory(folder);
        return new DatabaseSettings($"Data Source={Path.Combine(folder, "govdata.db")}");
    }

    /// <summary>The data folder (database file, blobs, keys), created when missing.</summary>
    public static string DataFolder(IConfiguration configuration, string contentRoot)
    {
        var folder = configuration["GovData:DataFolder"];
        if (string.IsNullOrWhiteSpace(folder)) folder = "data";
        return Path.GetFullPath(Path.IsPathRooted(folder) ? folder : Path.Combine(contentRoot, folder));
    }

    /// <summary>Decides the provider from the connection string's keywords.</summary>
    public static DatabaseProvider Detect(string connectionString)
    {
        var lower = connectionString.ToLowerInvariant();
        if (lower.Contains("host=") || lower.Contains("server=") && lower.Contains("username=")) return DatabaseProvider.PostgreSql;
        if (lower.Contains("data source=") || lower.Contains("datasource=") || lower.Contains("filename=")) return DatabaseProvider.Sqlite;
        throw new InvalidOperationException("无法识别数据库连接字符串：PostgreSQL 使用 Host=...，SQLite 使用 Data Source=...");
    }

    /// <summary>Opens a new ADO.NET connection (caller disposes).</summary>
    public DbConnection CreateConnection() => IsPostgres
        ? new NpgsqlConnection(ConnectionString)
        : new SqliteConnection(ConnectionString);

    /// <summary>Configures an EF Core context for this database.</summary>
    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsPostgres) options.UseNpgsql(ConnectionString);
        else options.UseSqlite(ConnectionString);
    }
}
