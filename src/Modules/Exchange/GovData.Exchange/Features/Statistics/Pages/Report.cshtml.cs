using GovData.Exchange.Features.Sharing;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Statistics.Pages;

/// <summary>年度共享评估报告: the year's summary, findings per department and the XLSX download (handler <c>xlsx</c>).</summary>
[Authorize(Policy = StatisticsApi.Policy)]
internal sealed class ReportModel(ExchangeStatistics statistics, IDepartmentDirectory departments, SharingClock clock)
    : StatisticsPageModel(statistics, departments, clock)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    /// <summary>The workbook of the selection (a bad parameter gives the page with its message instead).</summary>
    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } denied) return denied;
        if (Error is not null) return Page();
        var (content, name) = StatisticsWorkbook.Build(Report);
        return File(content, StatisticsWorkbook.ContentType, name);
    }

    /// <summary>Departments that answered late or not at all (逾期), most first.</summary>
    public IReadOnlyList<DepartmentFiguresDto> Overdue => Report.Departments.Where(d => d.RequestsOverdue > 0)
        .OrderByDescending(d => d.RequestsOverdue).ToList();

    /// <summary>Departments that provide no shared resource.</summary>
    public IReadOnlyList<DepartmentFiguresDto> NoResources => Report.Departments.Where(d => d.ResourcesShared == 0).ToList();
}
