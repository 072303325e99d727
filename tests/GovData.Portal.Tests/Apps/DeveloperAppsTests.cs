using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.Portal.Tests.Feedback;
using GovData.Tests.Common.Web;

namespace GovData.Portal.Tests.Apps;

/// <summary>
/// 我的应用 over the real host (SQLite and PostgreSQL): create an app and get its key once, call the open API with it under
/// the developer limits (headers equal the configured values), the page's numbers equal the calls made, rotation (old key
/// 401, new key continues the app's count), revocation, bad input next to the field with nothing stored, someone else's
/// app 403, unverified / non-developer / staff accounts refused, the one-POST upgrade to 开发者, the API documentation.
/// </summary>
public abstract class DeveloperAppsTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private static async Task<string> Body(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text.Length > 3000 ? text[..3000] : text);
        return text;
    }

    private static string Rows(string dataset, string query = "limit=2") => $"/api/v1/open/datasets/{dataset}/rows?{query}";

    private Task<long> AppCountAsync(string email) => DevApps.ScalarAsync<long>(App,
        "SELECT COUNT(*) FROM portal_apps a JOIN identity_users u ON u.id = a.user_id WHERE u.user_name = @e", new { e = email.ToLowerInvariant() });

    private Task<long> KeyCountAsync(string email) => DevApps.ScalarAsync<long>(App,
        "SELECT COUNT(*) FROM identity_api_keys k JOIN identity_users u ON u.id = k.user_id WHERE u.user_name = @e", new { e = email.ToLowerInvariant() });

    [Fact]
    public async Task A_developer_creates_an_app_sees_the_key_once_and_the_page_counts_the_calls_made()
    {
        var dataset = await DevApps.DatasetWithRowsAsync(App);
        var (client, email) = await DevApps.AccountAsync(App);
        var empty = await Body(await client.GetAsync(DevApps.List), HttpStatusCode.OK);
        empty.ShouldContain("id=\"apps-empty\"");
        empty.ShouldContain("创建应用并获取密钥");
        empty.ShouldNotContain("id=\"become-developer\"");

        var response = await DevApps.CreateAsync(client, "  数据查询小程序  ", "按企业名称查询法人信息", "https://example.cn/app");
        var created = await Body(response, HttpStatusCode.Created);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        created.ShouldContain("请立即保存 API 密钥");
        var secret = DevApps.SecretPattern().Matches(created).Select(m => m.Value).Distinct().ShouldHaveSingleItem();
        var prefix = secret[..11];

        // Stored: the app (name trimmed) bound to an Identity key with only the open API's scope; the secret is never shown again.
        (await AppCountAsync(email)).ShouldBe(1);
        (await DevApps.ScalarAsync<string>(App, "SELECT k.scopes FROM identity_api_keys k JOIN portal_apps a ON a.api_key_id = k.id WHERE a.name = @n",
            new { n = "数据查询小程序" })).ShouldBe("open:read");
        var list = await Body(await client.GetAsync(DevApps.List), HttpStatusCode.OK);
        list.ShouldNotContain(secret);
        list.ShouldContain(prefix);
        list.ShouldContain("尚未调用");
        var appId = Guid.Parse(System.Text.RegularExpressions.Regex.Match(list, @"data-app=""([0-9a-f\-]{36})""").Groups[1].Value);
        var page = await Body(await client.GetAsync(DevApps.AppPage(appId)), HttpStatusCode.OK);
        page.ShouldNotContain(secret);
        DevApps.Stat(page, "calls-today").ShouldBe(0);

        // Calls with the key: developer limits in the headers (the configured values, not the anonymous ones).
        var keyed = App.CreateApiKeyClient(secret);
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last = await keyed.GetAsync(Rows(dataset));
            var json = JsonNode.Parse(await Body(last, HttpStatusCode.OK))!;
            json["rows"]!.AsArray().Count.ShouldBe(2);
            last.Headers.GetValues("X-RateLimit-Limit").Single().ShouldBe(DevAppsSettings.KeyedPerMinute.ToString());
            last.Headers.GetValues("X-Daily-Quota-Limit").Single().ShouldBe(DevAppsSettings.KeyedPerDay.ToString());
        }
        // A call with a bad parameter still passes the gate: it counts, as the quota header says.
        var bad = await keyed.GetAsync(Rows(dataset, "limit=abc"));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var remaining = long.Parse(bad.Headers.GetValues("X-Daily-Quota-Remaining").Single());
        remaining.ShouldBe(DevAppsSettings.KeyedPerDay - 4);

        page = await Body(await client.GetAsync(DevApps.AppPage(appId)), HttpStatusCode.OK);
        DevApps.Stat(page, "calls-today").ShouldBe(4);
        DevApps.Stat(page, "remaining-today").ShouldBe(remaining);
        DevApps.Stat(page, "calls-30").ShouldBe(4);
        page.ShouldContain($"每分钟上限 {DevAppsSettings.KeyedPerMinute} 次");
        page.ShouldContain($"每日 {DevAppsSettings.KeyedPerDay} 次");
        page.ShouldContain($"<th scope=\"row\">{DateTime.Now:yyyy-MM-dd}</th><td class=\"num\">4</td>");
        list = await Body(await client.GetAsync(DevApps.List), HttpStatusCode.OK);
        list.ShouldContain("<td class=\"num calls-today\">4</td>");
        list.ShouldNotContain("尚未调用");
        (await DevApps.ScalarAsync<long>(App, "SELECT calls FROM portal_api_windows WHERE caller = @c AND period LIKE 'd%'",
            new { c = "app:" + appId })).ShouldBe(4);

        // Earlier days come from the gate's day windows of the app: yesterday counts in the 30 days, 30 days ago does not.
        var today = DateOnly.FromDateTime(DateTime.Now);
        await using (var connection = await App.Database.OpenConnectionAsync())
        {
            const string insert = "INSERT INTO portal_api_windows (caller, period, calls, ends_at) VALUES (@c, @p, @n, @e)";
            var ends = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            await Dapper.SqlMapper.ExecuteAsync(connection, insert, new { c = "app:" + appId, p = "d" + today.AddDays(-1).ToString("yyyyMMdd"), n = 7L, e = ends });
            await Dapper.SqlMapper.ExecuteAsync(connection, insert, new { c = "app:" + appId, p = "d" + today.AddDays(-30).ToString("yyyyMMdd"), n = 9L, e = ends });
        }
        page = await Body(await client.GetAsync(DevApps.AppPage(appId)), HttpStatusCode.OK);
        DevApps.Stat(page, "calls-30").ShouldBe(4 + 7);
        DevApps.Stat(page, "calls-today").ShouldBe(4);
        page.ShouldContain($"<th scope=\"row\">{today.AddDays(-1):yyyy-MM-dd}</th><td class=\"num\">7</td>");
        page.ShouldContain($"<th scope=\"row\">{today.AddDays(-29):yyyy-MM-dd}</th><td class=\"num\">0</td>");
        page.ShouldNotContain($"{today.AddDays(-30):yyyy-MM-dd}");

        // The documentation shows the configured limits and where to go.
        var docs = await Body(await App.CreateBrowserClient().GetAsync("/portal/developers"), HttpStatusCode.OK);
        docs.ShouldContain("两分钟获取 API 密钥");
        docs.ShouldContain($"<td class=\"num\">{DevAppsSettings.KeyedPerMinute}</td><td class=\"num\">{DevAppsSettings.KeyedPerDay}</td>");
        docs.ShouldContain("href=\"/openapi/v1.json\"");
        docs.ShouldContain("href=\"/api/docs\"");
        docs.ShouldContain("href=\"/portal/me/apps\"");
    }

    [Fact]
    public async Task Rotation_revokes_the_old_key_at_once_and_the_new_key_continues_the_apps_count_then_revocation_ends_it()
    {
        var dataset = await DevApps.DatasetWithRowsAsync(App);
        var (client, email) = await DevApps.AccountAsync(App);
        var (id, oldKey, _) = await DevApps.CreatedAsync(client, "轮换测试应用");
        (await App.CreateApiKeyClient(oldKey).GetAsync(Rows(dataset))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var rotated = await DevApps.PostAppAsync(client, id, "rotate");
        var html = await Body(rotated, HttpStatusCode.OK);
        rotated.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var newKey = DevApps.SecretPattern().Matches(html).Select(m => m.Value).Distinct().ShouldHaveSingleItem();
        newKey.ShouldNotBe(oldKey);
        html.ShouldContain("旧密钥已吊销");

        var old = await App.CreateApiKeyClient(oldKey).GetAsync(Rows(dataset));
        old.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var fresh = await App.CreateApiKeyClient(newKey).GetAsync(Rows(dataset));
        await Body(fresh, HttpStatusCode.OK);
        fresh.Headers.GetValues("X-RateLimit-Limit").Single().ShouldBe(DevAppsSettings.KeyedPerMinute.ToString());
        // Counted per app: the rotation did not reset today's quota.
        fresh.Headers.GetValues("X-Daily-Quota-Remaining").Single().ShouldBe((DevAppsSettings.KeyedPerDay - 2).ToString());
        var page = await Body(await client.GetAsync(DevApps.AppPage(id)), HttpStatusCode.OK);
        page.ShouldContain(newKey[..11]);
        page.ShouldNotContain(newKey);
        DevApps.Stat(page, "calls-today").ShouldBe(2);
        (await KeyCountAsync(email)).ShouldBe(2);
        (await DevApps.ScalarAsync<long>(App, "SELECT COUNT(*) FROM identity_api_keys k JOIN identity_users u ON u.id = k.user_id WHERE u.user_name = @e AND k.revoked_at IS NULL",
            new { e = email.ToLowerInvariant() })).ShouldBe(1);

        // Revoking needs the confirmation box; then the key is refused and the app cannot be rotated or edited.
        var unconfirmed = await Body(await DevApps.PostAppAsync(client, id, "revoke"), HttpStatusCode.BadRequest);
        unconfirmed.ShouldContain("id=\"confirm-error\"");
        unconfirmed.ShouldContain("请勾选“确认吊销”");
        (await App.CreateApiKeyClient(newKey).GetAsync(Rows(dataset))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var revoked = await DevApps.PostAppAsync(client, id, "revoke", new KeyValuePair<string, string>("confirm", "true"));
        revoked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await App.CreateApiKeyClient(newKey).GetAsync(Rows(dataset))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        page = await Body(await client.GetAsync(DevApps.AppPage(id)), HttpStatusCode.OK);
        page.ShouldContain("应用已吊销，其 API 密钥立即失效。");
        page.ShouldContain("已吊销");
        page.ShouldNotContain("?handler=rotate");
        DevApps.Stat(page, "calls-today").ShouldBe(3);
        (await Body(await DevApps.PostAppAsync(client, id, "rotate"), HttpStatusCode.Conflict)).ShouldContain("应用已吊销，不能轮换密钥");
        (await KeyCountAsync(email)).ShouldBe(2);
    }

    [Fact]
    public async Task Bad_input_is_explained_next_to_the_field_and_nothing_is_stored()
    {
        var (client, email) = await DevApps.AccountAsync(App);
        async Task Refused(string field, string message, string name, string description = "", string homepage = "")
        {
            var html = await Body(await DevApps.CreateAsync(client, name, description, homepage), HttpStatusCode.BadRequest);
            html.ShouldContain($"<p class=\"field-error\" id=\"{field}-error\">{message}");
            html.ShouldContain($"aria-describedby=\"{field}-error\"");
            DevApps.SecretPattern().IsMatch(html).ShouldBeFalse();
        }
        await Refused("name", "请填写应用名称", "   ");
        await Refused("name", "应用名称须为 2 至 50 个字符，当前 1 个", "甲");
        await Refused("name", "应用名称须为 2 至 50 个字符，当前 51 个", new string('名', 51));
        await Refused("description", "应用简介不能超过 500 个字符", "正常名称", new string('述', 501));
        foreach (var url in new[] { "ftp://example.cn/app", "javascript:alert(1)", "example.cn", "https://", "http://exa mple.cn" })
            await Refused("homepage", "主页地址须为以 http:// 或 https:// 开头的完整网址", "正常名称", homepage: url);
        (await AppCountAsync(email)).ShouldBe(0);
        (await KeyCountAsync(email)).ShouldBe(0);

        // Editing follows the same rules; the app keeps its values.
        var (id, _, _) = await DevApps.CreatedAsync(client, "原名称");
        var edit = await Body(await DevApps.PostAppAsync(client, id, "update", new("name", "x"), new("homepage", "mailto:a@b.cn")), HttpStatusCode.BadRequest);
        edit.ShouldContain("id=\"name-error\"");
        edit.ShouldContain("id=\"homepage-error\"");
        (await DevApps.ScalarAsync<string>(App, "SELECT name FROM portal_apps WHERE homepage_url IS NULL AND name = '原名称'")).ShouldBe("原名称");
        var saved = await DevApps.PostAppAsync(client, id, "update", new("name", "新名称"), new("description", "简介"), new("homepage", "http://example.cn"));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await Body(await client.GetAsync(DevApps.AppPage(id)), HttpStatusCode.OK);
        page.ShouldContain("<h1>新名称</h1>");
        page.ShouldContain("href=\"http://example.cn\"");
    }

    [Fact]
    public async Task Someone_elses_app_is_403_on_the_page_and_every_post_and_an_unknown_app_404()
    {
        var dataset = await DevApps.DatasetWithRowsAsync(App);
        var (owner, _) = await DevApps.AccountAsync(App);
        var (id, secret, _) = await DevApps.CreatedAsync(owner, "甲的应用");
        var (other, _) = await DevApps.AccountAsync(App);

        var page = await Body(await other.GetAsync(DevApps.AppPage(id)), HttpStatusCode.Forbidden);
        page.ShouldContain("无权访问：该应用属于其他账号");
        page.ShouldNotContain("甲的应用");
        (await Body(await DevApps.PostAppAsync(other, id, "rotate"), HttpStatusCode.Forbidden)).ShouldNotContain("gd_");
        await Body(await DevApps.PostAppAsync(other, id, "revoke", new KeyValuePair<string, string>("confirm", "true")), HttpStatusCode.Forbidden);
        await Body(await DevApps.PostAppAsync(other, id, "update", new KeyValuePair<string, string>("name", "被改的名称")), HttpStatusCode.Forbidden);
        (await Body(await other.GetAsync(DevApps.List), HttpStatusCode.OK)).ShouldNotContain("甲的应用");
        (await App.CreateApiKeyClient(secret).GetAsync(Rows(dataset))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DevApps.ScalarAsync<string>(App, "SELECT status FROM portal_apps WHERE name = '甲的应用'")).ShouldBe("active");

        await Body(await owner.GetAsync(DevApps.AppPage(Guid.NewGuid())), HttpStatusCode.NotFound);
        await Body(await DevApps.PostAppAsync(owner, Guid.NewGuid(), "rotate"), HttpStatusCode.NotFound);
        // Anonymous visitors are sent to the login.
        var anonymous = await App.CreateBrowserClient().GetAsync(DevApps.AppPage(id));
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        anonymous.Headers.Location!.OriginalString.ShouldContain("/account/login");
    }

    [Fact]
    public async Task Unverified_non_developer_and_staff_accounts_are_refused_and_a_verified_account_becomes_developer_with_one_post()
    {
        // Unverified account: told to verify; create and upgrade refused.
        var (unverified, unverifiedEmail) = await DevApps.AccountAsync(App, developer: false, verified: false);
        (await Body(await unverified.GetAsync(DevApps.List), HttpStatusCode.OK)).ShouldContain("id=\"apps-unverified\"");
        (await Body(await DevApps.CreateAsync(unverified, "未验证的应用"), HttpStatusCode.Forbidden)).ShouldContain("请先验证电子邮箱");
        (await Body(await unverified.PostFormAsync("/portal/me", [], DevApps.List + "?handler=developer"), HttpStatusCode.Forbidden)).ShouldContain("请先验证电子邮箱");
        (await AppCountAsync(unverifiedEmail)).ShouldBe(0);
        (await KeyCountAsync(unverifiedEmail)).ShouldBe(0);

        // Verified public account without the role: offered the upgrade, create refused until then.
        var (citizen, email) = await DevApps.AccountAsync(App, developer: false);
        var offer = await Body(await citizen.GetAsync(DevApps.List), HttpStatusCode.OK);
        offer.ShouldContain("id=\"become-developer\"");
        offer.ShouldNotContain("创建应用并获取密钥");
        (await Body(await DevApps.CreateAsync(citizen, "公众的应用"), HttpStatusCode.Forbidden)).ShouldContain("创建应用需要开发者身份");
        (await KeyCountAsync(email)).ShouldBe(0);
        var upgrade = await citizen.PostFormAsync("/portal/me", [], DevApps.List + "?handler=developer");
        upgrade.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        upgrade.Headers.Location!.OriginalString.ShouldBe(DevApps.List);
        (await DevApps.ScalarAsync<long>(App, "SELECT COUNT(*) FROM identity_user_roles r JOIN identity_users u ON u.id = r.user_id WHERE u.user_name = @e AND r.role = 'developer'",
            new { e = email.ToLowerInvariant() })).ShouldBe(1);
        // The same session continues (its cookie was renewed with the role) and can create an app.
        var after = await Body(await citizen.GetAsync(DevApps.List), HttpStatusCode.OK);
        after.ShouldContain("已开通开发者");
        after.ShouldNotContain("id=\"become-developer\"");
        await DevApps.CreatedAsync(citizen, "公众的应用");
        (await AppCountAsync(email)).ShouldBe(1);

        // Staff accounts keep their keys in the console.
        var staff = await App.LoginAsync("scjg_cataloger");
        (await Body(await staff.GetAsync(DevApps.List), HttpStatusCode.OK)).ShouldContain("id=\"apps-not-public\"");
        (await Body(await DevApps.CreateAsync(staff, "部门的应用"), HttpStatusCode.Forbidden)).ShouldContain("开发者应用只面向公众账号");
        (await Body(await staff.PostFormAsync("/portal/me", [], DevApps.List + "?handler=developer"), HttpStatusCode.Forbidden)).ShouldContain("政务部门的账号不能成为开发者");
    }

    [Fact]
    public async Task The_json_api_follows_the_same_rules()
    {
        var dataset = await DevApps.DatasetWithRowsAsync(App);
        var (client, _) = await DevApps.AccountAsync(App);
        const string api = "/api/v1/portal/apps";

        var bad = await client.PostAsJsonAsync(api, new { name = "x", homepage = "ftp://example.cn" });
        var problem = JsonNode.Parse(await Body(bad, HttpStatusCode.BadRequest))!;
        problem["errors"]!["name"]![0]!.GetValue<string>().ShouldContain("2 至 50");
        problem["errors"]!["homepage"]![0]!.GetValue<string>().ShouldContain("http://");

        var created = await client.PostAsJsonAsync(api, new { name = "接口创建的应用", description = "简介" });
        var json = JsonNode.Parse(await Body(created, HttpStatusCode.Created))!;
        created.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var id = json["app"]!["id"]!.GetValue<Guid>();
        var secret = json["key"]!["secret"]!.GetValue<string>();
        json["app"]!["keyPrefix"]!.GetValue<string>().ShouldBe(secret[..11]);
        (await App.CreateApiKeyClient(secret).GetAsync(Rows(dataset))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var one = JsonNode.Parse(await Body(await client.GetAsync($"{api}/{id}"), HttpStatusCode.OK))!;
        one["usage"]!["callsToday"]!.GetValue<long>().ShouldBe(1);
        one["usage"]!["remainingToday"]!.GetValue<long>().ShouldBe(DevAppsSettings.KeyedPerDay - 1);
        one["usage"]!["perMinute"]!.GetValue<int>().ShouldBe(DevAppsSettings.KeyedPerMinute);
        one["usage"]!["days"]!.AsArray().Count.ShouldBe(30);
        one.ToJsonString().ShouldNotContain(secret);
        JsonNode.Parse(await Body(await client.GetAsync(api), HttpStatusCode.OK))!.AsArray().Count.ShouldBe(1);

        // A key cannot manage apps; someone else gets 403; unknown 404; anonymous 401.
        (await App.CreateApiKeyClient(secret).GetAsync(api)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await App.CreateApiKeyClient(secret).PostAsJsonAsync($"{api}/{id}/rotate", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (other, _) = await DevApps.AccountAsync(App);
        (await other.GetAsync($"{api}/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.PostAsJsonAsync($"{api}/{id}/revoke", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync($"{api}/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await App.CreateBrowserClient().GetAsync(api)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var rotated = JsonNode.Parse(await Body(await client.PostAsJsonAsync($"{api}/{id}/rotate", new { }), HttpStatusCode.OK))!;
        var newSecret = rotated["key"]!["secret"]!.GetValue<string>();
        (await App.CreateApiKeyClient(secret).GetAsync(Rows(dataset))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await App.CreateApiKeyClient(newSecret).GetAsync(Rows(dataset))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var revoked = JsonNode.Parse(await Body(await client.PostAsJsonAsync($"{api}/{id}/revoke", new { }), HttpStatusCode.OK))!;
        revoked["status"]!.GetValue<string>().ShouldBe("revoked");
        (await App.CreateApiKeyClient(newSecret).GetAsync(Rows(dataset))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.PostAsJsonAsync($"{api}/{id}/rotate", new { })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }
}

public sealed class SqliteDeveloperAppsTests(DevAppsSqliteFactory app) : DeveloperAppsTests<DevAppsSqliteFactory>(app), IClassFixture<DevAppsSqliteFactory>;

public sealed class PostgresDeveloperAppsTests(DevAppsPostgresFactory app) : DeveloperAppsTests<DevAppsPostgresFactory>(app), IClassFixture<DevAppsPostgresFactory>;
