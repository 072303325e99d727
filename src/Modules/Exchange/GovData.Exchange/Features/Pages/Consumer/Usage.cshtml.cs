using GovData.Exchange.Features.Access;
using GovData.Exchange.Features.Audit;
using GovData.SharedKernel.Web;
using GovData.Exchange.Features.Sharing;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Pages.Consumer;

/// <summary>
/// 使用情况: the department's active grants with today's use of the daily quota (the quota counters), and its accesses as
/// the audit log recorded them (last 30 days by outcome, then the entries, newest first).
/// </summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class UsageModel(GrantService grants, ExchangeDb db, AccessGate gate, AccessStore store, TimeProvider clock) : ExchangePageModel
{
    public const int PageSize = 30;

    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public sealed record GrantUse(GrantDto Grant, long UsedToday);

    public List<GrantUse> Grants { get; } = [];
    public List<AuditEntry> Entries { get; private set; } = [];
    public Dictionary<string, int> Last30Days { get; private set; } = [];
    public long RowsLast30Days { get; private set; }
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        if (!actor.IsConsumerStaff) return Forbid();
        var department = actor.Department!.Id;
        var active = await grants.ListAsync(actor, "consumer", "active", null, 1, 200, ct);
        var (dayStart, _) = gate.LocalDay(clock.GetUtcNow());
        foreach (var g in active.Value?.Items ?? [])
            Grants.Add(new GrantUse(g, await store.UsedAsync(g.Id, AccessStore.Day, dayStart, ct)));

        var accesses = db.AuditEntries.AsNoTracking().Where(e => e.ConsumerDepartmentId == department && e.Kind.StartsWith("access."));
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-30);
        var recent = await accesses.Where(e => e.RecordedAt >= since).GroupBy(e => e.Outcome)
            .Select(g => new { Outcome = g.Key, Count = g.Count(), Rows = g.Sum(e => e.RowsReturned) }).ToListAsync(ct);
        Last30Days = recent.ToDictionary(r => r.Outcome, r => r.Count);
        RowsLast30Days = recent.Sum(r => r.Rows);
        var total = await accesses.CountAsync(ct);
        Pager = new Pager(Math.Max(1, PageNumber ?? 1), PageSize, total, n => ExchangePages.Link("/console/exchange/usage", ("page", n.ToString())));
        Entries = await accesses.OrderByDescending(e => e.Seq).Skip(Pager.Skip).Take(PageSize).ToListAsync(ct);
        return Page();
    }
}
