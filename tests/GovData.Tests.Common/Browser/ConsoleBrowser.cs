using GovData.Tests.Common.Web;
using Microsoft.Playwright;
using Xunit;

namespace GovData.Tests.Common.Browser;

/// <summary>Steps every console journey takes in the browser: sign in and out with a demo account, keep a screenshot.</summary>
public static class ConsoleBrowser
{
    /// <summary>Signs in through the login form and waits for the console home.</summary>
    public static async Task SignInAsync(this IPage page, string user, string password = GovDataAppFactory.DemoPassword)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#userName", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console");
    }

    /// <summary>Signs out with the top bar's button and waits for the login page.</summary>
    public static async Task SignOutAsync(this IPage page)
    {
        await page.ClickAsync(".topbar-user button:has-text('退出')");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
    }

    /// <summary>Saves a full-page screenshot under <c>screenshots/</c> next to the test assembly and names it in the test output.</summary>
    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {Path.Combine(folder, name)}");
    }
}
