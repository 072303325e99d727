using System.Net;
using GovData.Exchange.Tests.Access;
using GovData.Tests.Common.Browser;
using GovData.Tests.Common.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovData.Exchange.Tests.Pages;

/// <summary>
/// The issue's browser journey, in Chromium through Playwright against the real host on Kestrel (SQLite), every step
/// through the pages: rst_user (人社厅) finds a 有条件共享 resource of 省市场监管局 in 共享目录 and requests two of its items →
/// reviewer passes the compliance check → scjg_admin approves on the decision page with grant terms → rst_user registers
/// an application (secret shown once) → the application calls <c>GET /api/v1/exchange/data/{code}/rows</c> with a
/// correctly signed request and gets the granted items only → the access shows on 使用情况 → auditor finds the entry on the
/// audit log search page. Screenshots go to <c>screenshots/</c> in the test output folder.
/// </summary>
public sealed class ExchangeJourneyTests(KestrelSqliteExchangePagesApp app, BrowserFixture browser)
    : IClassFixture<KestrelSqliteExchangePagesApp>, IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync()
    {
        browser.EnsureAvailable();
        app.EnsureAvailable();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Request_compliance_approval_signed_query_and_the_audit_entry_seen_by_the_auditor()
    {
        string name, code;
        string[] fields;
        using (var rstApi = await app.LoginAsync("rst_user"))
            (name, code, fields) = await ExchangeApi.ConditionalScjgAsync(rstApi);
        using (var scjgApi = await app.LoginAsync("scjg_admin"))
        {
            var data = await scjgApi.GetAsync($"/api/v1/data/{Uri.EscapeDataString(code)}/rows?limit=1");
            data.StatusCode.ShouldBe(HttpStatusCode.OK, $"资源“{name}”应有演示数据：" + await data.Content.ReadAsStringAsync());
        }
        var granted = fields[..2];

        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();

        // 1. rst_user: 共享目录 → the resource → the request form.
        await page.SignInAsync("rst_user");
        await Nav(page, "共享目录");
        await Expect(page.Locator("h1")).ToHaveTextAsync("共享目录");
        await page.FillAsync("#keyword", name);
        await page.ClickAsync("form[role=search] button[type=submit]");
        var row = page.Locator("#catalog-table tbody tr", new() { HasText = name });
        await row.GetByRole(AriaRole.Link, new() { Name = "申请" }).ClickAsync();
        await Expect(page.Locator("#resource-code")).ToHaveTextAsync(code);
        await page.FillAsync("#purpose", "劳动保障监察案件办理中核查用人单位的知识产权质押情况");
        await page.FillAsync("#legalBasis", "《劳动保障监察条例》第十一条");
        await page.FillAsync("#businessCase", "欠薪案件调查");
        foreach (var f in granted) await page.CheckAsync($"#item-{f}");
        await page.FillAsync("#durationDays", "90");
        await page.ScreenshotAsync("exchange-01-request.png");
        await page.ClickAsync("#submit-request");
        await Expect(page.Locator("#request-status")).ToHaveTextAsync("待合规审查");
        await Expect(page.Locator(".alert-success")).ToContainTextAsync("已提交");
        var requestUrl = new Uri(page.Url).AbsolutePath;
        await page.SignOutAsync();

        // 2. reviewer: the compliance queue → pass.
        await page.SignInAsync("reviewer");
        await Nav(page, "合规审查与协调");
        await page.Locator($"#request-table a[href='{requestUrl}']").ClickAsync();
        await page.FillAsync("#pass-note", "用途与依据明确");
        await page.ClickAsync("#pass-button");
        await Expect(page.Locator("#request-status")).ToHaveTextAsync("待提供方审批");
        await page.SignOutAsync();

        // 3. scjg_admin: 审批队列 (working-day timer) → approve with terms.
        await page.SignInAsync("scjg_admin");
        await Nav(page, "审批队列");
        var queued = page.Locator("#request-table tbody tr", new() { Has = page.Locator($"a[href='{requestUrl}']") });
        await Expect(queued).ToContainTextAsync("提供方审批剩余");
        await queued.Locator($"a[href='{requestUrl}']").ClickAsync();
        await page.FillAsync("#dailyQuota", "1000");
        await page.SelectOptionAsync("#quotaUnit", "rows");
        await page.FillAsync("#approve-note", "同意，限于案件调查使用");
        await page.ScreenshotAsync("exchange-02-approve.png");
        await page.ClickAsync("#approve-button");
        await Expect(page.Locator("#request-status")).ToHaveTextAsync("已批准");
        await page.ClickAsync("#grant-link");
        await Expect(page.Locator("#grant-items")).ToHaveTextAsync(string.Join("、", granted));
        await Expect(page.Locator("#grant-quota")).ToContainTextAsync("1,000 行/日");
        await page.SignOutAsync();

        // 4. rst_user: 应用与密钥 → register an application; the secret is shown once.
        await page.SignInAsync("rst_user");
        await Nav(page, "应用与密钥");
        await page.FillAsync("#name", "欠薪案件调查系统");
        await page.ClickAsync("#create-app");
        var clientId = (await page.Locator("#client-id").TextContentAsync())!.Trim();
        var secret = (await page.Locator("#secret").TextContentAsync())!.Trim();
        clientId.ShouldStartWith("gdc_");
        secret.ShouldStartWith("gds_");

        // 5. The application: a signed query returns rows with the granted items only.
        using var http = new HttpClient { BaseAddress = app.ServerAddress };
        using var signed = new SignedClient(http, clientId, secret, TimeProvider.System);
        var requestId = "qian-xin-" + Guid.NewGuid().ToString("N")[..8];
        var call = await signed.GetAsync($"/api/v1/exchange/data/{Uri.EscapeDataString(code)}/rows?limit=5", issue: "欠薪案件调查", requestId: requestId);
        call.Status.ShouldBe(HttpStatusCode.OK, customMessage: call.Body);
        call.Json["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ShouldBe(granted);
        var rows = call.Json["rows"]!.AsArray();
        rows.Count.ShouldBeGreaterThan(0);
        foreach (var r in rows) r!.AsObject().Select(p => p.Key).ShouldBe(granted, ignoreOrder: true);

        // 6. 使用情况 shows the call.
        await Nav(page, "使用情况");
        await Expect(page.Locator("#usage-entries")).ToContainTextAsync(code);
        await Expect(page.Locator("#usage-entries")).ToContainTextAsync("欠薪案件调查");
        await page.SignOutAsync();

        // 7. auditor: the audit log search page finds the access.
        await page.SignInAsync("auditor");
        await Nav(page, "交换审计日志");
        await page.FillAsync("#resource", code);
        await page.SelectOptionAsync("#kind", "access.query");
        await page.ClickAsync("form[role=search] button[type=submit]");
        var entry = page.Locator("#entry-table tbody tr").First;
        await Expect(entry).ToContainTextAsync("数据查询");
        await Expect(entry).ToContainTextAsync(code);
        await Expect(entry).ToContainTextAsync("人力资源和社会保障厅");
        await Expect(entry).ToContainTextAsync(rows.Count.ToString());
        await page.ScreenshotAsync("exchange-03-audit.png");
        await entry.Locator("a").First.ClickAsync();
        await Expect(page.Locator("body")).ToContainTextAsync(requestId);
    }


    private static Task Nav(IPage page, string title) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "控制台导航" }).GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
}
