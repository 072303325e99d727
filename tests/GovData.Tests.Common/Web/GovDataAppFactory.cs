using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GovData.Tests.Common.Web;

/// <summary>
/// The real web host (<c>Program</c>) over a fresh test database: <c>GovData:ConnectionString</c> points at a new
/// SQLite file or PostgreSQL database, <c>GovData:DataFolder</c> at a temporary folder, and the host's own startup
/// (PlatformStartup) migrates the schema and seeds the demo data. Use as an <c>IClassFixture</c> through
/// <see cref="SqliteAppFactory"/> / <see cref="PostgresAppFactory"/>, or create one in a test with
/// <see cref="StartAsync"/>.
/// <para>
/// When PostgreSQL is not available the fixture still constructs (a fixture that throws would fail every test);
/// each test then calls <see cref="EnsureAvailable"/> (done by <see cref="AppTestBase{TFactory}"/>), which skips it —
/// or, with <c>CI=true</c>, the fixture itself fails loudly.
/// </para>
/// </summary>
public class GovDataAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly bool _kestrel;
    private readonly bool _ownsDatabase;
    private readonly Dictionary<string, string?> _settings = new();
    private TestDatabase? _database;
    private string? _dataFolder;

    /// <summary>Password of every demo account.</summary>
    public const string DemoPassword = "Demo@2026";

    /// <summary>A factory that creates its own database of <paramref name="provider"/> in <see cref="InitializeAsync"/>.</summary>
    protected GovDataAppFactory(DatabaseProvider provider, bool kestrel = false)
    {
        Provider = provider;
        _kestrel = kestrel;
        _ownsDatabase = true;
    }

    /// <summary>A factory over an existing database (not disposed with the factory).</summary>
    protected GovDataAppFactory(TestDatabase database, bool kestrel = false)
    {
        Provider = database.Provider;
        _database = database;
        _kestrel = kestrel;
        _ownsDatabase = false;
    }

    /// <summary>Warnings and errors the host logged (shown by failing helpers).</summary>
    public ServerLog ServerLog { get; } = new();

    /// <summary>The database engine of this host.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>Why this host cannot run here (PostgreSQL missing), or null.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>The host's database.</summary>
    public TestDatabase Database
    {
        get
        {
            EnsureAvailable();
            return _database ?? throw new InvalidOperationException("The factory has not been initialised (InitializeAsync).");
        }
    }

    /// <summary>The host's data folder (GovData:DataFolder).</summary>
    public string DataFolder => _dataFolder ?? throw new InvalidOperationException("The factory has not been initialised (InitializeAsync).");

    /// <summary>Base address of the Kestrel server (Kestrel variant only).</summary>
    public Uri ServerAddress => _kestrel
        ? ClientOptions.BaseAddress
        : throw new InvalidOperationException("Only the Kestrel variant listens on a real address.");

    /// <summary>Skips (or on CI fails) the calling test when this host cannot run here.</summary>
    public void EnsureAvailable() => TestEnvironment.SkipOrFailWhenMissing(UnavailableReason);

    /// <summary>
    /// Adds or overrides a configuration value before the host starts (e.g. <c>GovData:SeedDemoData</c>).
    /// </summary>
    public GovDataAppFactory WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>
    /// Creates a host over an existing database and starts it (migration and seeding per its settings).
    /// The caller disposes the factory; the database stays the caller's.
    /// </summary>
    public static async Task<GovDataAppFactory> StartAsync(TestDatabase database, bool seedDemoData = true, bool kestrel = false)
    {
        var factory = new GovDataAppFactory(database, kestrel);
        factory.WithSetting("GovData:SeedDemoData", seedDemoData ? "true" : "false");
        await factory.InitializeAsync();
        return factory;
    }

    /// <summary>Creates the database and data folder and starts the host (migrates and seeds).</summary>
    public virtual async ValueTask InitializeAsync()
    {
        if (_database is null)
        {
            UnavailableReason = TestDatabase.UnavailableReason(Provider);
            if (UnavailableReason is not null)
            {
                if (TestEnvironment.IsCI) throw new InvalidOperationException($"CI=true: a required test prerequisite is missing: {UnavailableReason}");
                return;
            }
            _database = await TestDatabase.CreateAvailableAsync(Provider);
        }
        _dataFolder = TestEnvironment.NewTempFolder("data");
        if (_kestrel) UseKestrel(0);
        // Start now, so migration and seeding happen once per fixture rather than inside the first test.
        await Task.Run(StartServer);
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("GovData:ConnectionString", _database!.ConnectionString);
        builder.UseSetting("GovData:DataFolder", _dataFolder);
        builder.UseSetting("GovData:MigrateOnStartup", "true");
        builder.UseSetting("GovData:SeedDemoData", "true");
        // Scheduled jobs (the nightly catalog check) stay off in tests: a test crossing 02:00 must not see extra runs.
        builder.UseSetting("GovData:Jobs:Enabled", "false");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        // Small demo data (the real host seeds 100,000 企业法人库 rows and about 1,000 rows per resource): every test host
        // seeds it, so the defaults here keep the suite fast; a test needing more sets it with WithSetting.
        builder.UseSetting("GovData:Data:DemoEnterpriseRows", "2000");
        builder.UseSetting("GovData:Data:DemoRowsPerResource", "50");
        // The exchange demo data writes requests, grants and audit entries; tests that want it set it back to true.
        builder.UseSetting("GovData:Exchange:DemoData", "false");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddProvider(ServerLog);
        });
    }

    /// <summary>
    /// A client that behaves like a browser: keeps cookies, does not follow redirects (so tests see 302s).
    /// </summary>
    public HttpClient CreateBrowserClient()
    {
        EnsureAvailable();
        return CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = _kestrel ? ClientOptions.BaseAddress : new Uri("http://localhost"),
        });
    }

    /// <summary>
    /// Signs in through the login page and returns a client carrying the session cookie. On Kestrel the factory's own
    /// clients follow redirects whatever they are told, so there the client is a plain one on the server's address.
    /// </summary>
    public async Task<HttpClient> LoginAsync(string userName, string password = DemoPassword)
    {
        var client = _kestrel
            ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = ServerAddress }
            : CreateBrowserClient();
        var response = await client.PostLoginAsync(userName, password);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"Login as {userName} failed: {(int)response.StatusCode}\n{body[..Math.Min(body.Length, 2000)]}\nServer log:\n{ServerLog}");
        }
        return client;
    }

    /// <summary>A client that authenticates with an API key (header <c>X-Api-Key</c>) and no cookies.</summary>
    public HttpClient CreateApiKeyClient(string apiKey)
    {
        var client = CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Runs <paramref name="action"/> with a DI scope of the host (e.g. to use a module's DbContext).</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        EnsureAvailable();
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>Runs <paramref name="action"/> with a DI scope of the host.</summary>
    public async Task WithScopeAsync(Func<IServiceProvider, Task> action)
    {
        EnsureAvailable();
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase && _database is not null) await _database.DisposeAsync();
        TestEnvironment.TryDeleteFolder(_dataFolder);
        GC.SuppressFinalize(this);
    }
}

/// <summary>The host on a fresh SQLite file (in-memory TestServer).</summary>
public sealed class SqliteAppFactory() : GovDataAppFactory(DatabaseProvider.Sqlite);

/// <summary>The host on a fresh PostgreSQL database (in-memory TestServer).</summary>
public sealed class PostgresAppFactory() : GovDataAppFactory(DatabaseProvider.PostgreSql);

/// <summary>The host on a fresh SQLite file, served by Kestrel on 127.0.0.1 and a free port (for browser tests).</summary>
public sealed class KestrelSqliteAppFactory() : GovDataAppFactory(DatabaseProvider.Sqlite, kestrel: true);

/// <summary>The host on a fresh PostgreSQL database, served by Kestrel on 127.0.0.1 and a free port.</summary>
public sealed class KestrelPostgresAppFactory() : GovDataAppFactory(DatabaseProvider.PostgreSql, kestrel: true);

/// <summary>
/// Base class for tests sharing one host per class: every test first checks the host can run here
/// (skipping without PostgreSQL, failing on CI).
/// </summary>
public abstract class AppTestBase<TFactory>(TFactory app) : IAsyncLifetime where TFactory : GovDataAppFactory
{
    /// <summary>The shared host.</summary>
    protected TFactory App { get; } = app;

    /// <inheritdoc />
    public virtual ValueTask InitializeAsync()
    {
        App.EnsureAvailable();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
