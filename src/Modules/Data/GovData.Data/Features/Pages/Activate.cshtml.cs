using GovData.Data.Features.Versions;
using GovData.Data.Persistence;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace GovData.Data.Features.Pages;

/// <summary>
/// 设为当前（回滚）: a confirmation page for making an earlier Ready version current — what changes (version, rows, load
/// time) — and the POST that does it through <see cref="VersionService.ActivateAsync"/> (one transaction, recorded with
/// who and when; refused while a load runs). Managers of the resource only.
/// </summary>
internal sealed class ActivateModel(VersionService versions, DataDb db) : ResourcePageModel
{
    public override string Tab => "versions";

    public DataVersion Version { get; private set; } = null!;
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, int number, CancellationToken ct)
    {
        if (await PrepareAsync(code, number, ct) is { } stop) return stop;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, int number, CancellationToken ct)
    {
        if (await PrepareAsync(code, number, ct) is { } stop) return stop;
        var r = await versions.ActivateAsync(Resource.Row!.Id, number, User.GetUserId(), User.GetDisplayName(), ct);
        if (!r.Ok)
        {
            Error = r.Conflict ?? r.NotFound ?? r.Forbidden;
            return Page();
        }
        TempData["Message"] = $"已将第 {number} 版设为当前版本（{DataUi.Count(r.Value!.RowCount)} 行）";
        return Redirect(Resource.Path("/versions"));
    }

    private async Task<IActionResult?> PrepareAsync(string code, int number, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (RequireManage() is { } denied) return denied;
        if (Resource.Row is not { } row) return NotFound();
        var version = await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.ResourceId == row.Id && v.Number == number, ct);
        if (version is null) return NotFound();
        Version = version;
        return null;
    }
}
