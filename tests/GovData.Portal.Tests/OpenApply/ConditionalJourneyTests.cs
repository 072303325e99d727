using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.Tests.Common.Browser;
using GovData.Tests.Common.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovData.Portal.Tests.OpenApply;

/// <summary>
/// 有条件开放 in a real browser (Chromium through Playwright, host on Kestrel and SQLite): the demo developer signs in,
/// opens a 有条件开放 dataset of the demo data, applies through the form (items, both agreements); the providing
/// department's administrator approves in the console; the developer's API key reads the rows through the open API —
/// and the same call before the approval is 403.
/// </summary>
public sealed class ConditionalJourneyTests(KestrelSqliteAppFactory app, BrowserFixture browser)
    : IClassFixture<KestrelSqliteAppFactory>, IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync()
    {
        browser.EnsureAvailable();
        app.EnsureAvailable();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;


    [Fact]
    public async Task Developer_applies_the_provider_approves_and_the_key_reads_the_rows_but_not_before()
    {
        var s = await OpenApplyKit.SampleAsync(app);
        var key = await (await app.LoginAsync("developer")).CreateApiKeyAsync("有条件开放浏览器测试", ["catalog:read"]);
        using var keyed = new HttpClient { BaseAddress = app.ServerAddress };
        keyed.DefaultRequestHeaders.Add("X-Api-Key", key.Secret);
        var rows = $"/api/v1/open/datasets/{s.Name}/rows?limit=3";

        // Before: 403 (未申请).
        var before = await keyed.GetAsync(rows);
        before.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await before.Content.ReadAsStringAsync()).ShouldContain("未申请");

        // 1. The developer applies in the browser.
        await using var devContext = await browser.NewContextAsync(app.ServerAddress);
        var dev = await devContext.NewPageAsync();
        await dev.GotoAsync("/account/login");
        await dev.FillAsync("#userName", "developer");
        await dev.FillAsync("#password", GovDataAppFactory.DemoPassword);
        await dev.ClickAsync("button[type=submit]");
        await dev.WaitForURLAsync(url => new Uri(url).AbsolutePath != "/account/login");
        await dev.GotoAsync("/portal/datasets/" + s.Name);
        await dev.GetByRole(AriaRole.Link, new() { Name = "申请使用" }).ClickAsync();
        await Expect(dev.Locator("h1")).ToContainTextAsync("申请使用");
        await dev.GetByLabel("申请主体类型").SelectOptionAsync("企业");
        await dev.GetByLabel("单位名称（申请主体为个人时可不填）").FillAsync("示例科技有限公司");
        await dev.GetByLabel("联系方式（电话或电子邮箱）").FillAsync("dev@example.cn");
        await dev.Locator("#apply-purpose").FillAsync("开发企业信用查询小程序，为中小企业提供合作方资质核验服务。");
        await dev.Locator("#apply-scenario").FillAsync("企业合作方资质核验小程序");
        await dev.Locator($"input[name=items][value='{s.PlainField}']").CheckAsync();
        await dev.Locator($"input[name=items][value='{s.MaskedField}']").CheckAsync();
        // Submitting without the agreements is refused with the reason next to the box.
        await dev.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Expect(dev.Locator("#apply-acceptPledge-error")).ToContainTextAsync("请阅读并接受《数据安全承诺书》");
        await dev.GetByLabel("我已阅读并接受《数据安全承诺书》").CheckAsync();
        await dev.GetByLabel("我已阅读并接受《公共数据利用协议》").CheckAsync();
        await dev.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        var mine = dev.Locator("#applications li", new() { HasText = s.Dataset.Name });
        await Expect(mine).ToContainTextAsync("待审核");
        await dev.ScreenshotAsync("conditional-applied.png");

        // Still 403 while the application waits.
        (await keyed.GetAsync(rows)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // 2. The providing department's administrator approves in the console.
        await using var adminContext = await browser.NewContextAsync(app.ServerAddress);
        var admin = await adminContext.NewPageAsync();
        await admin.SignInAsync(s.Admin);
        await admin.GetByRole(AriaRole.Navigation, new() { Name = "控制台导航" }).GetByRole(AriaRole.Link, new() { Name = "有条件开放申请" }).ClickAsync();
        var row = admin.Locator("#applications-queue tbody tr", new() { HasText = s.Dataset.Name });
        await Expect(row).ToContainTextAsync("待审核");
        await row.GetByRole(AriaRole.Link, new() { Name = "审核" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "批准并授权" }).ClickAsync();
        await Expect(admin.Locator("#review-status")).ToHaveTextAsync("已批准");
        await admin.ScreenshotAsync("conditional-approved.png");

        // 3. The key reads the granted items.
        var after = await keyed.GetAsync(rows);
        var body = await after.Content.ReadAsStringAsync();
        after.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var json = JsonNode.Parse(body)!;
        json["rows"]!.AsArray().Count.ShouldBe(3);
        json["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).OrderBy(n => n).ShouldBe(new[] { s.PlainField, s.MaskedField }.OrderBy(n => n));

        // The developer sees the approval and the 利用报告 form in the user centre.
        await dev.GotoAsync("/portal/me");
        await Expect(dev.Locator("#applications li", new() { HasText = s.Dataset.Name })).ToContainTextAsync("已批准");
        await Expect(dev.GetByRole(AriaRole.Button, new() { Name = "提交利用报告" })).ToBeVisibleAsync();
    }
}
