using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Audit;

/// <summary>
/// One row of <c>exchange_audit_entries</c>: the caller's <see cref="AuditRecord"/> plus what the log adds — the
/// sequence number (1, 2, 3 … without gaps), the time it was logged and the three hashes (see <see cref="AuditEncoding"/>).
/// Written only by <see cref="AuditWriter"/> (raw SQL under the log's lock); read through EF for search and export.
/// </summary>
internal sealed class AuditEntry
{
    public long Seq { get; set; }
    /// <summary>Version of the canonical encoding the hashes were computed with (<see cref="AuditEncoding.Version"/>).</summary>
    public int Format { get; set; }
    /// <summary>UTC, whole microseconds.</summary>
    public DateTime RecordedAt { get; set; }
    public string Kind { get; set; } = "";
    public string Outcome { get; set; } = "";
    public Guid? ConsumerDepartmentId { get; set; }
    public Guid? ProviderDepartmentId { get; set; }
    public string? ClientId { get; set; }
    public Guid? UserId { get; set; }
    public string? ResourceCode { get; set; }
    public Guid? GrantId { get; set; }
    public Guid? RequestId { get; set; }
    public string? Purpose { get; set; }
    public string? Issue { get; set; }
    public string? MessageId { get; set; }
    public long RowsReturned { get; set; }
    public string? RequestHash { get; set; }
    public string? ResponseHash { get; set; }
    public string? Detail { get; set; }
    /// <summary>SHA-256 of the canonical bytes (hex).</summary>
    public string EntryHash { get; set; } = "";
    /// <summary>RFC 6962 leaf hash SHA-256(0x00 ‖ canonical bytes) (hex).</summary>
    public string LeafHash { get; set; } = "";
    /// <summary>SHA-256(previous entry's chain hash ‖ entry hash) (hex); the previous of entry 1 is 32 zero bytes.</summary>
    public string ChainHash { get; set; } = "";

    /// <summary>The caller's part of the entry.</summary>
    public AuditRecord ToRecord() => new(Kind, Outcome, ConsumerDepartmentId, ProviderDepartmentId, ClientId, UserId, ResourceCode,
        GrantId, RequestId, Purpose, Issue, MessageId, RowsReturned, RequestHash, ResponseHash, Detail);
}

/// <summary>A signed checkpoint (<c>exchange_audit_checkpoints</c>): the Merkle root of entries 1..TreeSize.</summary>
internal sealed class AuditCheckpoint
{
    public long TreeSize { get; set; }
    /// <summary>RFC 6962 Merkle tree hash of the leaf hashes of entries 1..TreeSize (hex).</summary>
    public string RootHash { get; set; } = "";
    /// <summary>Chain hash of entry TreeSize (hex), signed with the root.</summary>
    public string ChainHash { get; set; } = "";
    public DateTime SignedAt { get; set; }
    public string KeyId { get; set; } = "";
    /// <summary>ECDSA P-256 / SHA-256 signature (DER, base64) of <see cref="CheckpointStatement"/>.</summary>
    public string Signature { get; set; } = "";
    /// <summary>Compact range of the tree at this size (hashes of its perfect subtrees, largest first), so the next seal continues from here.</summary>
    public string Frontier { get; set; } = "";
}

/// <summary>A node signing key (<c>exchange_audit_node_keys</c>); the private half is protected with ASP.NET Core Data Protection.</summary>
internal sealed class AuditNodeKey
{
    public string KeyId { get; set; } = "";
    public string Algorithm { get; set; } = "";
    /// <summary>SubjectPublicKeyInfo (DER, base64).</summary>
    public string PublicKey { get; set; } = "";
    public string ProtectedPrivateKey { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>A stored run of the verifier (<c>exchange_audit_verifications</c>), shown on the verification page.</summary>
internal sealed class AuditVerificationRun
{
    public long Id { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime FinishedAt { get; set; }
    public string RunBy { get; set; } = "";
    public bool Ok { get; set; }
    public long Entries { get; set; }
    public int Checkpoints { get; set; }
    public long? FirstProblemSeq { get; set; }
    public string Summary { get; set; } = "";
    /// <summary>The whole report as JSON (<see cref="AuditVerificationReport"/>).</summary>
    public string Report { get; set; } = "";
}

/// <summary>EF configuration of the audit tables, called from <c>ExchangeDb.OnModelCreating</c>.</summary>
internal static class AuditModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("exchange_audit_entries");
            e.HasKey(x => x.Seq);
            e.Property(x => x.Seq).ValueGeneratedNever();
        });
        b.Entity<AuditCheckpoint>(e =>
        {
            e.ToTable("exchange_audit_checkpoints");
            e.HasKey(x => x.TreeSize);
            e.Property(x => x.TreeSize).ValueGeneratedNever();
        });
        b.Entity<AuditNodeKey>(e =>
        {
            e.ToTable("exchange_audit_node_keys");
            e.HasKey(x => x.KeyId);
        });
        b.Entity<AuditVerificationRun>(e =>
        {
            e.ToTable("exchange_audit_verifications");
            e.HasKey(x => x.Id);
        });
    }
}
