using System.Text.RegularExpressions;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Spreadsheets;
using GovData.Tests.Common.Browser;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovData.Portal.Tests.Statistics;

public sealed class StatisticsKestrelSqliteFactory : GovDataAppFactory
{
    public StatisticsKestrelSqliteFactory() : base(DatabaseProvider.Sqlite, kestrel: true) => OpenDataFixture.Configure(this);
}

/// <summary>
/// 检索 → 数据集 → 下载 CSV in a real browser (Chromium through Playwright, host on Kestrel and a fresh SQLite database
/// with the demo data): open /portal, search the name of a 无条件开放 dataset with loaded data, open it from the results,
/// click 下载 CSV; the downloaded file (Playwright's download event) parses with the dataset's header and as many rows as
/// the page states; the statistics page then shows that one CSV download of the dataset.
/// </summary>
public sealed class DownloadJourneyTests(StatisticsKestrelSqliteFactory app, BrowserFixture browser)
    : IClassFixture<StatisticsKestrelSqliteFactory>, IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync()
    {
        browser.EnsureAvailable();
        app.EnsureAvailable();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Search_open_a_dataset_download_its_CSV_and_see_the_download_in_the_statistics()
    {
        // The dataset, found through the contracts: 无条件开放, with data (its masked header is what the file must carry).
        var (dataset, described) = await app.WithScopeAsync(async sp =>
        {
            var catalog = sp.GetRequiredService<IOpenCatalog>();
            var data = sp.GetRequiredService<IGovernedDataAccess>();
            var hits = (await catalog.SearchAsync(new OpenCatalogQuery { OpenType = OpenType.Unconditional, Limit = 500 })).Page!.Items;
            foreach (var hit in hits.OrderBy(h => h.Dataset.Code.ToString(), StringComparer.Ordinal))
                if (await data.DescribeAsync(hit.Dataset.Code, AccessPolicy.Everything(false)) is { RowCount: > 0 } d)
                    return (hit.Dataset, d);
            throw new InvalidOperationException("The demo data has no 无条件开放 dataset with data");
        });

        // Headless Chromium says "HeadlessChrome" in its user agent, which the portal does not count (a robot); a person's
        // browser does not.
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.ServerAddress.ToString().TrimEnd('/'),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            AcceptDownloads = true,
            UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();

        // 1. Home → search.
        await page.GotoAsync("/portal");
        await page.GetByLabel("检索开放数据").FillAsync(dataset.Name);
        await page.GetByRole(AriaRole.Button, new() { Name = "检索", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/portal/datasets\\?q="));

        // 2. Open the dataset from the results.
        await page.GetByRole(AriaRole.Link, new() { Name = dataset.Name, Exact = true }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(dataset.Name);
        var stated = Regex.Match(await page.Locator("#data-title + ul.meta").InnerTextAsync(), "共 ([0-9,]+) 行");
        stated.Success.ShouldBeTrue();
        var rowCount = long.Parse(stated.Groups[1].Value.Replace(",", ""));
        rowCount.ShouldBe(described.RowCount);

        // 3. 下载 CSV (the download event gives the file).
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "CSV（UTF-8，Excel 可直接打开）" }).ClickAsync());
        download.SuggestedFilename.ShouldEndWith(".csv");
        var file = Path.Combine(Path.GetTempPath(), $"govdata-journey-{Guid.NewGuid():N}.csv");
        await download.SaveAsAsync(file);
        try
        {
            await using var stream = File.OpenRead(file);
            var rows = TabularFile.ReadCsv(stream);
            rows[0].Cells.ToList().ShouldBe(described.Fields.Select(f => f.ItemName).ToList(), "the header: the items' names in column order");
            (rows.Count - 1).ShouldBe((int)rowCount, "every row the page states");
        }
        finally
        {
            File.Delete(file);
        }

        // 4. The statistics page shows the download: 1 CSV, for this dataset.
        await page.GetByRole(AriaRole.Link, new() { Name = "访问统计", Exact = true }).First.ClickAsync();
        await Expect(page.Locator("#total-downloads")).ToHaveTextAsync("1");
        await Expect(page.Locator("#formats-table tr", new() { HasText = "CSV" }).Locator("td")).ToHaveTextAsync("1");
        var row = page.Locator("#datasets-table tbody tr", new() { HasText = dataset.Name });
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("1");
        // The charts are drawn (JavaScript on): the trend container is shown.
        await Expect(page.Locator("[data-key=trend]")).ToBeVisibleAsync();
    }
}
