using Dapper;
using GovData.Catalog.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovData.Catalog.Features.Resources;

/// <summary>
/// Hands out the next 信息资源顺序码 of a 前段码. One atomic upsert on <c>catalog_code_counters</c>
/// (INSERT … ON CONFLICT DO UPDATE … RETURNING, the same statement on SQLite and PostgreSQL) inside the caller's
/// transaction: the counter row stays locked until the entry that uses the number is committed, so two compilers
/// saving at once in the same 细目 never get the same code. The counter only grows, and it never falls below the
/// highest 顺序码 already stored under the prefix, so a code — published or not — is never handed out twice.
/// </summary>
internal static class CodeAllocator
{
    private const string Sql = """
        INSERT INTO catalog_code_counters (prefix, last_sequence, updated_at)
        VALUES (@prefix, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM catalog_entries WHERE classification_code = @prefix), @now)
        ON CONFLICT (prefix) DO UPDATE SET
            last_sequence = CASE
                WHEN catalog_code_counters.last_sequence + 1 > (SELECT COALESCE(MAX(sequence), 0) + 1 FROM catalog_entries WHERE classification_code = @prefix)
                THEN catalog_code_counters.last_sequence + 1
                ELSE (SELECT COALESCE(MAX(sequence), 0) + 1 FROM catalog_entries WHERE classification_code = @prefix)
            END,
            updated_at = excluded.updated_at
        RETURNING last_sequence
        """;

    /// <summary>Allocates the next 顺序码 for <paramref name="prefix"/>. Requires an open transaction on <paramref name="db"/>.</summary>
    public static async Task<long> NextAsync(CatalogDb db, string prefix, DateTime now, CancellationToken ct)
    {
        var tx = db.Database.CurrentTransaction ?? throw new InvalidOperationException("分配资源代码须在事务中进行");
        var connection = db.Database.GetDbConnection();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql, new { prefix, now }, tx.GetDbTransaction(), cancellationToken: ct));
    }

    /// <summary>
    /// Reserves a 顺序码 taken from an imported file. Locks the prefix's counter row (same upsert trick) and refuses
    /// when the number was already handed out — even if its entry was deleted — so a code is never reused.
    /// Requires an open transaction.
    /// </summary>
    public static async Task<bool> TryReserveAsync(CatalogDb db, string prefix, long sequence, DateTime now, CancellationToken ct)
    {
        var tx = db.Database.CurrentTransaction ?? throw new InvalidOperationException("预留资源代码须在事务中进行");
        var connection = db.Database.GetDbConnection();
        var current = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO catalog_code_counters (prefix, last_sequence, updated_at)
            VALUES (@prefix, (SELECT COALESCE(MAX(sequence), 0) FROM catalog_entries WHERE classification_code = @prefix), @now)
            ON CONFLICT (prefix) DO UPDATE SET updated_at = excluded.updated_at
            RETURNING last_sequence
            """, new { prefix, now }, tx.GetDbTransaction(), cancellationToken: ct));
        if (current >= sequence) return false;
        await connection.ExecuteAsync(new CommandDefinition("UPDATE catalog_code_counters SET last_sequence = @sequence WHERE prefix = @prefix",
            new { prefix, sequence }, tx.GetDbTransaction(), cancellationToken: ct));
        return true;
    }

    /// <summary>The last 顺序码 handed out for a prefix (0 when none).</summary>
    public static async Task<long> LastAsync(CatalogDb db, string prefix, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var tx = db.Database.CurrentTransaction?.GetDbTransaction();
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT last_sequence FROM catalog_code_counters WHERE prefix = @prefix", new { prefix }, tx, cancellationToken: ct)) ?? 0;
    }
}
