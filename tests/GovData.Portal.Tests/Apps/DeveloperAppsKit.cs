using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Portal.Tests.Feedback;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Tests.Apps;

/// <summary>Hosts of the developer-centre tests: developer limits that differ from every default (the page and the headers must show these).</summary>
public static class DevAppsSettings
{
    public const int KeyedPerMinute = 77;
    public const int KeyedPerDay = 500;

    public static void Apply(GovDataAppFactory app) => app
        .WithSetting("GovData:Portal:OpenApi:KeyedPerMinute", KeyedPerMinute.ToString())
        .WithSetting("GovData:Portal:OpenApi:KeyedPerDay", KeyedPerDay.ToString())
        .WithSetting("GovData:Portal:OpenApi:AnonymousPerMinute", "1000")
        .WithSetting("GovData:Accounts:RegistrationAttemptsPerHour", "100");
}

public sealed class DevAppsSqliteFactory : GovDataAppFactory
{
    public DevAppsSqliteFactory() : base(DatabaseProvider.Sqlite) => DevAppsSettings.Apply(this);
}

public sealed class DevAppsPostgresFactory : GovDataAppFactory
{
    public DevAppsPostgresFactory() : base(DatabaseProvider.PostgreSql) => DevAppsSettings.Apply(this);
}

public sealed class DevAppsKestrelSqliteFactory : GovDataAppFactory
{
    public DevAppsKestrelSqliteFactory() : base(DatabaseProvider.Sqlite, kestrel: true) => DevAppsSettings.Apply(this);
}

/// <summary>Accounts, apps and a dataset with rows for the developer-centre tests.</summary>
public static partial class DevApps
{
    public const string List = "/portal/me/apps";

    public static string AppPage(Guid id) => $"/portal/me/apps/{id}";

    [GeneratedRegex(@"gd_[A-Za-z0-9]{8}_[A-Za-z0-9_\-]{40,}")]
    public static partial Regex SecretPattern();

    [GeneratedRegex(@"/portal/me/apps/([0-9a-f\-]{36})")]
    private static partial Regex AppLink();

    /// <summary>Registers (optionally as developer), optionally verifies by the mailed link, signs in.</summary>
    public static async Task<(HttpClient Client, string Email)> AccountAsync(GovDataAppFactory app, bool developer = true, bool verified = true)
    {
        var email = Accounts.NewEmail("dev");
        var anonymous = app.CreateBrowserClient();
        var registered = await Accounts.RegisterAsync(anonymous, email, displayName: "开发者甲", developer: developer);
        registered.StatusCode.ShouldBe(HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        if (verified)
        {
            var token = await Accounts.TokenFromOutboxAsync(app, email);
            (await (await Accounts.VerifyAsync(anonymous, token)).Content.ReadAsStringAsync()).ShouldContain("邮箱验证成功");
        }
        return (await app.LoginAsync(email, Accounts.Password), email);
    }

    public static Task<HttpResponseMessage> CreateAsync(HttpClient client, string name, string description = "", string homepage = "") =>
        client.PostFormAsync("/portal/me", [new("name", name), new("description", description), new("homepage", homepage)], List);

    /// <summary>Creates an app through the page; returns its id and the key shown once.</summary>
    public static async Task<(Guid Id, string Secret, string Html)> CreatedAsync(HttpClient client, string name, string homepage = "")
    {
        var response = await CreateAsync(client, name, homepage: homepage);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, html.Length > 3000 ? html[..3000] : html);
        var secret = SecretPattern().Matches(html).Select(m => m.Value).Distinct().ShouldHaveSingleItem();
        var id = Guid.Parse(AppLink().Match(html).Groups[1].Value);
        return (id, secret, html);
    }

    public static Task<HttpResponseMessage> PostAppAsync(HttpClient client, Guid id, string handler, params KeyValuePair<string, string>[] fields) =>
        client.PostFormAsync("/portal/me", fields, $"{AppPage(id)}?handler={handler}");

    /// <summary>A 无条件开放 dataset with loaded rows (its portal name), found through the contracts.</summary>
    public static async Task<string> DatasetWithRowsAsync(GovDataAppFactory app) => await app.WithScopeAsync(async sp =>
    {
        var catalog = sp.GetRequiredService<IOpenCatalog>();
        var data = sp.GetRequiredService<IGovernedDataAccess>();
        var hits = (await catalog.SearchAsync(new OpenCatalogQuery { OpenType = OpenType.Unconditional, Limit = 500 })).Page!.Items;
        foreach (var hit in hits.OrderBy(h => h.Dataset.Code.ToString(), StringComparer.Ordinal))
            if (await data.DescribeAsync(hit.Dataset.Code, AccessPolicy.Everything(false)) is { RowCount: > 2 })
                return hit.Dataset.Code.Prefix + "-" + hit.Dataset.Code.Suffix;
        throw new InvalidOperationException("The demo data has no 无条件开放 dataset with rows");
    });

    public static async Task<T> ScalarAsync<T>(GovDataAppFactory app, string sql, object? args = null)
    {
        await using var connection = await app.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no value: " + sql);
    }

    /// <summary>The number in the element with the given id (e.g. calls-today) on the page.</summary>
    public static long Stat(string html, string id)
    {
        var m = Regex.Match(html, $"id=\"{id}\">(\\d+)<");
        m.Success.ShouldBeTrue($"no #{id} on the page");
        return long.Parse(m.Groups[1].Value);
    }
}
