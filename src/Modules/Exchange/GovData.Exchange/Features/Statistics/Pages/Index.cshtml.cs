using GovData.Exchange.Features.Sharing;
using GovData.Identity.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace GovData.Exchange.Features.Statistics.Pages;

/// <summary>
/// 共享统计: per-department table of a year (or a range in it), with charts (ECharts, data in a JSON block) of the
/// monthly trend of requests and accesses and of requests and accesses per department. Works without JavaScript.
/// </summary>
[Authorize(Policy = StatisticsApi.Policy)]
internal sealed class IndexModel(ExchangeStatistics statistics, IDepartmentDirectory departments, SharingClock clock)
    : StatisticsPageModel(statistics, departments, clock)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();
}
