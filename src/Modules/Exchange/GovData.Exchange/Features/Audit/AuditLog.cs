using GovData.Exchange.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovData.Exchange.Features.Audit;

/// <summary>
/// <see cref="IAuditTrail"/> over the scoped <see cref="ExchangeDb"/>: when the caller has a transaction open on it
/// (<c>db.Database.BeginTransactionAsync()</c>, e.g. a grant change and its event row), the entry is chained inside
/// that transaction and commits or rolls back with it; otherwise it goes through the group commit of
/// <see cref="AuditWriter"/> and is durable when the returned task completes.
/// </summary>
internal sealed class AuditLog(ExchangeDb db, AuditWriter writer) : IAuditTrail
{
    /// <inheritdoc />
    public async Task AppendAsync(AuditRecord record, CancellationToken ct = default) => await AppendEntryAsync(record, ct);

    /// <summary>Like <see cref="AppendAsync"/>, returning where the entry landed.</summary>
    public async Task<AuditAppended> AppendEntryAsync(AuditRecord record, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is { } tx)
            return (await writer.AppendInTransactionAsync(db.Database.GetDbConnection(), tx.GetDbTransaction(), [record], ct))[0];
        return await writer.EnqueueAsync(record, ct);
    }
}
