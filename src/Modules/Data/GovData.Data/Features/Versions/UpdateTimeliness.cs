using GovData.Catalog.Contracts;

namespace GovData.Data.Features.Versions;

/// <summary>更新及时性 of a resource's data.</summary>
internal enum TimelinessStatus
{
    /// <summary>未加载: no current version.</summary>
    NotLoaded = 0,
    /// <summary>按时: loaded within the entry's 更新周期 (or the cycle has no deadline).</summary>
    OnTime = 1,
    /// <summary>逾期: the due date passed without a new load.</summary>
    Overdue = 2,
}

/// <summary>Outcome: status, the due date (UTC; null when there is none) and a Chinese explanation.</summary>
internal sealed record Timeliness(TimelinessStatus Status, DateTime? DueAt, string Description)
{
    /// <summary>按时 / 逾期 / 未加载.</summary>
    public string Label => UpdateTimeliness.Label(Status);
}

/// <summary>
/// Update timeliness from the load time of the current version and the entry's 更新周期: the data is due again one cycle
/// after it was loaded — 实时 and 每日 one day, 每周 7 days, 每旬 10 days, 每月/每季度/每半年/每年 1/3/6/12 calendar months
/// (the same day of the month, or the month's last day). Until then it is 按时, afterwards 逾期. 不定期 and 其他 have no
/// deadline (按时 with no due date); without a current version it is 未加载. No grace period: the due date is the deadline.
/// </summary>
internal static class UpdateTimeliness
{
    /// <summary>The due date of data loaded at <paramref name="loadedAtUtc"/>, or null when the cycle has no deadline.</summary>
    public static DateTime? DueAt(UpdateCycle? cycle, DateTime loadedAtUtc) => cycle switch
    {
        UpdateCycle.Realtime or UpdateCycle.Daily => loadedAtUtc.AddDays(1),
        UpdateCycle.Weekly => loadedAtUtc.AddDays(7),
        UpdateCycle.TenDays => loadedAtUtc.AddDays(10),
        UpdateCycle.Monthly => loadedAtUtc.AddMonths(1),
        UpdateCycle.Quarterly => loadedAtUtc.AddMonths(3),
        UpdateCycle.HalfYearly => loadedAtUtc.AddMonths(6),
        UpdateCycle.Yearly => loadedAtUtc.AddYears(1),
        _ => null,
    };

    /// <summary>Evaluates the timeliness at <paramref name="nowUtc"/>.</summary>
    public static Timeliness Evaluate(UpdateCycle? cycle, DateTime? loadedAtUtc, DateTime nowUtc)
    {
        if (loadedAtUtc is not { } loaded) return new Timeliness(TimelinessStatus.NotLoaded, null, "尚未加载数据");
        var cycleName = cycle is { } c ? CatalogTerms.Label(c) : "未填写";
        if (DueAt(cycle, loaded) is not { } due)
            return new Timeliness(TimelinessStatus.OnTime, null, $"更新周期为“{cycleName}”，无固定更新期限");
        return nowUtc <= due
            ? new Timeliness(TimelinessStatus.OnTime, due, $"更新周期“{cycleName}”，应于 {Local(due)} 前再次更新")
            : new Timeliness(TimelinessStatus.Overdue, due, $"更新周期“{cycleName}”，应于 {Local(due)} 前更新，已逾期 {Overdue(nowUtc - due)}");
    }

    /// <summary>按时 / 逾期 / 未加载.</summary>
    public static string Label(TimelinessStatus status) => status switch
    {
        TimelinessStatus.OnTime => "按时",
        TimelinessStatus.Overdue => "逾期",
        _ => "未加载",
    };

    private static string Local(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm 'UTC'");

    private static string Overdue(TimeSpan span) => span.TotalDays >= 1 ? $"{Math.Floor(span.TotalDays):0} 天" : $"{Math.Max(1, Math.Floor(span.TotalHours)):0} 小时";
}
