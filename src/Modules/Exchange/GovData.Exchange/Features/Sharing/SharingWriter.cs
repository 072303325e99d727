using GovData.Exchange.Features.Audit;
using GovData.Exchange.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GovData.Exchange.Features.Sharing;

/// <summary>The audit records of one unit of work, appended in its transaction.</summary>
internal sealed class AuditBatch
{
    public List<AuditRecord> Records { get; } = [];

    /// <summary>A request event → <see cref="AuditKinds.RequestChanged"/>.</summary>
    public void Request(SharingRequest r, RequestEvent e) => Records.Add(new AuditRecord(
        AuditKinds.RequestChanged, AuditOutcomes.Ok,
        ConsumerDepartmentId: r.ConsumerDepartmentId, ProviderDepartmentId: r.ProviderDepartmentId, UserId: e.ActorId,
        ResourceCode: r.ResourceCode, GrantId: r.ResultingGrantId ?? r.GrantId, RequestId: r.Id, Purpose: r.Purpose, Issue: r.BusinessCase,
        Detail: Describe(e.Describe(), r.ResourceName, r.ResourceCode, e.ActorName, e.Reason, e.Detail)));

    /// <summary>A grant event → <see cref="AuditKinds.GrantChanged"/>.</summary>
    public void Grant(Grant g, GrantEvent e) => Records.Add(new AuditRecord(
        AuditKinds.GrantChanged, AuditOutcomes.Ok,
        ConsumerDepartmentId: g.IsPublic ? null : g.ConsumerDepartmentId, ProviderDepartmentId: g.ProviderDepartmentId, UserId: e.ActorId,
        ResourceCode: g.ResourceCode, GrantId: g.Id, RequestId: e.RequestId ?? g.RequestId, Purpose: g.Purpose, Issue: g.BusinessCase,
        Detail: Describe("授权" + e.Describe(), g.ResourceName, g.ResourceCode, e.ActorName, e.Reason, e.Detail)));

    private static string Describe(string what, string resourceName, string resourceCode, string actor, string? reason, string? detail) =>
        $"{what}：{resourceName}（{resourceCode}），{actor}" + (reason is null ? "" : $"；理由：{reason}") + (detail is null ? "" : $"；{detail}");
}

/// <summary>
/// Runs a change of requests/grants as one transaction: the entities with their event rows, then every audit record
/// (<see cref="IAuditTrail"/>, chained inside the same transaction), then commit. Domain refusals become 400/409 results;
/// a concurrent change of the same request or grant (stale version, duplicate event number) becomes 409 and nothing is stored.
/// </summary>
internal sealed class SharingWriter(ExchangeDb db, IAuditTrail audit)
{
    public async Task<SharingResult<T>> RunAsync<T>(Func<AuditBatch, Task<SharingResult<T>>> work, string conflictMessage, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var batch = new AuditBatch();
            var result = await work(batch);
            if (!result.Ok) return result;
            await db.SaveChangesAsync(ct);
            foreach (var record in batch.Records) await audit.AppendAsync(record, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return result;
        }
        catch (SharingException ex)
        {
            return SharingResult<T>.From(ex);
        }
        catch (DbUpdateConcurrencyException)
        {
            return SharingResult<T>.Clash(conflictMessage);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            return SharingResult<T>.Clash(conflictMessage);
        }
        finally
        {
            // Whatever happened, the next unit of work in this scope starts from the database, not from half-applied entities.
            db.ChangeTracker.Clear();
        }
    }

    private static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        // SQLITE_CONSTRAINT_UNIQUE / SQLITE_CONSTRAINT_PRIMARYKEY (other constraint failures are bugs, not races).
        SqliteException lite => lite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };
}
