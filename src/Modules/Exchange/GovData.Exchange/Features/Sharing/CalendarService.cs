using System.Globalization;
using GovData.Exchange.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Sharing;

/// <summary>One calendar exception as the API shows it.</summary>
internal sealed record CalendarDayDto(DateOnly Day, string Weekday, string Kind, string KindLabel, string Name, string UpdatedByName, DateTime UpdatedAt);

/// <summary>One day of a range with whether people work.</summary>
internal sealed record CalendarRangeDayDto(DateOnly Day, string Weekday, bool Working, string? Name);

/// <summary>A range of the working-day calendar.</summary>
internal sealed record CalendarRangeDto(DateOnly From, DateOnly To, int WorkingDays, IReadOnlyList<CalendarRangeDayDto> Days);

/// <summary>Body of <c>PUT /calendar/days/{day}</c>.</summary>
internal sealed record CalendarDayInput(string? Kind, string? Name);

/// <summary>
/// The working-day calendar (<c>exchange_calendar_days</c>): 节假日 and 调休 rows entered by platform administrators, and the
/// deadline policy built from it. Due dates are fixed when a phase starts; later calendar changes do not move them
/// (the competent department can, by coordination).
/// </summary>
internal sealed class CalendarService(ExchangeDb db, SharingClock clock, IOptions<SharingOptions> options)
{
    /// <summary>Longest range <see cref="RangeAsync"/> answers.</summary>
    public const int MaxRangeDays = 366;

    /// <summary>The calendar with every stored exception (a few dozen rows a year).</summary>
    public async Task<WorkingDayCalendar> LoadAsync(CancellationToken ct) =>
        WorkingDayCalendar.From(await db.CalendarDays().AsNoTracking().ToListAsync(ct));

    /// <summary>The deadline policy from the calendar and the configured limits.</summary>
    public async Task<DeadlinePolicy> DeadlinesAsync(CancellationToken ct)
    {
        var o = options.Value;
        return new DeadlinePolicy(await LoadAsync(ct), clock, Math.Max(0, o.ComplianceWorkingDays), Math.Max(0, o.ProviderWorkingDays));
    }

    /// <summary>Exceptions in a range (default: the current year).</summary>
    public async Task<SharingResult<IReadOnlyList<CalendarDayDto>>> ListAsync(string? from, string? to, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var today = clock.Today;
        var start = ParseDay(from, "from", errors) ?? new DateOnly(today.Year, 1, 1);
        var end = ParseDay(to, "to", errors) ?? new DateOnly(today.Year, 12, 31);
        if (!errors.Any && end < start) errors.Add("to", "to 不能早于 from");
        if (errors.Any) return SharingResult<IReadOnlyList<CalendarDayDto>>.Invalid(errors.Errors);
        var rows = await db.CalendarDays().AsNoTracking().Where(d => d.Day >= start && d.Day <= end).OrderBy(d => d.Day).ToListAsync(ct);
        return SharingResult<IReadOnlyList<CalendarDayDto>>.Success(rows.Select(ToDto).ToList());
    }

    /// <summary>Every day of a range with whether it is a working day, and the count of working days in it.</summary>
    public async Task<SharingResult<CalendarRangeDto>> RangeAsync(string? from, string? to, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var start = ParseDay(from, "from", errors);
        var end = ParseDay(to, "to", errors);
        if (from is null) errors.Add("from", "from 不能为空（日期，格式 yyyy-MM-dd）");
        if (to is null) errors.Add("to", "to 不能为空（日期，格式 yyyy-MM-dd）");
        if (start is { } s && end is { } e)
        {
            if (e < s) errors.Add("to", "to 不能早于 from");
            else if (e.DayNumber - s.DayNumber + 1 > MaxRangeDays) errors.Add("to", $"一次最多查询 {MaxRangeDays} 天");
        }
        if (errors.Any) return SharingResult<CalendarRangeDto>.Invalid(errors.Errors);
        var calendar = await LoadAsync(ct);
        var names = await db.CalendarDays().AsNoTracking().Where(d => d.Day >= start!.Value && d.Day <= end!.Value)
            .ToDictionaryAsync(d => d.Day, d => d.Name, ct);
        var days = new List<CalendarRangeDayDto>();
        for (var day = start!.Value; day <= end!.Value; day = day.AddDays(1))
            days.Add(new CalendarRangeDayDto(day, Weekday(day), calendar.IsWorkingDay(day), names.GetValueOrDefault(day)));
        return SharingResult<CalendarRangeDto>.Success(new CalendarRangeDto(start.Value, end.Value, days.Count(d => d.Working), days));
    }

    /// <summary>Adds or replaces the exception of a day (platform administrators).</summary>
    public async Task<SharingResult<CalendarDayDto>> PutAsync(SharingActor actor, string dayText, CalendarDayInput? input, CancellationToken ct)
    {
        if (!actor.IsPlatformAdmin) return SharingResult<CalendarDayDto>.Deny("只有平台管理员可以维护工作日历");
        var errors = new FieldErrors();
        var day = ParseDay(dayText, "day", errors);
        CalendarDayKind kind = default;
        if (input is null) errors.Add("body", "请求体不能为空：请提交 kind（holiday 节假日 / workday 调休上班）与 name（名称）");
        else
        {
            switch (input.Kind?.Trim().ToLowerInvariant())
            {
                case "holiday" or "节假日": kind = CalendarDayKind.Holiday; break;
                case "workday" or "调休" or "调休上班": kind = CalendarDayKind.Workday; break;
                case null or "": errors.Add("kind", "kind 不能为空：holiday（节假日，休息）或 workday（调休，上班）"); break;
                default: errors.Add("kind", $"kind 只能是 holiday（节假日，休息）或 workday（调休，上班），收到“{input.Kind}”"); break;
            }
            var name = input.Name?.Trim();
            if (string.IsNullOrEmpty(name)) errors.Add("name", "name 不能为空（如 国庆节、国庆节调休）");
            else if (name.Length > 50) errors.Add("name", "name 不能超过50个字");
        }
        if (!errors.Any && day is { } d)
        {
            var weekend = d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            if (kind == CalendarDayKind.Workday && !weekend)
                errors.Add("kind", $"{d:yyyy-MM-dd}（{Weekday(d)}）本来就是工作日，调休上班只能设在周六或周日");
        }
        if (errors.Any) return SharingResult<CalendarDayDto>.Invalid(errors.Errors);

        var row = await db.CalendarDays().FirstOrDefaultAsync(x => x.Day == day!.Value, ct);
        if (row is null)
        {
            row = new CalendarDay { Day = day!.Value, Name = "", UpdatedByName = "" };
            db.CalendarDays().Add(row);
        }
        row.Kind = kind;
        row.Name = input!.Name!.Trim();
        row.UpdatedBy = actor.UserId;
        row.UpdatedByName = actor.Name;
        row.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(ct);
        return SharingResult<CalendarDayDto>.Success(ToDto(row));
    }

    /// <summary>Removes the exception of a day (it follows the weekly pattern again).</summary>
    public async Task<SharingResult<bool>> DeleteAsync(SharingActor actor, string dayText, CancellationToken ct)
    {
        if (!actor.IsPlatformAdmin) return SharingResult<bool>.Deny("只有平台管理员可以维护工作日历");
        var errors = new FieldErrors();
        var day = ParseDay(dayText, "day", errors);
        if (errors.Any) return SharingResult<bool>.Invalid(errors.Errors);
        var row = await db.CalendarDays().FirstOrDefaultAsync(x => x.Day == day!.Value, ct);
        if (row is null) return SharingResult<bool>.Missing();
        db.CalendarDays().Remove(row);
        await db.SaveChangesAsync(ct);
        return SharingResult<bool>.Success(true);
    }

    /// <summary>Parses yyyy-MM-dd; null input gives null without an error.</summary>
    public static DateOnly? ParseDay(string? text, string field, FieldErrors errors)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        errors.Add(field, $"{field} 必须是日期，格式 yyyy-MM-dd（如 2026-10-01），收到“{text}”");
        return null;
    }

    /// <summary>星期一 … 星期日.</summary>
    public static string Weekday(DateOnly day) => day.DayOfWeek switch
    {
        DayOfWeek.Monday => "星期一",
        DayOfWeek.Tuesday => "星期二",
        DayOfWeek.Wednesday => "星期三",
        DayOfWeek.Thursday => "星期四",
        DayOfWeek.Friday => "星期五",
        DayOfWeek.Saturday => "星期六",
        _ => "星期日",
    };

    private static CalendarDayDto ToDto(CalendarDay d) =>
        new(d.Day, Weekday(d.Day), CalendarDay.Code(d.Kind), CalendarDay.Label(d.Kind), d.Name, d.UpdatedByName, d.UpdatedAt);
}
