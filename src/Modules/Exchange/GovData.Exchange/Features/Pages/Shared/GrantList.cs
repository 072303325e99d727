using GovData.SharedKernel.Web;
using GovData.Exchange.Features.Sharing;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Shared;

/// <summary>Grants received (我的授权) or issued (已发授权), with status and keyword filters.</summary>
internal abstract class GrantListModel(GrantService grants) : ExchangePageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "keyword")] public string? Keyword { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public IReadOnlyList<GrantDto> Grants { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public abstract string View { get; }
    public abstract string Path { get; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        var result = await grants.ListAsync(actor, View, Status, Keyword, Math.Max(1, PageNumber ?? 1), PageSize, ct);
        if (result.Forbidden is not null) return Forbid();
        if (!result.Ok)
        {
            Errors.AddRange(result.Errors);
            result = await grants.ListAsync(actor, View, null, null, 1, PageSize, ct);
        }
        var page = result.Value!;
        Grants = page.Items;
        Pager = new Pager(page.Page, PageSize, page.Total, n => ExchangePages.Link(Path, ("status", Status), ("keyword", Keyword), ("page", n.ToString())));
        return Page();
    }
}
