using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Data.Features.Query;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GovData.Data.Features.Pages;

/// <summary>
/// 字段概况: per column the empty values, distinct values, minimum, maximum and top 5 values of the current version (or
/// <c>?version=n</c>). Computed on demand by the 计算 button (<c>?run=1</c>, a GET: it only reads) through
/// <see cref="ColumnProfiler"/>, over at most <see cref="DataPagesOptions.ProfileRowLimit"/> rows; nothing is cached.
/// </summary>
internal sealed class ProfileModel(IDataTableResolver resolver, ColumnProfiler profiler, IOptions<DataPagesOptions> options) : ResourcePageModel
{
    public override string Tab => "profile";

    [BindProperty(SupportsGet = true, Name = "run")] public string? Run { get; set; }
    [BindProperty(SupportsGet = true, Name = "version")] public string? Version { get; set; }

    public ResolvedTable? Table { get; private set; }
    public TableProfile? Profile { get; private set; }
    public string? Message { get; private set; }
    public int RowLimit => options.Value.ProfileRowLimit;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (await LoadResourceAsync(code, ct) is { } stop) return stop;
        if (!Resource.Structured) return Page();
        int? version = null;
        if (!string.IsNullOrWhiteSpace(Version))
        {
            if (int.TryParse(Version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) version = n;
            else
            {
                Message = $"版本号“{Version}”无效，应为正整数";
                return Page();
            }
        }
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Table = await resolver.ResolveAsync(ResourceCode.Parse(Resource.Code), version, ct);
            if (Table is null)
            {
                Message = version is { } v ? $"没有可用的第 {v} 版" : "该资源尚无可用数据，请先上传并加载数据";
                return Page();
            }
            if (Run is not ("1" or "true")) return Page();
            try
            {
                Profile = await profiler.ProfileAsync(Table, RowsApi.IsEntitledToRaw(User, Table), ct);
                return Page();
            }
            catch (System.Data.Common.DbException) when (attempt == 1)
            {
                // The version's table may have been dropped after a switch: resolve once more.
            }
        }
        Message = "数据版本刚刚切换，请重新计算";
        return Page();
    }

    public string RunLink => DataUi.Link(Resource.Path("/profile"), ("run", "1"), ("version", Version));
}
