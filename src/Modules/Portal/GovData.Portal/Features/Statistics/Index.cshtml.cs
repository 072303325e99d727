using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Statistics;

/// <summary>
/// 访问统计 (public): views, downloads and API calls of the open datasets per day, dataset, department and download format
/// for a period (<c>from</c>, <c>to</c>; default the last 30 days, at most 366 days), as tables and ECharts charts.
/// </summary>
[AllowAnonymous]
internal sealed class StatisticsModel(PortalStatistics statistics) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public StatisticsReport Report { get; private set; } = null!;
    public string ChartJson { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (range, errors) = StatisticsRange.Parse(From, To, statistics.Today);
        Errors = errors;
        Report = await statistics.ReportAsync(range, ct);
        ChartJson = StatisticsCharts.Report(Report);
    }
}
