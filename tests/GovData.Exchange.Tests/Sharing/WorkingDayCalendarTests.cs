using GovData.Exchange.Features.Sharing;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Tests.Sharing;

/// <summary>Working-day arithmetic: weekends off, holiday rows off, 调休 rows on, and due dates in the sharing time zone.</summary>
public sealed class WorkingDayCalendarTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An invented 国庆 week for the tests (no official list is built in): 10-01…10-07 off, Sunday 09-27 and Saturday 10-10 worked.</summary>
    private static readonly WorkingDayCalendar National = new(
        Enumerable.Range(1, 7).Select(d => (new DateOnly(2026, 10, d), CalendarDayKind.Holiday))
            .Append((D("2026-09-27"), CalendarDayKind.Workday))
            .Append((D("2026-10-10"), CalendarDayKind.Workday)));

    [Fact]
    public void The_test_dates_fall_on_the_weekdays_the_cases_assume()
    {
        D("2026-09-25").DayOfWeek.ShouldBe(DayOfWeek.Friday);
        D("2026-09-27").DayOfWeek.ShouldBe(DayOfWeek.Sunday);
        D("2026-10-01").DayOfWeek.ShouldBe(DayOfWeek.Thursday);
        D("2026-10-10").DayOfWeek.ShouldBe(DayOfWeek.Saturday);
    }

    [Theory]
    [InlineData("2026-09-25", true)]   // Friday
    [InlineData("2026-09-26", false)]  // Saturday
    [InlineData("2026-09-27", true)]   // Sunday, 调休
    [InlineData("2026-09-28", true)]   // Monday
    [InlineData("2026-10-01", false)]  // holiday (Thursday)
    [InlineData("2026-10-05", false)]  // holiday (Monday)
    [InlineData("2026-10-08", true)]   // Thursday after the holidays
    [InlineData("2026-10-10", true)]   // Saturday, 调休
    [InlineData("2026-10-11", false)]  // Sunday
    public void Weekends_are_off_holidays_are_off_and_adjusted_weekend_days_are_worked(string day, bool working)
    {
        National.IsWorkingDay(D(day)).ShouldBe(working);
    }

    [Theory]
    [InlineData("2026-09-25", 1, "2026-09-27")]  // Friday + 1 → the 调休 Sunday
    [InlineData("2026-09-29", 2, "2026-10-08")]  // the holiday week is skipped
    [InlineData("2026-09-30", 10, "2026-10-20")] // includes the 调休 Saturday 10-10
    [InlineData("2026-10-03", 1, "2026-10-08")]  // starting on a holiday
    [InlineData("2026-10-08", 0, "2026-10-08")]
    [InlineData("2026-10-08", -1, "2026-09-30")]
    [InlineData("2026-09-28", -1, "2026-09-27")]
    public void Adding_working_days_skips_what_is_off(string start, int days, string expected)
    {
        National.AddWorkingDays(D(start), days).ShouldBe(D(expected));
    }

    [Theory]
    [InlineData("2026-09-30", 10, "2026-10-14")]
    [InlineData("2026-09-25", 2, "2026-09-29")]  // Friday + 2 → Tuesday
    [InlineData("2026-09-26", 1, "2026-09-28")]  // Saturday + 1 → Monday
    public void Without_calendar_rows_only_weekends_are_off(string start, int days, string expected)
    {
        WorkingDayCalendar.WeekdaysOnly.AddWorkingDays(D(start), days).ShouldBe(D(expected));
    }

    [Fact]
    public void Working_days_between_counts_after_the_start_up_to_and_including_the_end()
    {
        National.WorkingDaysBetween(D("2026-09-30"), D("2026-10-20")).ShouldBe(10);
        National.WorkingDaysBetween(D("2026-10-20"), D("2026-09-30")).ShouldBe(-10);
        National.WorkingDaysBetween(D("2026-10-01"), D("2026-10-07")).ShouldBe(0);
        National.WorkingDaysBetween(D("2026-10-08"), D("2026-10-08")).ShouldBe(0);
        National.WorkingDaysBetween(D("2026-09-25"), D("2026-09-28")).ShouldBe(2); // 调休 Sunday and Monday
        WorkingDayCalendar.WeekdaysOnly.WorkingDaysBetween(D("2026-09-25"), D("2026-09-28")).ShouldBe(1);
    }

    [Fact]
    public void Between_inverts_add_for_every_start_and_count_over_a_season()
    {
        for (var start = D("2026-09-01"); start <= D("2026-11-30"); start = start.AddDays(1))
            for (var n = 0; n <= 25; n++)
            {
                var end = National.AddWorkingDays(start, n);
                National.WorkingDaysBetween(start, end).ShouldBe(n, $"{start:yyyy-MM-dd} + {n}");
                if (n > 0) National.IsWorkingDay(end).ShouldBeTrue();
            }
    }

    [Fact]
    public void A_calendar_without_any_working_day_is_refused_instead_of_looping()
    {
        var start = D("2026-01-01");
        var allOff = new WorkingDayCalendar(Enumerable.Range(0, 4000).Select(i => (start.AddDays(i), CalendarDayKind.Holiday)));
        Should.Throw<InvalidOperationException>(() => allOff.AddWorkingDays(start, 1)).Message.ShouldContain("没有足够的工作日");
    }

    [Fact]
    public void A_deadline_ends_at_midnight_of_its_last_working_day_in_china_time()
    {
        // 16:30 UTC on 09-30 is already 00:30 on 10-01 in China: the phase starts on a holiday, so 2 working days end on 10-09.
        var time = new ManualClock(new DateTimeOffset(2026, 9, 30, 16, 30, 0, TimeSpan.Zero));
        var clock = new SharingClock(time, Options.Create(new SharingOptions()));
        var policy = new DeadlinePolicy(National, clock, 2, 10);
        clock.Today.ShouldBe(D("2026-10-01"));
        var (on, at) = policy.Due(time.GetUtcNow().UtcDateTime, policy.ComplianceWorkingDays);
        on.ShouldBe(D("2026-10-09"));
        at.ShouldBe(new DateTime(2026, 10, 9, 16, 0, 0, DateTimeKind.Utc)); // 10-10 00:00 +08:00
        policy.Due(time.GetUtcNow().UtcDateTime, policy.ProviderWorkingDays).On.ShouldBe(D("2026-10-20"));
    }

    /// <summary>A fixed clock for pure tests.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
