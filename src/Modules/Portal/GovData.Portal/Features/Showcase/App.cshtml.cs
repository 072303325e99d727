using GovData.Catalog.Contracts;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Showcase;

/// <summary>An approved application: description, address, the open datasets it uses. Anything else answers 404.</summary>
[AllowAnonymous]
internal sealed class AppModel(ShowcaseService showcase, IOpenCatalog catalog) : PageModel
{
    public ShowcaseApp? App { get; private set; }

    /// <summary>The datasets used that are still open (by entry id).</summary>
    public IReadOnlyDictionary<Guid, OpenDataset> Open { get; private set; } = new Dictionary<Guid, OpenDataset>();

    public async Task OnGetAsync(Guid id, CancellationToken ct)
    {
        App = await showcase.FindPublicAsync(id, ct);
        if (App is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        Open = (await catalog.GetAsync(App.Datasets.Select(d => d.EntryId).ToList(), ct)).ToDictionary(d => d.EntryId);
    }
}
