using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovData.Catalog.Tests.Infrastructure;

namespace GovData.Catalog.Tests;

/// <summary><c>GET /api/v1/catalog/search</c> on the seeded web host (demo catalog, SQLite): access, parameters, OpenAPI.</summary>
[Collection(WebCollection.Name)]
public sealed class SearchApiTests(CatalogWebFactory factory)
{
    private static string Url(string query) => "/api/v1/catalog/search?" + query;

    private static string Q(string text) => "q=" + Uri.EscapeDataString(text);

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!;
    }

    private static IEnumerable<string> Strings(JsonNode? array) => array!.AsArray().Select(x => x!.GetValue<string>());

    [Fact]
    public async Task The_public_searches_the_open_catalog_without_signing_in()
    {
        var anonymous = factory.Anonymous();
        var result = await Json(await anonymous.GetAsync(Url(Q("企业法人库"))), HttpStatusCode.OK);
        result["catalog"]!.GetValue<string>().ShouldBe("open");
        result["catalogLabel"]!.GetValue<string>().ShouldBe("开放目录");
        var hit = result["items"]!.AsArray()[0]!;
        hit["code"]!.GetValue<string>().ShouldStartWith("102003/");
        hit["highlights"]!["name"]!.GetValue<string>().ShouldBe("<mark>企业法人库</mark>");
        result["items"]!.AsArray().ShouldAllBe(i => i!["openType"]!.GetValue<string>() != "不予开放");

        var denied = await Json(await anonymous.GetAsync(Url("catalog=business&" + Q("法人"))), HttpStatusCode.Unauthorized);
        denied["title"]!.GetValue<string>().ShouldBe("未登录或凭据无效");
        denied["detail"]!.GetValue<string>().ShouldContain("catalog=open");
        var citizen = await factory.LoginAsync("citizen");
        (await citizen.GetAsync(Url("catalog=share&" + Q("法人")))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Json(await citizen.GetAsync(Url(Q("法人"))), HttpStatusCode.OK))["catalog"]!.GetValue<string>().ShouldBe("open");
    }

    [Fact]
    public async Task Staff_search_the_business_catalog_with_facets_and_highlights()
    {
        var client = await factory.LoginAsync("rst_cataloger");
        var result = await Json(await client.GetAsync(Url(Q("社保") + "&pageSize=100")), HttpStatusCode.OK);
        result["catalog"]!.GetValue<string>().ShouldBe("business");
        result["terms"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["社保"]);
        var total = result["total"]!.GetValue<int>();
        total.ShouldBeGreaterThan(3);
        var items = result["items"]!.AsArray();
        items.Count.ShouldBe(total);
        foreach (var item in items)
        {
            var h = item!["highlights"]!;
            var html = string.Join("|", new[] { h["name"]!.GetValue<string>(), h["abstract"]!.GetValue<string>(), h["provider"]!.GetValue<string>() }
                .Concat(Strings(h["keywords"])).Concat(Strings(h["items"])));
            html.ShouldContain("<mark>社保</mark>", customMessage: item["name"]!.GetValue<string>());
            item["status"]!.GetValue<string>().ShouldBe("已发布");
        }
        items.Select(i => i!["score"]!.GetValue<int>()).ShouldBeInOrder(SortDirection.Descending);
        var facets = result["facets"]!;
        facets["classes"]!.AsArray().Sum(v => v!["count"]!.GetValue<int>()).ShouldBe(total);
        facets["departments"]!.AsArray().Sum(v => v!["count"]!.GetValue<int>()).ShouldBe(total);
        facets["shareTypes"]!.AsArray().Sum(v => v!["count"]!.GetValue<int>()).ShouldBe(total);

        // A facet value fed back as a filter returns exactly its count.
        var share = facets["shareTypes"]!.AsArray()[0]!;
        var narrowed = await Json(await client.GetAsync(Url(Q("社保") + "&shareType=" + Uri.EscapeDataString(share["value"]!.GetValue<string>()))), HttpStatusCode.OK);
        narrowed["total"]!.GetValue<int>().ShouldBe(share["count"]!.GetValue<int>());
        var dept = facets["departments"]!.AsArray()[0]!;
        narrowed = await Json(await client.GetAsync(Url(Q("社保") + "&departmentId=" + dept["value"]!.GetValue<string>())), HttpStatusCode.OK);
        narrowed["total"]!.GetValue<int>().ShouldBe(dept["count"]!.GetValue<int>());
        narrowed["items"]!.AsArray().ShouldAllBe(i => i!["departmentName"]!.GetValue<string>() == dept["label"]!.GetValue<string>());

        // The workspace: the department's own entries in every state.
        var own = await Json(await client.GetAsync(Url("catalog=workspace&pageSize=200")), HttpStatusCode.OK);
        var departments = own["items"]!.AsArray().Select(i => i!["departmentName"]!.GetValue<string>()).Distinct().ToList();
        departments.Count.ShouldBe(1);
        departments[0].ShouldContain("人力资源和社会保障厅");
        own["items"]!.AsArray().Select(i => i!["phase"]!.GetValue<string>()).Distinct().Count().ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task Bad_parameters_are_explained_and_syntax_characters_are_harmless()
    {
        var client = await factory.LoginAsync("scjg_cataloger");
        var bad = await Json(await client.GetAsync(Url("catalog=all&" + Q("法人"))), HttpStatusCode.BadRequest);
        bad["errors"]!["catalog"]![0]!.GetValue<string>().ShouldContain("business");
        bad = await Json(await client.GetAsync(Url(Q("法人") + "&shareType=" + Uri.EscapeDataString("部分共享") + "&sort=name")), HttpStatusCode.BadRequest);
        bad["title"]!.GetValue<string>().ShouldBe("请求参数有误");
        bad["errors"]!["shareType"]![0]!.GetValue<string>().ShouldContain("无条件共享");
        bad["errors"]!["sort"]![0]!.GetValue<string>().ShouldContain("relevance");
        foreach (var q in new[] { "\"法人\" OR *", "NEAR(企业, 法人)", "法人'; DELETE FROM catalog_entries; --", "%_\\", "\"", "((" })
        {
            var ok = await Json(await client.GetAsync(Url(Q(q))), HttpStatusCode.OK);
            ok["total"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(0);
        }
        var quoted = await Json(await client.GetAsync(Url(Q("\"企业法人库\""))), HttpStatusCode.OK);
        quoted["items"]!.AsArray()[0]!["name"]!.GetValue<string>().ShouldBe("企业法人库");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_search()
    {
        var doc = JsonDocument.Parse(await factory.Anonymous().GetStringAsync("/openapi/v1.json"));
        var get = doc.RootElement.GetProperty("paths").GetProperty("/api/v1/catalog/search").GetProperty("get");
        get.GetProperty("summary").GetString().ShouldBe("目录全文检索");
        get.GetProperty("tags")[0].GetString().ShouldBe("目录检索");
        var parameters = get.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p);
        parameters.Keys.ShouldBe(["q", "catalog", "classificationCode", "classCode", "departmentId", "shareType", "openType", "updateCycle", "format", "sort", "page", "pageSize"],
            ignoreOrder: true);
        parameters["q"].GetProperty("description").GetString()!.ShouldContain("AND");
        parameters["catalog"].GetProperty("description").GetString()!.ShouldContain("workspace");
    }
}
