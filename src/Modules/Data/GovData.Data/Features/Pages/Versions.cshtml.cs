using System.Globalization;
using GovData.Data.Features.Versions;
using GovData.Data.Persistence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

using GovData.SharedKernel.Web;

namespace GovData.Data.Features.Pages;

/// <summary>
/// 版本: every full load's version (number, rows, load time, status, who loaded it), the switches of the current version
/// (full loads and rollbacks, who and when), 设为当前/回滚 through a confirmation page, and the retention setting
/// (保留版本数, 1–100; older tables are dropped at once).
/// </summary>
internal sealed class VersionsModel(VersionService versions, DataDb db) : ResourcePageModel
{
    public override string Tab => "versions";

    [BindProperty(Name = "retention")] public string? Retention { get; set; }

    public IReadOnlyList<VersionDto> Versions { get; private set; } = [];
    public IReadOnlyList<SwitchDto> Switches { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string?> LoadedBy { get; private set; } = new Dictionary<Guid, string?>();
    public FormErrors Errors { get; } = new();

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        await ListAsync(ct);
        return Page();
    }

    /// <summary>保存保留版本数.</summary>
    public async Task<IActionResult> OnPostRetentionAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (RequireManage() is { } denied) return denied;
        int? value = int.TryParse(Retention?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        if (value is null) Errors.Add("retention", $"保留版本数“{Retention}”无效，应为 1 到 {VersionService.MaxRetention} 之间的整数");
        else
        {
            var row = Resource.Row ?? (await Service<Resources.DataResources>().EnsureAsync(Catalog.Contracts.ResourceCode.Parse(Resource.Code), ct)).Value?.Resource;
            if (row is null) return NotFound();
            var r = await versions.SetRetentionAsync(row.Id, value, ct);
            if (r.Ok)
            {
                TempData["Message"] = $"保留版本数已设为 {value}" + (r.Value > 0 ? $"，清理了 {r.Value} 个旧版本的数据表" : "");
                return Redirect(Resource.Path("/versions"));
            }
            Errors.AddRange(r.Errors);
        }
        await ListAsync(ct);
        return Page();
    }

    private async Task ListAsync(CancellationToken ct)
    {
        if (Resource.Row is not { } row) return;
        Versions = await versions.ListAsync(row, ct);
        Switches = await versions.SwitchesAsync(row.Id, 20, ct);
        var loadIds = Versions.Where(v => v.LoadId is not null).Select(v => v.LoadId!.Value).ToList();
        LoadedBy = await db.Loads.AsNoTracking().Where(l => loadIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.RequestedByName, ct);
        Retention ??= row.Retention.ToString(CultureInfo.InvariantCulture);
    }

    public string? Who(VersionDto v) => v.LoadId is { } id && LoadedBy.TryGetValue(id, out var name) ? name : null;
}
