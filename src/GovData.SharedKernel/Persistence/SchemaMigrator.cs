using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GovData.SharedKernel.Persistence;

/// <summary>
/// A module's schema: its SQL migrations are embedded resources under <c>Migrations/sqlite/</c> and
/// <c>Migrations/postgres/</c>, named <c>NNNN_description.sql</c>. <paramref name="Order"/> follows the
/// module dependency direction (Identity first) so a module's scripts may read tables of modules before it.
/// </summary>
public sealed record ModuleSchema(string Module, Assembly Assembly, int Order);

/// <summary>One migration script of a module.</summary>
public sealed record SchemaMigration(string Module, int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script text, recorded so a changed script is noticed.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

/// <summary>A migration already applied to the database.</summary>
public sealed record AppliedMigration(string Module, int Version, string Name, string Checksum, DateTime AppliedAt);

/// <summary>
/// Applies hand-written, versioned SQL migrations per module and provider and records each applied
/// version in <c>platform_schema_migrations</c>. Safe when several hosts start at once: PostgreSQL takes
/// an advisory lock, SQLite a write (IMMEDIATE) transaction, and each script is re-checked under the lock.
/// EF Core's own migrations are not used because its design-time package is not available here and
/// several features (FTS5, pg_trgm, per-version data tables) need provider SQL anyway.
/// </summary>
public sealed class SchemaMigrator(DatabaseSettings database, IEnumerable<ModuleSchema> modules, ILogger<SchemaMigrator>? logger = null)
{
    private const long AdvisoryLockKey = 0x60_7A_DA_7A;
    private readonly ILogger _log = (ILogger?)logger ?? NullLogger.Instance;
    private readonly IReadOnlyList<ModuleSchema> _modules = modules.OrderBy(m => m.Order).ThenBy(m => m.Module).ToList();

    /// <summary>Every migration known for the current provider, in the order they apply.</summary>
    public IReadOnlyList<SchemaMigration> AllMigrations() =>
        _modules.SelectMany(m => Load(m, database.Provider)).ToList();

    /// <summary>Reads embedded scripts of a module for a provider.</summary>
    public static IReadOnlyList<SchemaMigration> Load(ModuleSchema module, DatabaseProvider provider)
    {
        var folder = provider == DatabaseProvider.PostgreSql ? ".Migrations.postgres." : ".Migrations.sqlite.";
        var list = new List<SchemaMigration>();
        foreach (var resource in module.Assembly.GetManifestResourceNames())
        {
            var at = resource.IndexOf(folder, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var file = resource[(at + folder.Length)..^4];
            var underscore = file.IndexOf('_');
            if (underscore < 1 || !int.TryParse(file[..underscore], out var version))
                throw new InvalidOperationException($"迁移脚本命名不规范：{resource}（应为 NNNN_说明.sql）");
            using var stream = module.Assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            list.Add(new SchemaMigration(module.Module, version, file[(underscore + 1)..], reader.ReadToEnd()));
        }
        var duplicate = list.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"模块 {module.Module} 的迁移版本 {duplicate.Key} 重复");
        return list.OrderBy(m => m.Version).ToList();
    }

    /// <summary>Migrations recorded as applied (empty on a new database).</summary>
    public async Task<IReadOnlyList<AppliedMigration>> AppliedAsync(CancellationToken ct = default)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(ct);
        await EnsureHistoryTableAsync(connection, ct);
        return await ReadAppliedAsync(connection, null, ct);
    }

    /// <summary>
    /// Brings the database up to date. <paramref name="targetVersions"/> can stop a module at an earlier
    /// version (used to test upgrades of an old database). Returns the migrations applied by this call.
    /// </summary>
    public async Task<IReadOnlyList<SchemaMigration>> MigrateAsync(
        IReadOnlyDictionary<string, int>? targetVersions = null, CancellationToken ct = default)
    {
        var applied = new List<SchemaMigration>();
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(ct);
        if (database.IsPostgres)
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
        else
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", ct);
        try
        {
            await EnsureHistoryTableAsync(connection, ct);
            foreach (var migration in AllMigrations())
            {
                if (targetVersions is not null && targetVersions.TryGetValue(migration.Module, out var max) && migration.Version > max)
                    continue;
                if (await ApplyOneAsync(connection, migration, ct)) applied.Add(migration);
            }
        }
        finally
        {
            if (database.IsPostgres)
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
        return applied;
    }

    private async Task<bool> ApplyOneAsync(DbConnection connection, SchemaMigration migration, CancellationToken ct)
    {
        // SQLite: BEGIN IMMEDIATE takes the write lock before we re-read the history, so two hosts cannot both apply.
        DbTransaction? tx = null;
        if (database.IsPostgres) tx = await connection.BeginTransactionAsync(ct);
        else await ExecuteAsync(connection, null, "BEGIN IMMEDIATE", ct);
        try
        {
            var done = await ReadAppliedAsync(connection, tx, ct);
            var existing = done.FirstOrDefault(a => a.Module == migration.Module && a.Version == migration.Version);
            if (existing is not null)
            {
                if (existing.Checksum != migration.Checksum)
                    _log.LogWarning("迁移脚本 {Module} {Version} 在应用后被修改（校验和不同）", migration.Module, migration.Version);
                await EndAsync(connection, tx, commit: false, ct);
                return false;
            }
            _log.LogInformation("应用数据库迁移 {Module} {Version:0000}_{Name}", migration.Module, migration.Version, migration.Name);
            await ExecuteAsync(connection, tx, migration.Sql, ct);
            await using (var insert = connection.CreateCommand())
            {
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO platform_schema_migrations (module, version, name, checksum, applied_at) VALUES (@m, @v, @n, @c, @t)";
                AddParameter(insert, "@m", migration.Module);
                AddParameter(insert, "@v", migration.Version);
                AddParameter(insert, "@n", migration.Name);
                AddParameter(insert, "@c", migration.Checksum);
                AddParameter(insert, "@t", DateTime.UtcNow);
                await insert.ExecuteNonQueryAsync(ct);
            }
            await EndAsync(connection, tx, commit: true, ct);
            return true;
        }
        catch (Exception ex)
        {
            await EndAsync(connection, tx, commit: false, CancellationToken.None);
            throw new InvalidOperationException($"数据库迁移 {migration.Module} {migration.Version:0000}_{migration.Name} 失败：{ex.Message}", ex);
        }
    }

    private async Task EndAsync(DbConnection connection, DbTransaction? tx, bool commit, CancellationToken ct)
    {
        if (tx is not null)
        {
            if (commit) await tx.CommitAsync(ct); else await tx.RollbackAsync(ct);
            await tx.DisposeAsync();
        }
        else
        {
            await ExecuteAsync(connection, null, commit ? "COMMIT" : "ROLLBACK", ct);
        }
    }

    private async Task EnsureHistoryTableAsync(DbConnection connection, CancellationToken ct)
    {
        var type = database.IsPostgres ? "timestamptz" : "TEXT";
        await ExecuteAsync(connection, null, $"""
            CREATE TABLE IF NOT EXISTS platform_schema_migrations (
                module varchar(64) NOT NULL,
                version integer NOT NULL,
                name varchar(200) NOT NULL,
                checksum varchar(64) NOT NULL,
                applied_at {type} NOT NULL,
                PRIMARY KEY (module, version))
            """, ct);
    }

    private static async Task<IReadOnlyList<AppliedMigration>> ReadAppliedAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT module, version, name, checksum, applied_at FROM platform_schema_migrations ORDER BY module, version";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<AppliedMigration>();
        while (await reader.ReadAsync(ct))
        {
            var at = reader.GetValue(4) switch
            {
                DateTime d => d,
                string s => DateTime.Parse(s, null, System.Globalization.DateTimeStyles.RoundtripKind),
                var o => Convert.ToDateTime(o),
            };
            list.Add(new AppliedMigration(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), at));
        }
        return list;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 600;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
