using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Features.Statistics;
using GovData.Exchange.Tests.Sharing;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Spreadsheets;
using GovData.Tests.Common.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Tests.Statistics;

/// <summary>The sharing test host with the module's real audit log (accesses and changes land in exchange_audit_entries).</summary>
public abstract class StatisticsAppFactory(DatabaseProvider provider) : SharingAppFactory(provider)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddScoped<IAuditTrail>(sp => sp.GetRequiredService<AuditLog>()));
    }
}

public sealed class SqliteStatisticsApp() : StatisticsAppFactory(DatabaseProvider.Sqlite);

public sealed class PostgresStatisticsApp() : StatisticsAppFactory(DatabaseProvider.PostgreSql);

public sealed class SqliteStatisticsTests(SqliteStatisticsApp app) : StatisticsTests<SqliteStatisticsApp>(app), IClassFixture<SqliteStatisticsApp>;

public sealed class PostgresStatisticsTests(PostgresStatisticsApp app) : StatisticsTests<PostgresStatisticsApp>(app), IClassFixture<PostgresStatisticsApp>;

/// <summary>
/// GET /api/v1/exchange/statistics, the XLSX report and the pages, on both engines: requests, grants, disputes made through
/// the real API with a moving clock and a working-day calendar with a holiday; accesses appended to the real audit log.
/// </summary>
public abstract class StatisticsTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : StatisticsAppFactory
{
    private const string Api = "/api/v1/exchange";

    private Task<JsonNode> Ok(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK) => SharingAppFactory.Ok(r, expected, App.ServerLog);

    private async Task<(Guid Scjg, Guid Rst, Guid Wjw)> DepartmentsAsync()
    {
        IReadOnlyList<DepartmentInfo> all = [];
        await App.WithScopeAsync(async sp => all = await sp.GetRequiredService<IDepartmentDirectory>().ListAsync());
        Guid Id(string name) => all.Single(d => d.Name == name).Id;
        return (Id("山东省市场监督管理局（演示）"), Id("山东省人力资源和社会保障厅（演示）"), Id("山东省卫生健康委员会（演示）"));
    }

    private static JsonNode Row(JsonNode report, Guid department) =>
        report["departments"]!.AsArray().Single(d => d!["departmentId"]!.GetValue<string>() == department.ToString())!;

    private static int Int(JsonNode row, string name) => row[name]!.GetValue<int>();

    private static double? Number(JsonNode row, string name) => row[name]?.GetValue<double>();

    private async Task<JsonNode> RequestAsync(HttpClient rst, string code, int durationDays = 365, string item = "credit_code") =>
        await Ok(await rst.PostAsJsonAsync($"{Api}/requests", new
        {
            resourceCode = code,
            purpose = "就业补贴审核中核对企业登记信息",
            legalBasis = "《就业促进法》第十五条",
            businessCase = "企业吸纳就业补贴审核",
            items = new[] { item },
            accessModes = new[] { "api", "verify" },
            durationDays,
        }), HttpStatusCode.Created);

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    private async Task AccessAsync(string kind, string outcome, Guid consumer, Guid provider, long rows)
    {
        await App.WithScopeAsync(async sp => await sp.GetRequiredService<IAuditTrail>().AppendAsync(new AuditRecord(kind, outcome,
            ConsumerDepartmentId: consumer, ProviderDepartmentId: provider, ClientId: "gdc_statistics_test_0001", ResourceCode: "102003/1",
            RowsReturned: rows, Detail: "统计测试")));
    }

    [Fact]
    public async Task Figures_per_department_follow_the_requests_grants_accesses_and_disputes_of_the_year()
    {
        // A Monday whose next four weeks stay in the same year; a holiday on its Wednesday.
        var d0 = App.Clock.NextMonday();
        while (d0.AddDays(25).Year != d0.Year) d0 = d0.AddDays(7);
        var year = d0.Year;
        App.Clock.SetLocal(d0, new TimeOnly(8, 0));
        var (scjg, rst, wjw) = await DepartmentsAsync();
        var admin = await App.ClientAsync("admin");
        await Ok(await admin.PutAsJsonAsync($"{Api}/calendar/days/{d0.AddDays(2):yyyy-MM-dd}", new { kind = "holiday", name = "统计测试假日" }));

        var baseline = await Ok(await admin.GetAsync($"{Api}/statistics?year={year}"));
        var res = await App.ResourcesAsync();
        var rstClient = await App.ClientAsync("rst_user");
        var reviewer = await App.ClientAsync("reviewer");
        var scjgClient = await App.ClientAsync("scjg_admin");

        // Monday 09:00: seven requests to 市场监管局 and 卫健委.
        App.Clock.SetLocal(d0, new TimeOnly(9, 0));
        var r1 = await RequestAsync(rstClient, res.Unconditional, durationDays: 20); // approved at once (无条件共享)
        var r2 = await RequestAsync(rstClient, res.Conditional);                      // approved in time
        var r3 = await RequestAsync(rstClient, res.Conditional);                      // refused late
        var r4 = await RequestAsync(rstClient, res.HealthConditional, item: "org_code");                // never answered: overdue
        var r5 = await RequestAsync(rstClient, res.Conditional);                      // fails compliance
        var r6 = await RequestAsync(rstClient, res.Conditional);                      // withdrawn
        var r9 = await RequestAsync(rstClient, res.Conditional);                      // approved late on its due date: in time
        r1["status"]!.GetValue<string>().ShouldBe("approved");
        App.Clock.SetLocal(d0, new TimeOnly(9, 30));
        await Ok(await rstClient.PostAsJsonAsync($"{Api}/requests/{Id(r6)}/withdraw", new { reason = "业务调整" }));

        // Tuesday: compliance. The provider's 10 working days skip the holiday: due on the Wednesday two weeks later.
        App.Clock.SetLocal(d0.AddDays(1), new TimeOnly(10, 0));
        foreach (var r in new[] { r2, r3, r4, r9 })
        {
            var passed = await Ok(await reviewer.PostAsJsonAsync($"{Api}/requests/{Id(r)}/pass-compliance", new { }));
            passed["providerDueOn"]!.GetValue<string>().ShouldBe(d0.AddDays(16).ToString("yyyy-MM-dd"));
        }
        await Ok(await reviewer.PostAsJsonAsync($"{Api}/requests/{Id(r5)}/fail-compliance", new { reason = "申请依据与所需信息项不对应" }));

        // Second Tuesday: approval after 5 working days (Tue, Thu, Fri, Mon, Tue — Wednesday was a holiday).
        App.Clock.SetLocal(d0.AddDays(8), new TimeOnly(10, 0));
        var approved = await Ok(await scjgClient.PostAsJsonAsync($"{Api}/requests/{Id(r2)}/approve", new { }));
        var g2 = approved["resultingGrantId"]?.GetValue<string>() ?? approved["grantId"]!.GetValue<string>();

        // Second Wednesday: the grant is revoked, accesses are logged, three disputes raised (due in 5 working days).
        App.Clock.SetLocal(d0.AddDays(9), new TimeOnly(10, 0));
        await Ok(await scjgClient.PostAsJsonAsync($"{Api}/grants/{g2}/revoke", new { reason = "用途变更，收回授权" }));
        await AccessAsync(AuditKinds.Query, AuditOutcomes.Ok, rst, scjg, 10);
        await AccessAsync(AuditKinds.Query, AuditOutcomes.Ok, rst, scjg, 5);
        await AccessAsync(AuditKinds.Verify, AuditOutcomes.Ok, rst, scjg, 3);
        await AccessAsync(AuditKinds.Query, AuditOutcomes.Denied, rst, scjg, 0);
        var g1 = r1["grantId"]!.GetValue<string>();
        var disputes = new List<JsonNode>();
        for (var i = 0; i < 3; i++)
            disputes.Add(await Ok(await rstClient.PostAsJsonAsync($"{Api}/disputes", new
            {
                grantId = g1,
                recordKey = "credit_code=91370100MA3C00017X",
                description = "登记状态与实际不符",
                evidence = "营业执照副本",
                dataVersion = 1,
            }), HttpStatusCode.Created));
        disputes[0]["dueOn"]!.GetValue<string>().ShouldBe(d0.AddDays(16).ToString("yyyy-MM-dd"));

        App.Clock.SetLocal(d0.AddDays(10), new TimeOnly(10, 0));
        await Ok(await scjgClient.PostAsJsonAsync($"{Api}/disputes/{Id(disputes[0])}/reject", new { reason = "经核实，数据无误" }));

        // The due date itself, 23:50: still in time.
        App.Clock.SetLocal(d0.AddDays(16), new TimeOnly(23, 50));
        await Ok(await scjgClient.PostAsJsonAsync($"{Api}/requests/{Id(r9)}/approve", new { }));

        // Third Thursday, one day after the due date: a late refusal and a late correction; the third dispute stays open.
        App.Clock.SetLocal(d0.AddDays(17), new TimeOnly(10, 0));
        await Ok(await scjgClient.PostAsJsonAsync($"{Api}/requests/{Id(r3)}/refuse", new { reason = "涉及企业经营秘密" }));
        await Ok(await scjgClient.PostAsJsonAsync($"{Api}/disputes/{Id(disputes[1])}/correct", new { note = "已更正登记状态", correctedVersion = 2 }));

        // The year boundary in local time (Asia/Shanghai): 23:30 on 31 December counts for this year, 00:30 on 1 January for the next
        // (both are 31 December in UTC).
        App.Clock.SetLocal(new DateOnly(year, 12, 31), new TimeOnly(23, 30));
        (await RequestAsync(rstClient, res.Unconditional, durationDays: 30))["status"]!.GetValue<string>().ShouldBe("approved");
        App.Clock.SetLocal(new DateOnly(year + 1, 1, 1), new TimeOnly(0, 30));
        (await RequestAsync(rstClient, res.Unconditional, durationDays: 30))["status"]!.GetValue<string>().ShouldBe("approved");
        await AccessAsync(AuditKinds.Feed, AuditOutcomes.Ok, rst, scjg, 7);

        var report = await Ok(await admin.GetAsync($"{Api}/statistics?year={year}"));
        report["scope"]!.GetValue<string>().ShouldBe("all");
        report["from"]!.GetValue<string>().ShouldBe($"{year}-01-01");
        report["to"]!.GetValue<string>().ShouldBe($"{year}-12-31");

        var p = Row(report, scjg);
        Int(p, "resourcesShared").ShouldBe(Int(Row(baseline, scjg), "resourcesShared") + 2);     // 无条件 + 有条件, not 不予共享
        Int(p, "resourcesUnconditional").ShouldBe(Int(Row(baseline, scjg), "resourcesUnconditional") + 1);
        Int(p, "requestsReceived").ShouldBe(7);
        Int(p, "requestsAnswered").ShouldBe(5);
        Int(p, "requestsAnsweredInTime").ShouldBe(4);
        Int(p, "requestsAnsweredLate").ShouldBe(1);
        Int(p, "requestsOverduePending").ShouldBe(0);
        Int(p, "requestsOverdue").ShouldBe(1);
        Int(p, "requestsApproved").ShouldBe(4);
        Int(p, "requestsRefused").ShouldBe(1);
        Int(p, "requestsComplianceRejected").ShouldBe(1);
        Int(p, "requestsWithdrawn").ShouldBe(1);
        Int(p, "requestsPending").ShouldBe(0);
        Number(p, "inTimeRate").ShouldBe(0.8);
        Number(p, "responseDaysAverage").ShouldBe(5.6); // 0, 0, 5, 11, 12 working days
        Number(p, "responseDaysMedian").ShouldBe(5);
        Int(p, "requestsMade").ShouldBe(0);
        Int(p, "grantsIssued").ShouldBe(4);
        Int(p, "grantsActiveProvided").ShouldBe(2);             // r1's grant expired, r2's revoked; r9's and 31 December's active
        p["accessesServed"]!.GetValue<long>().ShouldBe(3);
        p["rowsServed"]!.GetValue<long>().ShouldBe(18);
        p["verificationsServed"]!.GetValue<long>().ShouldBe(1);
        p["accessesMade"]!.GetValue<long>().ShouldBe(0);
        Int(p, "disputesReceived").ShouldBe(3);
        Int(p, "disputesResolved").ShouldBe(2);
        Int(p, "disputesResolvedInTime").ShouldBe(1);
        Int(p, "disputesOverdueOpen").ShouldBe(1);
        Int(p, "disputesRaised").ShouldBe(0);

        var h = Row(report, wjw);
        Int(h, "resourcesShared").ShouldBe(Int(Row(baseline, wjw), "resourcesShared") + 1);
        Int(h, "requestsReceived").ShouldBe(1);
        Int(h, "requestsPending").ShouldBe(1);
        Int(h, "requestsOverduePending").ShouldBe(1);
        Int(h, "requestsOverdue").ShouldBe(1);
        Int(h, "requestsAnswered").ShouldBe(0);
        Number(h, "responseDaysAverage").ShouldBeNull();
        Number(h, "responseDaysMedian").ShouldBeNull();
        Number(h, "inTimeRate").ShouldBeNull();

        var c = Row(report, rst);
        Int(c, "requestsMade").ShouldBe(8);
        Int(c, "requestsMadeApproved").ShouldBe(4);
        Int(c, "requestsMadeRefused").ShouldBe(1);
        Int(c, "requestsReceived").ShouldBe(0);
        Int(c, "grantsActiveHeld").ShouldBe(2);
        c["accessesMade"]!.GetValue<long>().ShouldBe(3);
        c["rowsMade"]!.GetValue<long>().ShouldBe(18);
        c["accessesRefusedMade"]!.GetValue<long>().ShouldBe(1);
        c["verificationsMade"]!.GetValue<long>().ShouldBe(1);
        c["accessesServed"]!.GetValue<long>().ShouldBe(0);
        Int(c, "disputesRaised").ShouldBe(3);

        var total = report["total"]!;
        Int(total, "requestsReceived").ShouldBe(8);
        Int(total, "requestsOverdue").ShouldBe(2);
        Number(total, "responseDaysMedian").ShouldBe(5);
        Int(total, "requestsMade").ShouldBe(8);

        var months = report["months"]!.AsArray();
        months.Count.ShouldBe(12);
        int Requests(int month) => months[month - 1]!["requests"]!.GetValue<int>();
        long Accesses(int month) => months[month - 1]!["accesses"]!.GetValue<long>();
        var expectedRequests = new int[13];
        expectedRequests[d0.Month] += 7;
        expectedRequests[12] += 1;
        var expectedAccesses = new long[13];
        expectedAccesses[d0.AddDays(9).Month] += 3;
        for (var m = 1; m <= 12; m++)
        {
            Requests(m).ShouldBe(expectedRequests[m], $"申请数 {year}-{m:00}");
            Accesses(m).ShouldBe(expectedAccesses[m], $"访问次数 {year}-{m:00}");
        }

        // The next year: only 1 January's request and access; grants active now.
        var next = await Ok(await admin.GetAsync($"{Api}/statistics?year={year + 1}"));
        var pn = Row(next, scjg);
        Int(pn, "requestsReceived").ShouldBe(1);
        Int(pn, "requestsAnsweredInTime").ShouldBe(1);
        Number(pn, "responseDaysAverage").ShouldBe(0);
        Int(pn, "grantsIssued").ShouldBe(1);
        Int(pn, "grantsActiveProvided").ShouldBe(3);
        pn["accessesServed"]!.GetValue<long>().ShouldBe(1);
        pn["rowsServed"]!.GetValue<long>().ShouldBe(7);
        Int(pn, "disputesReceived").ShouldBe(0);
        Int(Row(next, rst), "requestsMade").ShouldBe(1);
        next["months"]!.AsArray()[0]!["requests"]!.GetValue<int>().ShouldBe(1);
        next["months"]!.AsArray()[0]!["accesses"]!.GetValue<long>().ShouldBe(1);

        // A date range inside the year.
        var lastDay = await Ok(await admin.GetAsync($"{Api}/statistics?year={year}&from={year}-12-31&to={year}-12-31"));
        Int(Row(lastDay, scjg), "requestsReceived").ShouldBe(1);
        Int(Row(lastDay, scjg), "disputesReceived").ShouldBe(0);
        lastDay["months"]!.AsArray().Count.ShouldBe(1);

        // A department user sees only its own department; another department's figures are refused.
        var own = await Ok(await rstClient.GetAsync($"{Api}/statistics?year={year}"));
        own["scope"]!.GetValue<string>().ShouldBe("department");
        own["departments"]!.AsArray().Select(d => d!["departmentId"]!.GetValue<string>()).ShouldBe([rst.ToString()]);
        Int(own["total"]!, "requestsMade").ShouldBe(8);
        Int(own["total"]!, "requestsReceived").ShouldBe(0);
        own["months"]!.AsArray()[d0.Month - 1]!["requests"]!.GetValue<int>().ShouldBe(expectedRequests[d0.Month]);
        var refused = await Ok(await rstClient.GetAsync($"{Api}/statistics?year={year}&departmentId={scjg}"), HttpStatusCode.Forbidden);
        refused["detail"]!.GetValue<string>().ShouldContain("山东省市场监督管理局（演示）");
        var provider = await Ok(await scjgClient.GetAsync($"{Api}/statistics?year={year}"));
        provider["departments"]!.AsArray().Select(d => d!["departmentId"]!.GetValue<string>()).ShouldBe([scjg.ToString()]);
        Int(Row(provider, scjg), "requestsReceived").ShouldBe(7);
        var competent = await Ok(await reviewer.GetAsync($"{Api}/statistics?year={year}&departmentId={scjg}"));
        competent["scope"]!.GetValue<string>().ShouldBe("region");
        Int(Row(competent, scjg), "requestsAnsweredLate").ShouldBe(1);
        var auditor = await Ok(await (await App.ClientAsync("auditor")).GetAsync($"{Api}/statistics?year={year}"));
        auditor["departments"]!.AsArray().Count.ShouldBe(report["departments"]!.AsArray().Count);

        // The workbook: summary, per-department sheet with Chinese headers and numeric cells, trend.
        var xlsx = await admin.GetAsync($"{Api}/statistics/report.xlsx?year={year}");
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        xlsx.Content.Headers.ContentType!.MediaType.ShouldBe(StatisticsWorkbook.ContentType);
        xlsx.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe($"年度共享评估报告-{year}.xlsx");
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        TabularFile.SheetNames(new MemoryStream(bytes)).ShouldBe([StatisticsWorkbook.SummarySheet, StatisticsWorkbook.DepartmentSheet, StatisticsWorkbook.TrendSheet]);
        var sheet = TabularFile.Read(new MemoryStream(bytes), "r.xlsx", StatisticsWorkbook.DepartmentSheet);
        var header = sheet[0].Cells;
        header[0].ShouldBe("部门");
        header.ShouldContain("收到申请");
        header.ShouldContain("平均响应（工作日）");
        string Cell(string department, string column) => sheet.Single(r => r[0] == department)[header.ToList().IndexOf(column)];
        Cell("山东省市场监督管理局（演示）", "收到申请").ShouldBe("7");
        Cell("山东省市场监督管理局（演示）", "逾期答复").ShouldBe("1");
        Cell("山东省市场监督管理局（演示）", "平均响应（工作日）").ShouldBe("5.6");
        Cell("山东省市场监督管理局（演示）", "响应中位数（工作日）").ShouldBe("5");
        Cell("山东省市场监督管理局（演示）", "按时答复率").ShouldBe("0.8");
        Cell("山东省卫生健康委员会（演示）", "逾期未答复").ShouldBe("1");
        Cell("山东省卫生健康委员会（演示）", "平均响应（工作日）").ShouldBe("");
        Cell("山东省人力资源和社会保障厅（演示）", "提出申请").ShouldBe("8");
        Cell("山东省人力资源和社会保障厅（演示）", "获取数据行数").ShouldBe("18");
        Cell("合计", "收到申请").ShouldBe("8");
        NumericCell(bytes, StatisticsWorkbook.DepartmentSheet, "山东省市场监督管理局（演示）", header.ToList().IndexOf("收到申请")).ShouldBe(7);
        var summary = TabularFile.Read(new MemoryStream(bytes), "r.xlsx", StatisticsWorkbook.SummarySheet);
        summary.Single(r => r[0] == "评估年度")[1].ShouldBe(year.ToString(CultureInfo.InvariantCulture));
        summary.Single(r => r[0] == "收到申请")[1].ShouldBe("8");
        summary.Single(r => r[0] == "逾期合计")[1].ShouldBe("2");
        var trend = TabularFile.Read(new MemoryStream(bytes), "r.xlsx", StatisticsWorkbook.TrendSheet);
        trend.Single(r => r[0] == $"{year}-12")[1].ShouldBe(expectedRequests[12].ToString(CultureInfo.InvariantCulture));

        // The pages (cookie sign-in after the last clock move).
        using var adminPages = await App.LoginAsync("admin");
        var html = await adminPages.GetStringAsync($"/console/exchange/statistics?year={year}");
        html.ShouldContain("<h1>共享统计</h1>");
        html.ShouldContain("id=\"department-table\"");
        html.ShouldContain($"<tr data-department=\"{scjg}\">");
        html.ShouldContain("<td class=\"num\" data-column=\"收到申请\">7</td>");
        html.ShouldContain("id=\"chart-data\"");
        html.ShouldContain("echarts.min.js");
        html.ShouldContain($"data-month=\"{year}-12\"");
        var reportPage = await adminPages.GetStringAsync($"/console/exchange/statistics/report?year={year}");
        reportPage.ShouldContain($"{year} 年度共享评估报告");
        reportPage.ShouldContain("<strong id=\"sum-received\">8</strong>");
        reportPage.ShouldContain("<strong id=\"sum-overdue\">2</strong>");
        reportPage.ShouldContain("id=\"overdue-list\"");
        var pageXlsx = await adminPages.GetAsync($"/console/exchange/statistics/report?handler=xlsx&year={year}");
        pageXlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        pageXlsx.Content.Headers.ContentType!.MediaType.ShouldBe(StatisticsWorkbook.ContentType);

        using var rstPages = await App.LoginAsync("rst_user");
        var ownPage = await rstPages.GetStringAsync($"/console/exchange/statistics?year={year}");
        ownPage.ShouldContain($"<tr data-department=\"{rst}\">");
        ownPage.ShouldNotContain($"<tr data-department=\"{scjg}\">");
        ownPage.ShouldNotContain("id=\"departmentId\"");
    }

    [Fact]
    public async Task A_bad_year_or_range_is_refused_naming_the_parameter()
    {
        var admin = await App.ClientAsync("admin");
        var thisYear = App.Clock.Today.Year;
        foreach (var bad in new[] { "abc", "1999", "20260", $"{thisYear + 2}", "-1" })
        {
            var problem = await Ok(await admin.GetAsync($"{Api}/statistics?year={Uri.EscapeDataString(bad)}"), HttpStatusCode.BadRequest);
            var message = problem["errors"]!["year"]![0]!.GetValue<string>();
            message.ShouldStartWith("year 必须是");
            message.ShouldContain($"收到“{bad}”");
        }
        (await Ok(await admin.GetAsync($"{Api}/statistics/report.xlsx?year=abc"), HttpStatusCode.BadRequest))["errors"]!["year"].ShouldNotBeNull();
        var range = await Ok(await admin.GetAsync($"{Api}/statistics?year={thisYear}&from={thisYear - 1}-12-01&to={thisYear}-13-01"), HttpStatusCode.BadRequest);
        range["errors"]!["to"]![0]!.GetValue<string>().ShouldContain("yyyy-MM-dd");
        range = await Ok(await admin.GetAsync($"{Api}/statistics?year={thisYear}&from={thisYear - 1}-12-01"), HttpStatusCode.BadRequest);
        range["errors"]!["from"]![0]!.GetValue<string>().ShouldContain($"{thisYear} 年之内");
        (await Ok(await admin.GetAsync($"{Api}/statistics?departmentId=xyz"), HttpStatusCode.BadRequest))["errors"]!["departmentId"].ShouldNotBeNull();

        using var pages = await App.LoginAsync("admin");
        var html = await pages.GetStringAsync("/console/exchange/statistics?year=abc");
        html.ShouldContain("id=\"statistics-error\"");
        html.ShouldContain("year 必须是");
        html.ShouldContain($"已显示 {thisYear} 年的统计");
    }

    [Fact]
    public async Task Only_department_staff_see_statistics_and_the_api_is_documented()
    {
        using var citizen = await App.LoginAsync("citizen");
        var page = await citizen.GetAsync("/console/exchange/statistics");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().ShouldContain("/account/denied");
        (await citizen.GetAsync($"{Api}/statistics")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var anonymous = App.CreateClient();
        (await anonymous.GetAsync($"{Api}/statistics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var rst = await App.LoginAsync("rst_user");
        var html = await rst.GetStringAsync("/console/exchange/statistics");
        html.ShouldContain("href=\"/console/exchange/statistics\"");              // navigation entry
        html.ShouldContain("href=\"/console/exchange/statistics/report\"");

        var doc = await App.CreateClient().GetJsonAsync("/openapi/v1.json");
        var get = doc["paths"]!["/api/v1/exchange/statistics"]!["get"]!;
        get["summary"]!.GetValue<string>().ShouldBe("共享统计与年度共享评估");
        get["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldContain("共享统计");
        get["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldBe(["year", "from", "to", "departmentId"], ignoreOrder: true);
        doc["paths"]!["/api/v1/exchange/statistics/report.xlsx"]!["get"]!["summary"]!.GetValue<string>().ShouldBe("导出年度共享评估报告（XLSX）");
    }

    /// <summary>The numeric value of a cell (fails when the cell is text): numbers must stay numbers in the workbook.</summary>
    private static double NumericCell(byte[] workbook, string sheetName, string firstCell, int column)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var wb = doc.WorkbookPart!;
        var sheet = wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)wb.GetPartById(sheet.Id!);
        var row = part.Worksheet.Descendants<Row>().Single(r => r.Elements<Cell>().First().InnerText == firstCell);
        var cell = row.Elements<Cell>().Single(c => c.CellReference == TabularFile.ColumnName(column) + row.RowIndex);
        cell.DataType.ShouldBeNull("数值单元格不应带文本类型");
        return double.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture);
    }
}
