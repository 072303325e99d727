using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovData.Portal.Tests.Infrastructure;

namespace GovData.Portal.Tests;

public abstract partial class PortalTests<TFactory>
{
    // ---------------------------------------------------------------- CKAN

    [Fact]
    public async Task Ckan_read_actions_answer_in_ckans_envelope()
    {
        var status = await Action("status_show");
        status["success"]!.GetValue<bool>().ShouldBeTrue();
        status["help"]!.GetValue<string>().ShouldBe("http://localhost/api/3/action/help_show?name=status_show");
        status["result"]!["ckan_version"]!.GetValue<string>().ShouldStartWith("2.");
        status["result"]!["site_url"]!.GetValue<string>().ShouldBe("http://localhost");

        var names = (await Action("package_list"))["result"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        names.ShouldNotBeEmpty();
        names.ShouldAllBe(n => Regex.IsMatch(n, "^[a-z0-9_-]{2,100}$"));
        var paged = (await Action("package_list?limit=5&offset=3"))["result"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        paged.ShouldBe(names.Skip(3).Take(5).ToList());

        var show = (await Action("package_show?id=" + names[0]))["result"]!;
        show["name"]!.GetValue<string>().ShouldBe(names[0]);
        foreach (var key in new[] { "id", "title", "notes", "url", "type", "state", "private", "license_id", "metadata_created", "metadata_modified",
                     "owner_org", "organization", "groups", "tags", "resources", "num_resources", "num_tags", "extras" })
            show.AsObject().ContainsKey(key).ShouldBeTrue(key);
        show["type"]!.GetValue<string>().ShouldBe("dataset");
        show["private"]!.GetValue<bool>().ShouldBeFalse();
        show["extras"]!.AsArray().Single(e => e!["key"]!.GetValue<string>() == "resource_code")!["value"]!.GetValue<string>()
            .ShouldBe(names[0].Replace('-', '/'));
        // The same package by id and by the raw resource code; POST with a JSON body works as in CKAN.
        (await Action("package_show?id=" + show["id"]!.GetValue<string>()))["result"]!["name"]!.GetValue<string>().ShouldBe(names[0]);
        (await Action("package_show?id=" + Uri.EscapeDataString(names[0].Replace('-', '/'))))["result"]!["name"]!.GetValue<string>().ShouldBe(names[0]);
        var posted = await Ckan(await Public().PostAsJsonAsync("/api/3/action/package_show", new { id = names[0] }), HttpStatusCode.OK);
        posted["result"]!["name"]!.GetValue<string>().ShouldBe(names[0]);

        var resource = show["resources"]![0]!;
        resource["package_id"]!.GetValue<string>().ShouldBe(show["id"]!.GetValue<string>());
        var resourceShown = (await Action("resource_show?id=" + resource["id"]!.GetValue<string>()))["result"]!;
        resourceShown["url"]!.GetValue<string>().ShouldBe("http://localhost/portal/datasets/" + names[0]);

        var org = show["organization"]!;
        org["is_organization"]!.GetValue<bool>().ShouldBeTrue();
        var orgName = org["name"]!.GetValue<string>();
        orgName.ShouldMatch("^[a-z0-9_-]+$");
        var orgs = (await Action("organization_list"))["result"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        orgs.ShouldContain(orgName);
        var orgShown = (await Action("organization_show?id=" + orgName + "&include_datasets=true"))["result"]!;
        orgShown["title"]!.GetValue<string>().ShouldBe(org["title"]!.GetValue<string>());
        orgShown["packages"]!.AsArray().Count.ShouldBe(orgShown["package_count"]!.GetValue<int>());
        var allFields = (await Action("organization_list?all_fields=true&sort=package_count%20desc"))["result"]!.AsArray();
        allFields.Select(o => o!["package_count"]!.GetValue<int>()).ShouldBeInOrder(SortDirection.Descending);
        allFields.Sum(o => o!["package_count"]!.GetValue<int>()).ShouldBe(names.Count);

        var groups = (await Action("group_list?all_fields=true"))["result"]!.AsArray();
        groups.ShouldNotBeEmpty();
        groups.Select(g => g!["name"]!.GetValue<string>()).ShouldContain("enterprise");
        (await Action("group_show?id=enterprise"))["result"]!["title"]!.GetValue<string>().ShouldBe("企业");

        // The interfaces are described in the platform's OpenAPI document.
        var openApi = await Html(await Public().GetAsync("/openapi/v1.json"));
        openApi.ShouldContain("/api/3/action/{name}");
        openApi.ShouldContain("/catalog.ttl");

        var tags = (await Action("tag_list"))["result"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        tags.ShouldContain("企业");
        (await Action("tag_list?query=" + Uri.EscapeDataString("企")))["result"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldAllBe(t => t.Contains('企'));
    }

    [Fact]
    public async Task Ckan_package_search_pages_sorts_filters_and_counts_facets()
    {
        var all = (await Action("package_search?rows=1000&facet.field=" + Uri.EscapeDataString("[\"organization\",\"groups\",\"tags\",\"res_format\",\"open_type\"]") + "&facet.limit=-1"))["result"]!;
        var count = all["count"]!.GetValue<int>();
        all["results"]!.AsArray().Count.ShouldBe(count);
        all["sort"]!.GetValue<string>().ShouldBe("score desc, metadata_modified desc");
        // Facet counts per organization add up to the total (a package has one organization); both shapes are present.
        all["facets"]!["organization"]!.AsObject().Sum(x => x.Value!.GetValue<int>()).ShouldBe(count);
        all["facets"]!["open_type"]!.AsObject().Sum(x => x.Value!.GetValue<int>()).ShouldBe(count);
        var items = all["search_facets"]!["organization"]!["items"]!.AsArray();
        items.Count.ShouldBe(all["facets"]!["organization"]!.AsObject().Count);
        items.ShouldAllBe(i => i!["name"] != null && i["display_name"] != null && i["count"] != null);
        all["search_facets"]!["organization"]!["title"]!.GetValue<string>().ShouldBe("organization");

        // Paging: rows/start windows of one order cover the same results as one big page.
        var sort = Uri.EscapeDataString("metadata_modified desc, name asc");
        var big = (await Action($"package_search?rows=30&sort={sort}"))["result"]!["results"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        var windows = new List<string>();
        for (var start = 0; start < 30; start += 7)
            windows.AddRange((await Action($"package_search?rows={Math.Min(7, 30 - start)}&start={start}&sort={sort}"))["result"]!["results"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        windows.ShouldBe(big);
        var modified = (await Action($"package_search?rows=30&sort={sort}"))["result"]!["results"]!.AsArray().Select(p => p!["metadata_modified"]!.GetValue<string>()).ToList();
        modified.ShouldBeInOrder(SortDirection.Descending);
        var byName = (await Action("package_search?rows=50&sort=name%20asc"))["result"]!["results"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        byName.ShouldBe(byName.Order(StringComparer.Ordinal).ToList());

        // fq on organization / groups / tags narrows to exactly the facet's count.
        var (org, orgCount) = all["facets"]!["organization"]!.AsObject().Select(x => (x.Key, x.Value!.GetValue<int>())).First();
        var byOrg = (await Action("package_search?rows=1000&fq=" + Uri.EscapeDataString("organization:" + org)))["result"]!;
        byOrg["count"]!.GetValue<int>().ShouldBe(orgCount);
        byOrg["results"]!.AsArray().ShouldAllBe(p => p!["organization"]!["name"]!.GetValue<string>() == org);
        var (group, groupCount) = all["facets"]!["groups"]!.AsObject().Select(x => (x.Key, x.Value!.GetValue<int>())).First();
        var byGroup = (await Action("package_search?rows=1000&fq=" + Uri.EscapeDataString("+groups:" + group)))["result"]!;
        byGroup["count"]!.GetValue<int>().ShouldBe(groupCount);
        byGroup["results"]!.AsArray().ShouldAllBe(p => p!["groups"]!.AsArray().Any(g => g!["name"]!.GetValue<string>() == group));
        var byTag = (await Action("package_search?rows=1000&fq=" + Uri.EscapeDataString("tags:\"企业\" capacity:public")))["result"]!;
        byTag["count"]!.GetValue<int>().ShouldBe(all["facets"]!["tags"]!["企业"]!.GetValue<int>());
        var both = (await Action("package_search?fq=" + Uri.EscapeDataString($"organization:{org} groups:{group}")))["result"]!["count"]!.GetValue<int>();
        both.ShouldBeLessThanOrEqualTo(Math.Min(orgCount, groupCount));
        (await Action("package_search?fq=" + Uri.EscapeDataString("organization:no-such-org")))["result"]!["count"]!.GetValue<int>().ShouldBe(0);

        // Free text (Chinese, no tokenizer needed); *:* is everything; rows caps at 1000 like ckan.search.rows_max.
        var q = (await Action("package_search?q=" + Uri.EscapeDataString("企业")))["result"]!;
        q["count"]!.GetValue<int>().ShouldBeGreaterThan(0);
        q["count"]!.GetValue<int>().ShouldBeLessThan(count);
        (await Action("package_search?q=*:*"))["result"]!["count"]!.GetValue<int>().ShouldBe(count);
        (await Action("package_search?rows=0"))["result"]!["results"]!.AsArray().Count.ShouldBe(0);
        (await Action("package_search?rows=5000"))["result"]!["results"]!.AsArray().Count.ShouldBe(Math.Min(count, 1000));
        // No facet.field: no facets, as in CKAN.
        (await Action("package_search"))["result"]!["facets"]!.AsObject().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Ckan_errors_have_ckans_types_messages_and_status_codes()
    {
        var client = Public();
        var unknown = await client.GetAsync("/api/3/action/package_delete?id=x");
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!.GetValue<string>().ShouldBe("Bad request: Action name not known: package_delete");

        var notFound = await Action("package_show?id=999999-1", HttpStatusCode.NotFound);
        notFound["success"]!.GetValue<bool>().ShouldBeFalse();
        notFound["help"]!.GetValue<string>().ShouldEndWith("help_show?name=package_show");
        notFound["error"]!["__type"]!.GetValue<string>().ShouldBe("Not Found Error");
        notFound["error"]!["message"]!.GetValue<string>().ShouldBe("Not found: Dataset not found");
        notFound.AsObject().ContainsKey("result").ShouldBeFalse();
        (await Action("organization_show?id=nobody", HttpStatusCode.NotFound))["error"]!["__type"]!.GetValue<string>().ShouldBe("Not Found Error");
        (await Action("resource_show?id=" + Guid.NewGuid(), HttpStatusCode.NotFound))["error"]!["__type"]!.GetValue<string>().ShouldBe("Not Found Error");
        (await Action("group_show?id=nothing", HttpStatusCode.NotFound))["error"]!["__type"]!.GetValue<string>().ShouldBe("Not Found Error");

        var missing = await Action("package_show", HttpStatusCode.Conflict);
        missing["error"]!["__type"]!.GetValue<string>().ShouldBe("Validation Error");
        missing["error"]!["id"]!.GetValue<string>().ShouldBe("Missing value");

        var rows = await Action("package_search?rows=abc", HttpStatusCode.Conflict);
        rows["error"]!["__type"]!.GetValue<string>().ShouldBe("Validation Error");
        rows["error"]!["rows"]![0]!.GetValue<string>().ShouldBe("Invalid integer");
        (await Action("package_search?start=-1", HttpStatusCode.Conflict))["error"]!["start"]![0]!.GetValue<string>().ShouldBe("Must be a natural number");
        (await Action("package_list?limit=-2", HttpStatusCode.Conflict))["error"]!["limit"]![0]!.GetValue<string>().ShouldBe("Must be a natural number");
        (await Action("package_search?sort=price%20desc", HttpStatusCode.Conflict))["error"]!["sort"]![0]!.GetValue<string>().ShouldContain("price");
        (await Action("package_search?facet.field=" + Uri.EscapeDataString("[\"secret\"]"), HttpStatusCode.Conflict))["error"]!["facet.field"].ShouldNotBeNull();
        (await Action("package_search?facet.field=" + Uri.EscapeDataString("[\"organization\""), HttpStatusCode.Conflict))["error"]!["__type"]!.GetValue<string>().ShouldBe("Validation Error");
        var longQ = await Action("package_search?q=" + new string('企', 201), HttpStatusCode.Conflict);
        longQ["error"]!["q"]![0]!.GetValue<string>().ShouldContain("200");

        var fq = await Action("package_search?fq=" + Uri.EscapeDataString("secret_field:1"), HttpStatusCode.BadRequest);
        fq["error"]!["__type"]!.GetValue<string>().ShouldBe("Search Query Error");
        fq["error"]!["message"]!.GetValue<string>().ShouldStartWith("Search Query is invalid: ");
        (await Action("package_search?fq=" + Uri.EscapeDataString("organization:(a OR b"), HttpStatusCode.BadRequest))["error"]!["__type"]!.GetValue<string>().ShouldBe("Search Query Error");

        var badJson = await client.PostAsync("/api/3/action/package_show", new StringContent("{not json", Encoding.UTF8, "application/json"));
        badJson.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonNode.Parse(await badJson.Content.ReadAsStringAsync())!.GetValue<string>().ShouldStartWith("Bad request: JSON Error: ");
    }

    // ---------------------------------------------------------------- DCAT-AP

    [Fact]
    public async Task Dcat_catalog_pages_pass_the_official_dcat_ap_3_shapes_in_turtle_and_json_ld()
    {
        var client = Public();
        var expected = await PortalTestKit.ExpectedOpenPackagesAsync(App);
        var ttl = await Html(await client.GetAsync("/catalog.ttl"));
        (await client.GetAsync("/catalog.ttl")).Content.Headers.ContentType!.MediaType.ShouldBe("text/turtle");
        ttl.ShouldContain("hydra:totalItems \"" + expected.Count + "\"^^xsd:integer");
        ttl.ShouldContain("hydra:nextPage \"http://localhost/catalog.ttl?page=2\"");
        var report = await PortalTestKit.ValidateDcatAsync(ttl, jsonLd: false);
        PortalTestKit.ShouldHaveNoViolations(report);
        report["triples"]!.GetValue<int>().ShouldBeGreaterThan(1000);
        // Recommended properties remain warnings where the catalog has no data (spatial/temporal coverage, a licence, the
        // file type of some formats); what every dataset has is never among them.
        var warned = report["warnings"]!.AsArray().Where(w => w!["focus"]!.GetValue<string>().EndsWith("#dataset", StringComparison.Ordinal))
            .Select(w => w!["path"]!.GetValue<string>()).ToHashSet();
        warned.ShouldNotContain("http://www.w3.org/ns/dcat#contactPoint");
        warned.ShouldNotContain("http://purl.org/dc/terms/publisher");
        warned.ShouldNotContain("http://www.w3.org/ns/dcat#distribution");
        report["warnings"]!.AsArray().Select(w => w!["path"]!.GetValue<string>())
            .ShouldNotContain("http://www.w3.org/ns/dcat#servesDataset");

        var last = (expected.Count + 99) / 100;
        var jsonText = await Html(await client.GetAsync("/catalog.jsonld?page=" + last));
        var jsonReport = await PortalTestKit.ValidateDcatAsync(jsonText, jsonLd: true);
        PortalTestKit.ShouldHaveNoViolations(jsonReport);

        // Mandatory properties, checked on the JSON-LD structure itself.
        var graph = JsonNode.Parse(jsonText)!["@graph"]!.AsArray().Select(n => n!.AsObject()).ToList();
        JsonObject? Node(string id) => graph.FirstOrDefault(n => n["@id"]!.GetValue<string>() == id);
        bool Is(JsonObject n, string type) => n["@type"]?.AsArray().Any(t => t!.GetValue<string>() == type) == true;
        string[] Values(JsonObject n, string p) => n[p]?.AsArray().Select(v => (v!["@value"] ?? v["@id"])!.GetValue<string>()).ToArray() ?? [];
        const string dct = "http://purl.org/dc/terms/", dcat = "http://www.w3.org/ns/dcat#", foaf = "http://xmlns.com/foaf/0.1/";

        var catalog = graph.Single(n => Is(n, dcat + "Catalog"));
        Values(catalog, dct + "title").ShouldHaveSingleItem();
        Values(catalog, dct + "description").ShouldHaveSingleItem();
        var publisher = Node(Values(catalog, dct + "publisher").Single())!;
        Values(publisher, foaf + "name").ShouldHaveSingleItem();
        var datasets = graph.Where(n => Is(n, dcat + "Dataset")).ToList();
        datasets.Count.ShouldBe(expected.Count - (last - 1) * 100);
        Values(catalog, dcat + "dataset").Length.ShouldBe(datasets.Count);
        foreach (var ds in datasets)
        {
            Values(ds, dct + "title").ShouldHaveSingleItem();
            Values(ds, dct + "description").ShouldHaveSingleItem();
            var dist = Node(Values(ds, dcat + "distribution").Single())!;
            Values(dist, dcat + "accessURL").ShouldHaveSingleItem();
            Node(Values(ds, dct + "publisher").Single())![foaf + "name"].ShouldNotBeNull();
            Values(ds, dct + "accrualPeriodicity").Single().ShouldStartWith("http://publications.europa.eu/resource/authority/frequency/");
            Values(ds, dct + "accessRights").Single().ShouldBeOneOf(
                "http://publications.europa.eu/resource/authority/access-right/PUBLIC", "http://publications.europa.eu/resource/authority/access-right/RESTRICTED");
            expected.ShouldContain(Regex.Match(ds["@id"]!.GetValue<string>(), "/portal/datasets/([0-9]+-[0-9]+)#dataset$").Groups[1].Value);
        }
        var service = graph.Single(n => Is(n, dcat + "DataService"));
        Values(service, dct + "title").ShouldHaveSingleItem();
        Values(service, dcat + "endpointURL").Single().ShouldBe("http://localhost/api/3/action/");

        (await client.GetAsync("/catalog.ttl?page=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("/catalog.ttl?page=" + (last + 1))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Dcat_dataset_documents_map_update_cycles_themes_and_open_types_to_eu_vocabularies()
    {
        var entry = await PortalTestKit.PublishAsync(App, PortalTestKit.Resource("DCAT映射测试" + Guid.NewGuid().ToString("N")[..6],
            openCondition: "仅限科研用途"));
        var client = Public();
        var ttl = await Html(await client.GetAsync($"/portal/datasets/{entry.Package}.ttl"));
        ttl.ShouldContain("<http://publications.europa.eu/resource/authority/frequency/MONTHLY>");
        ttl.ShouldContain("<http://publications.europa.eu/resource/authority/access-right/RESTRICTED>");
        ttl.ShouldContain("<http://publications.europa.eu/resource/authority/data-theme/ECON>");
        ttl.ShouldContain("<http://publications.europa.eu/resource/authority/file-type/CSV>");
        ttl.ShouldContain("<http://publications.europa.eu/resource/authority/language/ZHO>");
        ttl.ShouldContain($"dct:identifier \"{entry.Code}\"");
        ttl.ShouldContain("有条件开放：仅限科研用途");
        PortalTestKit.ShouldHaveNoViolations(await PortalTestKit.ValidateDcatAsync(ttl, jsonLd: false));
        // The validator bites: without the mandatory description, or with an untyped frequency, the same document fails.
        var noDescription = await PortalTestKit.ValidateDcatAsync(ttl.Replace("dct:description", "dct:abstract"), jsonLd: false);
        noDescription["violations"]!.AsArray().Select(v => v!["path"]!.GetValue<string>()).ShouldContain("http://purl.org/dc/terms/description");
        var untyped = await PortalTestKit.ValidateDcatAsync(ttl.Replace(" a dct:Frequency", " a skos:Concept"), jsonLd: false);
        untyped["violations"]!.AsArray().Select(v => v!["path"]!.GetValue<string>()).ShouldContain("http://purl.org/dc/terms/accrualPeriodicity");

        var jsonld = await client.GetAsync($"/portal/datasets/{entry.Package}.jsonld");
        jsonld.Content.Headers.ContentType!.MediaType.ShouldBe("application/ld+json");
        var jsonText = await jsonld.Content.ReadAsStringAsync();
        var report = await PortalTestKit.ValidateDcatAsync(jsonText, jsonLd: true);
        PortalTestKit.ShouldHaveNoViolations(report);
        var graph = JsonNode.Parse(jsonText)!["@graph"]!.AsArray();
        graph.Single(n => n!["@id"]!.GetValue<string>().EndsWith("#dataset", StringComparison.Ordinal))!["http://purl.org/dc/terms/title"]![0]!["@value"]!
            .GetValue<string>().ShouldBe(entry.Name);
    }
}
