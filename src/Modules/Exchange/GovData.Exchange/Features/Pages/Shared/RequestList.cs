using GovData.SharedKernel.Web;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Shared;

/// <summary>A list of requests (mine, the provider's queue, the competent department's queue) with filters and working-day timers.</summary>
internal abstract class RequestListModel(SharingService sharing) : ExchangePageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "overdue")] public string? Overdue { get; set; }
    [BindProperty(SupportsGet = true, Name = "keyword")] public string? Keyword { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public IReadOnlyList<RequestSummaryDto> Requests { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");

    protected abstract RequestBox Box { get; }
    public abstract string Path { get; }

    public static readonly (string Code, string Label)[] Statuses =
        [("all", "全部"), ("pending_compliance", "待合规审查"), ("pending_provider", "待提供方审批"), ("approved", "已批准"), ("refused", "已拒绝"),
         ("compliance_rejected", "合规审查未通过"), ("withdrawn", "已撤回"), ("draft", "草稿")];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        bool? overdue = Overdue switch { "true" => true, "false" => false, _ => null };
        var result = await sharing.ListAsync(actor, Box, new RequestListQuery(Status, overdue, Keyword, Math.Max(1, PageNumber ?? 1), PageSize), ct);
        if (result.Forbidden is not null) return Forbid();
        if (!result.Ok)
        {
            Errors.AddRange(result.Errors);
            result = await sharing.ListAsync(actor, Box, new RequestListQuery(Page: 1, PageSize: PageSize), ct);
        }
        var page = result.Value!;
        Requests = page.Items;
        Pager = new Pager(page.Page, PageSize, page.Total, n => ExchangePages.Link(Path,
            ("status", Status), ("overdue", Overdue), ("keyword", Keyword), ("page", n.ToString())));
        return Page();
    }
}
