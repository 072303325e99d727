using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GovData.Portal.Tests.Infrastructure;
using GovData.Tests.Common.Web;

namespace GovData.Portal.Tests;

/// <summary>
/// The public site, the CKAN-compatible API and the DCAT-AP export over the real host with the demo catalog, on SQLite and
/// PostgreSQL (one host per engine; the tests of a class run one after another).
/// </summary>
public abstract partial class PortalTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    protected const string BrowserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    /// <summary>An anonymous client that looks like a person's browser.</summary>
    protected HttpClient Public()
    {
        var client = App.CreateBrowserClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(BrowserAgent);
        return client;
    }

    protected static async Task<string> Html(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text.Length > 3000 ? text[..3000] : text);
        return text;
    }

    protected static async Task<JsonNode> Ckan(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text.Length > 3000 ? text[..3000] : text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return JsonNode.Parse(text)!;
    }

    protected Task<JsonNode> Action(string query, HttpStatusCode expected = HttpStatusCode.OK) =>
        Public().GetAsync("/api/3/action/" + query).ContinueWith(t => Ckan(t.Result, expected)).Unwrap();

    /// <summary>Package names of all dataset links on a page.</summary>
    protected static HashSet<string> DatasetLinks(string html) =>
        Regex.Matches(html, "href=\"/portal/datasets/([0-9]+-[0-9]+)\"").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    // ---------------------------------------------------------------- pages

    [Fact]
    public async Task Home_search_and_department_pages_are_public_chinese_and_use_the_portal_layout()
    {
        var client = Public();
        var expected = await PortalTestKit.ExpectedOpenPackagesAsync(App);
        expected.Count.ShouldBeGreaterThan(20, "the demo catalog has open resources");

        var home = await Html(await client.GetAsync("/portal"));
        home.ShouldContain("<html lang=\"zh-CN\"");
        home.ShouldContain("/portal/assets/portal.css?v=");
        home.ShouldNotContain("/css/console.css");
        home.ShouldNotContain("sidenav");
        home.ShouldContain($"<span class=\"value\">{expected.Count}</span>开放数据集");
        home.ShouldContain("按领域浏览");
        home.ShouldContain("/portal/datasets?domain=%E4%BC%81%E4%B8%9A");
        DatasetLinks(home).Count.ShouldBeGreaterThanOrEqualTo(8);

        var css = await client.GetAsync("/portal/assets/portal.css");
        css.StatusCode.ShouldBe(HttpStatusCode.OK);
        css.Content.Headers.ContentType!.MediaType.ShouldBe("text/css");

        var search = await Html(await client.GetAsync("/portal/datasets"));
        search.ShouldContain($"共找到 {expected.Count} 个开放数据集");
        foreach (var facet in new[] { "<h2>领域</h2>", "<h2>提供部门</h2>", "<h2>格式</h2>", "<h2>开放属性</h2>", "<h2>更新周期</h2>" }) search.ShouldContain(facet);

        var departments = await Html(await client.GetAsync("/portal/departments"));
        var orgLink = Regex.Match(departments, "href=\"/portal/departments/([0-9a-z-]+)\"");
        orgLink.Success.ShouldBeTrue();
        var department = await Html(await client.GetAsync("/portal/departments/" + orgLink.Groups[1].Value));
        department.ShouldContain("统一社会信用代码");
        DatasetLinks(department).ShouldNotBeEmpty();
        DatasetLinks(department).ShouldBeSubsetOf(expected);
        (await client.GetAsync("/portal/departments/no-such-department")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var developers = await Html(await client.GetAsync("/portal/developers"));
        developers.ShouldContain("package_search");

        // 大字版 without JavaScript: a link sets a cookie and returns to the page.
        var toggle = await client.GetAsync("/portal/text-size?large=1&returnUrl=%2Fportal%2Fdatasets");
        toggle.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        toggle.Headers.Location!.OriginalString.ShouldBe("/portal/datasets");
        (await Html(await client.GetAsync("/portal"))).ShouldContain("<html lang=\"zh-CN\" class=\"large-text\"");
        (await client.GetAsync("/portal/text-size?large=0&returnUrl=https%3A%2F%2Fevil.example")).Headers.Location!.OriginalString.ShouldBe("/portal");
    }

    [Fact]
    public async Task Search_filters_sort_and_pages_live_in_shareable_urls()
    {
        var client = Public();
        var all = await Html(await client.GetAsync("/portal/datasets"));
        var total = int.Parse(Regex.Match(all, "共找到 ([0-9]+) 个开放数据集").Groups[1].Value);

        // A domain facet link narrows the result; its count is the number of hits.
        var domainLink = Regex.Match(all, "<a href=\"(/portal/datasets\\?domain=[^\"]+)\"[^>]*>\\s*<span>([^<]+)</span><span class=\"n\">([0-9]+)</span>");
        domainLink.Success.ShouldBeTrue();
        var narrowed = await Html(await client.GetAsync(WebUtility.HtmlDecode(domainLink.Groups[1].Value)));
        var count = int.Parse(domainLink.Groups[3].Value);
        narrowed.ShouldContain($"共找到 {count} 个开放数据集");
        count.ShouldBeLessThan(total);
        narrowed.ShouldContain("aria-current=\"true\"");

        // Query + facet + sort + page are all in the address.
        var page1 = await Html(await client.GetAsync("/portal/datasets?sort=updated"));
        var page2 = await Html(await client.GetAsync("/portal/datasets?sort=updated&page=2"));
        DatasetLinks(page1).Count.ShouldBe(20);
        DatasetLinks(page2).ShouldNotBeEmpty();
        DatasetLinks(page1).Intersect(DatasetLinks(page2)).ShouldBeEmpty();
        page2.ShouldContain("<span aria-current=\"page\">2</span>");
        page1.ShouldContain("href=\"/portal/datasets?sort=updated&amp;page=2\"");

        var q = await Html(await client.GetAsync("/portal/datasets?q=" + Uri.EscapeDataString("企业")));
        q.ShouldContain("<mark>企业</mark>");
        var unconditional = await Html(await client.GetAsync("/portal/datasets?q=" + Uri.EscapeDataString("企业") + "&open=" + Uri.EscapeDataString("无条件开放")));
        unconditional.ShouldNotContain("badge-cond\">有条件开放");

        // Bad parameters are explained in Chinese and ignored.
        var bad = await Html(await client.GetAsync("/portal/datasets?open=whatever&cycle=x&page=-3&sort=price"));
        bad.ShouldContain("开放属性“whatever”无效");
        bad.ShouldContain("更新周期“x”无效");
        bad.ShouldContain("页码“-3”无效");
        bad.ShouldContain("排序方式“price”无效");
        bad.ShouldContain($"共找到 {total} 个开放数据集");
    }

    [Fact]
    public async Task Only_published_open_resources_appear_in_pages_ckan_dcat_and_the_sitemap()
    {
        var stamp = Guid.NewGuid().ToString("N")[..6];
        var closed = await PortalTestKit.PublishAsync(App, PortalTestKit.Resource($"不予开放测试{stamp}", isOpen: false));
        var (draft, _) = await PortalTestKit.DraftAsync(App, PortalTestKit.Resource($"草稿开放测试{stamp}"));
        var withdrawn = await PortalTestKit.PublishAsync(App, PortalTestKit.Resource($"下线开放测试{stamp}"));
        await PortalTestKit.WithdrawAsync(App, withdrawn.Code);
        var open = await PortalTestKit.PublishAsync(App, PortalTestKit.Resource($"有条件开放测试{stamp}", openCondition: "仅用于科研，须签署利用协议"));

        var rows = await PortalTestKit.CatalogRowsAsync(App);
        var expected = await PortalTestKit.ExpectedOpenPackagesAsync(App);
        expected.ShouldContain(open.Package);
        var hidden = rows.Select(r => r.Code.Replace('/', '-')).Where(n => !expected.Contains(n)).ToList();
        hidden.ShouldContain(closed.Package);
        hidden.ShouldContain(draft.Package);
        hidden.ShouldContain(withdrawn.Package);
        rows.Count(r => r.Status == "Published" && r.OpenType == "NotOpen").ShouldBeGreaterThan(1, "the demo has 不予开放 resources");
        rows.Count(r => r.Status != "Published").ShouldBeGreaterThan(1, "the demo has drafts and pending entries");

        var client = Public();
        foreach (var name in new[] { closed.Package, draft.Package, withdrawn.Package })
        {
            (await client.GetAsync("/portal/datasets/" + name)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await client.GetAsync("/portal/datasets/" + name + ".ttl")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await client.GetAsync("/portal/datasets/" + name + ".jsonld")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await Action("package_show?id=" + name, HttpStatusCode.NotFound))["error"]!["__type"]!.GetValue<string>().ShouldBe("Not Found Error");
        }
        var notFoundPage = await Html(await client.GetAsync("/portal/datasets/" + closed.Package), HttpStatusCode.NotFound);
        notFoundPage.ShouldContain("未找到数据集");
        notFoundPage.ShouldNotContain(closed.Name);

        // Search by the unique names: only the open one is found (pages and CKAN).
        var searchPage = await Html(await client.GetAsync("/portal/datasets?q=" + stamp));
        DatasetLinks(searchPage).Count.ShouldBe(1);
        DatasetLinks(searchPage).Single().ShouldBe(open.Package);
        var ckanSearch = await Action("package_search?q=" + stamp);
        ckanSearch["result"]!["count"]!.GetValue<int>().ShouldBe(1);
        ckanSearch["result"]!["results"]![0]!["name"]!.GetValue<string>().ShouldBe(open.Package);

        // Every listing equals the expected set exactly.
        var packageList = (await Action("package_list"))["result"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        packageList.ToHashSet().SetEquals(expected).ShouldBeTrue();
        packageList.Count.ShouldBe(expected.Count, "no duplicates");

        var everything = await Action("package_search?rows=1000");
        everything["result"]!["count"]!.GetValue<int>().ShouldBe(expected.Count);
        everything["result"]!["results"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet().SetEquals(expected).ShouldBeTrue();

        var sitemap = XDocument.Parse(await Html(await client.GetAsync("/sitemap.xml")));
        XNamespace sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var locs = sitemap.Descendants(sm + "loc").Select(l => l.Value).ToList();
        var sitemapDatasets = locs.Select(l => Regex.Match(l, "/portal/datasets/([0-9]+-[0-9]+)$")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
        sitemapDatasets.SetEquals(expected).ShouldBeTrue();
        locs.ShouldContain(l => l.EndsWith("/portal", StringComparison.Ordinal));
        foreach (var listing in new[] { "/portal/statistics", "/portal/apps", "/portal/demands", "/portal/developers" })
            locs.ShouldContain(l => l.EndsWith(listing, StringComparison.Ordinal));

        var dcatDatasets = new HashSet<string>();
        for (var page = 1; ; page++)
        {
            var ttl = await Html(await client.GetAsync("/catalog.ttl?page=" + page));
            foreach (Match m in Regex.Matches(ttl, "<[^>]*/portal/datasets/([0-9]+-[0-9]+)#dataset> a dcat:Dataset")) dcatDatasets.Add(m.Groups[1].Value);
            if (!ttl.Contains("hydra:nextPage", StringComparison.Ordinal)) break;
        }
        dcatDatasets.SetEquals(expected).ShouldBeTrue();

        // The conditional resource shows its condition.
        var conditional = await Html(await client.GetAsync("/portal/datasets/" + open.Package));
        conditional.ShouldContain("仅用于科研，须签署利用协议");
        conditional.ShouldContain("badge-cond\">有条件开放");
    }

    [Fact]
    public async Task Catalog_text_is_rendered_inert_in_pages_highlights_json_ld_ckan_and_dcat()
    {
        const string name = "<script>alert(1)</script>企业\"库'&";
        var entry = await PortalTestKit.PublishAsync(App, PortalTestKit.Resource(name,
            @abstract: "<img src=x onerror=alert(2)>企业法人登记信息</script><script>alert(4)</script>",
            keywords: ["<b>xss</b>", "企业"],
            items: [new { name = "<svg onload=alert(3)>", fieldCode = "x_field", dataType = "C,10", sensitivity = "公开" }]));
        var client = Public();

        var page = await Html(await client.GetAsync("/portal/datasets/" + entry.Package));
        foreach (var raw in new[] { "<script>alert", "<img src=x", "<svg onload", "<b>xss</b>" }) page.ShouldNotContain(raw);
        page.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        page.ShouldContain("&lt;svg onload=alert(3)&gt;");
        var jsonLd = Regex.Match(page, "<script type=\"application/ld\\+json\">(.*?)</script>", RegexOptions.Singleline);
        jsonLd.Success.ShouldBeTrue();
        jsonLd.Groups[1].Value.ShouldNotContain("<");
        var schema = JsonNode.Parse(jsonLd.Groups[1].Value)!;
        schema["name"]!.GetValue<string>().ShouldBe(name);
        schema["@type"]!.GetValue<string>().ShouldBe("Dataset");

        var search = await Html(await client.GetAsync("/portal/datasets?q=" + Uri.EscapeDataString("script")));
        search.ShouldContain("&lt;<mark>script</mark>&gt;alert(1)");
        foreach (var raw in new[] { "<script>alert", "<img src=x", "<b>xss</b>" }) search.ShouldNotContain(raw);

        var show = await Action("package_show?id=" + entry.Package);
        show["result"]!["title"]!.GetValue<string>().ShouldBe(name);
        var ckanText = await (await client.GetAsync("/api/3/action/package_show?id=" + entry.Package)).Content.ReadAsStringAsync();
        ckanText.ShouldNotContain("<script>");

        var ttl = await Html(await client.GetAsync("/portal/datasets/" + entry.Package + ".ttl"));
        ttl.ShouldContain("\"<script>alert(1)</script>企业\\\"库'&\"@zh");
        var report = await PortalTestKit.ValidateDcatAsync(ttl, jsonLd: false);
        PortalTestKit.ShouldHaveNoViolations(report);
    }

    [Fact]
    public async Task Dataset_page_shows_the_catalog_metadata_the_data_dictionary_with_masked_items_and_schema_org()
    {
        var stamp = Guid.NewGuid().ToString("N")[..6];
        var entry = await PortalTestKit.PublishAsync(App, PortalTestKit.Resource($"企业名录{stamp}", keywords: ["企业", "名录" + stamp]));
        var client = Public();
        var page = await Html(await client.GetAsync("/portal/datasets/" + entry.Package));
        foreach (var text in new[] { "信息资源代码", entry.Code, "信息资源分类", "信息资源提供方", "提供方代码", "信息资源格式", "电子表格 / csv",
                     "无条件开放", "更新周期", "每月", "发布日期", "元数据标识符", "关键字", "名录" + stamp, "数据项（3 项）", "统一社会信用代码",
                     "<code>credit_code</code>", "C,18", "法定代表人身份证号", "<span class=\"badge badge-mask\">脱敏</span> 身份证号脱敏", "原值" })
            page.ShouldContain(text);
        page.ShouldContain($"href=\"/portal/datasets/{entry.Package}.ttl\"");
        page.ShouldContain($"/api/3/action/package_show?id={entry.Package}");
        page.ShouldContain("<link rel=\"canonical\" href=\"http://localhost/portal/datasets/" + entry.Package + "\"");

        var json = JsonNode.Parse(Regex.Match(page, "<script type=\"application/ld\\+json\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value)!;
        json["@context"]!.GetValue<string>().ShouldBe("https://schema.org");
        json["@type"]!.GetValue<string>().ShouldBe("Dataset");
        json["name"]!.GetValue<string>().ShouldBe(entry.Name);
        json["identifier"]!.GetValue<string>().ShouldBe(entry.Code);
        json["url"]!.GetValue<string>().ShouldBe("http://localhost/portal/datasets/" + entry.Package);
        json["keywords"]!.AsArray().Select(k => k!.GetValue<string>()).ShouldBe(["企业", "名录" + stamp]);
        json["creator"]!["name"]!.GetValue<string>().ShouldContain("市场监督管理局");
        json["variableMeasured"]!.AsArray().Count.ShouldBe(3);
        json["description"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Views_are_counted_once_per_page_request_and_robots_are_not_counted()
    {
        var entry = await PortalTestKit.PublishAsync(App, PortalTestKit.Resource("浏览计数测试" + Guid.NewGuid().ToString("N")[..6]));
        var person = Public();
        var first = await Html(await person.GetAsync("/portal/datasets/" + entry.Package));
        first.ShouldContain("浏览 1 次");
        var robot = App.CreateBrowserClient();
        robot.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        (await Html(await robot.GetAsync("/portal/datasets/" + entry.Package))).ShouldContain("浏览 1 次");
        var noAgent = App.CreateBrowserClient();
        (await Html(await noAgent.GetAsync("/portal/datasets/" + entry.Package))).ShouldContain("浏览 1 次");
        (await Html(await person.GetAsync("/portal/datasets/" + entry.Package))).ShouldContain("浏览 2 次");
        var home = await Html(await person.GetAsync("/portal"));
        home.ShouldContain("近30天浏览最多");
        home.ShouldContain(entry.Name + "</a>（");
    }

    [Fact]
    public async Task Robots_txt_allows_the_portal_and_keeps_crawlers_out_of_the_console_and_apis()
    {
        var robots = await Html(await Public().GetAsync("/robots.txt"));
        robots.ShouldContain("Allow: /portal");
        robots.ShouldContain("Disallow: /console");
        robots.ShouldContain("Disallow: /api/");
        robots.ShouldContain("Disallow: /portal/datasets/*/download/");
        robots.ShouldContain("Sitemap: http://localhost/sitemap.xml");
        var sitemap = await Public().GetAsync("/sitemap.xml?page=99");
        sitemap.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class SqlitePortalTests(SqliteAppFactory app) : PortalTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class PostgresPortalTests(PostgresAppFactory app) : PortalTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
