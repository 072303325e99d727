using System.Net;
using System.Text;
using GovData.Data.Persistence;
using GovData.Tests.Common.Web;

namespace GovData.Data.PageTests;

/// <summary>
/// The upload form with bad input (no file, an unknown option, a threshold that is not a number, a mode the resource
/// cannot take yet, no antiforgery token, another department): the form answers with the Chinese reason next to the field
/// and nothing is stored — no load, no file in the blob store.
/// </summary>
public abstract class UploadFormTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : DataPagesAppFactory
{
    private static readonly byte[] SmallCsv = Encoding.UTF8.GetBytes("日期,金额,名称\n2024-01-02,12.5,甲\n2024-01-03,7,乙\n");

    private static readonly object[] SmallItems =
    [
        new { name = "日期", fieldCode = "day", dataType = "D,10", required = true, sensitivity = "公开" },
        new { name = "金额", fieldCode = "amount", dataType = "N,10,2", sensitivity = "公开" },
        new { name = "名称", fieldCode = "title", dataType = "C,10", required = true, sensitivity = "公开" },
    ];

    private async Task<(HttpClient Client, string Code)> FreshAsync(string name)
    {
        var code = await App.PublishAsync(name, SmallItems);
        return (await App.LoginAsync("scjg_cataloger"), code);
    }

    private async Task NothingStoredAsync(string code, int uploadsBefore)
    {
        (await App.LoadsOfAsync(code)).ShouldBeEmpty();
        App.UploadedFiles().Count.ShouldBe(uploadsBefore);
    }

    [Fact]
    public async Task The_form_shows_the_options_and_the_size_limit()
    {
        var (client, code) = await FreshAsync("上传表单显示（页面测试）");
        var html = await client.HtmlAsync(DataPageClient.Page(code, "/upload"));
        html.ShouldContain("上传数据（第 1 步，共 2 步）");
        html.ShouldContain("id=\"mode-full\"");
        // Incremental modes need a current version: offered but disabled until the first full load.
        html.ShouldMatch("id=\"mode-append\"[^>]*disabled");
        html.ShouldContain("最大 4 GiB");
        // The token comes before every field, the file input last (the server checks them before storing the file).
        html.IndexOf("__RequestVerificationToken", StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf("name=\"mode\"", StringComparison.Ordinal));
        html.IndexOf("name=\"threshold\"", StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf("name=\"file\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_file_is_refused_in_Chinese_and_nothing_is_stored()
    {
        var (client, code) = await FreshAsync("上传无文件（页面测试）");
        var before = App.UploadedFiles().Count;
        var response = await client.UploadAsync(code, null, "", [new("mode", "full"), new("threshold", "5%")]);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        DataPageClient.TextOf(html, "file-error").ShouldBe("请选择要上传的文件");
        html.ShouldContain("aria-invalid=\"true\"");
        await NothingStoredAsync(code, before);
    }

    [Fact]
    public async Task A_threshold_that_is_not_a_number_is_refused_before_the_file_is_stored()
    {
        var (client, code) = await FreshAsync("上传阈值错误（页面测试）");
        var before = App.UploadedFiles().Count;
        var response = await client.UploadAsync(code, SmallCsv, "小表.csv", [new("mode", "full"), new("threshold", "abc")]);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        DataPageClient.TextOf(html, "threshold-error")!.ShouldStartWith("错误阈值“abc”无效");
        DataPageClient.TextOf(html, "file-error")!.ShouldContain("文件未保存");
        html.ShouldContain("value=\"abc\"");   // what was typed is shown again
        await NothingStoredAsync(code, before);
    }

    [Fact]
    public async Task Unknown_encoding_delimiter_and_format_are_named()
    {
        var (client, code) = await FreshAsync("上传选项错误（页面测试）");
        var before = App.UploadedFiles().Count;
        var response = await client.UploadAsync(code, SmallCsv, "小表.csv",
            [new("mode", "full"), new("encoding", "latin1"), new("delimiter", "ab"), new("format", "pdf")]);
        var html = await response.Content.ReadAsStringAsync();
        DataPageClient.TextOf(html, "encoding-error")!.ShouldContain("编码“latin1”不受支持");
        DataPageClient.TextOf(html, "delimiter-error")!.ShouldContain("分隔符“ab”无效");
        DataPageClient.TextOf(html, "format-error")!.ShouldContain("文件格式“pdf”不受支持");
        await NothingStoredAsync(code, before);
    }

    [Fact]
    public async Task Append_before_any_full_load_is_refused_and_nothing_is_stored()
    {
        var (client, code) = await FreshAsync("上传追加无版本（页面测试）");
        var before = App.UploadedFiles().Count;
        var response = await client.UploadAsync(code, SmallCsv, "小表.csv", [new("mode", "append")]);
        var html = await response.Content.ReadAsStringAsync();
        DataPageClient.TextOf(html, "mode-error")!.ShouldContain("请先进行一次全量加载");
        (await App.LoadsOfAsync(code)).ShouldBeEmpty();
        App.UploadedFiles().Count.ShouldBe(before);
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var (client, code) = await FreshAsync("上传空文件（页面测试）");
        var before = App.UploadedFiles().Count;
        var html = await (await client.UploadAsync(code, [], "空.csv", [new("mode", "full")])).Content.ReadAsStringAsync();
        DataPageClient.TextOf(html, "file-error")!.ShouldContain("空文件");
        await NothingStoredAsync(code, before);
    }

    [Fact]
    public async Task Without_the_antiforgery_token_the_upload_is_refused_and_nothing_is_stored()
    {
        var (client, code) = await FreshAsync("上传无令牌（页面测试）");
        var before = App.UploadedFiles().Count;
        var response = await client.UploadAsync(code, SmallCsv, "小表.csv", [new("mode", "full")], withToken: false);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await NothingStoredAsync(code, before);
    }

    [Fact]
    public async Task Another_departments_cataloger_gets_403_and_nothing_is_stored()
    {
        var (_, code) = await FreshAsync("上传越权（页面测试）");
        var before = App.UploadedFiles().Count;
        var other = await App.LoginAsync("rst_cataloger");
        var page = await other.GetAsync(DataPageClient.Page(code, "/upload"));
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().ShouldContain("/account/denied");
        // A forged post with a valid token of the other user's own session is refused the same way.
        var token = await other.GetAntiforgeryTokenAsync(DataPageClient.List);
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("full"), "mode" } };
        form.Add(new ByteArrayContent(SmallCsv), "file", "小表.csv");
        var post = await other.PostAsync(DataPageClient.Page(code, "/upload"), form);
        post.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        post.Headers.Location!.ToString().ShouldContain("/account/denied");
        await NothingStoredAsync(code, before);
    }

    [Fact]
    public async Task A_good_upload_is_stored_and_waits_for_its_mapping()
    {
        var (client, code) = await FreshAsync("上传成功待映射（页面测试）");
        var before = App.UploadedFiles().Count;
        var response = await client.UploadAsync(code, SmallCsv, "小表.csv", [new("mode", "full"), new("threshold", "10%"), new("nullMarkers", "-,无")]);
        var id = DataPageClient.LoadIdOf(response);
        response.Headers.Location!.ToString().ShouldBe(DataPageClient.Page(code, $"/loads/{id}/mapping"));
        var load = (await App.LoadsOfAsync(code)).ShouldHaveSingleItem();
        load.Id.ShouldBe(id);
        load.Status.ShouldBe(LoadStatus.Staged);
        load.Source.ShouldBe(LoadSource.Console);
        load.FileName.ShouldBe("小表.csv");
        load.OptionsJson.ShouldContain("\"threshold\":\"10%\"");
        App.UploadedFiles().Count.ShouldBe(before + 1);
    }
}

public sealed class UploadFormSqliteTests(DataPagesSqliteApp app) : UploadFormTests<DataPagesSqliteApp>(app), IClassFixture<DataPagesSqliteApp>;

public sealed class UploadFormPostgresTests(DataPagesPostgresApp app) : UploadFormTests<DataPagesPostgresApp>(app), IClassFixture<DataPagesPostgresApp>;
