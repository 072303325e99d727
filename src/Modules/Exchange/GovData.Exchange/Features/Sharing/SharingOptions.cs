namespace GovData.Exchange.Features.Sharing;

/// <summary>Configuration section <c>GovData:Exchange</c>: deadlines and defaults of sharing requests and grants.</summary>
internal sealed class SharingOptions
{
    public const string Section = "GovData:Exchange";

    /// <summary>
    /// 无条件共享 resources pass the compliance check automatically on submission (default true). When false, the
    /// competent department checks them like the others (within <see cref="ComplianceWorkingDays"/>).
    /// </summary>
    public bool AutoPassUnconditional { get; set; } = true;

    /// <summary>Working days the competent department has for the compliance check (default 2).</summary>
    public int ComplianceWorkingDays { get; set; } = 2;

    /// <summary>Working days the providing department has for its decision (default 10, 国发〔2016〕51号).</summary>
    public int ProviderWorkingDays { get; set; } = 10;

    /// <summary>Longest term of a grant or renewal, in days (default 365).</summary>
    public int MaxGrantDays { get; set; } = 365;

    /// <summary>Daily quota of a grant when the provider sets none (default 10,000).</summary>
    public long DefaultDailyQuota { get; set; } = 10_000;

    /// <summary>Unit of the default quota: rows or calls (default rows).</summary>
    public string DefaultQuotaUnit { get; set; } = "rows";

    /// <summary>Calls per minute of a grant when the provider sets none (default 60).</summary>
    public int DefaultRateLimitPerMinute { get; set; } = 60;

    /// <summary>
    /// Time zone of working days and due dates (IANA id, default Asia/Shanghai): a deadline ends at midnight of its
    /// last working day in this zone.
    /// </summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Working days the providing department has to verify a data dispute (数据异议) and answer it (default 5).</summary>
    public int DisputeWorkingDays { get; set; } = 5;

    /// <summary>How often the deadline job looks for overdue requests and expired grants, in minutes (default 10).</summary>
    public double DeadlineCheckMinutes { get; set; } = 10;
}
