using System.Globalization;
using GovData.SharedKernel.Spreadsheets;
using Microsoft.AspNetCore.Routing;

namespace GovData.Catalog.Features.Quality;

/// <summary>The report of a run as an XLSX workbook: 校核概况, 问题清单, 一数多源, 覆盖度.</summary>
internal static class QualityExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static (byte[] Content, string FileName) Workbook(QualityRun run, IReadOnlyList<QualityFinding> findings, QualityAccess access)
    {
        var coverage = CoverageReport.FromJson(run.Coverage);
        var overview = new List<IReadOnlyList<string>>
        {
            Row("项目", "内容"),
            Row("校核范围", run.ScopeName),
            Row("校核方式", RunTriggers.Label(run.TriggerKind)),
            Row("发起人", run.TriggeredBy),
            Row("开始时间", Time(run.StartedAt)),
            Row("结束时间", Time(run.FinishedAt)),
            Row("状态", RunStatuses.Label(run.Status)),
            Row("检查的已发布资源", Number(run.EntriesChecked)),
            Row("范围内部门", Number(run.DepartmentsInScope)),
            Row("导出内容", access == QualityAccess.Full ? "全部问题" : "本部门问题"),
            Row("", ""),
            Row("规则编号", "评估指标", "规则", "错误", "警告", "提示", "合计", "说明"),
        };
        foreach (var rule in QualityRules.All)
        {
            var of = findings.Where(f => f.RuleCode == rule.Code).ToList();
            overview.Add(Row(rule.Code, rule.Indicator, rule.Title, Number(of.Count(f => f.Severity == Severities.Error)),
                Number(of.Count(f => f.Severity == Severities.Warning)), Number(of.Count(f => f.Severity == Severities.Info)), Number(of.Count), rule.Description));
        }

        var list = new List<IReadOnlyList<string>>
        {
            Row("规则编号", "评估指标", "规则", "严重程度", "信息资源代码", "信息资源名称", "部门", "字段", "对象", "问题说明"),
        };
        foreach (var f in findings)
        {
            var rule = QualityRules.Find(f.RuleCode);
            list.Add(Row(f.RuleCode, rule?.Indicator ?? "", rule?.Title ?? "", Severities.Label(f.Severity), f.EntryCode ?? "", f.EntryName ?? "",
                f.DepartmentName ?? "", f.FieldLabel ?? "", f.Subject ?? "", f.Message));
        }

        var sources = new List<IReadOnlyList<string>>
        {
            Row("数据元", "判定", "信息资源代码", "信息资源名称", "类", "提供部门", "信息项", "字段代码", "权威来源", "已引用权威来源"),
        };
        foreach (var group in findings.Where(f => f.RuleCode == QualityRules.MultipleSources).GroupBy(f => f.Subject ?? ""))
        {
            if (MultipleSourceDetails.FromJson(group.First().Details) is not { } details) continue;
            foreach (var m in details.Members)
                sources.Add(Row(details.Element, details.Decision, m.Code, m.Name, m.Class, m.DepartmentName, m.ItemName, m.FieldCode ?? "",
                    m.Authoritative ? "是" : "否", m.Authoritative ? "—" : m.ReferencesAuthority ? "是" : "否"));
        }

        var cover = new List<IReadOnlyList<string>>();
        if (coverage is not null)
        {
            cover.Add(Row("指标", "覆盖数", "总数", "覆盖率", "要求", "结论"));
            cover.Add(Row("领域覆盖度", Number(coverage.Domains.Covered), Number(coverage.Domains.Total), Percent(coverage.Domains.Ratio), "≥80%", coverage.Domains.Met ? "达标" : "未达标"));
            cover.Add(Row("部门覆盖度", Number(coverage.Departments.Covered), Number(coverage.Departments.Total), Percent(coverage.Departments.Ratio), "≥80%", coverage.Departments.Met ? "达标" : "未达标"));
            cover.Add(Row("", ""));
            cover.Add(Row("领域", "已发布资源数", "提供部门数", "是否覆盖"));
            foreach (var d in coverage.DomainItems) cover.Add(Row(d.Domain, Number(d.Resources), Number(d.Departments), d.Covered ? "是" : "否"));
            cover.Add(Row("", ""));
            cover.Add(Row("部门", "行政区划代码", "已发布资源数", "是否覆盖"));
            foreach (var d in coverage.DepartmentItems) cover.Add(Row(d.Name, d.RegionCode, Number(d.Resources), d.Covered ? "是" : "否"));
        }

        using var buffer = new MemoryStream();
        TabularFile.WriteXlsx(buffer, [("校核概况", overview), ("问题清单", list), ("一数多源", sources), ("覆盖度", cover)]);
        var stamp = DateTime.SpecifyKind(run.StartedAt, DateTimeKind.Utc).ToLocalTime().ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        return (buffer.ToArray(), $"目录质量校核-{run.ScopeName}-{stamp}.xlsx");
    }

    private static IReadOnlyList<string> Row(params string[] cells) => cells;

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double ratio) => ratio.ToString("P1", CultureInfo.GetCultureInfo("zh-CN"));

    private static string Time(DateTime? utc) =>
        utc is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";
}

/// <summary>Links from findings to the console page of their entry, when the host has one, else none (the API link remains).</summary>
internal static class QualityLinks
{
    /// <summary>Console pages that show an entry by id, in order of preference (Razor page names, module-prefixed): the read-only entry page, else the editor.</summary>
    private static readonly string[] EntryPages = ["/Catalog/Features/Browse/Entry", "/Catalog/Features/Compile/Edit"];

    public static Func<CatalogFindingLink, string?> For(LinkGenerator links) => link =>
    {
        foreach (var page in EntryPages)
            if (links.GetPathByPage(page, handler: null, values: new { id = link.EntryId }) is { } path) return path;
        return null;
    };
}
