using System.Globalization;
using GovData.SharedKernel.Spreadsheets;

namespace GovData.Exchange.Features.Statistics;

/// <summary>One column of the per-department table (page, report and workbook use the same list).</summary>
internal sealed record FigureColumn(string Header, Func<DepartmentFiguresDto, object?> Value, bool Percent = false);

/// <summary>The 年度共享评估报告 as an XLSX workbook: 评估概况 (summary) and 部门明细 (one row per department), numbers as numbers.</summary>
internal static class StatisticsWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string SummarySheet = "评估概况";
    public const string DepartmentSheet = "部门明细";
    public const string TrendSheet = "月度趋势";

    /// <summary>Columns of the per-department table, in order.</summary>
    public static readonly IReadOnlyList<FigureColumn> Columns =
    [
        new("部门", d => d.DepartmentName),
        new("提供共享资源", d => d.ResourcesShared),
        new("其中无条件共享", d => d.ResourcesUnconditional),
        new("其中有条件共享", d => d.ResourcesConditional),
        new("收到申请", d => d.RequestsReceived),
        new("已答复", d => d.RequestsAnswered),
        new("按时答复", d => d.RequestsAnsweredInTime),
        new("逾期答复", d => d.RequestsAnsweredLate),
        new("逾期未答复", d => d.RequestsOverduePending),
        new("逾期合计", d => d.RequestsOverdue),
        new("批准", d => d.RequestsApproved),
        new("拒绝", d => d.RequestsRefused),
        new("合规审查未通过", d => d.RequestsComplianceRejected),
        new("撤回", d => d.RequestsWithdrawn),
        new("办理中", d => d.RequestsPending),
        new("按时答复率", d => d.InTimeRate, Percent: true),
        new("平均响应（工作日）", d => d.ResponseDaysAverage),
        new("响应中位数（工作日）", d => d.ResponseDaysMedian),
        new("提出申请", d => d.RequestsMade),
        new("提出申请获批", d => d.RequestsMadeApproved),
        new("提出申请被拒", d => d.RequestsMadeRefused),
        new("新发授权", d => d.GrantsIssued),
        new("有效授权（提供）", d => d.GrantsActiveProvided),
        new("有效授权（获得）", d => d.GrantsActiveHeld),
        new("被访问次数", d => d.AccessesServed),
        new("提供数据行数", d => d.RowsServed),
        new("访问次数", d => d.AccessesMade),
        new("获取数据行数", d => d.RowsMade),
        new("被拒绝的访问", d => d.AccessesRefusedMade),
        new("核验（提供）", d => d.VerificationsServed),
        new("核验（使用）", d => d.VerificationsMade),
        new("提出异议", d => d.DisputesRaised),
        new("收到异议", d => d.DisputesReceived),
        new("异议已办结", d => d.DisputesResolved),
        new("异议按时办结", d => d.DisputesResolvedInTime),
        new("异议逾期未办", d => d.DisputesOverdueOpen),
    ];

    /// <summary>The workbook and its file name (年度共享评估报告-2026.xlsx, or with the period when it is not the whole year).</summary>
    public static (byte[] Content, string FileName) Build(StatisticsReportDto r)
    {
        var t = r.Total;
        var summary = new List<IReadOnlyList<object?>>
        {
            Row("年度共享评估报告", null),
            Row("评估年度", r.Year),
            Row("统计期间", $"{r.From:yyyy-MM-dd} 至 {r.To:yyyy-MM-dd}"),
            Row("统计范围", r.ScopeName),
            Row("部门数", r.Departments.Count),
            Row("生成时间（UTC）", r.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
            Row(null, null),
            Row("指标", "数值"),
        };
        foreach (var c in Columns.Skip(1)) summary.Add(Row(c.Header, c.Value(t)));
        summary.Add(Row(null, null));
        summary.Add(Row("说明", "申请按提交时间、访问按记录时间、异议按提出时间计入统计期间；状态为统计时的状态。响应时间为提交至答复（批准或拒绝）的工作日数（按平台工作日历）。按时答复指答复日不晚于办理期限。提供共享资源为统计时已发布的无条件、有条件共享资源。有效授权为统计期间结束时（或统计时）有效的授权。"));

        var departments = new List<IReadOnlyList<object?>> { Columns.Select(c => (object?)c.Header).ToList() };
        foreach (var d in r.Departments) departments.Add(Columns.Select(c => c.Value(d)).ToList());
        departments.Add(Columns.Select((c, i) => i == 0 ? "合计" : c.Value(t)).ToList());

        var trend = new List<IReadOnlyList<object?>> { Row("月份", "申请数", "访问次数") };
        foreach (var m in r.Months) trend.Add(Row(m.Month, m.Requests, m.Accesses));

        using var buffer = new MemoryStream();
        TabularFile.WriteXlsxCells(buffer, [(SummarySheet, summary), (DepartmentSheet, departments), (TrendSheet, trend)]);
        var whole = r.From == new DateOnly(r.Year, 1, 1) && r.To == new DateOnly(r.Year, 12, 31);
        var name = whole ? $"年度共享评估报告-{r.Year}.xlsx" : $"年度共享评估报告-{r.From:yyyyMMdd}-{r.To:yyyyMMdd}.xlsx";
        return (buffer.ToArray(), name);
    }

    /// <summary>A cell as text for pages: numbers with separators, rates as percentages, missing values as —.</summary>
    public static string Text(FigureColumn column, DepartmentFiguresDto d) => column.Value(d) switch
    {
        null => "—",
        double x when column.Percent => (x * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
        double x => x.ToString("0.##", CultureInfo.InvariantCulture),
        int i => i.ToString("N0", CultureInfo.InvariantCulture),
        long l => l.ToString("N0", CultureInfo.InvariantCulture),
        var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    private static IReadOnlyList<object?> Row(params object?[] cells) => cells;
}
