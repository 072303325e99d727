using GovData.SharedKernel.Web;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Audit.Pages;

/// <summary>
/// 交换审计日志: search with filters and paging, links to each entry and to the CSV/XLSX export of the same filters.
/// Read-only (no POST handler). Filters are parsed by <see cref="AuditQuery.Parse"/>, as in the API and the export.
/// </summary>
[Authorize(Policy = Policies.ReadAuditLog)]
internal sealed class IndexModel(ExchangeDb db, AuditNames names, IDepartmentDirectory departments) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "from")] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "to")] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "department")] public string? Department { get; set; }
    [BindProperty(SupportsGet = true, Name = "resource")] public string? Resource { get; set; }
    [BindProperty(SupportsGet = true, Name = "kind")] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true, Name = "outcome")] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true, Name = "grant")] public string? Grant { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public string? PageText { get; set; }

    public Dictionary<string, string[]> Errors { get; } = [];
    public List<AuditEntryDto> Entries { get; private set; } = [];
    public IReadOnlyList<DepartmentInfo> Departments { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public string CsvLink { get; private set; } = "";
    public string XlsxLink { get; private set; } = "";
    public long LogSize { get; private set; }
    public long SealedUpTo { get; private set; }

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var m) ? string.Join("；", m) : null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = AuditQuery.Parse(From, To, Department, Resource, Kind, Outcome, Grant, Errors);
        var (page, _) = AuditQuery.ParsePaging(PageText, null, PageSize, PageSize, Errors);
        Departments = await departments.ListAsync(ct);

        var filtered = query.Apply(db);
        var total = await filtered.CountAsync(ct);
        (string Key, string? Value)[] filters =
            [("from", From), ("to", To), ("department", Department), ("resource", Resource), ("kind", Kind), ("outcome", Outcome), ("grant", Grant)];
        // Links keep what the auditor typed; invalid values are dropped so the links work.
        var kept = filters.Where(f => !Errors.ContainsKey(f.Key)).ToList();
        Pager = new Pager(page, PageSize, total, n => AuditUi.Link(AuditUi.Root, [.. kept, ("page", n.ToString())]));
        var rows = await filtered.OrderByDescending(e => e.Seq).Skip(Pager.Skip).Take(PageSize).ToListAsync(ct);
        foreach (var e in rows) Entries.Add(await names.ToDtoAsync(e, ct));
        CsvLink = AuditUi.Link("/api/v1/exchange/audit/entries/export", [("format", "csv"), .. kept]);
        XlsxLink = AuditUi.Link("/api/v1/exchange/audit/entries/export", [("format", "xlsx"), .. kept]);
        LogSize = await db.AuditEntries.MaxAsync(e => (long?)e.Seq, ct) ?? 0;
        SealedUpTo = await db.AuditCheckpoints.MaxAsync(c => (long?)c.TreeSize, ct) ?? 0;
    }
}
