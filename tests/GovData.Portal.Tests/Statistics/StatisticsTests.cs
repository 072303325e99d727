using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Portal.Features.Statistics;
using GovData.Portal.Persistence;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Tests.Statistics;

/// <summary>Own hosts (fresh databases: the statistics are compared exactly), limits high enough never to be met.</summary>
public sealed class StatisticsSqliteFactory : GovDataAppFactory
{
    public StatisticsSqliteFactory() : base(DatabaseProvider.Sqlite) => OpenDataFixture.Configure(this);
}

public sealed class StatisticsPostgresFactory : GovDataAppFactory
{
    public StatisticsPostgresFactory() : base(DatabaseProvider.PostgreSql) => OpenDataFixture.Configure(this);
}

/// <summary>
/// 访问统计 over the real host: a known set of page views, downloads and API calls made through the real HTTP paths (plus
/// robots, which must not count, and two rows of earlier days written to the tables) gives exact figures on the page, in
/// the JSON API and in the dataset page's usage section; bad date ranges are explained; <c>/</c> lands on the portal.
/// Only <see cref="Figures_are_exact_for_views_downloads_and_calls_made_through_the_real_paths"/> records uses in this class.
/// </summary>
public abstract class StatisticsTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    public const string BrowserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
    private const string RobotAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    private HttpClient Client(string agent = BrowserAgent)
    {
        var client = App.CreateBrowserClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(agent);
        return client;
    }

    /// <summary>Two 无条件开放 datasets with loaded data, found through the contracts.</summary>
    private async Task<(OpenDataset A, OpenDataset B)> TwoOpenDatasetsAsync() => await App.WithScopeAsync(async sp =>
    {
        var catalog = sp.GetRequiredService<IOpenCatalog>();
        var data = sp.GetRequiredService<IGovernedDataAccess>();
        var found = new List<OpenDataset>();
        var hits = (await catalog.SearchAsync(new OpenCatalogQuery { OpenType = OpenType.Unconditional, Limit = 500 })).Page!.Items;
        foreach (var hit in hits.OrderBy(h => h.Dataset.Code.ToString(), StringComparer.Ordinal))
        {
            if (await data.DescribeAsync(hit.Dataset.Code, AccessPolicy.Everything(false)) is null) continue;
            found.Add(hit.Dataset);
            if (found.Count == 2) return (found[0], found[1]);
        }
        throw new InvalidOperationException("The demo data has fewer than two 无条件开放 datasets with data");
    });

    private static string Package(OpenDataset d) => d.Code.Prefix + "-" + d.Code.Suffix;

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text.Length > 3000 ? text[..3000] : text);
        return JsonNode.Parse(text)!;
    }

    private static async Task Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, 2000)]));
    }

    private static long L(JsonNode? n) => n!.GetValue<long>();

    [Fact]
    public async Task Figures_are_exact_for_views_downloads_and_calls_made_through_the_real_paths()
    {
        var (a, b) = await TwoOpenDatasetsAsync();
        var today = await App.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<PortalStatistics>().Today));
        var client = Client();

        // A fresh database: nothing counted yet.
        var before = await Json(await client.GetAsync("/api/v1/open/statistics"), HttpStatusCode.OK);
        L(before["totals"]!["views"]).ShouldBe(0);
        L(before["totals"]!["downloads"]).ShouldBe(0);
        L(before["totals"]!["calls"]).ShouldBe(0);

        // Today, through the real paths: A viewed 3 times, CSV twice, JSON once, 2 API calls; B viewed once, XLSX once,
        // 1 API call. A robot's view, download and call, and a download without a user agent, count nothing.
        for (var i = 0; i < 3; i++) await Ok(await client.GetAsync("/portal/datasets/" + Package(a)));
        await Ok(await client.GetAsync($"/portal/datasets/{Package(a)}/download/csv"));
        await Ok(await client.GetAsync($"/portal/datasets/{Package(a)}/download/csv"));
        await Ok(await client.GetAsync($"/portal/datasets/{Package(a)}/download/json"));
        await Ok(await client.GetAsync($"/api/v1/open/datasets/{Package(a)}/rows?limit=1"));
        await Ok(await client.GetAsync($"/api/v1/open/datasets/{Package(a)}/rows?limit=2"));
        await Ok(await client.GetAsync("/portal/datasets/" + Package(b)));
        await Ok(await client.GetAsync($"/portal/datasets/{Package(b)}/download/xlsx"));
        await Ok(await client.GetAsync($"/api/v1/open/datasets/{Package(b)}/rows?limit=1"));
        var robot = Client(RobotAgent);
        await Ok(await robot.GetAsync("/portal/datasets/" + Package(a)));
        await Ok(await robot.GetAsync($"/portal/datasets/{Package(a)}/download/csv"));
        await Ok(await robot.GetAsync($"/api/v1/open/datasets/{Package(a)}/rows?limit=1"));
        await Ok(await App.CreateBrowserClient().GetAsync($"/portal/datasets/{Package(b)}/download/csv"));

        // Earlier days, written as the counters write them: A viewed 5 times three days ago (inside the default 30 days),
        // B downloaded as CSV 7 times 40 days ago (outside it).
        await App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<PortalDb>();
            db.DatasetViews.Add(new DatasetViewCount { EntryId = a.EntryId, Day = today.AddDays(-3), DepartmentId = a.DepartmentId, Views = 5 });
            db.DatasetUsage.Add(new DatasetUsageCount { EntryId = b.EntryId, Day = today.AddDays(-40), Kind = "csv", DepartmentId = b.DepartmentId, Count = 7 });
            await db.SaveChangesAsync();
        });

        // The default period: the last 30 days.
        var s = await Json(await client.GetAsync("/api/v1/open/statistics"), HttpStatusCode.OK);
        s["from"]!.GetValue<string>().ShouldBe(today.AddDays(-29).ToString("yyyy-MM-dd"));
        s["to"]!.GetValue<string>().ShouldBe(today.ToString("yyyy-MM-dd"));
        s["days"]!.GetValue<int>().ShouldBe(30);
        (L(s["totals"]!["views"]), L(s["totals"]!["downloads"]), L(s["totals"]!["calls"])).ShouldBe((9L, 4L, 3L));
        s["datasetsUsed"]!.GetValue<int>().ShouldBe(2);
        var daily = s["daily"]!.AsArray();
        daily.Count.ShouldBe(30);
        JsonNode Day(DateOnly d) => daily.Single(x => x!["day"]!.GetValue<string>() == d.ToString("yyyy-MM-dd"))!;
        (L(Day(today)["views"]), L(Day(today)["downloads"]), L(Day(today)["calls"])).ShouldBe((4L, 4L, 3L));
        (L(Day(today.AddDays(-3))["views"]), L(Day(today.AddDays(-3))["downloads"]), L(Day(today.AddDays(-3))["calls"])).ShouldBe((5L, 0L, 0L));
        daily.Sum(x => L(x!["views"])).ShouldBe(9);
        var datasets = s["datasets"]!.AsArray();
        datasets.Count.ShouldBe(2);
        datasets[0]!["name"]!.GetValue<string>().ShouldBe(Package(a));
        datasets[0]!["title"]!.GetValue<string>().ShouldBe(a.Name);
        (L(datasets[0]!["views"]), L(datasets[0]!["downloads"]), L(datasets[0]!["calls"])).ShouldBe((8L, 3L, 2L));
        datasets[1]!["name"]!.GetValue<string>().ShouldBe(Package(b));
        (L(datasets[1]!["views"]), L(datasets[1]!["downloads"]), L(datasets[1]!["calls"])).ShouldBe((1L, 1L, 1L));
        var departments = s["departments"]!.AsArray();
        if (a.DepartmentId == b.DepartmentId)
        {
            departments.Count.ShouldBe(1);
            (L(departments[0]!["views"]), L(departments[0]!["downloads"]), L(departments[0]!["calls"])).ShouldBe((9L, 4L, 3L));
            departments[0]!["department"]!.GetValue<string>().ShouldBe(a.DepartmentName);
        }
        else
        {
            departments.Count.ShouldBe(2);
            var da = departments.Single(d => d!["department"]!.GetValue<string>() == a.DepartmentName)!;
            (L(da["views"]), L(da["downloads"]), L(da["calls"])).ShouldBe((8L, 3L, 2L));
        }
        var formats = s["formats"]!.AsArray().ToDictionary(f => f!["format"]!.GetValue<string>(), f => L(f!["downloads"]));
        formats.ShouldBe(new Dictionary<string, long> { ["csv"] = 2, ["xlsx"] = 1, ["json"] = 1, ["xml"] = 0 });

        // A longer period takes in the CSV downloads of 40 days ago; one that ends before today leaves today out.
        var longer = await Json(await client.GetAsync($"/api/v1/open/statistics?from={today.AddDays(-45):yyyy-MM-dd}&to={today:yyyy-MM-dd}"), HttpStatusCode.OK);
        (L(longer["totals"]!["views"]), L(longer["totals"]!["downloads"]), L(longer["totals"]!["calls"])).ShouldBe((9L, 11L, 3L));
        longer["formats"]!.AsArray().Single(f => f!["format"]!.GetValue<string>() == "csv")!["downloads"]!.GetValue<long>().ShouldBe(9);
        var past = await Json(await client.GetAsync($"/api/v1/open/statistics?from={today.AddDays(-45):yyyy-MM-dd}&to={today.AddDays(-1):yyyy-MM-dd}"), HttpStatusCode.OK);
        (L(past["totals"]!["views"]), L(past["totals"]!["downloads"]), L(past["totals"]!["calls"])).ShouldBe((5L, 7L, 0L));

        // The page shows the same figures as tables (without JavaScript) and the chart data for charts.js.
        var html = await (await client.GetAsync("/portal/statistics")).Content.ReadAsStringAsync();
        html.ShouldContain("<span class=\"value\" id=\"total-views\">9</span>");
        html.ShouldContain("<span class=\"value\" id=\"total-downloads\">4</span>");
        html.ShouldContain("<span class=\"value\" id=\"total-calls\">3</span>");
        html.ShouldContain($"<time datetime=\"{today:yyyy-MM-dd}\">{today:yyyy-MM-dd}</time></th><td class=\"num\">4</td><td class=\"num\">4</td><td class=\"num\">3</td>");
        Regex.IsMatch(html, $@"<a href=""/portal/datasets/{Regex.Escape(Package(a))}"">[^<]+</a>\s*</th>\s*<td>[^<]*</td>\s*<td class=""num"">8</td><td class=""num"">3</td><td class=""num"">2</td>")
            .ShouldBeTrue("dataset A's row in the table");
        html.ShouldContain("<th scope=\"row\">CSV</th><td class=\"num\">2</td>");
        html.ShouldContain("data-chart=\"hbar\" data-source=\"stats-chart\" data-key=\"datasets\" hidden");
        html.ShouldContain("/lib/echarts/echarts.min.js");
        var chart = JsonNode.Parse(Regex.Match(html, "<script type=\"application/json\" id=\"stats-chart\">(.*?)</script>").Groups[1].Value)!;
        chart["trend"]!["series"]![1]!["data"]!.AsArray().Last()!.GetValue<long>().ShouldBe(4);
        chart["formats"]!.AsArray().Count.ShouldBe(3);

        // The dataset page's usage section: the last 30 days of A (this view included).
        var page = await (await client.GetAsync("/portal/datasets/" + Package(a))).Content.ReadAsStringAsync();
        page.ShouldContain("使用情况（近 30 天）");
        page.ShouldContain("<span class=\"value\" id=\"usage-views\">9</span>");
        page.ShouldContain("<span class=\"value\" id=\"usage-downloads\">3</span>");
        page.ShouldContain("<span class=\"value\" id=\"usage-calls\">2</span>");
        page.ShouldContain($"<time datetime=\"{today.AddDays(-3):yyyy-MM-dd}\">{today.AddDays(-3):yyyy-MM-dd}</time></th><td class=\"num\">5</td>");
        page.ShouldContain("id=\"usage-chart\"");

        // The search's “下载最多” order uses all downloads ever counted: B (1 today + 7 forty days ago) before A (3), then
        // the datasets never downloaded.
        var search = await (await client.GetAsync("/portal/datasets?sort=downloads")).Content.ReadAsStringAsync();
        search.ShouldContain("<option value=\"downloads\" selected");
        var order = Regex.Matches(search, @"href=""/portal/datasets/([0-9]+-[0-9]+)""").Select(m => m.Groups[1].Value).Distinct().ToList();
        order.Take(2).ShouldBe([Package(b), Package(a)]);
        order.Count.ShouldBeGreaterThan(2);
        var api = await Json(await client.GetAsync("/api/v1/open/datasets?sort=downloads&limit=2"), HttpStatusCode.OK);
        api["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ShouldBe([Package(b), Package(a)]);
    }

    [Fact]
    public async Task Bad_date_ranges_are_explained_in_Chinese_and_capped()
    {
        var client = Client();
        var today = await App.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<PortalStatistics>().Today));

        var bad = await Json(await client.GetAsync("/api/v1/open/statistics?from=2026-13-01"), HttpStatusCode.BadRequest);
        bad["errors"]!["from"]![0]!.GetValue<string>().ShouldContain("开始日期“2026-13-01”不是有效日期");
        var badTo = await Json(await client.GetAsync("/api/v1/open/statistics?to=yesterday"), HttpStatusCode.BadRequest);
        badTo["errors"]!["to"]![0]!.GetValue<string>().ShouldContain("结束日期“yesterday”不是有效日期");
        var reversed = await Json(await client.GetAsync("/api/v1/open/statistics?from=2026-03-02&to=2026-03-01"), HttpStatusCode.BadRequest);
        reversed["errors"]!["from"]![0]!.GetValue<string>().ShouldContain("晚于结束日期");
        var tooLong = await Json(await client.GetAsync("/api/v1/open/statistics?from=2020-01-01&to=2026-01-01"), HttpStatusCode.BadRequest);
        tooLong["errors"]!["from"]![0]!.GetValue<string>().ShouldContain("日期范围最长 366 天");
        // Exactly 366 days is allowed.
        var year = await Json(await client.GetAsync("/api/v1/open/statistics?from=2025-01-01&to=2026-01-01"), HttpStatusCode.OK);
        year["days"]!.GetValue<int>().ShouldBe(366);
        year["daily"]!.AsArray().Count.ShouldBe(366);

        // The page explains the error next to the form and shows the default period instead; a long range is cut.
        var html = await (await client.GetAsync("/portal/statistics?from=2026-13-01&to=" + today.ToString("yyyy-MM-dd"))).Content.ReadAsStringAsync();
        html.ShouldContain("id=\"range-errors\"");
        html.ShouldContain("开始日期“2026-13-01”不是有效日期");
        html.ShouldContain($"{today.AddDays(-29):yyyy-MM-dd} 至 {today:yyyy-MM-dd}（30 天）");
        var script = await (await client.GetAsync("/portal/statistics?from=%3Cscript%3Ealert(1)%3C%2Fscript%3E")).Content.ReadAsStringAsync();
        script.ShouldNotContain("<script>alert(1)</script>");
        script.ShouldContain("不是有效日期");
        var cut = await (await client.GetAsync("/portal/statistics?from=2020-01-01&to=2026-01-01")).Content.ReadAsStringAsync();
        cut.ShouldContain("日期范围最长 366 天");
        cut.ShouldContain("2025-01-01 至 2026-01-01（366 天）");

        // Documented in the OpenAPI document with a Chinese summary and the 400 answer.
        var document = JsonNode.Parse(await (await client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;
        var operation = document["paths"]!["/api/v1/open/statistics"]!["get"]!;
        operation["summary"]!.GetValue<string>().ShouldBe("访问统计");
        operation["tags"]![0]!.GetValue<string>().ShouldBe("开放数据接口");
        operation["responses"]!.AsObject().ContainsKey("400").ShouldBeTrue();
    }

    [Fact]
    public async Task Site_root_lands_on_the_portal_and_the_console_stays_reachable()
    {
        var client = App.CreateBrowserClient();
        var root = await client.GetAsync("/");
        root.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        root.Headers.Location!.OriginalString.ShouldBe("/portal");
        var console = await client.GetAsync("/console");
        console.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        console.Headers.Location!.OriginalString.ShouldContain("/account/login?ReturnUrl=%2Fconsole");
        var admin = await App.LoginAsync("admin");
        (await admin.GetAsync("/console")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await client.GetAsync("/portal")).Content.ReadAsStringAsync()).ShouldContain("href=\"/console\"");
    }
}

public sealed class SqliteStatisticsTests(StatisticsSqliteFactory app) : StatisticsTests<StatisticsSqliteFactory>(app), IClassFixture<StatisticsSqliteFactory>;

public sealed class PostgresStatisticsTests(StatisticsPostgresFactory app) : StatisticsTests<StatisticsPostgresFactory>(app), IClassFixture<StatisticsPostgresFactory>;
