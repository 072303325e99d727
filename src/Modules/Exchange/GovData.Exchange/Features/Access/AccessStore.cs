using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using GovData.SharedKernel.Persistence;
using Microsoft.AspNetCore.DataProtection;

namespace GovData.Exchange.Features.Access;

/// <summary>
/// The database side of access control that every host shares (<c>exchange_nonces</c>, <c>exchange_usage</c>,
/// <c>exchange_access_secrets</c>), in plain SQL (one instance per host) that runs the same on SQLite and PostgreSQL: one statement per check, so
/// two hosts can never both accept a replayed nonce or both spend the last unit of a quota.
/// </summary>
internal sealed class AccessStore(DatabaseSettings settings, IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>Usage windows.</summary>
    public const string Day = "day", Minute = "minute";

    private readonly SemaphoreSlim _saltGate = new(1, 1);
    private long _nextSweep;
    private byte[]? _salt;

    /// <summary>
    /// Records a nonce of a client — only while the application is active and <paramref name="secretProtected"/> (the
    /// secret the signature was checked with) is still its current or previous secret, in the same statement; false when
    /// the client used the nonce before (a replay) or the application changed (revoked, rotated) since it was read.
    /// <paramref name="expiresAt"/> (unix seconds) is when the timestamp check alone will refuse the request. About once a
    /// minute per host, expired nonces and old minute counters are deleted.
    /// </summary>
    public async Task<bool> TryUseNonceAsync(string clientId, string nonce, long expiresAt, string secretProtected, CancellationToken ct)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync(ct);
        var inserted = await ExecuteAsync(connection,
            "INSERT INTO exchange_nonces (client_id, nonce, expires_at) SELECT @c, @n, @e WHERE EXISTS (SELECT 1 FROM exchange_apps " +
            "WHERE client_id = @c AND status = @a AND (secret_protected = @s OR previous_secret_protected = @s)) ON CONFLICT (client_id, nonce) DO NOTHING", ct,
            ("@c", clientId), ("@n", nonce), ("@e", expiresAt), ("@a", AppStatus.Active), ("@s", secretProtected));
        await SweepAsync(connection, ct);
        return inserted == 1;
    }

    /// <summary>
    /// Adds <paramref name="units"/> to a grant's usage in a window if the total stays within <paramref name="limit"/>:
    /// one conditional upsert. False (nothing added) when it would exceed the limit.
    /// </summary>
    public async Task<bool> TryReserveAsync(Guid grantId, string window, long windowStart, long units, long limit, CancellationToken ct)
    {
        if (units > limit) return false;
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync(ct);
        var changed = await ExecuteAsync(connection,
            "INSERT INTO exchange_usage (grant_id, window_kind, window_start, used) VALUES (@g, @k, @w, @n) " +
            "ON CONFLICT (grant_id, window_kind, window_start) DO UPDATE SET used = exchange_usage.used + excluded.used " +
            "WHERE exchange_usage.used + excluded.used <= @l", ct,
            ("@g", Key(grantId)), ("@k", window), ("@w", windowStart), ("@n", units), ("@l", limit));
        return changed == 1;
    }

    /// <summary>Units used in a window (0 when none).</summary>
    public async Task<long> UsedAsync(Guid grantId, string window, long windowStart, CancellationToken ct)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = Command(connection, "SELECT used FROM exchange_usage WHERE grant_id = @g AND window_kind = @k AND window_start = @w",
            ("@g", Key(grantId)), ("@k", window), ("@w", windowStart));
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Gives back units reserved but not used (a page shorter than reserved, a call that failed).</summary>
    public async Task RefundAsync(Guid grantId, string window, long windowStart, long units, CancellationToken ct)
    {
        if (units <= 0) return;
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection,
            "UPDATE exchange_usage SET used = CASE WHEN used > @n THEN used - @n ELSE 0 END WHERE grant_id = @g AND window_kind = @k AND window_start = @w", ct,
            ("@g", Key(grantId)), ("@k", window), ("@w", windowStart), ("@n", units));
    }

    /// <summary>
    /// The platform's salt for 核验 request hashes: 32 random bytes created once by whichever host needs it first
    /// (insert-if-absent, then read back), stored protected with Data Protection, cached per host.
    /// </summary>
    public async Task<byte[]> VerificationSaltAsync(CancellationToken ct)
    {
        if (_salt is { } cached) return cached;
        await _saltGate.WaitAsync(ct);
        try
        {
            if (_salt is { } again) return again;
            var protector = protection.CreateProtector("GovData.Exchange.Access.VerificationSalt.v1");
            await using var connection = settings.CreateConnection();
            await connection.OpenAsync(ct);
            const string name = "verification_salt";
            var candidate = protector.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            await ExecuteAsync(connection,
                "INSERT INTO exchange_access_secrets (name, value_protected, created_at) VALUES (@n, @v, @t) ON CONFLICT (name) DO NOTHING", ct,
                ("@n", name), ("@v", candidate), ("@t", settings.IsPostgres ? clock.GetUtcNow().UtcDateTime : clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)));
            await using var read = Command(connection, "SELECT value_protected FROM exchange_access_secrets WHERE name = @n", ("@n", name));
            var stored = (string)(await read.ExecuteScalarAsync(ct))!;
            var salt = Convert.FromBase64String(protector.Unprotect(stored));
            _salt = salt;
            return salt;
        }
        finally
        {
            _saltGate.Release();
        }
    }

    private async Task SweepAsync(DbConnection connection, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var next = Interlocked.Read(ref _nextSweep);
        if (now < next || Interlocked.CompareExchange(ref _nextSweep, now + 60, next) != next) return;
        await ExecuteAsync(connection, "DELETE FROM exchange_nonces WHERE expires_at < @t", ct, ("@t", now));
        await ExecuteAsync(connection, "DELETE FROM exchange_usage WHERE window_kind = @k AND window_start < @t", ct, ("@k", Minute), ("@t", now - 3600));
    }

    private static string Key(Guid grantId) => grantId.ToString("D");

    private static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command;
    }
}
