using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using GovData.Catalog.Contracts;
using GovData.Exchange.Features.Sharing;
using GovData.Exchange.Persistence;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;
using Microsoft.EntityFrameworkCore;

namespace GovData.Exchange.Features.Statistics;

/// <summary>A period of the statistics: local days <see cref="From"/>..<see cref="To"/> (inclusive) of <see cref="Year"/>.</summary>
internal sealed record StatisticsPeriod(int Year, DateOnly From, DateOnly To)
{
    /// <summary>First year accepted.</summary>
    public const int MinYear = 2000;

    /// <summary>
    /// Parses year (default: the current year), and optionally from / to (yyyy-MM-dd, inside the year). Errors name
    /// the parameter, in Chinese.
    /// </summary>
    public static StatisticsPeriod? Parse(string? year, string? from, string? to, DateOnly today, FieldErrors errors)
    {
        var maxYear = today.Year + 1;
        int y = today.Year;
        if (!string.IsNullOrWhiteSpace(year))
        {
            if (!int.TryParse(year.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out y) || y < MinYear || y > maxYear)
            {
                errors.Add("year", $"year 必须是 {MinYear} 至 {maxYear} 之间的四位年份（如 {today.Year}），收到“{year}”");
                return null;
            }
        }
        var start = new DateOnly(y, 1, 1);
        var end = new DateOnly(y, 12, 31);
        var f = CalendarService.ParseDay(from, "from", errors) ?? start;
        var t = CalendarService.ParseDay(to, "to", errors) ?? end;
        if (errors.Any) return null;
        if (f < start || f > end) errors.Add("from", $"from 必须在 {y} 年之内（{start:yyyy-MM-dd} 至 {end:yyyy-MM-dd}），收到“{from}”");
        if (t < start || t > end) errors.Add("to", $"to 必须在 {y} 年之内（{start:yyyy-MM-dd} 至 {end:yyyy-MM-dd}），收到“{to}”");
        if (!errors.Any && t < f) errors.Add("to", "to 不能早于 from");
        return errors.Any ? null : new StatisticsPeriod(y, f, t);
    }
}

/// <summary>Whose figures a caller may see.</summary>
internal enum StatisticsScope
{
    /// <summary>平台管理员、安全审计员: every department.</summary>
    All,
    /// <summary>主管部门的目录审核员: departments of its region and the regions below.</summary>
    Region,
    /// <summary>Other department staff: their own department only.</summary>
    Department,
}

/// <summary>The caller of the statistics and what it may see.</summary>
internal sealed record StatisticsViewer(StatisticsScope Scope, DepartmentInfo? Department)
{
    /// <summary>The view of <paramref name="user"/>, or null when it has no department (no statistics at all).</summary>
    public static async Task<StatisticsViewer?> FromAsync(ClaimsPrincipal user, IDepartmentDirectory departments, CancellationToken ct)
    {
        var department = user.GetDepartmentId() is { } id ? await departments.FindAsync(id, ct) : null;
        if (user.IsInRole(Roles.PlatformAdmin) || user.IsInRole(Roles.SecurityAuditor)) return new(StatisticsScope.All, department);
        if (department is null) return null;
        if (department.IsCompetent && user.IsInRole(Roles.CatalogReviewer)) return new(StatisticsScope.Region, department);
        return new(StatisticsScope.Department, department);
    }

    /// <summary>True when the caller may see <paramref name="d"/>'s figures.</summary>
    public bool CanSee(DepartmentInfo d, RegionDirectory regions) => Scope switch
    {
        StatisticsScope.All => true,
        StatisticsScope.Region => regions.IsWithin(d.RegionCode, Department!.RegionCode),
        _ => d.Id == Department!.Id,
    };

    /// <summary>Chinese name of the view.</summary>
    public string Name => Scope switch
    {
        StatisticsScope.All => "全部部门",
        StatisticsScope.Region => $"{Department!.Name}辖区内各部门",
        _ => Department!.Name,
    };

    public string Code => Scope switch
    {
        StatisticsScope.All => "all",
        StatisticsScope.Region => "region",
        _ => "department",
    };
}

/// <summary>
/// Computes the sharing statistics (年度共享评估, 国办发〔2017〕39号 “每年对各部门提供和使用共享信息情况进行评估”) with
/// GROUP BY aggregates in the database — on SQLite and PostgreSQL alike — and small sums in memory over the grouped rows.
/// Local days and working days come from a calendar table built for the query (a VALUES list of the period's days with
/// their UTC boundaries and the running count of working days of the module's calendar), so response times in working
/// days, and “in time” against the stored due dates, are computed by SQL joins without loading requests. Resources come
/// from the catalog contract (<see cref="ICatalogResources"/>), departments from the identity contract.
/// </summary>
internal sealed class ExchangeStatistics(
    ExchangeDb db, CalendarService calendars, SharingClock clock, ICatalogResources catalog, IDepartmentDirectory departments,
    RegionDirectory regions)
{
    private static readonly string[] AccessKinds = ["access.query", "access.verify", "access.file", "access.feed"];

    /// <summary>The region tree (who sees which department).</summary>
    public RegionDirectory Regions => regions;

    /// <summary>The report of <paramref name="period"/> for the departments <paramref name="viewer"/> may see (optionally one).</summary>
    public async Task<StatisticsReportDto> ComputeAsync(StatisticsPeriod period, StatisticsViewer viewer, Guid? onlyDepartment, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var today = clock.LocalDate(now);
        var fromUtc = StartUtc(period.From);
        var toUtc = StartUtc(period.To.AddDays(1));
        var activeAt = toUtc < now ? toUtc : now;
        var postgres = db.Database.IsNpgsql();
        var sql = new SqlText(postgres);

        var visible = (await departments.ListAsync(ct))
            .Where(d => viewer.CanSee(d, regions) && (onlyDepartment is null || d.Id == onlyDepartment))
            .OrderBy(d => d.SortOrder).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        var rows = visible.ToDictionary(d => d.Id, d => new Accumulator(d));

        // Resources provided to sharing: published now with 共享类型 无条件 / 有条件 (catalog contract).
        foreach (var r in await catalog.ListPublishedAsync(null, ct))
        {
            if (!rows.TryGetValue(r.DepartmentId, out var a)) continue;
            if (r.ShareType == ShareType.Unconditional) a.Unconditional++;
            else if (r.ShareType == ShareType.Conditional) a.Conditional++;
        }

        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            var days = await DaysTableAsync(period.From, today > period.To ? today : period.To, sql, ct);
            var range = $"{sql.Time(fromUtc)} AND {sql.Time(toUtc)}";

            // Requests received (provider): status, response time in working days, answered in time, overdue and pending.
            var received = $"""
                WITH days(d, s, e, cum) AS (VALUES {days})
                SELECT r.provider_department_id, r.status,
                  CASE WHEN r.decided_at IS NULL OR dd.d IS NULL THEN NULL ELSE dd.cum - ds.cum END AS wd,
                  CASE WHEN r.decided_at IS NULL OR dd.d IS NULL THEN 0
                       WHEN dd.d <= COALESCE(r.provider_due_on, r.compliance_due_on) THEN 1 ELSE 0 END AS in_time,
                  CASE WHEN r.status IN ('pending_compliance', 'pending_provider') AND r.due_at <= {sql.Time(now)} THEN 1 ELSE 0 END AS overdue_pending,
                  COUNT(*)
                FROM exchange_requests r
                JOIN days ds ON r.submitted_at >= ds.s AND r.submitted_at < ds.e
                LEFT JOIN days dd ON r.decided_at >= dd.s AND r.decided_at < dd.e
                WHERE r.submitted_at >= {sql.Time(fromUtc)} AND r.submitted_at < {sql.Time(toUtc)}
                GROUP BY r.provider_department_id, r.status, 3, 4, 5
                """;
            await ReadAsync(connection, received, rd =>
            {
                if (!rows.TryGetValue(GuidOf(rd.GetValue(0)), out var a)) return;
                var status = rd.GetString(1);
                int? wd = rd.IsDBNull(2) ? null : Convert.ToInt32(rd.GetValue(2), CultureInfo.InvariantCulture);
                var inTime = Convert.ToInt32(rd.GetValue(3), CultureInfo.InvariantCulture) == 1;
                var overduePending = Convert.ToInt32(rd.GetValue(4), CultureInfo.InvariantCulture) == 1;
                var n = Convert.ToInt32(rd.GetValue(5), CultureInfo.InvariantCulture);
                a.Received += n;
                switch (status)
                {
                    case "approved":
                    case "refused":
                        a.Answered += n;
                        if (status == "approved") a.Approved += n; else a.Refused += n;
                        if (inTime) a.InTime += n; else a.Late += n;
                        if (wd is { } w) a.ResponseDays[w] = a.ResponseDays.GetValueOrDefault(w) + n;
                        break;
                    case "compliance_rejected": a.ComplianceRejected += n; break;
                    case "withdrawn": a.Withdrawn += n; break;
                    case "pending_compliance":
                    case "pending_provider":
                        a.Pending += n;
                        if (overduePending) a.OverduePending += n;
                        break;
                }
            }, ct);

            // Requests made (consumer).
            await ReadAsync(connection, $"""
                SELECT consumer_department_id, status, COUNT(*) FROM exchange_requests
                WHERE submitted_at >= {sql.Time(fromUtc)} AND submitted_at < {sql.Time(toUtc)}
                GROUP BY consumer_department_id, status
                """, rd =>
            {
                if (!rows.TryGetValue(GuidOf(rd.GetValue(0)), out var a)) return;
                var n = Convert.ToInt32(rd.GetValue(2), CultureInfo.InvariantCulture);
                a.Made += n;
                if (rd.GetString(1) == "approved") a.MadeApproved += n;
                else if (rd.GetString(1) == "refused") a.MadeRefused += n;
            }, ct);

            // Grants: issued in the period (provider) and active at its end (provider and consumer).
            var at = sql.Time(activeAt);
            await ReadAsync(connection, $"""
                SELECT provider_department_id, consumer_department_id,
                  SUM(CASE WHEN starts_at >= {sql.Time(fromUtc)} AND starts_at < {sql.Time(toUtc)} THEN 1 ELSE 0 END),
                  SUM(CASE WHEN starts_at <= {at} AND expires_at > {at} AND (revoked_at IS NULL OR revoked_at > {at}) THEN 1 ELSE 0 END)
                FROM exchange_grants
                WHERE holder_kind = 'department'
                GROUP BY provider_department_id, consumer_department_id
                """, rd =>
            {
                var issued = Convert.ToInt32(rd.GetValue(2), CultureInfo.InvariantCulture);
                var active = Convert.ToInt32(rd.GetValue(3), CultureInfo.InvariantCulture);
                if (rows.TryGetValue(GuidOf(rd.GetValue(0)), out var p))
                {
                    p.GrantsIssued += issued;
                    p.GrantsActiveProvided += active;
                }
                if (rows.TryGetValue(GuidOf(rd.GetValue(1)), out var c)) c.GrantsActiveHeld += active;
            }, ct);

            // Accesses from the audit log: served (provider) and made (consumer), rows, 核验, refused calls.
            var kinds = string.Join(", ", AccessKinds.Select(k => $"'{k}'"));
            await ReadAsync(connection, $"""
                SELECT provider_department_id, consumer_department_id, kind, CASE WHEN outcome = 'ok' THEN 1 ELSE 0 END AS ok,
                  COUNT(*), COALESCE(SUM(rows_returned), 0)
                FROM exchange_audit_entries
                WHERE kind IN ({kinds}) AND recorded_at >= {sql.Time(fromUtc)} AND recorded_at < {sql.Time(toUtc)}
                GROUP BY provider_department_id, consumer_department_id, kind, 4
                """, rd =>
            {
                var kind = rd.GetString(2);
                var ok = Convert.ToInt32(rd.GetValue(3), CultureInfo.InvariantCulture) == 1;
                var n = Convert.ToInt64(rd.GetValue(4), CultureInfo.InvariantCulture);
                var rowsReturned = Convert.ToInt64(rd.GetValue(5), CultureInfo.InvariantCulture);
                var verify = kind == "access.verify";
                if (!rd.IsDBNull(0) && rows.TryGetValue(GuidOf(rd.GetValue(0)), out var p) && ok)
                {
                    p.AccessesServed += n;
                    p.RowsServed += rowsReturned;
                    if (verify) p.VerificationsServed += n;
                }
                if (!rd.IsDBNull(1) && rows.TryGetValue(GuidOf(rd.GetValue(1)), out var c))
                {
                    if (!ok)
                    {
                        c.AccessesRefusedMade += n;
                        return;
                    }
                    c.AccessesMade += n;
                    c.RowsMade += rowsReturned;
                    if (verify) c.VerificationsMade += n;
                }
            }, ct);

            // Disputes raised (consumer) and received (provider); answered before the due instant; open past it.
            await ReadAsync(connection, $"""
                SELECT provider_department_id, consumer_department_id, status,
                  CASE WHEN resolved_at IS NOT NULL AND resolved_at < due_at THEN 1 ELSE 0 END AS in_time,
                  CASE WHEN status = 'open' AND due_at <= {sql.Time(now)} THEN 1 ELSE 0 END AS overdue_open,
                  COUNT(*)
                FROM exchange_disputes
                WHERE created_at >= {sql.Time(fromUtc)} AND created_at < {sql.Time(toUtc)}
                GROUP BY provider_department_id, consumer_department_id, status, 4, 5
                """, rd =>
            {
                var status = rd.GetString(2);
                var inTime = Convert.ToInt32(rd.GetValue(3), CultureInfo.InvariantCulture) == 1;
                var overdue = Convert.ToInt32(rd.GetValue(4), CultureInfo.InvariantCulture) == 1;
                var n = Convert.ToInt32(rd.GetValue(5), CultureInfo.InvariantCulture);
                if (rows.TryGetValue(GuidOf(rd.GetValue(0)), out var p))
                {
                    p.DisputesReceived += n;
                    if (status is "corrected" or "rejected")
                    {
                        p.DisputesResolved += n;
                        if (inTime) p.DisputesResolvedInTime += n;
                    }
                    if (overdue) p.DisputesOverdueOpen += n;
                }
                if (rows.TryGetValue(GuidOf(rd.GetValue(1)), out var c)) c.DisputesRaised += n;
            }, ct);

            // Monthly trend: requests submitted and accesses answered, where a department of the view provides or uses.
            var months = Months(period);
            var monthTable = string.Join(", ", months.Select((m, i) => $"({i}, {sql.Time(m.Start)}, {sql.Time(m.End)})"));
            var requestsByMonth = new int[months.Count];
            var accessesByMonth = new long[months.Count];
            bool InView(object p, object c) =>
                (p is not DBNull && rows.ContainsKey(GuidOf(p))) || (c is not DBNull && rows.ContainsKey(GuidOf(c)));
            await ReadAsync(connection, $"""
                WITH months(m, s, e) AS (VALUES {monthTable})
                SELECT mo.m, r.provider_department_id, r.consumer_department_id, COUNT(*)
                FROM exchange_requests r JOIN months mo ON r.submitted_at >= mo.s AND r.submitted_at < mo.e
                GROUP BY mo.m, r.provider_department_id, r.consumer_department_id
                """, rd =>
            {
                if (InView(rd.GetValue(1), rd.GetValue(2)))
                    requestsByMonth[Convert.ToInt32(rd.GetValue(0), CultureInfo.InvariantCulture)] += Convert.ToInt32(rd.GetValue(3), CultureInfo.InvariantCulture);
            }, ct);
            await ReadAsync(connection, $"""
                WITH months(m, s, e) AS (VALUES {monthTable})
                SELECT mo.m, a.provider_department_id, a.consumer_department_id, COUNT(*)
                FROM exchange_audit_entries a JOIN months mo ON a.recorded_at >= mo.s AND a.recorded_at < mo.e
                WHERE a.kind IN ({kinds}) AND a.outcome = 'ok'
                GROUP BY mo.m, a.provider_department_id, a.consumer_department_id
                """, rd =>
            {
                if (InView(rd.GetValue(1), rd.GetValue(2)))
                    accessesByMonth[Convert.ToInt32(rd.GetValue(0), CultureInfo.InvariantCulture)] += Convert.ToInt64(rd.GetValue(3), CultureInfo.InvariantCulture);
            }, ct);

            var departmentRows = rows.Values.OrderBy(a => visible.IndexOf(a.Department!)).ToList();
            var total = Accumulator.Sum(departmentRows);
            var trend = months.Select((m, i) => new MonthFiguresDto(m.Label, requestsByMonth[i], accessesByMonth[i])).ToList();
            return new StatisticsReportDto(period.Year, period.From, period.To, viewer.Code, viewer.Name, now, activeAt,
                departmentRows.Select(a => a.ToDto()).ToList(), total.ToDto(), trend);
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    private DateTime StartUtc(DateOnly day) => clock.EndOfDayUtc(day.AddDays(-1));

    /// <summary>
    /// The VALUES rows (local day, its UTC start, the next day's UTC start, working days from <paramref name="first"/> up to and
    /// including the day) for <paramref name="first"/>..<paramref name="last"/>: WorkingDaysBetween(a, b) = cum(b) − cum(a).
    /// </summary>
    private async Task<string> DaysTableAsync(DateOnly first, DateOnly last, SqlText sql, CancellationToken ct)
    {
        var calendar = await calendars.LoadAsync(ct);
        var sb = new StringBuilder();
        var cum = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (calendar.IsWorkingDay(day) && day > first) cum++;
            if (sb.Length > 0) sb.Append(", ");
            sb.Append('(').Append(sql.Day(day)).Append(", ").Append(sql.Time(StartUtc(day))).Append(", ")
                .Append(sql.Time(StartUtc(day.AddDays(1)))).Append(", ").Append(cum.ToString(CultureInfo.InvariantCulture)).Append(')');
        }
        return sb.ToString();
    }

    private List<(string Label, DateTime Start, DateTime End)> Months(StatisticsPeriod period)
    {
        var list = new List<(string, DateTime, DateTime)>();
        for (var m = new DateOnly(period.From.Year, period.From.Month, 1); m <= period.To; m = m.AddMonths(1))
        {
            var first = m < period.From ? period.From : m;
            var last = m.AddMonths(1).AddDays(-1) > period.To ? period.To : m.AddMonths(1).AddDays(-1);
            list.Add((m.ToString("yyyy-MM", CultureInfo.InvariantCulture), StartUtc(first), StartUtc(last.AddDays(1))));
        }
        return list;
    }

    private static async Task ReadAsync(DbConnection connection, string sql, Action<DbDataReader> row, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) row(reader);
    }

    private static Guid GuidOf(object value) => value switch
    {
        Guid g => g,
        string s => Guid.Parse(s),
        byte[] b => new Guid(b),
        _ => Guid.Empty,
    };

    /// <summary>
    /// Literals of the generated statements (never user input: instants, dates and counts computed here). SQLite stores
    /// instants as EF Core's UTC text (compared as text), PostgreSQL as timestamptz.
    /// </summary>
    private sealed class SqlText(bool postgres)
    {
        public string Time(DateTime utc) => postgres
            ? $"CAST('{utc:yyyy-MM-dd HH:mm:ss.ffffff}+00' AS timestamptz)"
            : $"'{DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)}'";

        public string Day(DateOnly day) => postgres
            ? $"CAST('{day:yyyy-MM-dd}' AS date)"
            : $"'{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'";
    }

    /// <summary>Running sums of one department (or of the total).</summary>
    private sealed class Accumulator(DepartmentInfo? department)
    {
        public DepartmentInfo? Department { get; } = department;
        public int Unconditional, Conditional;
        public int Received, Answered, InTime, Late, OverduePending, Approved, Refused, ComplianceRejected, Withdrawn, Pending;
        public readonly SortedDictionary<int, int> ResponseDays = new();
        public int Made, MadeApproved, MadeRefused;
        public int GrantsIssued, GrantsActiveProvided, GrantsActiveHeld;
        public long AccessesServed, RowsServed, AccessesMade, RowsMade, AccessesRefusedMade, VerificationsServed, VerificationsMade;
        public int DisputesRaised, DisputesReceived, DisputesResolved, DisputesResolvedInTime, DisputesOverdueOpen;

        public static Accumulator Sum(IReadOnlyList<Accumulator> all)
        {
            var t = new Accumulator(null);
            foreach (var a in all)
            {
                t.Unconditional += a.Unconditional; t.Conditional += a.Conditional;
                t.Received += a.Received; t.Answered += a.Answered; t.InTime += a.InTime; t.Late += a.Late;
                t.OverduePending += a.OverduePending; t.Approved += a.Approved; t.Refused += a.Refused;
                t.ComplianceRejected += a.ComplianceRejected; t.Withdrawn += a.Withdrawn; t.Pending += a.Pending;
                foreach (var (w, n) in a.ResponseDays) t.ResponseDays[w] = t.ResponseDays.GetValueOrDefault(w) + n;
                t.Made += a.Made; t.MadeApproved += a.MadeApproved; t.MadeRefused += a.MadeRefused;
                t.GrantsIssued += a.GrantsIssued; t.GrantsActiveProvided += a.GrantsActiveProvided; t.GrantsActiveHeld += a.GrantsActiveHeld;
                t.AccessesServed += a.AccessesServed; t.RowsServed += a.RowsServed; t.AccessesMade += a.AccessesMade; t.RowsMade += a.RowsMade;
                t.AccessesRefusedMade += a.AccessesRefusedMade; t.VerificationsServed += a.VerificationsServed; t.VerificationsMade += a.VerificationsMade;
                t.DisputesRaised += a.DisputesRaised; t.DisputesReceived += a.DisputesReceived; t.DisputesResolved += a.DisputesResolved;
                t.DisputesResolvedInTime += a.DisputesResolvedInTime; t.DisputesOverdueOpen += a.DisputesOverdueOpen;
            }
            return t;
        }

        public DepartmentFiguresDto ToDto()
        {
            var timed = ResponseDays.Values.Sum();
            double? average = timed == 0 ? null : Math.Round(ResponseDays.Sum(p => (double)p.Key * p.Value) / timed, 2);
            return new DepartmentFiguresDto(
                Department?.Id ?? Guid.Empty, Department?.Name ?? "合计", Department?.RegionCode ?? "",
                Unconditional + Conditional, Unconditional, Conditional,
                Received, Answered, InTime, Late, OverduePending, Late + OverduePending, Approved, Refused, ComplianceRejected, Withdrawn, Pending,
                Answered == 0 ? null : Math.Round((double)InTime / Answered, 4), average, Median(ResponseDays, timed),
                Made, MadeApproved, MadeRefused,
                GrantsIssued, GrantsActiveProvided, GrantsActiveHeld,
                AccessesServed, RowsServed, AccessesMade, RowsMade, AccessesRefusedMade, VerificationsServed, VerificationsMade,
                DisputesRaised, DisputesReceived, DisputesResolved, DisputesResolvedInTime, DisputesOverdueOpen);
        }

        /// <summary>The median of a histogram (value → count): the middle value, or the mean of the two middle values.</summary>
        internal static double? Median(SortedDictionary<int, int> histogram, int count)
        {
            if (count == 0) return null;
            int? Nth(int n) // 0-based
            {
                var seen = 0;
                foreach (var (value, c) in histogram)
                {
                    seen += c;
                    if (n < seen) return value;
                }
                return null;
            }
            var lower = Nth((count - 1) / 2)!.Value;
            var upper = Nth(count / 2)!.Value;
            return (lower + upper) / 2.0;
        }
    }
}
