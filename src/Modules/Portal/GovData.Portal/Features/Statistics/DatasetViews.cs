using System.Text.RegularExpressions;
using GovData.Catalog.Contracts;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Statistics;

/// <summary>
/// Views of dataset pages, counted on the server once per GET of the page (no JavaScript beacon), per resource and day.
/// Requests from robots (crawlers, link previews, headless browsers, audit tools) are not counted.
/// </summary>
internal sealed partial class DatasetViews(PortalDb db, TimeProvider time)
{
    [GeneratedRegex("bot|spider|crawl|slurp|yandex|bingpreview|facebookexternalhit|headlesschrome|lighthouse|monitor|preview",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RobotAgent();

    /// <summary>True for a request that should not count as a view: not a GET, no user agent, or a robot's.</summary>
    public static bool IsRobot(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method)) return true;
        var agent = request.Headers.UserAgent.ToString();
        return agent.Length == 0 || RobotAgent().IsMatch(agent);
    }

    /// <summary>True for a user agent of a robot (crawler, link preview, headless browser, audit tool).</summary>
    public static bool IsRobotAgent(string agent) => agent.Length > 0 && RobotAgent().IsMatch(agent);

    private DateOnly Today => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

    /// <summary>Counts one view of the dataset page (unless the request comes from a robot).</summary>
    public async Task RecordAsync(OpenDataset dataset, HttpRequest request, CancellationToken ct = default)
    {
        if (IsRobot(request)) return;
        var day = Today;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var updated = await db.DatasetViews.Where(v => v.EntryId == dataset.EntryId && v.Day == day)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Views, v => v.Views + 1), ct);
            if (updated > 0) return;
            db.DatasetViews.Add(new DatasetViewCount { EntryId = dataset.EntryId, Day = day, DepartmentId = dataset.DepartmentId, Views = 1 });
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException)
            {
                // Another request created today's row first: count on it.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>All views of a dataset page.</summary>
    public async Task<long> TotalAsync(Guid entryId, CancellationToken ct = default) =>
        await db.DatasetViews.Where(v => v.EntryId == entryId).SumAsync(v => (long?)v.Views, ct) ?? 0;

    /// <summary>The most viewed datasets of the last <paramref name="days"/> days, most views first.</summary>
    public async Task<IReadOnlyList<(Guid EntryId, long Views)>> TopAsync(int days, int take, CancellationToken ct = default)
    {
        var since = Today.AddDays(-(days - 1));
        var rows = await db.DatasetViews.Where(v => v.Day >= since).GroupBy(v => v.EntryId)
            .Select(g => new { EntryId = g.Key, Views = g.Sum(v => v.Views) })
            .OrderByDescending(x => x.Views).ThenBy(x => x.EntryId).Take(take).ToListAsync(ct);
        return rows.Select(r => (r.EntryId, r.Views)).ToList();
    }
}
