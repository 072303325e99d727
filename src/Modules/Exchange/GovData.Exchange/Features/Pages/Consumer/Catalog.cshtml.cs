using GovData.Catalog.Contracts;
using GovData.SharedKernel.Web;
using GovData.Exchange.Features.Sharing;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Pages.Consumer;

/// <summary>共享目录: the published resources of all departments with search and filters; 不予共享 entries only as metadata.</summary>
[Authorize(Policy = SharingPolicies.Staff)]
internal sealed class CatalogModel(ShareCatalog catalog, IDepartmentDirectory departments) : ExchangePageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "keyword")] public string? Keyword { get; set; }
    [BindProperty(SupportsGet = true, Name = "shareType")] public string? ShareType { get; set; }
    [BindProperty(SupportsGet = true, Name = "departmentId")] public Guid? DepartmentId { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public IReadOnlyList<ShareCatalogEntryDto> Entries { get; private set; } = [];
    public IReadOnlyList<DepartmentInfo> Departments { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, PageSize, 0, _ => "");
    public static IEnumerable<string> ShareTypes => CatalogTerms.Labels<ShareType>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Departments = await departments.ListAsync(ct);
        var actor = await ActorAsync(ct);
        var result = await catalog.ListAsync(actor, DepartmentId, Keyword, ShareType, null, Math.Max(1, PageNumber ?? 1), PageSize, ct);
        if (!result.Ok)
        {
            Errors.AddRange(result.Errors);
            result = await catalog.ListAsync(actor, DepartmentId, null, null, null, 1, PageSize, ct);
        }
        var page = result.Value!;
        Entries = page.Items;
        Pager = new Pager(page.Page, PageSize, page.Total, n => ExchangePages.Link(ExchangePages.Root + "/catalog",
            ("keyword", Keyword), ("shareType", ShareType), ("departmentId", DepartmentId?.ToString()), ("page", n.ToString())));
    }
}
