using System.Text.Json;
using GovData.Catalog.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Catalog.Features.Statistics;

/// <summary>
/// 目录统计: counts of the published catalog by 类, 项, department, share type, open type and update cycle, and the
/// coverage of the twelve assessed domains and of the departments. Every chart's numbers are also in a table
/// (readable without JavaScript and by screen readers); the charts read the same numbers from a JSON block in the page.
/// </summary>
[Authorize(Policy = CatalogPolicies.Read)]
internal sealed class StatisticsModel(CatalogFigures figures) : PageModel
{
    private const string Ok = "#1a7f37", Warn = "#9a6700", Err = "#b42318", Accent = "#b5121b", Blue = "#1456f0", Grey = "#8b95a1";

    [BindProperty(SupportsGet = true, Name = "region")] public string? Region { get; set; }

    public CatalogStatisticsDto Statistics { get; private set; } = null!;
    public IReadOnlyList<RegionOptionDto> Regions { get; private set; } = [];
    public string? Error { get; private set; }
    /// <summary>The charts' data, serialised for the page's JSON block (HTML-safe: &lt; &gt; &amp; are escaped).</summary>
    public string ChartJson { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Regions = await figures.RegionOptionsAsync(ct);
        var (statistics, error) = await figures.GetAsync(Region, ct);
        if (error is not null)
        {
            Error = error;
            Region = null;
            (statistics, _) = await figures.GetAsync(null, ct);
        }
        Statistics = statistics!;
        ChartJson = JsonSerializer.Serialize(Charts(Statistics));
    }

    public static string Percent(double rate) => (rate * 100).ToString("0.#") + "%";

    public static string Percent(int part, int total) => total == 0 ? "—" : Percent((double)part / total);

    /// <summary>Colour of a share/open type slice: 无条件 green, 有条件 amber, 不予 red.</summary>
    private static string TypeColour(string key) => key switch
    {
        "Unconditional" => Ok,
        "Conditional" => Warn,
        "NotShared" or "NotOpen" => Err,
        _ => Grey,
    };

    private static Dictionary<string, object> Charts(CatalogStatisticsDto s)
    {
        static object Pie(IEnumerable<LabelCountDto> rows, Func<LabelCountDto, string?>? colour = null) =>
            rows.Where(r => r.Count > 0).Select(r => colour?.Invoke(r) is { } c
                ? (object)new { name = r.Label, value = r.Count, itemStyle = new { color = c } }
                : new { name = r.Label, value = r.Count }).ToList();
        static object Bars(IEnumerable<string> categories, params (string Name, IEnumerable<object> Data, string Colour)[] series) => new
        {
            categories = categories.ToList(),
            series = series.Select(x => new { name = x.Name, data = x.Data.ToList(), color = x.Colour }).ToList(),
        };

        string[] classColours = [Accent, Blue, Ok];
        return new()
        {
            ["byClass"] = Pie(s.ByClass, r => classColours[(int.Parse(r.Key) - 1) % classColours.Length]),
            ["byShareType"] = Pie(s.ByShareType, r => TypeColour(r.Key)),
            ["byOpenType"] = Pie(s.ByOpenType, r => TypeColour(r.Key)),
            ["byUpdateCycle"] = Bars(s.ByUpdateCycle.Select(r => r.Label), ("资源数", s.ByUpdateCycle.Select(r => (object)r.Count), Blue)),
            ["byItem"] = Bars(s.ByItem.Select(r => $"{r.Name}（{r.Code}）"), ("资源数", s.ByItem.Select(r => (object)r.Count), Accent)),
            ["byDepartment"] = Bars(s.ByDepartment.Select(r => r.Name),
                ("已发布", s.ByDepartment.Select(r => (object)r.Published), Accent),
                ("共享", s.ByDepartment.Select(r => (object)r.Shared), Ok),
                ("开放", s.ByDepartment.Select(r => (object)r.Open), Blue)),
            ["domains"] = Bars(s.Coverage.Domains.Select(d => d.Domain),
                ("已发布资源", s.Coverage.Domains.Select(d => (object)new { value = d.Published, itemStyle = new { color = d.Covered ? Ok : Err } }), Ok)),
            ["departmentCoverage"] = new object[]
            {
                new { name = "有已发布资源", value = s.Coverage.DepartmentsCovered, itemStyle = new { color = Ok } },
                new { name = "尚无已发布资源", value = s.Coverage.DepartmentsTotal - s.Coverage.DepartmentsCovered, itemStyle = new { color = Err } },
            },
        };
    }
}
