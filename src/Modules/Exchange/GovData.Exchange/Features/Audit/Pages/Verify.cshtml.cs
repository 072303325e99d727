using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Audit.Pages;

/// <summary>
/// 审计日志校验: runs the verifier (POST, like <c>govdata audit verify</c>), shows a stored result (the latest, or
/// <c>?run=id</c>), the recent runs, the latest checkpoints and the node's public key.
/// </summary>
[Authorize(Policy = Policies.ReadAuditLog)]
internal sealed class VerifyModel(AuditVerifications verifications, ExchangeDb db, NodeKeys keys) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "run")] public long? RunId { get; set; }

    public AuditVerificationRun? Run { get; private set; }
    public AuditVerificationReport? Report { get; private set; }
    public List<AuditVerificationRun> Recent { get; private set; } = [];
    public List<AuditCheckpoint> Checkpoints { get; private set; } = [];
    public IReadOnlyList<NodePublicKey> Keys { get; private set; } = [];
    public long LogSize { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Recent = await verifications.RecentAsync(20, ct);
        Run = RunId is { } id ? await verifications.FindAsync(id, ct) : Recent.FirstOrDefault();
        if (RunId is not null && Run is null) return NotFound();
        Report = Run is null ? null : AuditVerifications.ReportOf(Run);
        Checkpoints = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).Take(10).ToListAsync(ct);
        Keys = await keys.ListAsync(ct);
        LogSize = await db.AuditEntries.MaxAsync(e => (long?)e.Seq, ct) ?? 0;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (run, report) = await verifications.RunAsync(User, ct);
        if (report.Ok) TempData["Message"] = report.Summary;
        else TempData["Error"] = report.Summary;
        return RedirectToPage(new { run = run.Id });
    }
}
