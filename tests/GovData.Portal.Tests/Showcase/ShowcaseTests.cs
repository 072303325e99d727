using System.Net;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Portal.Tests.Feedback;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Tests.Showcase;

/// <summary>
/// 应用展示 over the real host (SQLite and PostgreSQL; the feedback hosts: hourly limit 5, one configured sensitive
/// word): submissions refused with the field and nothing stored (anonymous, unverified, empty name, bad address, unknown
/// dataset, sensitive word, the hourly limit shared with comments); moderation only by the platform administrator;
/// nothing public before approval, after refusal or hiding; approved applications on the list, their page (text escaped),
/// the pages of the datasets they use and the home page.
/// </summary>
public abstract class ShowcaseTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private const string SubmitPage = "/portal/apps/submit";
    private const string ConsolePage = "/console/portal/showcase";

    private static async Task<string> Body(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text.Length > 3000 ? text[..3000] : text);
        return text;
    }

    private async Task<OpenDataset> OpenDatasetAsync() => await App.WithScopeAsync(async sp =>
    {
        var catalog = sp.GetRequiredService<IOpenCatalog>();
        var hits = (await catalog.SearchAsync(new OpenCatalogQuery { OpenType = OpenType.Unconditional, Limit = 500 })).Page!.Items;
        // A name no other open dataset shares (names are matched exactly).
        return hits.Select(h => h.Dataset).GroupBy(d => d.Name).Where(g => g.Count() == 1).Select(g => g.Single())
            .OrderBy(d => d.Code.ToString(), StringComparer.Ordinal).First();
    });

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string? name, string? description, string? url, string? datasets) =>
        client.PostFormAsync(SubmitPage, [new("Name", name ?? ""), new("Description", description ?? ""), new("Url", url ?? ""), new("Datasets", datasets ?? "")]);

    private Task<long> AppsNamedAsync(string name) =>
        Accounts.CountAsync(App, "SELECT COUNT(*) FROM portal_showcase_apps WHERE name = @name", new { name });

    private async Task<Guid> IdOfAsync(string name)
    {
        await using var connection = await App.Database.OpenConnectionAsync();
        var id = await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT CAST(id AS TEXT) FROM portal_showcase_apps WHERE name = @name", new { name });
        return Guid.Parse(id!);
    }

    private const string Description = "基于开放的企业登记数据，为创业者提供同名企业查询和行业分布地图。";

    [Fact]
    public async Task Bad_submissions_are_refused_naming_the_field_and_nothing_is_stored()
    {
        var dataset = await OpenDatasetAsync();
        var name = "测试应用" + Guid.NewGuid().ToString("N")[..6];

        // Anonymous: the page asks to sign in, a post is 401.
        var anonymous = App.CreateBrowserClient();
        var page = await Body(await anonymous.GetAsync(SubmitPage), HttpStatusCode.OK);
        page.ShouldContain("请先登录后再提交");
        page.ShouldNotContain("id=\"datasets\"");
        (await Body(await anonymous.PostFormAsync("/account/login", [new("Name", name)], SubmitPage), HttpStatusCode.Unauthorized)).ShouldContain("请先登录后再提交");

        // Unverified account: 403.
        var email = Accounts.NewEmail("app");
        (await Accounts.RegisterAsync(App.CreateBrowserClient(), email)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var unverified = await App.LoginAsync(email, Accounts.Password);
        (await Body(await SubmitAsync(unverified, name, Description, "https://example.cn/app", dataset.Name), HttpStatusCode.Forbidden))
            .ShouldContain("您的电子邮箱尚未验证");

        var (client, _) = await Accounts.VerifiedUserAsync(App, "应用开发者");
        (await Body(await SubmitAsync(client, "", Description, "https://example.cn/app", dataset.Name), HttpStatusCode.BadRequest))
            .ShouldContain("<p class=\"field-error\" id=\"name-error\">请填写应用名称</p>");
        (await Body(await SubmitAsync(client, name, "太短", "https://example.cn/app", dataset.Name), HttpStatusCode.BadRequest))
            .ShouldContain("id=\"description-error\">应用简介至少需要10个字");
        foreach (var bad in new[] { "", "example.cn/app", "ftp://example.cn/app", "javascript:alert(1)", "https://" + new string('a', 600) + ".cn" })
        {
            var html = await Body(await SubmitAsync(client, name, Description, bad, dataset.Name), HttpStatusCode.BadRequest);
            html.ShouldContain("id=\"url-error\">", customMessage: bad);
        }
        (await Body(await SubmitAsync(client, name, Description, "https://example.cn/app", ""), HttpStatusCode.BadRequest))
            .ShouldContain("id=\"datasets-error\">请填写应用使用的开放数据集名称");
        var unknown = await Body(await SubmitAsync(client, name, Description, "https://example.cn/app", dataset.Name + "\n不存在的数据集XYZ"), HttpStatusCode.BadRequest);
        unknown.ShouldContain("数据集“不存在的数据集XYZ”不在开放目录中");
        unknown.ShouldContain(Description, customMessage: "the input is kept");
        (await Body(await SubmitAsync(client, name, Description + FeedbackSettings.ConfiguredWord, "https://example.cn/app", dataset.Name), (HttpStatusCode)422))
            .ShouldContain($"内容含有不宜发布的词语“{FeedbackSettings.ConfiguredWord}”");
        (await AppsNamedAsync(name)).ShouldBe(0);
    }

    [Fact]
    public async Task The_hourly_limit_is_shared_with_comments()
    {
        var dataset = await OpenDatasetAsync();
        var (client, _) = await Accounts.VerifiedUserAsync(App, "勤快的开发者");
        var prefix = "限额应用" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < FeedbackSettings.PostsPerHour; i++)
            (await SubmitAsync(client, prefix + i, Description, "https://example.cn/" + i, dataset.Name)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Body(await SubmitAsync(client, prefix + "X", Description, "https://example.cn/x", dataset.Name), HttpStatusCode.TooManyRequests))
            .ShouldContain("提交过于频繁");
        (await AppsNamedAsync(prefix + "X")).ShouldBe(0);
        // Applications count against comments too.
        var package = dataset.Code.Prefix + "-" + dataset.Code.Suffix;
        (await Body(await client.PostFormAsync("/portal/datasets/" + package, [new("body", "这是一条测试评论")], $"/portal/datasets/{package}/feedback?handler=comment"),
            HttpStatusCode.TooManyRequests)).ShouldContain("提交过于频繁");
    }

    [Fact]
    public async Task Only_approved_applications_are_public_and_only_the_platform_administrator_moderates()
    {
        var dataset = await OpenDatasetAsync();
        var package = dataset.Code.Prefix + "-" + dataset.Code.Suffix;
        var (client, _) = await Accounts.VerifiedUserAsync(App, "应用开发者");
        var name = "企业地图" + Guid.NewGuid().ToString("N")[..6];
        var script = "<script>alert('app')</script>";
        var submitted = await SubmitAsync(client, name, Description + script, "https://example.cn/map?a=1&b=2", dataset.Name);
        submitted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await submitted.Content.ReadAsStringAsync());
        var id = await IdOfAsync(name);
        var path = "/portal/apps/" + id.ToString("N");
        var mine = await Body(await client.GetAsync(SubmitPage), HttpStatusCode.OK);
        mine.ShouldContain("应用已提交，待平台管理员审核");
        mine.ShouldContain("待审核");

        async Task ShouldNotBePublic()
        {
            var visitor = App.CreateBrowserClient();
            (await Body(await visitor.GetAsync("/portal/apps"), HttpStatusCode.OK)).ShouldNotContain(name);
            await Body(await visitor.GetAsync(path), HttpStatusCode.NotFound);
            (await Body(await visitor.GetAsync("/portal/datasets/" + package), HttpStatusCode.OK)).ShouldNotContain(name);
            (await Body(await visitor.GetAsync("/portal"), HttpStatusCode.OK)).ShouldNotContain(name);
        }
        await ShouldNotBePublic();

        // Not the platform administrator: refused (the platform's access-denied page), nothing changes.
        foreach (var user in new[] { "scjg_admin", "reviewer" })
        {
            var staff = await App.LoginAsync(user);
            var get = await staff.GetAsync(ConsolePage);
            get.StatusCode.ShouldBe(HttpStatusCode.Redirect, user);
            get.Headers.Location!.OriginalString.ShouldContain("/account/denied");
        }
        var denied = await client.PostFormAsync(SubmitPage, [new("id", id.ToString()), new("action", "approve")], ConsolePage);
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        denied.Headers.Location!.OriginalString.ShouldContain("/account/denied");
        await ShouldNotBePublic();

        // The administrator: a refusal needs a reason; approval publishes it.
        var admin = await App.LoginAsync("admin");
        (await Body(await admin.GetAsync(ConsolePage), HttpStatusCode.OK)).ShouldContain(name);
        (await Body(await admin.PostFormAsync(ConsolePage, [new("id", id.ToString()), new("action", "reject"), new("note", "")]), HttpStatusCode.BadRequest))
            .ShouldContain("请填写不予通过的原因");
        (await Body(await admin.PostFormAsync(ConsolePage, [new("id", id.ToString()), new("action", "hide"), new("note", "x")]), HttpStatusCode.Conflict))
            .ShouldContain("当前为待审核，不能隐藏");
        (await admin.PostFormAsync(ConsolePage, [new("id", id.ToString()), new("action", "approve")])).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var visitor = App.CreateBrowserClient();
        (await Body(await visitor.GetAsync("/portal/apps"), HttpStatusCode.OK)).ShouldContain($"<a href=\"{path}\">{name}</a>");
        var detail = await Body(await visitor.GetAsync(path), HttpStatusCode.OK);
        detail.ShouldNotContain(script);
        detail.ShouldContain("&lt;script&gt;alert(&#x27;app&#x27;)&lt;/script&gt;");
        detail.ShouldContain("href=\"https://example.cn/map?a=1&amp;b=2\"");
        detail.ShouldContain($"<a href=\"/portal/datasets/{package}\">");
        var datasetPage = await Body(await visitor.GetAsync("/portal/datasets/" + package), HttpStatusCode.OK);
        datasetPage.ShouldContain("使用该数据的应用");
        datasetPage.ShouldContain($"<a href=\"{path}\">{name}</a>");
        (await Body(await visitor.GetAsync("/portal"), HttpStatusCode.OK)).ShouldContain($"<a href=\"{path}\"><strong>{name}</strong>");

        // Hidden later (reason required): no longer public; the author sees why.
        (await Body(await admin.PostFormAsync(ConsolePage, [new("id", id.ToString()), new("action", "hide"), new("note", "")]), HttpStatusCode.BadRequest))
            .ShouldContain("请填写隐藏的原因");
        (await admin.PostFormAsync(ConsolePage, [new("id", id.ToString()), new("action", "hide"), new("note", "应用地址无法访问")])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await ShouldNotBePublic();
        mine = await Body(await client.GetAsync(SubmitPage), HttpStatusCode.OK);
        mine.ShouldContain("已隐藏");
        mine.ShouldContain("应用地址无法访问");

        // A refused application is never public.
        var other = "被拒应用" + Guid.NewGuid().ToString("N")[..6];
        (await SubmitAsync(client, other, Description, "http://example.cn/other", dataset.Code.ToString())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var otherId = await IdOfAsync(other);
        (await admin.PostFormAsync(ConsolePage, [new("id", otherId.ToString()), new("action", "reject"), new("note", "与开放数据无关")])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await Body(await visitor.GetAsync("/portal/apps/" + otherId.ToString("N")), HttpStatusCode.NotFound);
        (await Body(await visitor.GetAsync("/portal/apps"), HttpStatusCode.OK)).ShouldNotContain(other);
        (await Body(await admin.PostFormAsync(ConsolePage, [new("id", otherId.ToString()), new("action", "approve")]), HttpStatusCode.Conflict))
            .ShouldContain("当前为未通过");
        (await Body(await client.GetAsync(SubmitPage), HttpStatusCode.OK)).ShouldContain("与开放数据无关");
    }
}

public sealed class SqliteShowcaseTests(FeedbackSqliteAppFactory app) : ShowcaseTests<FeedbackSqliteAppFactory>(app), IClassFixture<FeedbackSqliteAppFactory>;

public sealed class PostgresShowcaseTests(FeedbackPostgresAppFactory app) : ShowcaseTests<FeedbackPostgresAppFactory>(app), IClassFixture<FeedbackPostgresAppFactory>;
