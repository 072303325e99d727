using System.Net;
using System.Text.Json.Nodes;
using GovData.Catalog.Demo;
using GovData.Catalog.Tests.Infrastructure;

namespace GovData.Catalog.Tests;

/// <summary>The demo catalog as the real host seeds it (Identity demo departments, then the catalog).</summary>
[Collection(WebCollection.Name)]
public sealed class DemoCatalogTests(CatalogWebFactory factory)
{
    private static async Task<JsonNode> Get(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    private static async Task<List<JsonNode>> All(HttpClient client, string url)
    {
        var list = new List<JsonNode>();
        for (var page = 1; ; page++)
        {
            var json = await Get(client, $"{url}{(url.Contains('?') ? '&' : '?')}page={page}&pageSize=200");
            var items = json["items"]!.AsArray();
            list.AddRange(items.Select(i => i!));
            if (list.Count >= json["total"]!.GetValue<int>() || items.Count == 0) return list;
        }
    }

    [Fact]
    public async Task The_demo_holds_over_two_hundred_resources_in_every_class_state_and_domain()
    {
        var admin = await factory.LoginAsync("admin");
        var entries = await All(admin, "/api/v1/catalog/resources");
        entries.Count.ShouldBeGreaterThanOrEqualTo(200);
        entries.Select(e => e!["classificationCode"]!.GetValue<string>()[0]).Distinct().Order().ShouldBe(['1', '2', '3']);
        var phases = entries.Select(e => e!["phase"]!.GetValue<string>()).ToHashSet();
        phases.ShouldBe(["草稿", "待审核", "已驳回", "已发布", "已发布（修订草稿）", "已发布（修订待审核）", "已发布（修订已驳回）", "已下线"], ignoreOrder: true);
        entries.Count(e => e!["status"]!.GetValue<string>() == "已发布").ShouldBeGreaterThan(entries.Count / 2);
        entries.Select(e => e!["code"]!.GetValue<string>()).Distinct().Count().ShouldBe(entries.Count);

        // The twelve assessed domains are covered by their departments' published resources.
        var departments = entries.Where(e => e!["status"]!.GetValue<string>() == "已发布").Select(e => e!["departmentName"]!.GetValue<string>()).ToHashSet();
        foreach (var fragment in new[] { "市场监督管理局", "人力资源和社会保障", "教育", "卫生健康", "民政厅", "住房和城乡建设厅", "交通运输厅", "文化和旅游厅", "科学技术厅", "农业农村厅", "应急管理厅", "生态环境厅" })
            departments.ShouldContain(d => d.Contains(fragment), fragment);
        departments.Count.ShouldBeGreaterThanOrEqualTo(25);
    }

    [Fact]
    public async Task The_enterprise_registry_matches_the_guide_template()
    {
        var client = await factory.LoginAsync("rst_cataloger");
        var hit = (await Get(client, "/api/v1/catalog/views/shared?keyword=" + Uri.EscapeDataString("企业法人库")))["items"]!.AsArray()
            .Single(i => i!["name"]!.GetValue<string>() == "企业法人库")!; // other tests in this collection add look-alikes
        hit["code"]!.GetValue<string>().ShouldStartWith("102003/");
        hit["shareType"]!.GetValue<string>().ShouldBe("无条件共享");
        var entry = await Get(client, "/api/v1/catalog/resources/" + Uri.EscapeDataString(hit["code"]!.GetValue<string>()));
        var items = entry["published"]!["items"]!.AsArray().ToDictionary(i => i!["name"]!.GetValue<string>(), i => i!["typeText"]!.GetValue<string>());
        items["统一社会信用代码"].ShouldBe("C,18");
        items["法人名称"].ShouldBe("C,50");
        items["批准时间"].ShouldBe("D,10");
        items["法人类型"].ShouldBe("C,6");
        entry["published"]!["providerName"]!.GetValue<string>().ShouldBe("山东省市场监督管理局（演示）");
        entry["classificationPath"]!.GetValue<string>().ShouldBe("基础信息资源 › 法人基础信息 › 企业单位法人");
    }

    [Fact]
    public async Task Rejected_and_revised_demo_entries_carry_reasons_and_history()
    {
        var admin = await factory.LoginAsync("admin");
        var rejected = await All(admin, "/api/v1/catalog/resources?status=" + Uri.EscapeDataString("已驳回"));
        rejected.ShouldNotBeEmpty();
        var one = await Get(admin, "/api/v1/catalog/resources/" + rejected[0]["id"]);
        one["working"]!["comments"]!.AsArray().ShouldNotBeEmpty();
        var history = await Get(admin, "/api/v1/catalog/resources/" + rejected[0]["id"] + "/history");
        history.AsArray().Select(h => h!["action"]!.GetValue<string>()).ShouldBe(["rejected", "submitted", "created"]);
        var times = history.AsArray().Select(h => h!["occurredAt"]!.GetValue<DateTime>()).ToList();
        times.ShouldBeInOrder(SortDirection.Descending);
        (DateTime.UtcNow - times.Last()).TotalDays.ShouldBeGreaterThan(1);

        var open = await Get(factory.Anonymous(), "/api/v1/catalog/views/open/facets");
        open["total"]!.GetValue<int>().ShouldBeGreaterThan(50);
    }

    [Fact]
    public async Task The_console_home_shows_catalog_counts()
    {
        var reviewer = await factory.LoginAsync("reviewer");
        var html = await reviewer.GetStringAsync("/console");
        html.ShouldContain("已发布信息资源");
        html.ShouldContain("待审核目录");
        var compiler = await factory.LoginAsync("scjg_cataloger");
        var page = await compiler.GetStringAsync("/console");
        page.ShouldContain("本部门信息资源");
        page.ShouldNotContain("待审核目录");
    }

    [Fact]
    public void Every_demo_line_names_a_known_department_and_defined_elements()
    {
        var keys = DemoCatalog.Departments.Select(d => d.Key).ToHashSet();
        DemoCatalog.Resources.ShouldAllBe(r => keys.Contains(r.Dept));
        DemoCatalog.Resources.Length.ShouldBeGreaterThanOrEqualTo(200);
        DemoCatalog.Resources.Select(r => (r.Dept, r.Name)).Distinct().Count().ShouldBe(DemoCatalog.Resources.Length);
        DemoElements.All.Values.Select(e => e.Code).Distinct().Count().ShouldBe(DemoElements.All.Count);
        foreach (var r in DemoCatalog.Resources.Where(r => r.Target.StartsWith('D') && r.Target.Length > 1))
            int.Parse(r.Target[1..]).ShouldBeLessThanOrEqualTo(DemoCatalog.Departments.Single(d => d.Key == r.Dept).Details.Length, r.Name);
    }
}
