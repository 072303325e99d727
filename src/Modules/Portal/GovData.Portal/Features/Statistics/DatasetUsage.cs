using GovData.Catalog.Contracts;
using GovData.Portal.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Statistics;

/// <summary>
/// API calls and downloads per dataset, day and kind (<see cref="UsageKinds"/>), counted on the server once per request
/// that delivered data (table <c>portal_dataset_usage</c>). Robots are not counted: a user agent of a crawler, link
/// preview, headless browser or audit tool; for downloads from the dataset page also a request without a user agent (as
/// for page views), whereas programs calling the API often send none and are counted.
/// </summary>
internal sealed class DatasetUsage(PortalDb db, TimeProvider time)
{
    private DateOnly Today => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

    /// <summary>True when the request must not be counted.</summary>
    public static bool IsRobot(HttpRequest request, bool program)
    {
        var agent = request.Headers.UserAgent.ToString();
        return agent.Length == 0 ? !program : DatasetViews.IsRobotAgent(agent);
    }

    /// <summary>Counts one use of <paramref name="kind"/> (unless the request comes from a robot).</summary>
    public async Task RecordAsync(OpenDataset dataset, string kind, HttpRequest request, bool program, CancellationToken ct = default)
    {
        if (IsRobot(request, program)) return;
        var day = Today;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var updated = await db.DatasetUsage.Where(v => v.EntryId == dataset.EntryId && v.Day == day && v.Kind == kind)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Count, v => v.Count + 1), ct);
            if (updated > 0) return;
            db.DatasetUsage.Add(new DatasetUsageCount { EntryId = dataset.EntryId, Day = day, Kind = kind, DepartmentId = dataset.DepartmentId, Count = 1 });
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException)
            {
                // Another request (or host) created today's row first: count on it.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>All uses of a dataset by kind (every kind of <see cref="UsageKinds"/> present, 0 when none).</summary>
    public async Task<IReadOnlyDictionary<string, long>> TotalsAsync(Guid entryId, CancellationToken ct = default)
    {
        var rows = await db.DatasetUsage.Where(v => v.EntryId == entryId).GroupBy(v => v.Kind)
            .Select(g => new { Kind = g.Key, Count = g.Sum(v => v.Count) }).ToListAsync(ct);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal) { [UsageKinds.Api] = 0 };
        foreach (var format in UsageKinds.Downloads) totals[format] = 0;
        foreach (var r in rows) totals[r.Kind] = r.Count;
        return totals;
    }
}
