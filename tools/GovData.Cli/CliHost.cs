using System.Security.Claims;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.Web;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GovData.Cli;

/// <summary>Database and configuration choices given on the command line (they win over appsettings and environment).</summary>
internal sealed record CliSettings(string? Connection, string? DataFolder, bool Verbose);

/// <summary>
/// The platform composed exactly as the web host composes it (<see cref="GovDataComposition.AddGovData"/>) on a plain
/// service collection, so the CLI migrates, seeds and validates with the same code.
/// </summary>
internal sealed class CliHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CliHost(ServiceProvider services, IConfiguration configuration, string contentRoot)
    {
        _services = services;
        Configuration = configuration;
        ContentRoot = contentRoot;
        Database = services.GetRequiredService<DatabaseSettings>();
    }

    public IServiceProvider Services => _services;
    public IConfiguration Configuration { get; }
    public string ContentRoot { get; }
    public DatabaseSettings Database { get; }

    /// <summary>
    /// Configuration in the web host's order: appsettings.json (next to the tool, then in the working directory),
    /// appsettings.{环境}.json, environment variables (GOVDATA__CONNECTIONSTRING → GovData:ConnectionString), then options.
    /// </summary>
    public static IConfiguration BuildConfiguration(CliEnvironment environment, CliSettings settings)
    {
        var environmentName = environment.Get("DOTNET_ENVIRONMENT") ?? environment.Get("ASPNETCORE_ENVIRONMENT") ?? "Production";
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(environment.CurrentDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(environment.CurrentDirectory, $"appsettings.{environmentName}.json"), optional: true, reloadOnChange: false)
            .AddInMemoryCollection(environment.Variables.Select(v => new KeyValuePair<string, string?>(v.Key.Replace("__", ConfigurationPath.KeyDelimiter), v.Value)));
        var overrides = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(settings.Connection)) overrides["GovData:ConnectionString"] = settings.Connection;
        if (!string.IsNullOrWhiteSpace(settings.DataFolder))
        {
            overrides["GovData:DataFolder"] = environment.FullPath(settings.DataFolder);
            // An explicit data folder means "the database in that folder", unless a connection string is given too.
            if (string.IsNullOrWhiteSpace(settings.Connection))
            {
                overrides["GovData:ConnectionString"] = "";
                overrides["ConnectionStrings:GovData"] = "";
            }
        }
        var configuration = builder.AddInMemoryCollection(overrides).Build();
        foreach (var key in new[] { "GovData:ConnectionString", "ConnectionStrings:GovData" })
            if (AbsoluteSqlitePath(configuration[key], environment) is { } absolute) configuration[key] = absolute;
        // The data folder (blob store of the Data module) against the CLI's working directory, as the database file above.
        var dataFolder = configuration["GovData:DataFolder"];
        configuration["GovData:DataFolder"] = environment.FullPath(string.IsNullOrWhiteSpace(dataFolder) ? "data" : dataFolder);
        return configuration;
    }

    /// <summary>
    /// A SQLite connection string whose file is relative, rewritten against the CLI's working directory
    /// (SQLite itself would resolve it against the process's directory, which differs when the CLI runs in-process).
    /// </summary>
    private static string? AbsoluteSqlitePath(string? connection, CliEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(connection)) return null;
        try
        {
            if (DatabaseSettings.Detect(connection) != DatabaseProvider.Sqlite) return null;
            var b = new SqliteConnectionStringBuilder(connection);
            if (b.DataSource is "" or ":memory:" || b.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || Path.IsPathRooted(b.DataSource))
                return null;
            b.DataSource = environment.FullPath(b.DataSource);
            return b.ToString();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            return null; // reported as an invalid connection string by Create
        }
    }

    public static CliHost Create(CliEnvironment environment, CliSettings settings, TextWriter log)
    {
        var configuration = BuildConfiguration(environment, settings);
        var connection = configuration["GovData:ConnectionString"];
        if (!string.IsNullOrWhiteSpace(connection))
        {
            try { _ = new DatabaseSettings(connection); }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
            {
                throw CliException.Validation($"数据库连接字符串无效：{ex.Message}");
            }
        }
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(b =>
        {
            b.ClearProviders();
            b.SetMinimumLevel(settings.Verbose ? LogLevel.Information : LogLevel.Warning);
            // Framework messages (EF Core command failures, data protection) duplicate the error the CLI prints itself.
            b.AddFilter("Microsoft", settings.Verbose ? LogLevel.Warning : LogLevel.None);
            b.AddProvider(new CliLoggerProvider(log));
        });
        services.AddGovData(configuration, environment.CurrentDirectory);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return new CliHost(provider, configuration, environment.CurrentDirectory);
    }

    /// <summary>
    /// The principal CLI actions run as: a platform administrator without an account, so the module services apply
    /// every validation rule and the security log names the operator's system account.
    /// </summary>
    public static ClaimsPrincipal SystemPrincipal { get; } = new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, ActorName),
        new Claim(GovDataClaims.DisplayName, "命令行（govdata）"),
        new Claim(ClaimTypes.Role, Roles.PlatformAdmin),
    ], "GovData.Cli", ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>Name written to the security log for CLI actions.</summary>
    public static string ActorName => $"govdata命令行（{Environment.UserName}）";

    /// <summary>Human description of the database, without passwords.</summary>
    public string DescribeDatabase()
    {
        if (Database.IsPostgres)
        {
            var b = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
            return $"PostgreSQL（主机 {b.Host}:{b.Port}，数据库 {b.Database}，用户 {b.Username}）";
        }
        return $"SQLite（{SqliteFile ?? new SqliteConnectionStringBuilder(Database.ConnectionString).DataSource}）";
    }

    /// <summary>The SQLite database file, or null on PostgreSQL and in-memory SQLite.</summary>
    public string? SqliteFile
    {
        get
        {
            if (Database.IsPostgres) return null;
            var b = new SqliteConnectionStringBuilder(Database.ConnectionString);
            if (b.Mode == SqliteOpenMode.Memory || b.DataSource is "" or ":memory:" || b.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) return null;
            return Path.GetFullPath(b.DataSource, ContentRoot);
        }
    }

    /// <summary>True when the SQLite file does not exist yet (opening it would create an empty database).</summary>
    public bool SqliteFileMissing => SqliteFile is { } file && !File.Exists(file);

    /// <summary>Refuses to work on a database whose schema is behind the code.</summary>
    public async Task EnsureMigratedAsync(CancellationToken ct)
    {
        if (SqliteFileMissing)
            throw new CliException(ExitCodes.Failure, $"SQLite 数据库文件“{SqliteFile}”不存在，请先运行 govdata migrate（或检查 --connection / --data-folder）");
        var migrator = Services.GetRequiredService<SchemaMigrator>();
        var applied = (await migrator.AppliedAsync(ct)).Select(a => (a.Module, a.Version)).ToHashSet();
        var pending = migrator.AllMigrations().Count(m => !applied.Contains((m.Module, m.Version)));
        if (pending > 0)
            throw new CliException(ExitCodes.Failure, $"数据库结构不是最新的（{pending} 个迁移未应用），请先运行 govdata migrate");
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>Writes log messages of the platform services (e.g. a changed migration script) to standard error.</summary>
internal sealed class CliLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CliLogger(writer);

    public void Dispose() { }

    private sealed class CliLogger(TextWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var label = logLevel switch
            {
                LogLevel.Critical or LogLevel.Error => "错误",
                LogLevel.Warning => "警告",
                _ => "信息",
            };
            lock (writer) writer.WriteLine($"[{label}] {formatter(state, exception)}");
        }
    }
}
