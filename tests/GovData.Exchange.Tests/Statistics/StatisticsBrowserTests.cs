using GovData.Tests.Common.Browser;
using GovData.Tests.Common.Web;
using Microsoft.Playwright;

namespace GovData.Exchange.Tests.Statistics;

/// <summary>The statistics page in a real browser: the ECharts charts render from the page's JSON block, without script errors.</summary>
public sealed class StatisticsBrowserTests(KestrelSqliteAppFactory app, BrowserFixture browser)
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
    public async Task The_statistics_page_draws_its_charts()
    {
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        // The host serves no favicon.ico (not this page's concern); anything else failing to load or throwing counts.
        page.Console += (_, m) => { if (m.Type == "error" && !m.Location.Contains("/favicon.ico")) errors.Add(m.Text + " " + m.Location); };
        page.Response += (_, r) => { if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico")) errors.Add($"{r.Status} {r.Url}"); };

        await page.GotoAsync("/account/login");
        await page.FillAsync("#userName", "admin");
        await page.FillAsync("#password", GovDataAppFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console");

        await page.GotoAsync("/console/exchange/statistics");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("共享统计");
        foreach (var key in new[] { "trend", "requests", "accesses" })
        {
            var chart = page.Locator($"[data-key={key}]");
            await Assertions.Expect(chart).ToBeVisibleAsync();
            await Assertions.Expect(chart.Locator("svg")).ToHaveCountAsync(1);
        }
        (await page.Locator("#trend-table tbody tr").CountAsync()).ShouldBe(12);
        errors.ShouldBeEmpty();

        await page.GotoAsync("/console/exchange/statistics/report");
        await Assertions.Expect(page.Locator("[data-key=trend]").Locator("svg")).ToHaveCountAsync(1);
        var shot = Path.Combine(Path.GetTempPath(), "govdata-exchange-statistics.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        errors.ShouldBeEmpty();
    }
}
