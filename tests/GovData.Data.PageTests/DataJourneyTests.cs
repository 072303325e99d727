using System.Text;
using GovData.Tests.Common.Browser;
using GovData.Tests.Common.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovData.Data.PageTests;

/// <summary>
/// A department cataloger's journey in a real browser (Chromium through Playwright) against the host on Kestrel and
/// SQLite: open 数据清单, upload the real Shenzhen card file (GB18030) into a published resource, correct the one column the
/// automatic mapping cannot match, start the load, follow it to completion, read the report and the preview; then load a
/// file with bad rows (the report names row and column, the rejected rows download), roll back to the previous version
/// (the preview changes back); a user of another department gets 403. Screenshots go to <c>screenshots/</c> in the test
/// output folder.
/// </summary>
public sealed class DataJourneyTests(DataPagesKestrelSqliteApp app, BrowserFixture browser)
    : IClassFixture<DataPagesKestrelSqliteApp>, IClassFixture<BrowserFixture>, IAsyncLifetime
{

    public ValueTask InitializeAsync()
    {
        browser.EnsureAvailable();
        app.EnsureAvailable();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Upload_map_load_report_preview_bad_rows_rollback_and_403()
    {
        var code = await app.ShenzhenAsync();
        const string name = "深圳通刷卡数据（页面测试）";
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();

        // 1. 数据清单 → the resource.
        await page.SignInAsync("scjg_cataloger");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "控制台导航" }).GetByRole(AriaRole.Link, new() { Name = "数据清单" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("数据清单");
        await page.FillAsync("#q", "深圳通");
        await page.ClickAsync("#filter-submit");
        var row = page.Locator("#resource-table tbody tr", new() { HasText = name });
        await Expect(row).ToContainTextAsync("未加载");
        await row.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Expect(page.Locator("#resource-name")).ToHaveTextAsync(name);
        await Expect(page.Locator("#dictionary tbody tr")).ToHaveCountAsync(11);

        // 2. Upload the GB18030 file.
        await page.ClickAsync("#upload-link");
        await page.SetInputFilesAsync("#file", DataPageClient.Fixture(DataPageClient.Shenzhen));
        await page.ScreenshotAsync("01-upload.png");
        await page.ClickAsync("#upload-submit");

        // 3. The mapping step: detected GB18030, automatic matches; correct equ_no → 设备编号.
        await Expect(page.Locator("h2", new() { HasText = "确认列映射" })).ToBeVisibleAsync();
        await Expect(page.Locator("#detected")).ToContainTextAsync("GB18030");
        await Expect(page.Locator("#target-0")).ToHaveValueAsync("deal_date");
        await Expect(page.Locator("#target-10")).ToHaveValueAsync("");
        await Expect(page.Locator("#mapping-warnings")).ToContainTextAsync("equ_no");
        await page.SelectOptionAsync("#target-10", "device_no");
        await page.ScreenshotAsync("02-mapping.png");
        await page.ClickAsync("#start-load");

        // 4. Progress, then the report (the page refreshes itself while the load runs).
        await Expect(page.Locator("#load-status")).ToHaveTextAsync("已完成", new() { Timeout = 90_000 });
        await Expect(page.Locator("#rows-loaded")).ToHaveTextAsync("10,000");
        await Expect(page.Locator("#load-message")).ToContainTextAsync("生成第 1 版");
        await page.ScreenshotAsync("03-report.png");

        // 5. The preview.
        await page.ClickAsync("#tab-preview");
        await Expect(page.Locator("#preview-total")).ToHaveTextAsync("10,000");
        await Expect(page.Locator("#preview-table tbody tr")).ToHaveCountAsync(50);
        await Expect(page.Locator("#preview-table")).ToContainTextAsync("263032105");
        await page.SelectOptionAsync("#field", "deal_type");
        await page.FillAsync("#value", "地铁入站");
        await page.ClickAsync("#preview-submit");
        await Expect(page.Locator("#preview-table tbody tr").First).ToContainTextAsync("地铁入站");
        await page.ScreenshotAsync("04-preview.png");

        // 6. A file with bad rows: the first rows of the same file, two of them broken, threshold 20%.
        var lines = (await File.ReadAllLinesAsync(DataPageClient.Fixture(DataPageClient.Shenzhen), GB18030)).Take(11).ToArray();
        lines[3] = "\"2018-13-45 22:14:50\"" + lines[3][lines[3].IndexOf(',')..];                              // row 4: no such month
        var parts = lines[6].Split(',');
        parts[9] = "abc";                                                                                          // row 7: 实收金额 not a number
        lines[6] = string.Join(',', parts);
        var badFile = Path.Combine(app.DataFolder, "有错误的刷卡数据.csv");
        await File.WriteAllLinesAsync(badFile, lines, GB18030);
        await page.ClickAsync("#upload-link");
        await page.FillAsync("#threshold", "20%");
        await page.SetInputFilesAsync("#file", badFile);
        await page.ClickAsync("#upload-submit");
        await Expect(page.Locator("#detected")).ToContainTextAsync("GB18030");
        await page.SelectOptionAsync("#target-10", "device_no");
        await page.ClickAsync("#start-load");
        await Expect(page.Locator("#load-status")).ToHaveTextAsync("已完成", new() { Timeout = 90_000 });
        await Expect(page.Locator("#rows-rejected")).ToHaveTextAsync("2");
        await Expect(page.Locator("#rule-TIMESTAMP")).ToContainTextAsync("日期时间格式");
        await Expect(page.Locator("#rule-NUMBER")).ToContainTextAsync("数值格式");
        var errors = page.Locator("#error-table tbody tr");
        await Expect(errors.Filter(new() { HasText = "2018-13-45" })).ToContainTextAsync("4");
        await Expect(errors.Filter(new() { HasText = "2018-13-45" })).ToContainTextAsync("deal_date");
        await Expect(errors.Filter(new() { HasText = "abc" })).ToContainTextAsync("deal_money");
        await page.ScreenshotAsync("05-bad-rows.png");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#rejected-download"));
        var saved = Path.Combine(app.DataFolder, "rejected.csv");
        await download.SaveAsAsync(saved);
        var rejected = await File.ReadAllTextAsync(saved, Encoding.UTF8);
        rejected.ShouldContain("行号");
        rejected.ShouldContain("错误原因");
        rejected.ShouldContain("2018-13-45");
        rejected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(3);

        await page.ClickAsync("#tab-preview");
        await Expect(page.Locator("#preview-total")).ToHaveTextAsync("8");

        // 7. Roll back to version 1: the preview changes back.
        await page.ClickAsync("#tab-versions");
        await page.ClickAsync("#activate-1");
        await Expect(page.Locator("#confirm-title")).ToHaveTextAsync("确认将第 1 版设为当前版本？");
        await page.ClickAsync("#confirm-activate");
        await Expect(page.Locator(".alert-success")).ToContainTextAsync("已将第 1 版设为当前版本");
        await Expect(page.Locator("#version-1")).ToContainTextAsync("当前");
        await page.ClickAsync("#tab-preview");
        await Expect(page.Locator("#preview-total")).ToHaveTextAsync("10,000");
        await page.SignOutAsync();

        // 8. Another department: 403 through the access-denied page.
        await page.SignInAsync("rst_cataloger");
        await page.GotoAsync(DataPageClient.Page(code));
        await Expect(page.Locator("h1")).ToHaveTextAsync("无权访问");
        await page.GotoAsync(DataPageClient.Page(code, "/upload"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("无权访问");
    }

    private static Encoding GB18030
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding("GB18030");
        }
    }
}
