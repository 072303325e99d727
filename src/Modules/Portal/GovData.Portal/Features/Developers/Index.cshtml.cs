using GovData.Portal.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Developers;

/// <summary>开发者接口: how to read the open catalog by program (CKAN-compatible Action API, DCAT-AP, sitemap).</summary>
[AllowAnonymous]
internal sealed class DevelopersModel(PortalSettings settings) : PageModel
{
    public string BaseUrl { get; private set; } = "";

    public void OnGet() => BaseUrl = settings.BaseUrl(Request);
}
