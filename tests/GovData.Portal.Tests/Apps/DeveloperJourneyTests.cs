using System.Net;
using System.Text.Json.Nodes;
using GovData.Portal.Tests.Feedback;
using GovData.Tests.Common.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovData.Portal.Tests.Apps;

/// <summary>
/// Register → create app → call the API with the key, in a real browser (Chromium through Playwright, host on Kestrel and
/// SQLite): a member of the public registers as a developer, opens the verification link read from the outbox, signs in,
/// creates an app in 我的应用 and copies the key shown once; a program calls the open API with it (200, rows, the
/// developer limit in X-RateLimit-Limit); the app's page then shows one call today and never the key again.
/// </summary>
public sealed class DeveloperJourneyTests(DevAppsKestrelSqliteFactory app, BrowserFixture browser)
    : IClassFixture<DevAppsKestrelSqliteFactory>, IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync()
    {
        browser.EnsureAvailable();
        app.EnsureAvailable();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Register_verify_create_an_app_and_call_the_open_api_with_its_key()
    {
        var dataset = await DevApps.DatasetWithRowsAsync(app);
        var email = Accounts.NewEmail("devjourney");
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();

        // 1. Register as a developer.
        await page.GotoAsync("/portal/developers");
        await page.Locator("#quick-start").GetByRole(AriaRole.Link, new() { Name = "注册" }).ClickAsync();
        await page.GetByLabel("电子邮箱（登录名）").FillAsync(email);
        await page.GetByLabel("昵称（公开显示）").FillAsync("浏览器开发者");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Accounts.Password);
        await page.GetByLabel("确认密码").FillAsync(Accounts.Password);
        await page.GetByLabel("我是开发者").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "注册" }).ClickAsync();
        await Expect(page.Locator("#register-done")).ToContainTextAsync("注册成功");

        // 2. The verification link from the outbox; sign in.
        var token = await Accounts.TokenFromOutboxAsync(app, email);
        await page.GotoAsync("/account/verify?token=" + token);
        await page.GetByRole(AriaRole.Button, new() { Name = "确认验证" }).ClickAsync();
        await Expect(page.Locator("#verify-result")).ToContainTextAsync("邮箱验证成功");
        await page.GotoAsync("/account/login");
        await page.GetByLabel("用户名").FillAsync(email);
        await page.GetByLabel("密码").FillAsync(Accounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("用户中心");

        // 3. 我的应用 → create; the key is shown once.
        await page.Locator("#me-apps").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("我的应用");
        await page.GetByLabel("应用名称").FillAsync("浏览器测试应用");
        await page.GetByLabel("应用主页").FillAsync("https://example.cn/app");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建应用并获取密钥" }).ClickAsync();
        await Expect(page.Locator("#new-key")).ToContainTextAsync("只显示这一次");
        var secret = await page.Locator("#new-key-value").InputValueAsync();
        DevApps.SecretPattern().IsMatch(secret).ShouldBeTrue(secret);
        await page.ScreenshotAsync("developer-journey-key.png");

        // 4. A program calls the open API with the key.
        using var http = new HttpClient { BaseAddress = app.ServerAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", secret);
        var response = await http.GetAsync($"/api/v1/open/datasets/{dataset}/rows?limit=3");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        JsonNode.Parse(body)!["rows"]!.AsArray().Count.ShouldBe(3);
        response.Headers.GetValues("X-RateLimit-Limit").Single().ShouldBe(DevAppsSettings.KeyedPerMinute.ToString());
        response.Headers.GetValues("X-Daily-Quota-Remaining").Single().ShouldBe((DevAppsSettings.KeyedPerDay - 1).ToString());

        // 5. The list and the app's page show one call today, and not the key.
        await page.GotoAsync("/portal/me/apps");
        var row = page.Locator("#apps tbody tr", new() { HasText = "浏览器测试应用" });
        await Expect(row.Locator(".calls-today")).ToHaveTextAsync("1");
        await Expect(row).ToContainTextAsync(secret[..11]);
        (await page.ContentAsync()).ShouldNotContain(secret);
        await row.GetByRole(AriaRole.Link, new() { Name = "浏览器测试应用" }).ClickAsync();
        await Expect(page.Locator("#calls-today")).ToHaveTextAsync("1");
        await Expect(page.Locator("#remaining-today")).ToHaveTextAsync((DevAppsSettings.KeyedPerDay - 1).ToString());
        (await page.ContentAsync()).ShouldNotContain(secret);
        await page.ScreenshotAsync("developer-journey-app.png");
    }
}
