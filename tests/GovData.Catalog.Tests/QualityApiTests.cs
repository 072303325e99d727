using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovData.Catalog.Tests.Infrastructure;
using GovData.SharedKernel.Spreadsheets;

namespace GovData.Catalog.Tests;

/// <summary>The quality API and page through the real web host, seeded with the demo catalog (SQLite).</summary>
[Collection(WebCollection.Name)]
public sealed partial class QualityApiTests(CatalogWebFactory factory)
{
    private const string Runs = "/api/v1/catalog/quality/runs";
    private const string Page = "/console/catalog/quality";

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!;
    }

    private static IEnumerable<JsonNode> Findings(JsonNode report) =>
        report["findings"]!.AsArray().SelectMany(g => g!["findings"]!.AsArray()).Select(f => f!);

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();

    [Fact]
    public async Task A_compiler_cannot_start_a_run_and_anonymous_callers_are_refused()
    {
        var compiler = await factory.LoginAsync("scjg_cataloger");
        var refused = await Json(await compiler.PostAsJsonAsync(Runs, new { }), HttpStatusCode.Forbidden);
        refused["detail"]!.GetValue<string>().ShouldBe("只有目录审核员或平台管理员可以发起目录质量校核");
        (await factory.Anonymous().PostAsJsonAsync(Runs, new { })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await factory.Anonymous().GetAsync(Runs)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var dataUser = await factory.LoginAsync("rst_user");
        (await Json(await dataUser.GetAsync(Runs), HttpStatusCode.Forbidden))["detail"]!.GetValue<string>().ShouldContain("部门编目员可以查看");
    }

    [Fact]
    public async Task A_reviewer_checks_the_province_and_gets_the_report_grouped_by_rule()
    {
        var reviewer = await factory.LoginAsync("reviewer");
        var response = await reviewer.PostAsJsonAsync(Runs, new { });
        var report = await Json(response, HttpStatusCode.Created);
        var run = report["run"]!;
        var id = run["id"]!.GetValue<string>();
        response.Headers.Location!.OriginalString.ShouldBe($"{Runs}/{id}");
        run["scope"]!.GetValue<string>().ShouldBe("370000");
        run["scopeName"]!.GetValue<string>().ShouldBe("山东省");
        run["status"]!.GetValue<string>().ShouldBe("succeeded");
        run["triggeredBy"]!.GetValue<string>().ShouldBe("目录审核员（演示）");
        run["entriesChecked"]!.GetValue<int>().ShouldBeGreaterThan(150);
        report["visibility"]!.GetValue<string>().ShouldBe("全部问题");
        report["summary"]!.AsArray().Select(s => s!["code"]!.GetValue<string>()).ShouldBe(
            ["NORM-01", "NORM-02", "NORM-03", "NORM-04", "CODE-01", "CODE-02", "CODE-03", "DUP-01", "SHARE-01", "SHARE-02", "SHARE-03", "UPDATE-01", "COVER-01", "COVER-02"]);
        report["summary"]!.AsArray().Sum(s => s!["total"]!.GetValue<int>()).ShouldBe(run["findingsTotal"]!.GetValue<int>());

        // The demo catalog covers all 12 domains; most departments have published resources.
        var coverage = report["coverage"]!;
        coverage["domains"]!["total"]!.GetValue<int>().ShouldBe(12);
        coverage["domains"]!["met"]!.GetValue<bool>().ShouldBeTrue();
        coverage["departments"]!["total"]!.GetValue<int>().ShouldBe(run["departmentsInScope"]!.GetValue<int>());

        // 一数多源 in the demo: 统一社会信用代码 is provided by many departments; every provider is listed.
        var dup = Findings(report).Where(f => f["ruleCode"]!.GetValue<string>() == "DUP-01" && f["subject"]!.GetValue<string>() == "统一社会信用代码").ToList();
        dup.ShouldNotBeEmpty();
        var sources = dup[0]["sources"]!;
        sources["members"]!.AsArray().Count.ShouldBeGreaterThan(5);
        sources["members"]!.AsArray().Select(m => m!["departmentName"]!.GetValue<string>()).ShouldContain("山东省市场监督管理局（演示）");
        dup[0]["links"]!["api"]!.GetValue<string>().ShouldStartWith("/api/v1/catalog/resources/");
        dup[0]["links"]!["page"]!.GetValue<string>().ShouldBe($"/console/catalog/entries/{dup[0]["entryId"]!.GetValue<string>()}");
        dup[0]["message"]!.GetValue<string>().ShouldContain("数据元“统一社会信用代码”");

        // Filters and the listing.
        var filtered = await Json(await reviewer.GetAsync($"{Runs}/{id}?rule=UPDATE-01&severity=warning&pageSize=5"), HttpStatusCode.OK);
        filtered["findings"]!.AsArray().Single()!["code"]!.GetValue<string>().ShouldBe("UPDATE-01");
        Findings(filtered).Count().ShouldBeLessThanOrEqualTo(5);
        filtered["matched"]!.GetValue<int>().ShouldBe(report["summary"]!.AsArray().Single(s => s!["code"]!.GetValue<string>() == "UPDATE-01")!["warnings"]!.GetValue<int>());
        var bad = await Json(await reviewer.GetAsync($"{Runs}/{id}?severity=critical"), HttpStatusCode.BadRequest);
        bad["errors"]!["severity"]![0]!.GetValue<string>().ShouldContain("严重程度“critical”无效");
        (await reviewer.GetAsync($"{Runs}/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var list = await Json(await reviewer.GetAsync(Runs + "?scope=370000"), HttpStatusCode.OK);
        list["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ShouldContain(id);
        (await Json(await reviewer.GetAsync(Runs + "?scope=abc"), HttpStatusCode.BadRequest))["errors"]!["scope"].ShouldNotBeNull();

        // Export: the same findings as XLSX.
        var export = await reviewer.GetAsync($"{Runs}/{id}/export");
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        export.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var bytes = await export.Content.ReadAsByteArrayAsync();
        using (var stream = new MemoryStream(bytes)) TabularFile.SheetNames(stream).ShouldBe(["校核概况", "问题清单", "一数多源", "覆盖度"]);
        using (var stream = new MemoryStream(bytes))
        {
            var rows = TabularFile.Read(stream, "x.xlsx", "问题清单");
            rows.Count.ShouldBe(run["findingsTotal"]!.GetValue<int>() + 1);
            rows[0].Cells.ShouldBe(["规则编号", "评估指标", "规则", "严重程度", "信息资源代码", "信息资源名称", "部门", "字段", "对象", "问题说明"]);
        }
        using (var stream = new MemoryStream(bytes))
            TabularFile.Read(stream, "x.xlsx", "一数多源").Skip(1).Select(r => r[0]).ShouldContain("统一社会信用代码");
    }

    [Fact]
    public async Task Scopes_are_checked_against_the_callers_role_and_compilers_see_their_own_findings()
    {
        var reviewer = await factory.LoginAsync("reviewer");
        (await Json(await reviewer.PostAsJsonAsync(Runs, new { scope = "platform" }), HttpStatusCode.Forbidden))["detail"]!.GetValue<string>()
            .ShouldContain("全平台校核只能由平台管理员发起");
        (await Json(await reviewer.PostAsJsonAsync(Runs, new { scope = "110000" }), HttpStatusCode.Forbidden))["detail"]!.GetValue<string>()
            .ShouldContain("不在您所在主管部门");
        (await Json(await reviewer.PostAsJsonAsync(Runs, new { scope = "37" }), HttpStatusCode.BadRequest))["errors"]!["scope"]![0]!.GetValue<string>()
            .ShouldContain("6 位行政区划代码");
        var city = await Json(await reviewer.PostAsync(Runs + "?scope=370100", null), HttpStatusCode.Created);
        city["run"]!["scopeName"]!.GetValue<string>().ShouldBe("山东省济南市");
        city["run"]!["departmentsInScope"]!.GetValue<int>().ShouldBe(3);

        var admin = await factory.LoginAsync("admin");
        var platform = await Json(await admin.PostAsJsonAsync(Runs, new { scope = "platform" }), HttpStatusCode.Created);
        platform["run"]!["scope"]!.GetValue<string>().ShouldBe("platform");
        var provincial = await Json(await reviewer.PostAsJsonAsync(Runs, new { scope = "370000" }), HttpStatusCode.Created);
        // The reviewer does not see platform-wide runs.
        (await reviewer.GetAsync($"{Runs}/{platform["run"]!["id"]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var compiler = await factory.LoginAsync("scjg_cataloger");
        var me = await Json(await compiler.GetAsync("/api/v1/identity/me"), HttpStatusCode.OK);
        var own = me["departmentId"]!.GetValue<string>();
        var mine = await Json(await compiler.GetAsync($"{Runs}/{provincial["run"]!["id"]}?pageSize=2000"), HttpStatusCode.OK);
        mine["visibility"]!.GetValue<string>().ShouldBe("本部门问题");
        var ownFindings = Findings(mine).ToList();
        ownFindings.ShouldNotBeEmpty();
        ownFindings.ShouldAllBe(f => f["departmentId"]!.GetValue<string>() == own);
        Findings(provincial).Count(f => f["departmentId"] != null && f["departmentId"]!.GetValue<string>() != own).ShouldBeGreaterThan(0);
        // The Jinan run does not cover the provincial department.
        (await compiler.GetAsync($"{Runs}/{city["run"]!["id"]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Export for the compiler: own findings only.
        var export = await compiler.GetAsync($"{Runs}/{provincial["run"]!["id"]}/export");
        using var stream = new MemoryStream(await export.Content.ReadAsByteArrayAsync());
        TabularFile.Read(stream, "x.xlsx", "问题清单").Count.ShouldBe(mine["matched"]!.GetValue<int>() + 1);
    }

    [Fact]
    public async Task Authoritative_sources_are_designated_by_the_reviewer_only()
    {
        var reviewer = await factory.LoginAsync("reviewer");
        var compiler = await factory.LoginAsync("scjg_cataloger");
        var registry = (await Json(await reviewer.GetAsync("/api/v1/catalog/views/shared?classificationCode=102003&pageSize=100"), HttpStatusCode.OK))["items"]!
            .AsArray().First(i => i!["name"]!.GetValue<string>() == "企业法人库")!["code"]!.GetValue<string>();
        var body = new { element = "统一社会信用代码", resource = registry, note = "国家法人库地方节点" };
        (await compiler.PostAsJsonAsync("/api/v1/catalog/quality/authorities", body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var designated = await Json(await reviewer.PostAsJsonAsync("/api/v1/catalog/quality/authorities", body), HttpStatusCode.OK);
        designated["entryCode"]!.GetValue<string>().ShouldBe(registry);
        designated["departmentName"]!.GetValue<string>().ShouldBe("山东省市场监督管理局（演示）");
        (await Json(await reviewer.PostAsJsonAsync("/api/v1/catalog/quality/authorities", new { element = "地址", resource = registry }), HttpStatusCode.BadRequest))
            ["errors"]!["element"].ShouldNotBeNull();
        try
        {
            var report = await Json(await reviewer.PostAsJsonAsync(Runs + "?scope=370000", new { }), HttpStatusCode.Created);
            var id = report["run"]!["id"]!.GetValue<string>();
            var dup = await Json(await reviewer.GetAsync($"{Runs}/{id}?rule=DUP-01&keyword={Uri.EscapeDataString("统一社会信用代码")}&pageSize=2000"), HttpStatusCode.OK);
            var found = Findings(dup).Where(f => f["subject"]!.GetValue<string>() == "统一社会信用代码").ToList();
            found.ShouldNotBeEmpty();
            found.ShouldAllBe(f => f["sources"]!["authoritativeEntryId"] != null && f["severity"]!.GetValue<string>() == "warning");
            found.ShouldNotContain(f => f["entryCode"]!.GetValue<string>() == registry);
            (await Json(await compiler.GetAsync("/api/v1/catalog/quality/authorities"), HttpStatusCode.OK)).AsArray()
                .ShouldContain(a => a!["entryCode"]!.GetValue<string>() == registry);
        }
        finally
        {
            var path = $"/api/v1/catalog/quality/authorities?element={Uri.EscapeDataString("统一社会信用代码")}&resource={Uri.EscapeDataString(registry)}";
            (await compiler.DeleteAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await reviewer.DeleteAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
    }

    [Fact]
    public async Task The_report_page_runs_a_check_by_form_post_and_shows_coverage_badges()
    {
        var reviewer = await factory.LoginAsync("reviewer");
        var home = await reviewer.GetStringAsync("/console");
        home.ShouldContain("href=\"/console/catalog/quality\"");
        var page = await reviewer.GetStringAsync(Page);
        page.ShouldContain("id=\"run-form\"");
        page.ShouldContain("山东省（含下级）");
        var token = TokenRegex().Match(page).Groups[1].Value;
        var posted = await reviewer.PostAsync(Page + "?handler=Run", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["runScope"] = "370000", ["__RequestVerificationToken"] = token,
        }));
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = posted.Headers.Location!.OriginalString;
        location.ShouldStartWith(Page + "?run=");
        var report = await reviewer.GetStringAsync(location);
        report.ShouldContain("已完成山东省的目录质量校核");
        report.ShouldContain("按规则汇总");
        report.ShouldContain("id=\"coverage-domains\"");
        report.ShouldMatch("领域覆盖度 12/12\\s*<span class=\"badge badge-ok\">达标</span>");
        // Findings are paged (the demo catalog gives a few hundred): the keyword filter finds the element's group.
        var creditCodes = await reviewer.GetStringAsync(location + "&rule=DUP-01&q=" + Uri.EscapeDataString("统一社会信用代码"));
        creditCodes.ShouldContain("data-element=\"统一社会信用代码\"");
        creditCodes.ShouldContain("设为权威来源");
        (await reviewer.GetStringAsync(location + "&rule=UPDATE-01")).ShouldContain("data-rule=\"UPDATE-01\"");
        (await reviewer.GetStringAsync(location + "&severity=bogus")).ShouldContain("严重程度“bogus”无效");

        // Without a token the form post is refused.
        (await reviewer.PostAsync(Page + "?handler=Run", new FormUrlEncodedContent(new Dictionary<string, string> { ["runScope"] = "370000" })))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var compiler = await factory.LoginAsync("scjg_cataloger");
        var own = await compiler.GetStringAsync(Page);
        own.ShouldNotContain("id=\"run-form\"");
        own.ShouldContain("id=\"own-department-note\"");
        own.ShouldNotContain("设为权威来源");
        var compilerToken = TokenRegex().Match(own).Groups[1].Value;
        var denied = await compiler.PostAsync(Page + "?handler=Run", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["runScope"] = "370000", ["__RequestVerificationToken"] = compilerToken,
        }));
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await compiler.GetStringAsync(denied.Headers.Location!.OriginalString)).ShouldContain("只有目录审核员或平台管理员可以发起目录质量校核");

        var dataUser = await factory.LoginAsync("rst_user");
        var refused = await dataUser.GetAsync(Page);
        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        refused.Headers.Location!.OriginalString.ShouldContain("/account/denied");
        (await dataUser.GetStringAsync("/console")).ShouldNotContain("href=\"/console/catalog/quality\"");
    }

    [Fact]
    public async Task The_quality_api_is_in_the_openapi_document()
    {
        var doc = await factory.Anonymous().GetStringAsync("/openapi/v1.json");
        doc.ShouldContain("/api/v1/catalog/quality/runs");
        doc.ShouldContain("/api/v1/catalog/quality/runs/{id}/export");
        doc.ShouldContain("目录质量校核");
    }
}
