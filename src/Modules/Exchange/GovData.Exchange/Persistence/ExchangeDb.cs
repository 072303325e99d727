using GovData.Exchange.Features.Disputes;
using GovData.Exchange.Features.Sharing;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Features.Access;
using GovData.SharedKernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Persistence;

/// <summary>The Exchange module's own tables (prefix <c>exchange_</c>); schema from Migrations/*.sql.</summary>
internal sealed class ExchangeDb(DbContextOptions<ExchangeDb> options) : DbContext(options)
{
    // ---- Audit log (Features/Audit; tables from Migrations/*/0002_audit.sql) ----
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();
    public DbSet<AuditNodeKey> AuditNodeKeys => Set<AuditNodeKey>();
    public DbSet<AuditVerificationRun> AuditVerifications => Set<AuditVerificationRun>();
    // ---- end audit log ----

    protected override void OnModelCreating(ModelBuilder b)
    {
        // Requests and grants (Features/Sharing/SharingModel.cs; DbSets as extension methods there).
        b.ConfigureSharing();
        // Data disputes (Features/Disputes/DisputeService.cs).
        b.ConfigureDisputes();
        AuditModel.Configure(b);
        // Application credentials (Features/Access/AppCredential.cs).
        b.ConfigureAccess();
        b.UseSnakeCaseNames();
    }
}
