using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using GovData.Portal.Persistence;

namespace GovData.Portal.Features.Showcase;

/// <summary>应用展示 (public): the approved applications built on the open data, latest approved first, paged.</summary>
[AllowAnonymous]
internal sealed class AppsModel(ShowcaseService showcase) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public int Total { get; private set; }
    public IReadOnlyList<ShowcaseApp> Apps { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber, 1, 10_000);
        (Total, Apps) = await showcase.PublicPageAsync(PageNumber, PageSize, ct);
    }
}
