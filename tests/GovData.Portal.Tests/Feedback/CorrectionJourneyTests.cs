using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.Portal.Tests.Infrastructure;
using GovData.Tests.Common.Web;
using GovData.Tests.Common.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovData.Portal.Tests.Feedback;

/// <summary>
/// 纠错 in a real browser (Chromium through Playwright, host on Kestrel and SQLite): a member of the public registers,
/// opens the verification link read from the outbox, signs in, files a 纠错 on a dataset page; the providing department's
/// administrator finds it in the console queue and answers; an anonymous visitor sees the answer and its status on the
/// dataset page. Keyboard only for the public part of the form (labels, focus order).
/// </summary>
public sealed class CorrectionJourneyTests(FeedbackKestrelSqliteAppFactory app, BrowserFixture browser)
    : IClassFixture<FeedbackKestrelSqliteAppFactory>, IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync()
    {
        browser.EnsureAvailable();
        app.EnsureAvailable();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;


    /// <summary>Files, submits and approves a resource of 省市场监管局 through the catalog API (as PortalTestKit does on TestServer).</summary>
    private async Task<FiledEntry> PublishAsync(string name)
    {
        static async Task<JsonNode> Json(HttpResponseMessage r, HttpStatusCode expected)
        {
            var text = await r.Content.ReadAsStringAsync();
            r.StatusCode.ShouldBe(expected, text);
            return JsonNode.Parse(text)!;
        }
        var compiler = await app.LoginAsync("scjg_cataloger");
        var created = await Json(await compiler.PostAsJsonAsync("/api/v1/catalog/resources", PortalTestKit.Resource(name)), HttpStatusCode.Created);
        var code = created["code"]!.GetValue<string>();
        var path = "/api/v1/catalog/resources/" + Uri.EscapeDataString(code);
        var submitted = await Json(await compiler.PostAsJsonAsync(path + "/submit", new { version = created["version"]!.GetValue<int>() }), HttpStatusCode.OK);
        var reviewer = await app.LoginAsync("reviewer");
        await Json(await reviewer.PostAsJsonAsync(path + "/approve", new { version = submitted["version"]!.GetValue<int>(), comment = "同意发布" }), HttpStatusCode.OK);
        return new FiledEntry(code, name);
    }

    private static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
    }

    [Fact]
    public async Task Public_files_a_correction_the_provider_answers_and_everyone_sees_the_answer()
    {
        var entry = await PublishAsync("浏览器纠错测试数据集");
        var email = Accounts.NewEmail("pw");

        // 1. Register through the form.
        await using var citizenContext = await browser.NewContextAsync(app.ServerAddress);
        var citizen = await citizenContext.NewPageAsync();
        await citizen.GotoAsync("/portal");
        await citizen.GetByRole(AriaRole.Link, new() { Name = "注册", Exact = true }).ClickAsync();
        await citizen.GetByLabel("电子邮箱（登录名）").FillAsync(email);
        await citizen.GetByLabel("昵称（公开显示）").FillAsync("浏览器用户");
        await citizen.GetByLabel("密码", new() { Exact = true }).FillAsync(Accounts.Password);
        await citizen.GetByLabel("确认密码").FillAsync(Accounts.Password);
        await citizen.GetByRole(AriaRole.Button, new() { Name = "注册" }).ClickAsync();
        await Expect(citizen.Locator("#register-done")).ToContainTextAsync("注册成功");

        // 2. The link from the outbox, confirm, sign in.
        var token = await Accounts.TokenFromOutboxAsync(app, email);
        await citizen.GotoAsync("/account/verify?token=" + token);
        await citizen.GetByRole(AriaRole.Button, new() { Name = "确认验证" }).ClickAsync();
        await Expect(citizen.Locator("#verify-result")).ToContainTextAsync("邮箱验证成功");
        await SignInAsync(citizen, email, Accounts.Password);
        await Expect(citizen.Locator("h1")).ToHaveTextAsync("用户中心");

        // 3. File a 纠错 from the dataset page, keyboard only.
        await citizen.GotoAsync("/portal/datasets/" + entry.Package);
        await citizen.GetByLabel("有误的数据项（可不选）").FocusAsync();
        await citizen.Keyboard.PressAsync("ArrowDown");
        await citizen.Keyboard.PressAsync("ArrowDown");
        await citizen.Keyboard.PressAsync("Tab");
        await citizen.Keyboard.TypeAsync("第 12 行");
        await citizen.Keyboard.PressAsync("Tab");
        (await citizen.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("correction-description");
        await citizen.Keyboard.TypeAsync("法人名称缺少“有限公司”字样。");
        await citizen.Keyboard.PressAsync("Tab");
        await citizen.Keyboard.PressAsync("Enter");
        await Expect(citizen.Locator("#feedback-message")).ToContainTextAsync("纠错已提交");
        var filed = citizen.Locator("#corrections li", new() { HasText = "法人名称缺少" });
        await Expect(filed).ToContainTextAsync("待处理");
        await Expect(filed).ToContainTextAsync("数据项：法人名称");
        await Expect(filed).ToContainTextAsync("记录：第 12 行");

        // 4. The provider answers from the console queue.
        await using var providerContext = await browser.NewContextAsync(app.ServerAddress);
        var provider = await providerContext.NewPageAsync();
        await SignInAsync(provider, "scjg_admin", GovDataAppFactory.DemoPassword);
        await Expect(provider.GetByRole(AriaRole.Link, new() { Name = "待答复的纠错与数据需求" })).ToContainTextAsync("1");
        await provider.GetByRole(AriaRole.Navigation, new() { Name = "控制台导航" }).GetByRole(AriaRole.Link, new() { Name = "纠错与数据需求" }).ClickAsync();
        var row = provider.Locator("#queue tbody tr", new() { HasText = entry.Name });
        await Expect(row).ToContainTextAsync("待处理");
        await row.GetByRole(AriaRole.Link, new() { Name = "答复" }).ClickAsync();
        await provider.GetByLabel("已采纳（已更正）").CheckAsync();
        await provider.GetByLabel("答复内容（公开显示，最多 2000 字）").FillAsync("已核实并更正为完整名称，感谢指正。");
        await provider.GetByRole(AriaRole.Button, new() { Name = "公开答复" }).ClickAsync();
        await Expect(provider.Locator("#queue tbody tr", new() { HasText = entry.Name })).ToContainTextAsync("已采纳（已更正）");

        // 5. Anyone sees the answer on the dataset page.
        await using var visitorContext = await browser.NewContextAsync(app.ServerAddress);
        var visitor = await visitorContext.NewPageAsync();
        await visitor.GotoAsync("/portal/datasets/" + entry.Package);
        var answered = visitor.Locator("#corrections li", new() { HasText = "法人名称缺少" });
        await Expect(answered).ToContainTextAsync("已采纳（已更正）");
        await Expect(answered.Locator(".answer")).ToContainTextAsync("已核实并更正为完整名称，感谢指正。");
        await Expect(visitor.Locator("#feedback-login")).ToBeVisibleAsync();
    }
}
