using System.Data.Common;
using System.Globalization;
using Dapper;
using GovData.SharedKernel.Persistence;

namespace GovData.SharedKernel.Hosting.ScheduledJobs;

/// <summary>A row of <c>platform_jobs</c>: when a job runs next, who holds it, how the last run went.</summary>
public sealed record ScheduledJobState(
    string Name, DateTime NextRunAt, string? LeaseOwner, DateTime? LeaseUntil, DateTime? LastStartedAt, DateTime? LastFinishedAt,
    string? LastStatus, string? LastError, string? LastOwner, int RunCount)
{
    /// <summary>Status of a successful run.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Status of a failed run.</summary>
    public const string Failed = "failed";
}

/// <summary>
/// The job table shared by every host. Claiming is one atomic <c>UPDATE … WHERE next_run_at &lt;= now AND (lease_until IS NULL
/// OR lease_until &lt; now)</c>: on PostgreSQL the second of two concurrent updates re-checks the condition on the row the
/// first one wrote (and finds the lease taken), on SQLite writers are serialised, so exactly one claimer gets the row.
/// All times are UTC.
/// </summary>
public sealed class ScheduledJobStore(DatabaseSettings database)
{
    /// <summary>Adds the job with its first run time unless it is already known (its stored schedule then stands).</summary>
    public async Task<bool> RegisterAsync(string name, DateTime firstRunAtUtc, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO platform_jobs (name, next_run_at, run_count, updated_at) VALUES (@name, @next, 0, @now) ON CONFLICT (name) DO NOTHING",
            new { name, next = Utc(firstRunAtUtc), now = Utc(DateTime.UtcNow) }, cancellationToken: ct));
        return rows == 1;
    }

    /// <summary>
    /// Takes the job for <paramref name="owner"/> until <paramref name="leaseUntilUtc"/> if it is due at <paramref name="nowUtc"/>
    /// and nobody holds a live lease. True when this caller got it.
    /// </summary>
    public async Task<bool> TryClaimAsync(string name, string owner, DateTime nowUtc, DateTime leaseUntilUtc, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform_jobs SET lease_owner = @owner, lease_until = @until, last_started_at = @now, updated_at = @now
            WHERE name = @name AND next_run_at <= @now AND (lease_until IS NULL OR lease_until < @now)
            """, new { name, owner, now = Utc(nowUtc), until = Utc(leaseUntilUtc) }, cancellationToken: ct));
        return rows == 1;
    }

    /// <summary>Extends a lease the caller still holds; false when it was lost (expired and taken by another host).</summary>
    public async Task<bool> RenewAsync(string name, string owner, DateTime leaseUntilUtc, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE platform_jobs SET lease_until = @until, updated_at = @now WHERE name = @name AND lease_owner = @owner",
            new { name, owner, until = Utc(leaseUntilUtc), now = Utc(DateTime.UtcNow) }, cancellationToken: ct));
        return rows == 1;
    }

    /// <summary>Records the end of a run, sets the next run time and releases the lease (only if the caller still holds it).</summary>
    public async Task<bool> CompleteAsync(string name, string owner, DateTime finishedAtUtc, DateTime nextRunAtUtc, bool succeeded, string? error,
        CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform_jobs SET next_run_at = @next, lease_owner = NULL, lease_until = NULL, last_finished_at = @finished,
                last_status = @status, last_error = @error, last_owner = @owner, run_count = run_count + 1, updated_at = @finished
            WHERE name = @name AND lease_owner = @owner
            """, new
        {
            name, owner, next = Utc(nextRunAtUtc), finished = Utc(finishedAtUtc),
            status = succeeded ? ScheduledJobState.Succeeded : ScheduledJobState.Failed,
            error = error is { Length: > 2000 } ? error[..2000] : error,
        }, cancellationToken: ct));
        return rows == 1;
    }

    /// <summary>Moves a job's next run (operators: “run now” sets it to the current time).</summary>
    public async Task<bool> RescheduleAsync(string name, DateTime nextRunAtUtc, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE platform_jobs SET next_run_at = @next, updated_at = @now WHERE name = @name",
            new { name, next = Utc(nextRunAtUtc), now = Utc(DateTime.UtcNow) }, cancellationToken: ct)) == 1;
    }

    /// <summary>One job, or null when it was never registered.</summary>
    public async Task<ScheduledJobState?> GetAsync(string name, CancellationToken ct = default) =>
        (await ReadAsync("WHERE name = @name", new { name }, ct)).FirstOrDefault();

    /// <summary>Every registered job.</summary>
    public Task<IReadOnlyList<ScheduledJobState>> ListAsync(CancellationToken ct = default) => ReadAsync("", null, ct);

    private async Task<IReadOnlyList<ScheduledJobState>> ReadAsync(string where, object? args, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync(new CommandDefinition($"""
            SELECT name, next_run_at, lease_owner, lease_until, last_started_at, last_finished_at, last_status, last_error, last_owner, run_count
            FROM platform_jobs {where} ORDER BY name
            """, args, cancellationToken: ct));
        return rows.Select(r => (IDictionary<string, object?>)r).Select(r => new ScheduledJobState(
            (string)r["name"]!, ReadTime(r["next_run_at"])!.Value, r["lease_owner"] as string, ReadTime(r["lease_until"]),
            ReadTime(r["last_started_at"]), ReadTime(r["last_finished_at"]), r["last_status"] as string, r["last_error"] as string,
            r["last_owner"] as string, Convert.ToInt32(r["run_count"], CultureInfo.InvariantCulture))).ToList();
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// Parameters are UTC <see cref="DateTime"/>s: Npgsql writes them to timestamptz, Microsoft.Data.Sqlite as
    /// <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> text, which orders correctly when compared as text.
    /// </summary>
    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static DateTime? ReadTime(object? value) => value switch
    {
        null or DBNull => null,
        DateTime d => DateTime.SpecifyKind(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d, DateTimeKind.Utc),
        DateTimeOffset o => o.UtcDateTime,
        string s => DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc),
        _ => Convert.ToDateTime(value, CultureInfo.InvariantCulture),
    };
}
