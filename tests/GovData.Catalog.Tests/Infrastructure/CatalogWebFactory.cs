using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GovData.Catalog.Tests.Infrastructure;

/// <summary>
/// The whole web host on a temporary SQLite file, migrated and seeded with the demo data at start-up.
/// Kept in this project (rather than a shared test library) so the module's tests stand alone.
/// </summary>
public sealed partial class CatalogWebFactory : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Demo@2026";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govdata-catalog-api-" + Guid.NewGuid().ToString("N")[..12]);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseSetting("GovData:ConnectionString", $"Data Source={Path.Combine(_folder, "govdata.db")}");
        builder.UseSetting("GovData:DataFolder", _folder);
        builder.UseSetting("GovData:MigrateOnStartup", "true");
        builder.UseSetting("GovData:SeedDemoData", "true");
        // No scheduled jobs in tests: the nightly quality check must not add runs while a test counts them.
        builder.UseSetting("GovData:Jobs:Enabled", "false");
        // Small demo data of the Data module (its real default is 100,000 企业法人库 rows): these tests only need the catalog.
        builder.UseSetting("GovData:Data:DemoEnterpriseRows", "2000");
        builder.UseSetting("GovData:Data:DemoRowsPerResource", "50");
        builder.UseEnvironment("Development");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();

    /// <summary>A client signed in as a demo account (cookie session).</summary>
    public async Task<HttpClient> LoginAsync(string userName)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetStringAsync("/account/login");
        var token = TokenRegex().Match(page);
        if (!token.Success) throw new InvalidOperationException("登录页缺少防伪令牌");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = userName,
            ["password"] = DemoPassword,
            ["__RequestVerificationToken"] = token.Groups[1].Value,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"演示账号 {userName} 登录失败：{(int)response.StatusCode}");
        return client;
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>One seeded web host shared by the API test classes (seeding the demo catalog takes a few seconds).</summary>
[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<CatalogWebFactory>
{
    public const string Name = "web";
}
