using System.Data.Common;
using Dapper;
using GovData.Exchange.Features.Audit;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common;
using GovData.Tests.Common.Databases;
using GovData.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Exchange.Tests.Audit;

/// <summary>
/// The platform's services composed as the web host and the CLI compose them (<see cref="GovDataComposition.AddGovData"/>),
/// over a test database, without a web server: one instance is one "host" (its own group-commit writer), so two instances
/// over one database behave like two hosts. Migrates the platform and exchange schemas (the audit log needs no other).
/// </summary>
internal sealed class AuditTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _folder;

    private AuditTestHost(ServiceProvider services, string folder, TestDatabase database)
    {
        _services = services;
        _folder = folder;
        Database = database;
    }

    public TestDatabase Database { get; }
    public IServiceProvider Services => _services;
    public AuditWriter Writer => _services.GetRequiredService<AuditWriter>();
    public AuditSealer Sealer => _services.GetRequiredService<AuditSealer>();
    public AuditVerifier Verifier => _services.GetRequiredService<AuditVerifier>();
    public AuditProofs Proofs => _services.GetRequiredService<AuditProofs>();
    public NodeKeys Keys => _services.GetRequiredService<NodeKeys>();

    public static async Task<AuditTestHost> StartAsync(TestDatabase database, bool migrate = true, IDictionary<string, string?>? settings = null)
    {
        var folder = TestEnvironment.NewTempFolder("audit-host");
        var values = new Dictionary<string, string?>
        {
            ["GovData:ConnectionString"] = database.ConnectionString,
            ["GovData:DataFolder"] = folder,
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) values[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddGovData(configuration, folder);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        if (migrate)
        {
            var schemas = provider.GetServices<ModuleSchema>().Where(m => m.Module is "platform" or "exchange");
            await new SchemaMigrator(database.Settings, schemas).MigrateAsync();
        }
        return new AuditTestHost(provider, folder, database);
    }

    /// <summary>Appends through <see cref="IAuditTrail"/> in a fresh scope (group commit).</summary>
    public async Task<AuditAppended> AppendAsync(AuditRecord record)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditLog>().AppendEntryAsync(record);
    }

    /// <summary>Appends <paramref name="count"/> generated records one after another; returns their seqs.</summary>
    public async Task<List<long>> AppendManyAsync(int count, int offset = 0)
    {
        var seqs = new List<long>();
        for (var i = 0; i < count; i++) seqs.Add((await AppendAsync(AuditRecords.Sample(offset + i))).Seq);
        return seqs;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        TestEnvironment.TryDeleteFolder(_folder);
    }
}

/// <summary>Generated records with varied fields: Chinese text, line breaks, nulls, every kind and outcome.</summary>
internal static class AuditRecords
{
    public static readonly Guid RenShe = Guid.Parse("0a6e1d42-5f0c-4d55-9d0b-6a1f2b3c4d01");
    public static readonly Guid ShiChang = Guid.Parse("0a6e1d42-5f0c-4d55-9d0b-6a1f2b3c4d02");

    private static readonly string[] Kinds = [AuditKinds.Query, AuditKinds.Verify, AuditKinds.File, AuditKinds.Feed, AuditKinds.GrantChanged, AuditKinds.RequestChanged];
    private static readonly string[] Outcomes = [AuditOutcomes.Ok, AuditOutcomes.Ok, AuditOutcomes.Denied, AuditOutcomes.Throttled, AuditOutcomes.Ok, AuditOutcomes.Invalid];

    public static AuditRecord Sample(int i, string? client = null) => new(
        Kinds[i % Kinds.Length],
        Outcomes[i % Outcomes.Length],
        ConsumerDepartmentId: i % 3 == 0 ? ShiChang : RenShe,
        ProviderDepartmentId: i % 3 == 0 ? RenShe : ShiChang,
        ClientId: client ?? (i % 2 == 0 ? $"app-{i % 5}" : null),
        UserId: i % 4 == 0 ? null : new Guid(i, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]),
        ResourceCode: $"30302601020{i % 4}/1",
        GrantId: i % 2 == 0 ? new Guid(i % 7, 1, 1, [0, 0, 0, 0, 0, 0, 0, 1]) : null,
        RequestId: i % 5 == 0 ? Guid.NewGuid() : null,
        Purpose: "社保待遇资格认定",
        Issue: i % 3 == 1 ? $"案件 {i}\r\n第二行" : null,
        MessageId: $"req-{i}",
        RowsReturned: i % 11,
        RequestHash: Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))),
        ResponseHash: i % 2 == 0 ? new string('0', 64) : null,
        Detail: i % 6 == 4 ? $"授权已签发：第 {i} 号" : null);
}

/// <summary>Direct changes to the tables, as someone with database access would make them (bypassing the triggers).</summary>
internal static class Tamper
{
    private static readonly string[] Tables = ["exchange_audit_entries", "exchange_audit_checkpoints", "exchange_audit_node_keys"];

    public static async Task ExecuteAsync(TestDatabase database, string sql, object? args = null)
    {
        await using var connection = await database.OpenConnectionAsync();
        if (database.IsPostgres)
        {
            await using var tx = await connection.BeginTransactionAsync();
            foreach (var t in Tables) await connection.ExecuteAsync($"ALTER TABLE {t} DISABLE TRIGGER USER", transaction: tx);
            await connection.ExecuteAsync(sql, args, tx);
            foreach (var t in Tables) await connection.ExecuteAsync($"ALTER TABLE {t} ENABLE TRIGGER USER", transaction: tx);
            await tx.CommitAsync();
        }
        else
        {
            // SQLite cannot disable a trigger; drop them (they stay dropped for the rest of the test).
            var triggers = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'exchange_audit_%'");
            foreach (var t in triggers.ToList()) await connection.ExecuteAsync($"DROP TRIGGER {t}");
            await connection.ExecuteAsync(sql, args);
        }
    }

    /// <summary>Swaps the positions of two whole rows (their sequence numbers), hashes included.</summary>
    public static Task SwapRowsAsync(TestDatabase database, long a, long b) => ExecuteAsync(database, $"""
        UPDATE exchange_audit_entries SET seq = -1 WHERE seq = {a};
        UPDATE exchange_audit_entries SET seq = {a} WHERE seq = {b};
        UPDATE exchange_audit_entries SET seq = {b} WHERE seq = -1;
        """);

    public static async Task<T> ScalarAsync<T>(TestDatabase database, string sql, object? args = null)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    public static async Task<List<T>> QueryAsync<T>(TestDatabase database, string sql, object? args = null)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, args)).ToList();
    }

    public static async Task<DbConnection> OpenAsync(TestDatabase database) => await database.OpenConnectionAsync();
}
