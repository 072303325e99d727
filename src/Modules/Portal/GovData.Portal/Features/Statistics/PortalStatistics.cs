using System.Globalization;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovData.Portal.Features.Statistics;

/// <summary>A period of whole days (server's local dates), both ends included.</summary>
internal sealed record StatisticsRange(DateOnly From, DateOnly To)
{
    /// <summary>Days of the period shown when none is asked for.</summary>
    public const int DefaultDays = 30;

    /// <summary>Longest period one request may cover.</summary>
    public const int MaxDays = 366;

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The last <paramref name="days"/> days up to <paramref name="today"/>.</summary>
    public static StatisticsRange Last(int days, DateOnly today) => new(today.AddDays(-(days - 1)), today);

    /// <summary>
    /// Reads <c>from</c> and <c>to</c> (<c>yyyy-MM-dd</c>, both optional: <c>to</c> defaults to today, <c>from</c> to 29 days
    /// before <c>to</c>). Errors are keyed by the parameter and explained in Chinese; <see cref="Range"/> is then what the
    /// page shows instead (the default period, or the asked one cut to <see cref="MaxDays"/> days).
    /// </summary>
    public static (StatisticsRange Range, IReadOnlyDictionary<string, string> Errors) Parse(string? from, string? to, DateOnly today)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        DateOnly? Read(string key, string label, string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
            errors[key] = $"{label}“{Shorten(text)}”不是有效日期，请按 年-月-日 填写，如 {today:yyyy-MM-dd}";
            return null;
        }
        var end = Read("to", "结束日期", to) ?? today;
        var start = Read("from", "开始日期", from) ?? end.AddDays(-(DefaultDays - 1));
        if (errors.Count > 0) return (Last(DefaultDays, today), errors);
        if (start > end)
        {
            errors["from"] = $"开始日期 {start:yyyy-MM-dd} 晚于结束日期 {end:yyyy-MM-dd}";
            return (Last(DefaultDays, today), errors);
        }
        var range = new StatisticsRange(start, end);
        if (range.Days > MaxDays)
        {
            errors["from"] = $"日期范围最长 {MaxDays} 天（所选为 {range.Days} 天），已改为结束日期前的 {MaxDays} 天";
            return (new StatisticsRange(end.AddDays(-(MaxDays - 1)), end), errors);
        }
        return (range, errors);
    }

    private static string Shorten(string text) => text.Length > 20 ? text[..20] + "…" : text;
}

/// <summary>Use of one day, a dataset or a department: page views, file downloads (all formats) and API calls.</summary>
internal sealed record UsageFigures(long Views, long Downloads, long Calls)
{
    public static readonly UsageFigures Zero = new(0, 0, 0);

    public long Total => Views + Downloads + Calls;

    public UsageFigures Add(UsageFigures o) => new(Views + o.Views, Downloads + o.Downloads, Calls + o.Calls);
}

internal sealed record DailyUsage(DateOnly Day, UsageFigures Figures);

/// <summary>A dataset's use; <see cref="Dataset"/> is null when the dataset is no longer in the open catalog (its name is then not shown).</summary>
internal sealed record DatasetUsageRow(Guid EntryId, OpenDataset? Dataset, UsageFigures Figures);

internal sealed record DepartmentUsageRow(Guid DepartmentId, DepartmentInfo? Department, UsageFigures Figures);

internal sealed record FormatUsage(string Format, long Downloads);

/// <summary>The statistics of a period: totals, every day, the most used datasets, every department, every download format.</summary>
internal sealed record StatisticsReport(
    StatisticsRange Range, UsageFigures Totals, IReadOnlyList<DailyUsage> Daily, IReadOnlyList<DatasetUsageRow> TopDatasets,
    int DatasetsUsed, IReadOnlyList<DepartmentUsageRow> Departments, IReadOnlyList<FormatUsage> Formats);

/// <summary>A dataset's use over a period, day by day.</summary>
internal sealed record DatasetTrend(StatisticsRange Range, UsageFigures Totals, IReadOnlyList<DailyUsage> Daily);

/// <summary>
/// 访问统计: the counts recorded by <see cref="DatasetViews"/> (<c>portal_dataset_views</c>) and <see cref="DatasetUsage"/>
/// (<c>portal_dataset_usage</c>) summed in the database (GROUP BY day, dataset, department, kind — one statement each, on
/// both engines); robots were never counted. Datasets are named through <see cref="IOpenCatalog"/>, departments through
/// <see cref="IDepartmentDirectory"/>.
/// </summary>
internal sealed class PortalStatistics(PortalDb db, IOpenCatalog catalog, IDepartmentDirectory departments, TimeProvider time)
{
    /// <summary>Datasets listed in <see cref="StatisticsReport.TopDatasets"/>.</summary>
    public const int TopCount = 20;

    public DateOnly Today => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

    private IQueryable<DatasetViewCount> Views(StatisticsRange r) => db.DatasetViews.Where(v => v.Day >= r.From && v.Day <= r.To);

    private IQueryable<DatasetUsageCount> Usage(StatisticsRange r) => db.DatasetUsage.Where(v => v.Day >= r.From && v.Day <= r.To);

    public async Task<StatisticsReport> ReportAsync(StatisticsRange range, CancellationToken ct = default)
    {
        // Per day.
        var viewDays = await Views(range).GroupBy(v => v.Day).Select(g => new { Day = g.Key, Views = g.Sum(v => v.Views) }).ToListAsync(ct);
        var useDays = await Usage(range).GroupBy(v => v.Day)
            .Select(g => new { Day = g.Key, Calls = g.Sum(v => v.Kind == UsageKinds.Api ? v.Count : 0), Downloads = g.Sum(v => v.Kind != UsageKinds.Api ? v.Count : 0) })
            .ToListAsync(ct);
        var byDay = new Dictionary<DateOnly, UsageFigures>();
        foreach (var v in viewDays) byDay[v.Day] = new UsageFigures(v.Views, 0, 0);
        foreach (var u in useDays) byDay[u.Day] = byDay.GetValueOrDefault(u.Day, UsageFigures.Zero).Add(new UsageFigures(0, u.Downloads, u.Calls));
        var daily = Enumerable.Range(0, range.Days).Select(i => range.From.AddDays(i))
            .Select(d => new DailyUsage(d, byDay.GetValueOrDefault(d, UsageFigures.Zero))).ToList();
        var totals = daily.Aggregate(UsageFigures.Zero, (a, d) => a.Add(d.Figures));

        // Per dataset.
        var viewEntries = await Views(range).GroupBy(v => v.EntryId).Select(g => new { Id = g.Key, Views = g.Sum(v => v.Views) }).ToListAsync(ct);
        var useEntries = await Usage(range).GroupBy(v => v.EntryId)
            .Select(g => new { Id = g.Key, Calls = g.Sum(v => v.Kind == UsageKinds.Api ? v.Count : 0), Downloads = g.Sum(v => v.Kind != UsageKinds.Api ? v.Count : 0) })
            .ToListAsync(ct);
        var byEntry = new Dictionary<Guid, UsageFigures>();
        foreach (var v in viewEntries) byEntry[v.Id] = new UsageFigures(v.Views, 0, 0);
        foreach (var u in useEntries) byEntry[u.Id] = byEntry.GetValueOrDefault(u.Id, UsageFigures.Zero).Add(new UsageFigures(0, u.Downloads, u.Calls));
        var top = byEntry.OrderByDescending(e => e.Value.Downloads + e.Value.Calls).ThenByDescending(e => e.Value.Views).ThenBy(e => e.Key)
            .Take(TopCount).ToList();
        var named = (await catalog.GetAsync(top.Select(t => t.Key).ToList(), ct)).ToDictionary(d => d.EntryId);
        var topRows = top.Select(t => new DatasetUsageRow(t.Key, named.GetValueOrDefault(t.Key), t.Value)).ToList();

        // Per department.
        var viewDepts = await Views(range).GroupBy(v => v.DepartmentId).Select(g => new { Id = g.Key, Views = g.Sum(v => v.Views) }).ToListAsync(ct);
        var useDepts = await Usage(range).GroupBy(v => v.DepartmentId)
            .Select(g => new { Id = g.Key, Calls = g.Sum(v => v.Kind == UsageKinds.Api ? v.Count : 0), Downloads = g.Sum(v => v.Kind != UsageKinds.Api ? v.Count : 0) })
            .ToListAsync(ct);
        var byDept = new Dictionary<Guid, UsageFigures>();
        foreach (var v in viewDepts) byDept[v.Id] = new UsageFigures(v.Views, 0, 0);
        foreach (var u in useDepts) byDept[u.Id] = byDept.GetValueOrDefault(u.Id, UsageFigures.Zero).Add(new UsageFigures(0, u.Downloads, u.Calls));
        var directory = (await departments.ListAsync(ct)).ToDictionary(d => d.Id);
        var deptRows = byDept.Select(e => new DepartmentUsageRow(e.Key, directory.GetValueOrDefault(e.Key), e.Value))
            .OrderByDescending(d => d.Figures.Downloads + d.Figures.Calls).ThenByDescending(d => d.Figures.Views)
            .ThenBy(d => d.Department?.SortOrder ?? int.MaxValue).ThenBy(d => d.DepartmentId).ToList();

        // Per download format.
        var kinds = await Usage(range).Where(v => v.Kind != UsageKinds.Api).GroupBy(v => v.Kind)
            .Select(g => new { Kind = g.Key, Count = g.Sum(v => v.Count) }).ToListAsync(ct);
        var formats = UsageKinds.Downloads.Select(f => new FormatUsage(f, kinds.Where(k => k.Kind == f).Sum(k => k.Count))).ToList();

        return new StatisticsReport(range, totals, daily, topRows, byEntry.Count, deptRows, formats);
    }

    /// <summary>One dataset's views, downloads and calls per day of the last <paramref name="days"/> days.</summary>
    public async Task<DatasetTrend> DatasetTrendAsync(Guid entryId, int days = StatisticsRange.DefaultDays, CancellationToken ct = default)
    {
        var range = StatisticsRange.Last(days, Today);
        var views = await Views(range).Where(v => v.EntryId == entryId).GroupBy(v => v.Day)
            .Select(g => new { Day = g.Key, Views = g.Sum(v => v.Views) }).ToListAsync(ct);
        var uses = await Usage(range).Where(v => v.EntryId == entryId).GroupBy(v => v.Day)
            .Select(g => new { Day = g.Key, Calls = g.Sum(v => v.Kind == UsageKinds.Api ? v.Count : 0), Downloads = g.Sum(v => v.Kind != UsageKinds.Api ? v.Count : 0) })
            .ToListAsync(ct);
        var byDay = new Dictionary<DateOnly, UsageFigures>();
        foreach (var v in views) byDay[v.Day] = new UsageFigures(v.Views, 0, 0);
        foreach (var u in uses) byDay[u.Day] = byDay.GetValueOrDefault(u.Day, UsageFigures.Zero).Add(new UsageFigures(0, u.Downloads, u.Calls));
        var daily = Enumerable.Range(0, range.Days).Select(i => range.From.AddDays(i))
            .Select(d => new DailyUsage(d, byDay.GetValueOrDefault(d, UsageFigures.Zero))).ToList();
        return new DatasetTrend(range, daily.Aggregate(UsageFigures.Zero, (a, d) => a.Add(d.Figures)), daily);
    }

    /// <summary>All downloads and all API calls ever counted (the home page's totals).</summary>
    public async Task<(long Downloads, long Calls)> AllTimeAsync(CancellationToken ct = default)
    {
        var calls = await db.DatasetUsage.Where(v => v.Kind == UsageKinds.Api).SumAsync(v => (long?)v.Count, ct) ?? 0;
        var downloads = await db.DatasetUsage.Where(v => v.Kind != UsageKinds.Api).SumAsync(v => (long?)v.Count, ct) ?? 0;
        return (downloads, calls);
    }

    /// <summary>All downloads ever counted per dataset (the search's “下载最多” order); datasets never downloaded are absent.</summary>
    public async Task<IReadOnlyDictionary<Guid, long>> DownloadsByDatasetAsync(CancellationToken ct = default) =>
        await db.DatasetUsage.Where(v => v.Kind != UsageKinds.Api).GroupBy(v => v.EntryId)
            .Select(g => new { Id = g.Key, Count = g.Sum(v => v.Count) }).ToDictionaryAsync(x => x.Id, x => x.Count, ct);

    /// <summary>The datasets most used (downloads + API calls) in the last <paramref name="days"/> days that are still open.</summary>
    public async Task<IReadOnlyList<(OpenDataset Dataset, long Uses)>> MostUsedAsync(int days, int take, CancellationToken ct = default)
    {
        var range = StatisticsRange.Last(days, Today);
        var rows = await Usage(range).GroupBy(v => v.EntryId).Select(g => new { Id = g.Key, Uses = g.Sum(v => v.Count) })
            .OrderByDescending(x => x.Uses).ThenBy(x => x.Id).Take(take * 2).ToListAsync(ct);
        var open = (await catalog.GetAsync(rows.Select(r => r.Id).ToList(), ct)).ToDictionary(d => d.EntryId);
        return rows.Where(r => open.ContainsKey(r.Id)).Take(take).Select(r => (open[r.Id], r.Uses)).ToList();
    }
}
