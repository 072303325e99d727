using GovData.Tests.Common.Browser;
using GovData.Tests.Common.Web;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace GovData.Identity.Tests.Browser;

/// <summary>Signing in with a real browser against the host served by Kestrel on 127.0.0.1.</summary>
public sealed class LoginBrowserTests(KestrelSqliteAppFactory app, BrowserFixture browser)
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
    public async Task Admin_signs_in_and_lands_on_the_console()
    {
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/account/login");
        response.ShouldNotBeNull().Status.ShouldBe(200);
        (await page.TitleAsync()).ShouldContain("登录");

        await page.FillAsync("#userName", "admin");
        await page.FillAsync("#password", GovDataAppFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console");
        var heading = page.Locator("h1");
        await Assertions.Expect(heading).ToHaveTextAsync("工作台");
        (await page.ContentAsync()).ShouldContain("平台管理员（演示）");
    }

    [Fact]
    public async Task Wrong_password_shows_the_error_on_the_login_page()
    {
        await using var context = await browser.NewContextAsync(app.ServerAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#userName", "reviewer");
        await page.FillAsync("#password", "Wrong@2026");
        await page.ClickAsync("button[type=submit]");

        await Assertions.Expect(page.Locator("#login-error")).ToHaveTextAsync("用户名或密码错误");
        new Uri(page.Url).AbsolutePath.ShouldBe("/account/login");
        // The typed user name is kept, the password is not.
        (await page.InputValueAsync("#userName")).ShouldBe("reviewer");
        (await page.InputValueAsync("#password")).ShouldBeEmpty();
    }
}
