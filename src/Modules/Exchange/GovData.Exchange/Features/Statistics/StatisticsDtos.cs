namespace GovData.Exchange.Features.Statistics;

/// <summary>
/// The figures of one department for a period (年度共享评估): what it provides (as 提供方) and what it uses (as 用数方).
/// Requests, accesses and disputes are counted by the time they began (submitted / logged / raised) inside the period;
/// their outcome is the one known when the statistics are computed.
/// </summary>
internal sealed record DepartmentFiguresDto(
    Guid DepartmentId,
    string DepartmentName,
    string RegionCode,
    // 提供共享资源 (catalog, published now)
    int ResourcesShared,
    int ResourcesUnconditional,
    int ResourcesConditional,
    // 收到的申请 (as provider)
    int RequestsReceived,
    int RequestsAnswered,
    int RequestsAnsweredInTime,
    int RequestsAnsweredLate,
    int RequestsOverduePending,
    int RequestsOverdue,
    int RequestsApproved,
    int RequestsRefused,
    int RequestsComplianceRejected,
    int RequestsWithdrawn,
    int RequestsPending,
    double? InTimeRate,
    double? ResponseDaysAverage,
    double? ResponseDaysMedian,
    // 提出的申请 (as consumer)
    int RequestsMade,
    int RequestsMadeApproved,
    int RequestsMadeRefused,
    // 授权
    int GrantsIssued,
    int GrantsActiveProvided,
    int GrantsActiveHeld,
    // 访问 (audit log)
    long AccessesServed,
    long RowsServed,
    long AccessesMade,
    long RowsMade,
    long AccessesRefusedMade,
    long VerificationsServed,
    long VerificationsMade,
    // 数据异议
    int DisputesRaised,
    int DisputesReceived,
    int DisputesResolved,
    int DisputesResolvedInTime,
    int DisputesOverdueOpen);

/// <summary>One month of the trend: requests submitted and accesses answered (outcome ok) in the view.</summary>
internal sealed record MonthFiguresDto(string Month, int Requests, long Accesses);

/// <summary>The statistics of a period for the departments in the caller's view, with totals and the monthly trend.</summary>
/// <param name="Year">The year asked for.</param>
/// <param name="From">First day of the period (local).</param>
/// <param name="To">Last day of the period (local, inclusive).</param>
/// <param name="Scope">all 全部部门, region 辖区部门, department 本部门.</param>
/// <param name="ScopeName">Chinese name of the view.</param>
/// <param name="GeneratedAt">When the figures were computed (UTC).</param>
/// <param name="ActiveAt">The instant grants were counted as active (end of the period, or now when earlier).</param>
/// <param name="Departments">One row per department in the view, ordered by name.</param>
/// <param name="Total">The sum over <paramref name="Departments"/> (average and median over all their answered requests).</param>
/// <param name="Months">The monthly trend of the period.</param>
internal sealed record StatisticsReportDto(
    int Year, DateOnly From, DateOnly To, string Scope, string ScopeName, DateTime GeneratedAt, DateTime ActiveAt,
    IReadOnlyList<DepartmentFiguresDto> Departments, DepartmentFiguresDto Total, IReadOnlyList<MonthFiguresDto> Months);
