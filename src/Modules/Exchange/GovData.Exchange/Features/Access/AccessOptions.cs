namespace GovData.Exchange.Features.Access;

/// <summary>
/// Settings of governed access, section <c>GovData:Exchange:Access</c> (e.g. <c>GovData__Exchange__Access__MaxVerifyBatch=500</c>).
/// </summary>
internal sealed class AccessOptions
{
    public const string Section = "GovData:Exchange:Access";

    /// <summary>How far <c>X-GovData-Timestamp</c> may be from the server's clock, in seconds (both ways). Default 300.</summary>
    public int TimestampToleranceSeconds { get; set; } = 300;

    /// <summary>Most questions in one batch 核验 call. Default 100.</summary>
    public int MaxVerifyBatch { get; set; } = 100;

    /// <summary>Largest request body accepted by the access endpoints, in bytes. Default 1 MiB.</summary>
    public int MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>After a secret rotation, how long the previous secret stays valid, in minutes (0 = not at all). Default 0.</summary>
    public int RotationGraceMinutes { get; set; }

    /// <summary>Most applications (active or revoked) per department. Default 50.</summary>
    public int MaxAppsPerDepartment { get; set; } = 50;

    /// <summary>
    /// Time zone of the daily quota's days (IANA id). Taken from <c>GovData:Exchange:TimeZone</c>, the zone of the sharing
    /// deadlines (default Asia/Shanghai), so a grant's day is the same everywhere in the module.
    /// </summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>The zone of <see cref="TimeZone"/>; China Standard Time (UTC+8) when the id is unknown on this system.</summary>
    public TimeZoneInfo Zone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("China Standard Time", TimeSpan.FromHours(8), "中国标准时间", "中国标准时间");
        }
    }
}
