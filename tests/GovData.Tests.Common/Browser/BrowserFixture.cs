using Microsoft.Playwright;
using Xunit;

namespace GovData.Tests.Common.Browser;

/// <summary>
/// Headless Chromium driven by Playwright. Uses Debian's <c>/usr/bin/chromium</c> (or env <c>GOVDATA_TEST_CHROMIUM</c>)
/// through <c>ExecutablePath</c>; browsers are never downloaded (<c>playwright install</c> is not used). Each
/// launch gets a fresh profile. Without Chromium the tests using this fixture are skipped, or fail on CI.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Default Chromium location (Debian package <c>chromium</c>).</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    /// <summary>Flags for a quiet, sandbox-free headless run in containers.</summary>
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Path of the Chromium executable used.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("GOVDATA_TEST_CHROMIUM") is { Length: > 0 } p ? p : DefaultChromium;

    /// <summary>Why browser tests cannot run here, or null.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>The running browser.</summary>
    public IBrowser Browser
    {
        get
        {
            EnsureAvailable();
            return _browser ?? throw new InvalidOperationException("The browser fixture has not been initialised.");
        }
    }

    /// <summary>Skips (or on CI fails) the calling test when there is no browser.</summary>
    public void EnsureAvailable() => TestEnvironment.SkipOrFailWhenMissing(UnavailableReason);

    /// <summary>A new isolated context (cookies, storage) with Chinese locale and the given base address.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        // Generous: on CI the host shares two cores with other test assemblies loading 100,000-row tables, and a POST that
        // redirects took more than 15 s there once. A broken step still fails, only later.
        context.SetDefaultTimeout(60_000);
        return context;
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            UnavailableReason = $"Chromium not found at {ChromiumPath} (apt-get install chromium fonts-noto-cjk)";
            if (TestEnvironment.IsCI) throw new InvalidOperationException($"CI=true: a required test prerequisite is missing: {UnavailableReason}");
            return;
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
