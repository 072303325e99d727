using GovData.Data.Features.Loading;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Data.Features.Pages;

/// <summary>
/// 加载记录: the resource's loads, newest first, with their outcome and counts; each links to its report. Load reports hold
/// raw values (errors quote them), so only the providing department's staff and 平台管理员 see them (as in the API).
/// </summary>
internal sealed class LoadsModel(LoadService loads) : ResourcePageModel
{
    public override string Tab => "loads";

    public const int Take = 50;

    public IReadOnlyList<LoadDto> Loads { get; private set; } = [];

    /// <summary>A load is queued or running: the page refreshes itself.</summary>
    public bool Active => Loads.Any(l => l.Status is "queued" or "running");

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (Resource.IsInsider && Resource.Row is { } row) Loads = await loads.ListAsync(row, Take, ct);
        return Page();
    }
}
