namespace GovData.Exchange.Features.Sharing;

/// <summary>
/// A rule of the sharing workflow refused an action. With <see cref="Field"/> it is bad input (HTTP 400 naming the
/// field), otherwise the object's state does not allow the action (HTTP 409). Messages are Chinese.
/// </summary>
internal sealed class SharingException : Exception
{
    public SharingException(string message, string? field = null) : base(message)
    {
        Field = field;
        Errors = field is null ? null : new Dictionary<string, string[]> { [field] = [message] };
    }

    /// <summary>Several fields at fault at once (400).</summary>
    public SharingException(Dictionary<string, string[]> errors) : base(string.Join("；", errors.Select(e => e.Value[0])))
    {
        Field = errors.Keys.First();
        Errors = errors;
    }

    /// <summary>The (first) input field at fault (camelCase API name), or null for a state conflict.</summary>
    public string? Field { get; }

    /// <summary>Every field at fault with its messages, or null for a state conflict.</summary>
    public Dictionary<string, string[]>? Errors { get; }
}

/// <summary>Who performed a transition, as recorded in the event rows and the audit log.</summary>
/// <param name="UserId">The user, null for the system (deadline job, automatic compliance).</param>
/// <param name="Name">Display name (姓名), or the system's description.</param>
/// <param name="DepartmentId">The user's department.</param>
internal sealed record Actor(Guid? UserId, string Name, Guid? DepartmentId)
{
    /// <summary>The platform itself acting (no user).</summary>
    public static Actor System(string name) => new(null, name, null);
}

/// <summary>
/// Deadlines of the workflow: a phase that starts on a local date ends <c>N</c> working days later at midnight
/// (sharing time zone), e.g. compliance 2 working days, provider decision 10.
/// </summary>
internal sealed class DeadlinePolicy(WorkingDayCalendar calendar, SharingClock clock, int complianceWorkingDays, int providerWorkingDays)
{
    public WorkingDayCalendar Calendar => calendar;
    public SharingClock Clock => clock;
    public int ComplianceWorkingDays => complianceWorkingDays;
    public int ProviderWorkingDays => providerWorkingDays;

    /// <summary>The due date of a phase of <paramref name="workingDays"/> that starts at <paramref name="startUtc"/>.</summary>
    public (DateOnly On, DateTime At) Due(DateTime startUtc, int workingDays)
    {
        var on = calendar.AddWorkingDays(clock.LocalDate(startUtc), workingDays);
        return (on, clock.EndOfDayUtc(on));
    }

    /// <summary>A due date given as a local day (coordination).</summary>
    public (DateOnly On, DateTime At) DueOn(DateOnly day) => (day, clock.EndOfDayUtc(day));
}
