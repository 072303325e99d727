using GovData.Tests.Common.Browser;
using GovData.Tests.Common.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovData.Portal.Tests.Accessibility;

/// <summary>
/// Keyboard use and 大字版 (issue 6 §8) in a real browser (Chromium through Playwright, host on Kestrel and SQLite with
/// the demo catalog): the first Tab reaches the skip link, which moves focus to the main content; the focused element has
/// a visible outline (computed style); the 大字版 switch enlarges the computed font size and the 标准字号 link restores it;
/// every portal page can be tabbed through without focus getting lost.
/// </summary>
public sealed class AccessibilityBrowserTests(KestrelSqliteAppFactory app, BrowserFixture browser)
    : IClassFixture<KestrelSqliteAppFactory>, IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync()
    {
        browser.EnsureAvailable();
        app.EnsureAvailable();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static Task<string> ActiveAsync(IPage page, string expression) =>
        page.EvaluateAsync<string>($"() => {{ const e = document.activeElement; return e ? String({expression}) : ''; }}");

    private static async Task<double> FontSizeAsync(IPage page, string selector) =>
        await page.EvalOnSelectorAsync<double>(selector, "e => parseFloat(getComputedStyle(e).fontSize)");

    [Theory]
    [InlineData("/portal")]
    [InlineData("/portal/datasets?q=企业")]
    [InlineData("/portal/departments")]
    public async Task Tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(string path)
    {
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);

        await page.Keyboard.PressAsync("Tab");
        (await ActiveAsync(page, "e.textContent.trim()")).ShouldBe("跳到主要内容");
        (await ActiveAsync(page, "e.getAttribute('href')")).ShouldBe("#main");
        // Off screen until focused, then inside the viewport.
        var box = await page.Locator(".skip-link").BoundingBoxAsync();
        box.ShouldNotBeNull();
        box.X.ShouldBeGreaterThanOrEqualTo(0);
        box.Y.ShouldBeGreaterThanOrEqualTo(0);
        await Expect(page.Locator(".skip-link")).ToBeInViewportAsync();

        await page.Keyboard.PressAsync("Enter");
        (await ActiveAsync(page, "e.id")).ShouldBe("main");
        (await ActiveAsync(page, "e.tagName")).ShouldBe("MAIN");
        // The next Tab continues inside the main content, not back in the header.
        await page.Keyboard.PressAsync("Tab");
        (await ActiveAsync(page, "!!e.closest('main')")).ShouldBe("true");
    }

    [Fact]
    public async Task The_focused_link_has_a_visible_outline()
    {
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/portal");
        var before = await page.EvalOnSelectorAsync<string>(".site-nav a", "e => getComputedStyle(e).outlineStyle");
        before.ShouldBe("none");

        // Tab past the skip link and the brand to the first navigation link.
        for (var i = 0; i < 3; i++) await page.Keyboard.PressAsync("Tab");
        (await ActiveAsync(page, "e.textContent.trim()")).ShouldBe("首页");
        var style = await page.EvaluateAsync<string[]>(
            "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }");
        style[0].ShouldBe("solid");
        double.Parse(style[1].Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(2);
        style[2].ShouldNotBe("rgba(0, 0, 0, 0)");
    }

    [Fact]
    public async Task Large_text_mode_enlarges_the_computed_font_size_and_can_be_turned_off()
    {
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/portal/datasets?q=企业");
        var bodyBefore = await FontSizeAsync(page, "body");
        var headingBefore = await FontSizeAsync(page, "h1");

        // Keyboard only: focus the switch and press Enter.
        await page.GetByRole(AriaRole.Link, new() { Name = "大字版", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        // Waits through the redirect back to the page (the class only appears on the new document).
        await Expect(page.Locator("html")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("large-text"));
        await page.WaitForLoadStateAsync();
        new Uri(page.Url).AbsolutePath.ShouldBe("/portal/datasets");
        new Uri(page.Url).Query.ShouldContain("q=");
        (await page.EvaluateAsync<bool>("() => document.documentElement.classList.contains('large-text')")).ShouldBeTrue();
        var bodyAfter = await FontSizeAsync(page, "body");
        var headingAfter = await FontSizeAsync(page, "h1");
        bodyAfter.ShouldBeGreaterThanOrEqualTo(bodyBefore * 1.2);
        headingAfter.ShouldBeGreaterThanOrEqualTo(headingBefore * 1.2);

        // The setting follows the visitor to the next page (cookie), and 标准字号 restores the sizes.
        await page.GotoAsync("/portal");
        (await FontSizeAsync(page, "body")).ShouldBe(bodyAfter);
        await page.GetByRole(AriaRole.Link, new() { Name = "标准字号", Exact = true }).ClickAsync();
        await Expect(page.Locator("html")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("large-text"));
        await page.WaitForLoadStateAsync();
        new Uri(page.Url).AbsolutePath.ShouldBe("/portal");
        (await FontSizeAsync(page, "body")).ShouldBe(bodyBefore);
    }

    [Fact]
    public async Task Every_link_and_control_of_the_search_page_is_reachable_by_keyboard_with_a_visible_focus()
    {
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/portal/datasets?q=企业");
        var focusable = await page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')].filter(e => e.offsetParent !== null || e.classList.contains('skip-link')).length");
        focusable.ShouldBeGreaterThan(10);

        var seen = new HashSet<string>();
        for (var i = 0; i < focusable + 5; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var state = await page.EvaluateAsync<string[]>(
                "() => { const e = document.activeElement; const s = getComputedStyle(e); const r = e.getBoundingClientRect();" +
                " return [e.tagName, (e.getAttribute('href') || e.name || e.id || '') + '|' + e.textContent.trim().slice(0, 20), s.outlineStyle, String(r.width > 0 && r.height > 0)]; }");
            if (state[0] == "BODY") break; // wrapped around past the last control
            state[2].ShouldNotBe("none", $"焦点 {state[0]} {state[1]} 没有可见轮廓");
            state[3].ShouldBe("true", $"焦点 {state[0]} {state[1]} 不可见");
            seen.Add(state[1]);
        }
        seen.Count.ShouldBeGreaterThanOrEqualTo(focusable - 1);
    }

    /// <summary>A 无条件开放 dataset of the demo whose page draws a preview chart (found through CKAN package_search and the pages).</summary>
    private async Task<string> DatasetWithChartAsync()
    {
        using var http = new HttpClient { BaseAddress = app.ServerAddress };
        var search = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/api/3/action/package_search?rows=1000&fq=open_type:无条件开放"))!;
        foreach (var package in search["result"]!["results"]!.AsArray())
        {
            var path = "/portal/datasets/" + package!["name"]!.GetValue<string>();
            if ((await http.GetStringAsync(path)).Contains("data-key=\"preview\"", StringComparison.Ordinal)) return path;
        }
        throw new InvalidOperationException("演示数据中没有带图表的数据集页");
    }

    [Fact]
    public async Task The_dataset_chart_loads_ECharts_only_when_it_comes_into_view()
    {
        var path = await DatasetWithChartAsync();
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(390, 700);
        var requested = new List<string>();
        var errors = new List<string>();
        page.Request += (_, r) => requested.Add(new Uri(r.Url).AbsolutePath);
        page.PageError += (_, e) => errors.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };

        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle });
        requested.ShouldContain("/js/charts.js");
        requested.ShouldNotContain("/lib/echarts/echarts.min.js");
        var chart = page.Locator("[data-chart][data-key=preview]");
        // Shown empty at its height (nothing moves later), no chart drawn yet.
        (await chart.EvaluateAsync<bool>("e => !e.hidden && e.getBoundingClientRect().height > 100")).ShouldBeTrue();
        await Expect(chart.Locator("svg")).ToHaveCountAsync(0);

        await chart.ScrollIntoViewIfNeededAsync();
        await Expect(chart.Locator("svg")).ToHaveCountAsync(1);
        requested.Count(r => r == "/lib/echarts/echarts.min.js").ShouldBe(1);
        errors.ShouldBeEmpty();
    }
}
