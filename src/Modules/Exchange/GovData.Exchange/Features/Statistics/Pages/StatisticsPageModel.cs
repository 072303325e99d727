using System.Security.Claims;
using System.Text.Json;
using GovData.Exchange.Features.Sharing;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Exchange.Features.Statistics.Pages;

/// <summary>
/// Common part of the statistics page and the annual report page: the GET form (year, optional date range and
/// department), the same parsing and view rules as the API (<see cref="StatisticsApi.ComputeAsync"/>). A bad parameter
/// shows its Chinese message and the current year's figures instead.
/// </summary>
internal abstract class StatisticsPageModel(ExchangeStatistics statistics, IDepartmentDirectory departments, SharingClock clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "year")] public string? Year { get; set; }
    [BindProperty(SupportsGet = true, Name = "from")] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "to")] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "departmentId")] public string? DepartmentId { get; set; }

    public StatisticsReportDto Report { get; private set; } = null!;
    public string? Error { get; private set; }
    public IReadOnlyList<int> Years { get; private set; } = [];
    /// <summary>Departments the caller may pick (empty for a department's own view).</summary>
    public IReadOnlyList<DepartmentInfo> Choices { get; private set; } = [];
    public string ChartJson { get; private set; } = "{}";

    /// <summary>The query string of the current selection (for the export link).</summary>
    public string Query => string.Join("&", new[] { ("year", (string?)Report.Year.ToString()), ("from", From), ("to", To), ("departmentId", DepartmentId) }
        .Where(p => !string.IsNullOrWhiteSpace(p.Item2)).Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2!.Trim())));

    protected async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        var (report, problem, validation) = await StatisticsApi.ComputeAsync(Year, From, To, DepartmentId, User, departments, statistics, clock, ct);
        if (problem is not null)
        {
            if (problem.StatusCode == StatusCodes.Status403Forbidden) return Forbid();
            Error = problem.ProblemDetails.Detail;
        }
        if (validation is not null)
            Error = string.Join("；", validation.ProblemDetails.Errors.SelectMany(e => e.Value));
        if (report is null)
        {
            Year = From = To = DepartmentId = null;
            (report, problem, _) = await StatisticsApi.ComputeAsync(null, null, null, null, User, departments, statistics, clock, ct);
            if (report is null) return Forbid();
        }
        Report = report;
        var thisYear = clock.Today.Year;
        var first = Math.Max(StatisticsPeriod.MinYear, thisYear - 9);
        Years = Enumerable.Range(first, thisYear - first + 1).Append(report.Year).Distinct().OrderDescending().ToList();
        var viewer = await StatisticsViewer.FromAsync(User, departments, ct);
        if (viewer is not null && viewer.Scope != StatisticsScope.Department)
            Choices = (await departments.ListAsync(ct)).Where(d => viewer.CanSee(d, statistics.Regions)).OrderBy(d => d.SortOrder).ThenBy(d => d.Name).ToList();
        ChartJson = JsonSerializer.Serialize(Charts(report));
        return null;
    }

    public static string Cell(FigureColumn c, DepartmentFiguresDto d) => StatisticsWorkbook.Text(c, d);

    private static Dictionary<string, object> Charts(StatisticsReportDto r)
    {
        const string Accent = "#b5121b", Blue = "#1456f0", Ok = "#1a7f37", Warn = "#9a6700", Err = "#b42318";
        var names = r.Departments.Select(d => d.DepartmentName).ToList();
        object Series(string name, IEnumerable<object> data, string colour) => new { name, data = data.ToList(), color = colour };
        return new()
        {
            ["trend"] = new
            {
                categories = r.Months.Select(m => m.Month).ToList(),
                series = new[] { Series("申请数", r.Months.Select(m => (object)m.Requests), Accent), Series("访问次数", r.Months.Select(m => (object)m.Accesses), Blue) },
            },
            ["requests"] = new
            {
                categories = names,
                series = new[]
                {
                    Series("按时答复", r.Departments.Select(d => (object)d.RequestsAnsweredInTime), Ok),
                    Series("逾期", r.Departments.Select(d => (object)d.RequestsOverdue), Warn),
                    Series("拒绝", r.Departments.Select(d => (object)d.RequestsRefused), Err),
                },
            },
            ["accesses"] = new
            {
                categories = names,
                series = new[]
                {
                    Series("被访问", r.Departments.Select(d => (object)d.AccessesServed), Accent),
                    Series("访问", r.Departments.Select(d => (object)d.AccessesMade), Blue),
                },
            },
        };
    }
}
