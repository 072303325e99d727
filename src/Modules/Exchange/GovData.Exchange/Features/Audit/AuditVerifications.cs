using System.Security.Claims;
using System.Text.Json;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Audit;

/// <summary>Runs the verifier for an auditor and keeps the result (<c>exchange_audit_verifications</c>, append-only).</summary>
internal sealed class AuditVerifications(AuditVerifier verifier, ExchangeDb db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<(AuditVerificationRun Run, AuditVerificationReport Report)> RunAsync(ClaimsPrincipal user, CancellationToken ct,
        AuditVerifyOptions? options = null)
    {
        var report = await verifier.VerifyAsync(options ?? new AuditVerifyOptions(), ct);
        var run = new AuditVerificationRun
        {
            StartedAt = AuditEncoding.Truncate(report.StartedAt),
            FinishedAt = AuditEncoding.Truncate(clock.GetUtcNow().UtcDateTime),
            RunBy = $"{user.GetDisplayName()}（{user.Identity?.Name ?? "?"}）",
            Ok = report.Ok,
            Entries = report.Entries,
            Checkpoints = report.Checkpoints,
            FirstProblemSeq = report.First?.Seq,
            Summary = report.Summary,
            Report = JsonSerializer.Serialize(report, Json),
        };
        db.AuditVerifications.Add(run);
        await db.SaveChangesAsync(ct);
        return (run, report);
    }

    /// <summary>The stored report of a run.</summary>
    public static AuditVerificationReport? ReportOf(AuditVerificationRun run)
    {
        try { return JsonSerializer.Deserialize<AuditVerificationReport>(run.Report, Json); }
        catch (JsonException) { return null; }
    }

    public Task<List<AuditVerificationRun>> RecentAsync(int count, CancellationToken ct) =>
        db.AuditVerifications.AsNoTracking().OrderByDescending(r => r.Id).Take(count).ToListAsync(ct);

    public Task<AuditVerificationRun?> FindAsync(long id, CancellationToken ct) =>
        db.AuditVerifications.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
}
