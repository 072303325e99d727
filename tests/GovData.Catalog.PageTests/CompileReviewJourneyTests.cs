using System.Text.RegularExpressions;
using GovData.Tests.Common.Browser;
using GovData.Tests.Common.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovData.Catalog.PageTests;

/// <summary>
/// The catalog workflow in a real browser (Chromium through Playwright) against the host on Kestrel and SQLite:
/// a compiler files a resource with three information items and submits it, the reviewer rejects it with a reason on
/// 摘要, the compiler sees the reason next to the field, fixes and resubmits, the reviewer approves, and the entry is
/// 已发布 under the code it was given. Screenshots of the form and the review page go to <c>screenshots/</c> in the
/// test output folder.
/// </summary>
public sealed class CompileReviewJourneyTests(KestrelSqliteAppFactory app, BrowserFixture browser)
    : IClassFixture<KestrelSqliteAppFactory>, IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string ResourceName = "个体工商户登记信息（浏览器测试）";
    private const string Reason = "摘要应说明数据覆盖范围（全省个体工商户）和更新方式";

    public ValueTask InitializeAsync()
    {
        browser.EnsureAvailable();
        app.EnsureAvailable();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Compile_submit_reject_with_reason_fix_and_approve()
    {
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();

        // 1. The compiler files a new resource under its own 部门类 目.
        await page.SignInAsync("scjg_cataloger");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "控制台导航" }).GetByRole(AriaRole.Link, new() { Name = "目录编制" }).ClickAsync();
        await page.ClickAsync("#new-resource");
        await Expect(page.Locator("h1")).ToHaveTextAsync("新建信息资源");
        await Expect(page.Locator("#categoryCode")).ToHaveValueAsync(new Regex(@"^3\d{5}$"));
        await Expect(page.Locator("#code-preview")).ToHaveTextAsync(new Regex(@"^3\d{5}/\d+$"));

        await page.FillAsync("#name", ResourceName);
        await page.FillAsync("#abstract", "个体工商户登记信息。");
        await page.SelectOptionAsync("#formatCategory", "数据库");
        await page.FillAsync("#formatType", "MySQL");
        await FillItemAsync(page, 0, "统一社会信用代码", "credit_code", "C", "18", required: true, key: true);
        await FillItemAsync(page, 1, "个体工商户名称", "business_name", "C", "100", required: true);
        await FillItemAsync(page, 2, "成立日期", "established_on", "D", "10");

        // Adding and removing a row keeps what was typed.
        await page.ClickAsync("#add-row");
        await Expect(page.Locator("#items-3-name")).ToBeVisibleAsync();
        await Expect(page.Locator("#items-0-name")).ToHaveValueAsync("统一社会信用代码");
        await Expect(page.Locator("#items-2-dataType")).ToHaveValueAsync("D");
        await page.ClickAsync("#remove-row-3");
        await Expect(page.Locator("#items-3-name")).ToHaveCountAsync(0);
        await Expect(page.Locator("#name")).ToHaveValueAsync(ResourceName);

        // Conditional fields follow the share type (script enhancement).
        await page.SelectOptionAsync("#shareType", "有条件共享");
        await Expect(page.Locator("#shareCondition")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#shareType", "无条件共享");
        await Expect(page.Locator("#shareCondition")).ToBeHiddenAsync();
        await page.SelectOptionAsync("#shareChannel", "共享平台方式");
        await page.SelectOptionAsync("#shareMethodType", "接口(服务)");
        await page.SelectOptionAsync("#openType", "不予开放");
        await page.SelectOptionAsync("#updateCycle", "每月");
        await page.FillAsync("#keywords", "个体工商户，登记");

        await page.ClickAsync("#check");
        await Expect(page.Locator("#check-passed")).ToContainTextAsync("校验通过");
        var code = (await page.Locator("#code-preview").TextContentAsync())!.Trim();
        await page.ScreenshotAsync("01-entry-form.png");

        await page.ClickAsync("#submit");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console/catalog/resources");
        await Expect(page.Locator(".alert-success")).ToContainTextAsync("已提交审核");
        var row = page.Locator("#entry-table tbody tr", new() { HasText = ResourceName });
        await Expect(row).ToContainTextAsync("待审核");
        code = (await row.Locator("td").First.TextContentAsync())!.Trim();
        code.ShouldMatch(@"^3\d{5}/\d+$");
        await page.SignOutAsync();

        // 2. The reviewer rejects it with a reason on 摘要.
        await page.SignInAsync("reviewer");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "控制台导航" }).GetByRole(AriaRole.Link, new() { Name = "目录审核" }).ClickAsync();
        await OpenFromQueueAsync(page);
        await Expect(page.Locator("#entry-code")).ToHaveTextAsync(code);
        await Expect(page.Locator("#view-items tbody tr")).ToHaveCountAsync(3);
        await page.FillAsync("#reason-abstract", Reason);
        await page.ScreenshotAsync("02-review-page.png");
        await page.ClickAsync("#reject");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console/catalog/review");
        await Expect(page.Locator(".alert-success")).ToContainTextAsync("已驳回");
        await page.SignOutAsync();

        // 3. The compiler sees the reason next to 摘要, fixes it and resubmits.
        await page.SignInAsync("scjg_cataloger");
        await page.GotoAsync("/console/catalog/resources");
        row = page.Locator("#entry-table tbody tr", new() { HasText = ResourceName });
        await Expect(row).ToContainTextAsync("已驳回");
        await row.GetByRole(AriaRole.Link, new() { Name = ResourceName }).ClickAsync();
        await Expect(page.Locator("#rejection")).ToContainTextAsync($"信息资源摘要：{Reason}");
        await Expect(page.Locator("#abstract-note")).ToHaveTextAsync($"驳回理由：{Reason}");
        await Expect(page.Locator("#code-preview")).ToHaveTextAsync(code);
        await page.ScreenshotAsync("03-rejected-form.png");
        await page.FillAsync("#abstract", "全省个体工商户的登记基本信息，包括统一社会信用代码、名称和成立日期，随登记业务每月更新。");
        await page.ClickAsync("#submit");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console/catalog/resources");
        await Expect(page.Locator("#entry-table tbody tr", new() { HasText = ResourceName })).ToContainTextAsync("待审核");
        await page.SignOutAsync();

        // 4. The reviewer approves.
        await page.SignInAsync("reviewer");
        await page.GotoAsync("/console/catalog/review");
        await OpenFromQueueAsync(page);
        await Expect(page.Locator("#earlier-comments")).ToContainTextAsync(Reason);
        await page.ClickAsync("#approve");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console/catalog/review");
        await Expect(page.Locator(".alert-success")).ToContainTextAsync($"已审核通过“{ResourceName}”（{code}）");
        await Expect(page.Locator("#review-queue tbody tr", new() { HasText = ResourceName })).ToHaveCountAsync(0);
        await page.SignOutAsync();

        // 5. The entry is published under its code.
        await page.SignInAsync("scjg_cataloger");
        await page.GotoAsync("/console/catalog/resources");
        row = page.Locator("#entry-table tbody tr", new() { HasText = ResourceName });
        await Expect(row).ToContainTextAsync("已发布");
        await Expect(row.Locator("td").First).ToHaveTextAsync(code);
        await row.GetByRole(AriaRole.Link, new() { Name = ResourceName }).ClickAsync();
        await Expect(page.Locator("#entry-status")).ToHaveTextAsync("已发布");
        await Expect(page.Locator("#code-preview")).ToHaveTextAsync(code);
        await page.ClickAsync("#history-link");
        await Expect(page.Locator("#history")).ToContainTextAsync("审核通过，资源发布");
        await Expect(page.Locator("#history")).ToContainTextAsync(Reason);
    }

    private async Task OpenFromQueueAsync(IPage page)
    {
        var item = page.Locator("#review-queue tbody tr", new() { HasText = ResourceName });
        while (await item.CountAsync() == 0)
        {
            // Oldest first: a just-submitted entry is on the last page.
            var next = page.Locator("#pager-next");
            (await next.CountAsync()).ShouldBe(1, $"“{ResourceName}” is not in the review queue");
            await next.ClickAsync();
        }
        await item.GetByRole(AriaRole.Link, new() { Name = "审核" }).ClickAsync();
        await Expect(page.Locator("#entry-name")).ToHaveTextAsync(ResourceName);
    }

    private static async Task FillItemAsync(IPage page, int row, string name, string code, string type, string length, bool required = false, bool key = false)
    {
        await page.FillAsync($"#items-{row}-name", name);
        await page.FillAsync($"#items-{row}-fieldCode", code);
        await page.SelectOptionAsync($"#items-{row}-dataType", type);
        await page.FillAsync($"#items-{row}-length", length);
        await page.SelectOptionAsync($"#items-{row}-sensitivity", "公开");
        if (required) await page.CheckAsync($"#items-{row}-required");
        if (key) await page.CheckAsync($"#items-{row}-isKey");
    }
}
