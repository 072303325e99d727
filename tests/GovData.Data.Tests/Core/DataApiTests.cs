using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GovData.Tests.Common.Web;

namespace GovData.Data.Tests.Core;

public sealed class SqliteDataApiTests(DataSqliteApp app) : DataApiTests<DataSqliteApp>(app), IClassFixture<DataSqliteApp>;

public sealed class PostgresDataApiTests(DataPostgresApp app) : DataApiTests<DataPostgresApp>(app), IClassFixture<DataPostgresApp>;

/// <summary>/api/v1/data over the real host: resources, bad input in Chinese, authorization, files, links, versions.</summary>
public abstract class DataApiTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : DataAppFactory
{
    private static string P(string code) => "/api/v1/data/" + Uri.EscapeDataString(code);

    private static Task<JsonNode> Ok(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK) => DataAppFactory.Ok(r, expected);

    private static MultipartFormDataContent Multipart(byte[] content, string fileName, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return form;
    }

    [Fact]
    public async Task Resources_list_and_summary_show_the_data_status()
    {
        var code = await App.ShenzhenAsync();
        var client = await App.LoginAsync("scjg_cataloger");
        var list = await Ok(await client.GetAsync("/api/v1/data/resources?pageSize=200&keyword=" + Uri.EscapeDataString("深圳通")));
        var item = list["items"]!.AsArray().Single(i => i!["code"]!.GetValue<string>() == code)!;
        item["structured"]!.GetValue<bool>().ShouldBeTrue();
        item["updateCycle"]!.GetValue<string>().ShouldBe("每日");
        item["timeliness"]!["label"]!.GetValue<string>().ShouldBe("未加载");

        var summary = await Ok(await client.GetAsync(P(code)));
        summary["name"]!.GetValue<string>().ShouldBe("深圳通刷卡数据（测试）");
        summary["canManage"]!.GetValue<bool>().ShouldBeTrue();
        summary["currentVersion"].ShouldBeNull();
        summary["recentLoads"]!.AsArray().ShouldBeEmpty();

        var other = await App.LoginAsync("rst_cataloger");
        var seen = await Ok(await other.GetAsync(P(code)));
        seen["canManage"]!.GetValue<bool>().ShouldBeFalse();
        seen["recentLoads"].ShouldBeNull();
        (await Ok(await client.GetAsync("/api/v1/data/resources?timeliness=soon"), HttpStatusCode.BadRequest))["errors"]!["timeliness"]![0]!
            .GetValue<string>().ShouldContain("ontime");
        (await App.CreateBrowserClient().GetAsync("/api/v1/data/resources")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Bad_input_is_refused_in_chinese_before_anything_is_stored()
    {
        var code = await App.ShenzhenAsync();
        var client = await App.LoginAsync("scjg_cataloger");
        var csv = Encoding.UTF8.GetBytes("deal_date,card_no\n2018-08-31 22:14:50,ABC\n");

        var badCode = await Ok(await client.GetAsync("/api/v1/data/12345"), HttpStatusCode.BadRequest);
        badCode["errors"]!["code"]![0]!.GetValue<string>().ShouldContain("信息资源代码无效");
        var unknown = await Ok(await client.PostAsync(P("102003/99999") + "/loads", Multipart(csv, "a.csv")), HttpStatusCode.NotFound);
        unknown["detail"]!.GetValue<string>().ShouldBe("信息资源“102003/99999”不存在或尚未发布（只有已发布的目录资源可以挂接数据）");
        unknown["title"]!.GetValue<string>().ShouldBe("未找到");

        var mode = await Ok(await client.PostAsync(P(code) + "/loads?mode=replace", Multipart(csv, "a.csv")), HttpStatusCode.BadRequest);
        mode["errors"]!["mode"]![0]!.GetValue<string>().ShouldContain("加载方式“replace”无效");
        var modeInForm = await Ok(await client.PostAsync(P(code) + "/loads", Multipart(csv, "a.csv", ("mode", "merge"), ("threshold", "abc"))), HttpStatusCode.BadRequest);
        modeInForm["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["mode", "threshold"], ignoreOrder: true);
        var append = await Ok(await client.PostAsync(P(code) + "/loads?mode=append", Multipart(csv, "a.csv")), HttpStatusCode.Conflict);
        append["detail"]!.GetValue<string>().ShouldContain("请先进行一次全量加载");
        var noFile = await Ok(await client.PostAsync(P(code) + "/loads", new MultipartFormDataContent { { new StringContent("full"), "mode" } }), HttpStatusCode.BadRequest);
        noFile["errors"]!["file"]![0]!.GetValue<string>().ShouldContain("请求中没有文件");
        var noName = await Ok(await client.PostAsync(P(code) + "/loads", new ByteArrayContent(csv)), HttpStatusCode.BadRequest);
        noName["errors"]!["file"]![0]!.GetValue<string>().ShouldContain("请提供文件名");

        var tooLarge = await Ok(await client.PostAsync(P(code) + "/loads", Multipart(new byte[DataAppFactory.UploadLimit + 1], "big.csv")), HttpStatusCode.RequestEntityTooLarge);
        tooLarge["detail"]!.GetValue<string>().ShouldContain("上传的文件超过大小限制");
        var rawTooLarge = await client.PostAsync(P(code) + "/loads?fileName=big.csv", new ByteArrayContent(new byte[DataAppFactory.UploadLimit + 10]));
        rawTooLarge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        var otherDept = await App.LoginAsync("rst_cataloger");
        var denied = await Ok(await otherDept.PostAsync(P(code) + "/loads", Multipart(csv, "a.csv")), HttpStatusCode.Forbidden);
        denied["detail"]!.GetValue<string>().ShouldContain("所属部门");
        var user = await App.LoginAsync("rst_user");
        (await user.PostAsync(P(code) + "/loads", Multipart(csv, "a.csv"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Nothing was queued and no upload was kept.
        (await Ok(await client.GetAsync(P(code) + "/loads"))).AsArray().ShouldBeEmpty();
        var blobs = Path.Combine(App.DataFolder, "blobs", "uploads");
        (Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories) : []).ShouldBeEmpty();
    }

    [Fact]
    public async Task Files_are_stored_with_their_sha256_and_served_to_the_department_only()
    {
        var code = await App.ShenzhenAsync();
        var client = await App.LoginAsync("scjg_cataloger");
        var content = Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html> 数据说明");
        var form = new MultipartFormDataContent { { new StringContent("数据说明文档"), "description" } };
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/html");
        form.Add(part, "file", "说明.html");
        var created = await client.PostAsync(P(code) + "/files", form);
        var file = await Ok(created, HttpStatusCode.Created);
        file["sha256"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(content)));
        file["size"]!.GetValue<long>().ShouldBe(content.Length);
        file["fileName"]!.GetValue<string>().ShouldBe("说明.html");
        created.Headers.Location!.OriginalString.ShouldBe(file["url"]!.GetValue<string>());

        var download = await client.GetAsync(file["url"]!.GetValue<string>());
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(content);
        download.Headers.GetValues("X-Content-SHA256").Single().ShouldBe(file["sha256"]!.GetValue<string>());
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");       // never rendered as HTML here
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");

        (await Ok(await client.GetAsync(P(code) + "/files"))).AsArray().Select(f => f!["description"]!.GetValue<string>()).ShouldContain("数据说明文档");
        (await (await App.LoginAsync("rst_cataloger")).GetAsync(file["url"]!.GetValue<string>())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await App.LoginAsync("rst_cataloger")).PostAsync(P(code) + "/files", Multipart(content, "x.txt"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await client.DeleteAsync(file["url"]!.GetValue<string>())).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync(file["url"]!.GetValue<string>())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Links_and_retention_validate_their_input()
    {
        var code = await App.ShenzhenAsync();
        var client = await App.LoginAsync("scjg_cataloger");
        var bad = await Ok(await client.PostAsJsonAsync(P(code) + "/links", new { url = "javascript:alert(1)" }), HttpStatusCode.BadRequest);
        bad["errors"]!["url"]![0]!.GetValue<string>().ShouldContain("http://");
        await Ok(await client.PostAsJsonAsync(P(code) + "/links", new { url = "https://opendata.sz.gov.cn/data/api/toApiDetails/29200_00403601", description = "深圳开放数据接口" }),
            HttpStatusCode.Created);
        (await Ok(await client.GetAsync(P(code) + "/links"))).AsArray().Single()!["description"]!.GetValue<string>().ShouldBe("深圳开放数据接口");

        (await Ok(await client.PutAsJsonAsync(P(code) + "/retention", new { retention = 0 }), HttpStatusCode.BadRequest))["errors"]!["retention"]![0]!
            .GetValue<string>().ShouldContain("1 到 100");
        (await Ok(await client.PutAsJsonAsync(P(code) + "/retention", new { retention = 3 })))["retention"]!.GetValue<int>().ShouldBe(3);
        var versions = await Ok(await client.GetAsync(P(code) + "/versions"));
        versions["retention"]!.GetValue<int>().ShouldBe(3);
        versions["versions"]!.AsArray().ShouldBeEmpty();
        (await Ok(await client.PostAsync(P(code) + "/versions/1/activate", null), HttpStatusCode.NotFound))["detail"]!.GetValue<string>().ShouldContain("没有第 1 版");
    }

    [Fact]
    public async Task The_api_is_described_in_openapi()
    {
        var doc = await Ok(await App.CreateBrowserClient().GetAsync("/openapi/v1.json"));
        var paths = doc["paths"]!.AsObject();
        foreach (var path in new[] { "/api/v1/data/resources", "/api/v1/data/{code}", "/api/v1/data/{code}/loads", "/api/v1/data/loads/{id}",
                     "/api/v1/data/loads/{id}/rejected", "/api/v1/data/loads/{id}/cancel", "/api/v1/data/{code}/versions",
                     "/api/v1/data/{code}/versions/{number}/activate", "/api/v1/data/{code}/retention", "/api/v1/data/{code}/files",
                     "/api/v1/data/{code}/files/{id}" })
            paths.ContainsKey(path).ShouldBeTrue(path);
        paths["/api/v1/data/{code}/loads"]!["post"]!["summary"]!.GetValue<string>().ShouldBe("提交数据加载");
        paths["/api/v1/data/{code}/loads"]!["post"]!["description"]!.GetValue<string>().ShouldContain("%2F");
    }
}
