using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Audit.Pages;

/// <summary>One entry: all its fields, its hashes, and its inclusion proof against the checkpoint that sealed it (checked here).</summary>
[Authorize(Policy = Policies.ReadAuditLog)]
internal sealed class EntryModel(ExchangeDb db, AuditNames names, AuditProofs proofs) : PageModel
{
    [BindProperty(SupportsGet = true)] public long Seq { get; set; }

    public AuditEntryDto Entry { get; private set; } = null!;
    public InclusionProof? Proof { get; private set; }
    public string CanonicalBytes { get; private set; } = "";
    public bool ContentMatches { get; private set; }
    public string? ProofError { get; private set; }
    public long? Previous { get; private set; }
    public long? Next { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var entry = await db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Seq == Seq, ct);
        if (entry is null) return NotFound();
        Entry = await names.ToDtoAsync(entry, ct);
        var bytes = AuditEncoding.Encode(entry.Seq, entry.RecordedAt, entry.ToRecord());
        CanonicalBytes = Convert.ToBase64String(bytes);
        ContentMatches = entry.Format == AuditEncoding.Version && AuditEncoding.Hex(AuditEncoding.EntryHash(bytes)) == entry.EntryHash.Trim();
        try
        {
            Proof = await proofs.InclusionAsync(Seq, null, ct);
        }
        catch (InvalidOperationException ex)
        {
            ProofError = ex.Message;
        }
        Previous = Seq > 1 ? Seq - 1 : null;
        Next = await db.AuditEntries.AnyAsync(e => e.Seq == Seq + 1, ct) ? Seq + 1 : null;
        return Page();
    }
}
