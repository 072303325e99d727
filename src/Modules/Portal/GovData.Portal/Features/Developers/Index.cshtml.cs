using GovData.Portal.Features.Open;
using GovData.Portal.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Developers;

/// <summary>开发者接口: how to read the open catalog by program (the open data API, CKAN-compatible Action API with datastore_search, DCAT-AP, sitemap), with the current limits.</summary>
[AllowAnonymous]
internal sealed class DevelopersModel(PortalSettings settings, OpenAccessSettings limits) : PageModel
{
    public string BaseUrl { get; private set; } = "";

    public OpenAccessSettings Limits => limits;

    public void OnGet() => BaseUrl = settings.BaseUrl(Request);
}
