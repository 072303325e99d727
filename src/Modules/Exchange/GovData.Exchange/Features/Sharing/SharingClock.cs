using Microsoft.Extensions.Options;

namespace GovData.Exchange.Features.Sharing;

/// <summary>
/// The platform clock (<see cref="TimeProvider"/> from DI, so tests can move time) read in the sharing time zone:
/// working days and deadlines are local dates, stored instants are UTC.
/// </summary>
internal sealed class SharingClock(TimeProvider time, IOptions<SharingOptions> options)
{
    private readonly TimeZoneInfo _zone = ResolveZone(options.Value.TimeZone);

    /// <summary>The zone of local dates.</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>Now, UTC.</summary>
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    /// <summary>Today's local date.</summary>
    public DateOnly Today => LocalDate(UtcNow);

    /// <summary>The local date of a UTC instant.</summary>
    public DateOnly LocalDate(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone));

    /// <summary>The end of a local day (its following midnight), UTC: a deadline on <paramref name="day"/> passes at this instant.</summary>
    public DateTime EndOfDayUtc(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(day.AddDays(1).ToDateTime(TimeOnly.MinValue), DateTimeKind.Unspecified), _zone);

    /// <summary>A zone by IANA (or Windows) id; China Standard Time (UTC+8) when the id is unknown here.</summary>
    public static TimeZoneInfo ResolveZone(string? id)
    {
        if (!string.IsNullOrWhiteSpace(id))
        {
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (TimeZoneNotFoundException)
            {
            }
            catch (InvalidTimeZoneException)
            {
            }
        }
        return TimeZoneInfo.CreateCustomTimeZone("China Standard Time", TimeSpan.FromHours(8), "中国标准时间", "中国标准时间");
    }
}
