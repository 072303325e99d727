using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovData.Catalog.Tests.Infrastructure;

namespace GovData.Catalog.Tests;

[Collection(WebCollection.Name)]
public sealed class CatalogApiTests(CatalogWebFactory factory)
{
    private static object Enterprise(string name, string classification = "102003") => new
    {
        classificationCode = classification,
        name,
        @abstract = "企业法人的登记基本信息，包括统一社会信用代码、法人名称、批准时间等。",
        formatCategory = "数据库",
        formatType = "oracle",
        items = new object[]
        {
            new { name = "统一社会信用代码", fieldCode = "credit_code", dataType = "C,18", required = true, isKey = true, sensitivity = "公开" },
            new { name = "法人名称", fieldCode = "legal_name", dataType = "C,50", required = true, sensitivity = "公开" },
            new { name = "批准时间", fieldCode = "approval_date", dataType = "D,10", sensitivity = "公开" },
        },
        shareType = "无条件共享",
        shareChannel = "共享平台方式",
        shareMethodType = "接口(服务)",
        isOpen = true,
        openCondition = (string?)null,
        updateCycle = "每日",
        keywords = new[] { "企业", "法人" },
    };

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!;
    }

    private static string Path(string code) => "/api/v1/catalog/resources/" + Uri.EscapeDataString(code);

    [Fact]
    public async Task A_compiler_creates_a_resource_and_a_reviewer_publishes_it_into_the_shared_and_open_catalogs()
    {
        var compiler = await factory.LoginAsync("scjg_cataloger");
        var created = await compiler.PostAsJsonAsync("/api/v1/catalog/resources", Enterprise("企业法人库（接口测试）"));
        var entry = await Json(created, HttpStatusCode.Created);
        var code = entry["code"]!.GetValue<string>();
        code.ShouldStartWith("102003/");
        created.Headers.Location!.OriginalString.ShouldBe(Path(code));
        entry["status"]!.GetValue<string>().ShouldBe("草稿");
        entry["working"]!["items"]!.AsArray().Select(i => i!["typeText"]!.GetValue<string>()).ShouldBe(["C,18", "C,50", "D,10"]);
        entry["working"]!["openType"]!.GetValue<string>().ShouldBe("无条件开放");

        // The code's '/' travels as %2F in the path; the id works as well.
        (await Json(await compiler.GetAsync(Path(code)), HttpStatusCode.OK))["code"]!.GetValue<string>().ShouldBe(code);
        (await Json(await compiler.GetAsync($"/api/v1/catalog/resources/{entry["id"]}"), HttpStatusCode.OK))["code"]!.GetValue<string>().ShouldBe(code);

        var submitted = await Json(await compiler.PostAsJsonAsync(Path(code) + "/submit", new { version = entry["version"]!.GetValue<int>() }), HttpStatusCode.OK);
        submitted["status"]!.GetValue<string>().ShouldBe("待审核");

        var reviewer = await factory.LoginAsync("reviewer");
        var queue = await Json(await reviewer.GetAsync("/api/v1/catalog/review-queue?pageSize=200"), HttpStatusCode.OK);
        queue["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()).ShouldContain(code);
        var approved = await Json(await reviewer.PostAsJsonAsync(Path(code) + "/approve", new { version = submitted["version"]!.GetValue<int>(), comment = "同意发布" }), HttpStatusCode.OK);
        approved["status"]!.GetValue<string>().ShouldBe("已发布");
        approved["published"]!["publishDate"]!.GetValue<string>().ShouldMatch(@"^\d{4}-\d{2}-\d{2}$");

        var shared = await Json(await compiler.GetAsync("/api/v1/catalog/views/shared?keyword=" + Uri.EscapeDataString("接口测试")), HttpStatusCode.OK);
        shared["items"]!.AsArray().Single()!["code"]!.GetValue<string>().ShouldBe(code);
        var open = await Json(await factory.Anonymous().GetAsync("/api/v1/catalog/views/open?keyword=" + Uri.EscapeDataString("接口测试")), HttpStatusCode.OK);
        open["items"]!.AsArray().Single()!["isOpen"]!.GetValue<string>().ShouldBe("是");

        var history = await Json(await compiler.GetAsync(Path(code) + "/history"), HttpStatusCode.OK);
        history.AsArray().Select(h => h!["actionLabel"]!.GetValue<string>()).ShouldBe(["审核通过", "报送", "新建"]);
        history.AsArray()[0]!["actorName"]!.GetValue<string>().ShouldBe("目录审核员（演示）");
    }

    [Fact]
    public async Task Errors_are_problem_details_with_chinese_messages_per_field()
    {
        var compiler = await factory.LoginAsync("scjg_cataloger");
        var bad = await compiler.PostAsJsonAsync("/api/v1/catalog/resources", new { classificationCode = "102003", name = new string('名', 51) });
        var problem = await Json(bad, HttpStatusCode.BadRequest);
        problem["title"]!.GetValue<string>().ShouldBe("请求参数有误");
        problem["errors"]!["name"]![0]!.GetValue<string>().ShouldContain("不能超过50个字");

        var draft = await Json(await compiler.PostAsJsonAsync("/api/v1/catalog/resources", new { classificationCode = "102003", name = "只有名称的草稿" }), HttpStatusCode.Created);
        var code = draft["code"]!.GetValue<string>();
        var submit = await Json(await compiler.PostAsJsonAsync(Path(code) + "/submit", new { version = draft["version"]!.GetValue<int>() }), HttpStatusCode.BadRequest);
        submit["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["abstract", "formatCategory", "shareType", "openType", "updateCycle"], ignoreOrder: true);
        submit["errors"]!["shareType"]![0]!.GetValue<string>().ShouldContain("共享类型不能为空");

        var stale = await Json(await compiler.PutAsJsonAsync(Path(code), new { version = 99, resource = Enterprise("过期的修改") }), HttpStatusCode.Conflict);
        stale["title"]!.GetValue<string>().ShouldBe("数据冲突");
        stale["detail"]!.GetValue<string>().ShouldContain("已被他人修改");

        var illegal = await Json(await compiler.PostAsJsonAsync(Path(code) + "/recall", new { version = draft["version"]!.GetValue<int>() }), HttpStatusCode.Conflict);
        illegal["detail"]!.GetValue<string>().ShouldStartWith("当前状态为“草稿”，不能撤回报送");

        var preview = await Json(await compiler.PostAsJsonAsync("/api/v1/catalog/resources/validate?mode=submit", Enterprise("预览")), HttpStatusCode.OK);
        preview["valid"]!.GetValue<bool>().ShouldBeTrue();
        preview["codePreview"]!.GetValue<string>().ShouldStartWith("102003/");
    }

    [Fact]
    public async Task Another_departments_compiler_cannot_touch_the_entry_and_anonymous_callers_are_turned_away()
    {
        var scjg = await factory.LoginAsync("scjg_cataloger");
        var draft = await Json(await scjg.PostAsJsonAsync("/api/v1/catalog/resources", Enterprise("人社不可见的草稿")), HttpStatusCode.Created);
        var code = draft["code"]!.GetValue<string>();
        var rst = await factory.LoginAsync("rst_cataloger");
        (await Json(await rst.GetAsync(Path(code)), HttpStatusCode.NotFound))["title"]!.GetValue<string>().ShouldBe("未找到");
        (await rst.PutAsJsonAsync(Path(code), new { version = draft["version"]!.GetValue<int>(), resource = Enterprise("越权修改") })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var rstList = await Json(await rst.GetAsync("/api/v1/catalog/resources?pageSize=200"), HttpStatusCode.OK);
        rstList["items"]!.AsArray().ShouldAllBe(i => i!["departmentName"]!.GetValue<string>().Contains("人力资源"));

        var anonymous = factory.Anonymous();
        var denied = await Json(await anonymous.GetAsync("/api/v1/catalog/resources"), HttpStatusCode.Unauthorized);
        denied["title"]!.GetValue<string>().ShouldBe("未登录或凭据无效");
        (await anonymous.PostAsJsonAsync("/api/v1/catalog/resources", Enterprise("匿名"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/api/v1/catalog/views/business")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/api/v1/catalog/views/open/facets")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Public accounts have no department: they read the open catalog only.
        var citizen = await factory.LoginAsync("citizen");
        (await citizen.GetAsync("/api/v1/catalog/views/shared")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_classification_tree_includes_the_guide_and_the_generated_departmental_branch()
    {
        var client = await factory.LoginAsync("scjg_cataloger");
        var tree = await Json(await client.GetAsync("/api/v1/catalog/classifications"), HttpStatusCode.OK);
        tree.AsArray().Select(n => n!["name"]!.GetValue<string>()).ShouldBe(["基础信息资源", "主题信息资源", "部门信息资源"]);
        var basic = tree.AsArray()[0]!["children"]!.AsArray();
        basic.Single(n => n!["code"]!.GetValue<string>() == "102")!["children"]!.AsArray().Select(n => n!["name"]!.GetValue<string>())
            .ShouldBe(["行政单位法人", "事业单位法人", "企业单位法人", "社团单位法人"]);
        var departmental = tree.AsArray()[2]!["children"]!.AsArray();
        var province = departmental.Single(n => n!["regionCode"]?.GetValue<string>() == "370000")!;
        province["code"]!.GetValue<string>().ShouldBe("330");
        province["children"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()).ShouldContain("山东省市场监督管理局（演示）");
        var flat = await Json(await client.GetAsync("/api/v1/catalog/classifications?classCode=3&flat=true"), HttpStatusCode.OK);
        flat.AsArray().ShouldAllBe(n => n!["classCode"]!.GetValue<int>() == 3);
        (await Json(await client.GetAsync("/api/v1/catalog/classifications/203"), HttpStatusCode.OK))["children"]!.AsArray().Count.ShouldBe(3);
        (await client.GetAsync("/api/v1/catalog/classifications/999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var terms = await Json(await client.GetAsync("/api/v1/catalog/terms"), HttpStatusCode.OK);
        terms["dataTypes"]!["D"]!.GetValue<string>().ShouldBe("日期型");
    }

    [Fact]
    public async Task The_demo_departments_catalog_exports_and_reimports_unchanged_and_bad_files_are_refused()
    {
        var compiler = await factory.LoginAsync("rst_cataloger");
        var export = await compiler.GetAsync("/api/v1/catalog/export");
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        export.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var bytes = await export.Content.ReadAsByteArrayAsync();
        var (resources, _) = CatalogTransferContract.Sheets(bytes);
        resources.Count.ShouldBeGreaterThan(10);
        resources.Skip(1).Select(r => r[^1]).ShouldContain("待审核");

        static MultipartFormDataContent Upload(byte[] content, string name)
        {
            var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(content), "file", name);
            return form;
        }
        var again = await Json(await compiler.PostAsync("/api/v1/catalog/import", Upload(bytes, "人社目录.xlsx")), HttpStatusCode.OK);
        again["created"]!.GetValue<int>().ShouldBe(0);
        again["updated"]!.GetValue<int>().ShouldBe(0);
        again["unchanged"]!.GetValue<int>().ShouldBe(resources.Count - 1);

        // Another department's export cannot be imported by this one.
        var scjg = await factory.LoginAsync("scjg_cataloger");
        var foreign = await (await scjg.GetAsync("/api/v1/catalog/export?format=csv")).Content.ReadAsByteArrayAsync();
        var refused = await Json(await compiler.PostAsync("/api/v1/catalog/import", Upload(foreign, "市场监管目录.zip")), HttpStatusCode.BadRequest);
        refused["detail"]!.GetValue<string>().ShouldContain("未导入任何数据");
        refused["errors"]!.AsObject().Select(e => e.Key).ShouldContain(k => k.StartsWith("信息资源/第2行/"));

        var template = await compiler.GetAsync("/api/v1/catalog/template?format=csv");
        template.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        (await compiler.GetAsync("/api/v1/catalog/export?format=pdf")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var shared = await compiler.GetAsync("/api/v1/catalog/export?view=shared");
        CatalogTransferContract.Sheets(await shared.Content.ReadAsByteArrayAsync()).Resources.Skip(1).Select(r => r[^1]).Distinct().ShouldBe(["已发布"]);
        var reviewer = await factory.LoginAsync("reviewer");
        (await reviewer.PostAsync("/api/v1/catalog/import", Upload(bytes, "x.xlsx"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_catalog_api()
    {
        var doc = JsonDocument.Parse(await factory.Anonymous().GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[]
                 {
                     "/api/v1/catalog/resources", "/api/v1/catalog/resources/{key}", "/api/v1/catalog/resources/{key}/submit",
                     "/api/v1/catalog/resources/{key}/approve", "/api/v1/catalog/resources/{key}/reject", "/api/v1/catalog/resources/{key}/withdraw",
                     "/api/v1/catalog/resources/{key}/history", "/api/v1/catalog/classifications", "/api/v1/catalog/views/business",
                     "/api/v1/catalog/views/shared", "/api/v1/catalog/views/open", "/api/v1/catalog/review-queue",
                     "/api/v1/catalog/export", "/api/v1/catalog/import", "/api/v1/catalog/template",
                 })
            paths.TryGetProperty(path, out _).ShouldBeTrue(path);
        paths.GetProperty("/api/v1/catalog/resources/{key}/submit").GetProperty("post").GetProperty("summary").GetString().ShouldBe("报送审核");
    }
}
