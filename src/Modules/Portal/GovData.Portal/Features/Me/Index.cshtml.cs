using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Me;

/// <summary>用户中心: the signed-in account's favourites, comments (hidden ones marked), 纠错 and 数据需求 with status and answers.</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class MeModel(PortalDb db, IOpenCatalog catalog, IPublicAccounts accounts) : PageModel
{
    public sealed record FavoriteRow(Guid EntryId, DateTime CreatedAt, OpenDataset? Dataset);

    public AccountStanding? Account { get; private set; }
    public string DisplayName => Account?.DisplayName ?? User.GetDisplayName();
    public IReadOnlyList<FavoriteRow> Favorites { get; private set; } = [];
    public IReadOnlyList<Comment> Comments { get; private set; } = [];
    public IReadOnlyList<Correction> Corrections { get; private set; } = [];
    public IReadOnlyList<Demand> Demands { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var id = User.GetUserId()!.Value;
        Account = await accounts.FindAsync(id, ct);
        var favorites = await db.Favorites.AsNoTracking().Where(f => f.UserId == id).OrderByDescending(f => f.CreatedAt).Take(500).ToListAsync(ct);
        var open = (await catalog.GetAsync(favorites.Select(f => f.EntryId).ToList(), ct)).ToDictionary(d => d.EntryId);
        Favorites = favorites.Select(f => new FavoriteRow(f.EntryId, f.CreatedAt, open.GetValueOrDefault(f.EntryId))).ToList();
        Comments = await db.Comments.AsNoTracking().Where(c => c.UserId == id).OrderByDescending(c => c.CreatedAt).Take(200).ToListAsync(ct);
        Corrections = await db.Corrections.AsNoTracking().Where(c => c.UserId == id).OrderByDescending(c => c.CreatedAt).Take(200).ToListAsync(ct);
        Demands = await db.Demands.AsNoTracking().Where(c => c.UserId == id).OrderByDescending(c => c.CreatedAt).Take(200).ToListAsync(ct);
    }
}
