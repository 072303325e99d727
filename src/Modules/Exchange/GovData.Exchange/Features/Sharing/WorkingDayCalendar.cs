namespace GovData.Exchange.Features.Sharing;

/// <summary>Kind of a calendar exception.</summary>
internal enum CalendarDayKind
{
    /// <summary>节假日: a day off, even on a weekday.</summary>
    Holiday,
    /// <summary>调休上班: a working day, even on a weekend.</summary>
    Workday,
}

/// <summary>One exception to the weekly pattern (<c>exchange_calendar_days</c>), managed by platform administrators.</summary>
internal sealed class CalendarDay
{
    public DateOnly Day { get; set; }
    public CalendarDayKind Kind { get; set; }
    /// <summary>E.g. 国庆节, 国庆节调休.</summary>
    public required string Name { get; set; }
    public Guid? UpdatedBy { get; set; }
    public required string UpdatedByName { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static string Code(CalendarDayKind kind) => kind == CalendarDayKind.Holiday ? "holiday" : "workday";

    public static string Label(CalendarDayKind kind) => kind == CalendarDayKind.Holiday ? "节假日（休息）" : "调休（上班）";
}

/// <summary>
/// Working days: Monday to Friday, except days entered as 节假日; Saturdays and Sundays entered as 调休 are working days.
/// No official holiday list is built in — administrators enter each year's days.
/// </summary>
internal sealed class WorkingDayCalendar
{
    /// <summary>Longest stretch searched for a working day (a calendar of only holidays is refused, not looped over).</summary>
    private const int MaxSearchDays = 3660;

    private readonly Dictionary<DateOnly, bool> _exceptions;

    /// <summary>A calendar with these exceptions (<see cref="CalendarDayKind.Workday"/> = working).</summary>
    public WorkingDayCalendar(IEnumerable<(DateOnly Day, CalendarDayKind Kind)> exceptions)
    {
        _exceptions = new Dictionary<DateOnly, bool>();
        foreach (var (day, kind) in exceptions) _exceptions[day] = kind == CalendarDayKind.Workday;
    }

    /// <summary>The plain weekly pattern (no holidays).</summary>
    public static WorkingDayCalendar WeekdaysOnly { get; } = new([]);

    /// <summary>A calendar from the stored rows.</summary>
    public static WorkingDayCalendar From(IEnumerable<CalendarDay> days) => new(days.Select(d => (d.Day, d.Kind)));

    /// <summary>True when people work on <paramref name="day"/>.</summary>
    public bool IsWorkingDay(DateOnly day) =>
        _exceptions.TryGetValue(day, out var working) ? working : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>
    /// The <paramref name="days"/>-th working day after <paramref name="start"/> (the start day itself does not count; a
    /// request submitted on Friday with 2 working days is due on Tuesday). 0 gives <paramref name="start"/>; negative
    /// counts backwards.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        var step = days < 0 ? -1 : 1;
        var remaining = Math.Abs(days);
        var day = start;
        var searched = 0;
        while (remaining > 0)
        {
            day = day.AddDays(step);
            if (IsWorkingDay(day)) remaining--;
            else if (++searched > MaxSearchDays)
                throw new InvalidOperationException($"工作日历自 {start:yyyy-MM-dd} 起十年内没有足够的工作日，请检查节假日设置");
        }
        return day;
    }

    /// <summary>
    /// Working days after <paramref name="from"/> up to and including <paramref name="to"/> (so a due date <paramref name="to"/>
    /// is that many working days away); negative when <paramref name="to"/> lies before <paramref name="from"/>.
    /// </summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from) return -WorkingDaysBetween(to, from);
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
            if (IsWorkingDay(day)) count++;
        return count;
    }
}
