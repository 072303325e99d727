using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;
using GovData.Tests.Common.Web;

namespace GovData.Portal.Tests;

/// <summary>Hosts with small limits: anonymous 3 calls a minute; a developer's key 5 calls a day (more than anonymous).</summary>
public sealed class OpenLimitsSqliteFactory : GovDataAppFactory
{
    public OpenLimitsSqliteFactory() : base(DatabaseProvider.Sqlite) => OpenLimitsFixture.Configure(this);
}

public sealed class OpenLimitsPostgresFactory : GovDataAppFactory
{
    public OpenLimitsPostgresFactory() : base(DatabaseProvider.PostgreSql) => OpenLimitsFixture.Configure(this);
}

/// <summary>A second host over the same database (several hosts share one limit through the database).</summary>
public sealed class SecondHost : GovDataAppFactory
{
    public SecondHost(TestDatabase database) : base(database)
    {
        OpenLimitsFixture.Configure(this);
        WithSetting("GovData:SeedDemoData", "false");
    }
}

public static class OpenLimitsFixture
{
    public const int AnonymousPerMinute = 3;
    public const int KeyedPerDay = 5;

    public static void Configure(GovDataAppFactory app) => app
        .WithSetting("GovData:Portal:OpenApi:AnonymousPerMinute", AnonymousPerMinute.ToString())
        .WithSetting("GovData:Portal:OpenApi:AnonymousPerDay", "1000")
        .WithSetting("GovData:Portal:OpenApi:KeyedPerMinute", "100")
        .WithSetting("GovData:Portal:OpenApi:KeyedPerDay", KeyedPerDay.ToString());
}

/// <summary>
/// Rate limits and daily quotas of the open interfaces, counted in the database: 429 with Retry-After and a Chinese problem
/// after the anonymous limit, the same limit on datastore_search in CKAN's shape, a developer's key with the higher limit
/// (and its daily quota, counted across two hosts over one database), keys that are not valid or not a developer's refused.
/// </summary>
public abstract class OpenLimitsTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private const string Search = "/api/v1/open/datasets?limit=1";

    /// <summary>Waits out the end of a minute, so that a sequence of calls stays in one minute window.</summary>
    private static async Task StartOfMinuteAsync()
    {
        var second = DateTime.UtcNow.Second;
        if (second >= 45) await Task.Delay(TimeSpan.FromSeconds(61 - second));
    }

    [Fact]
    public async Task Anonymous_callers_get_429_with_retry_after_after_the_limit_and_a_developer_key_gets_more()
    {
        await StartOfMinuteAsync();
        var anonymous = App.CreateBrowserClient();
        for (var i = 1; i <= OpenLimitsFixture.AnonymousPerMinute; i++)
        {
            var ok = await anonymous.GetAsync(Search);
            ok.StatusCode.ShouldBe(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
            ok.Headers.GetValues("X-RateLimit-Limit").Single().ShouldBe(OpenLimitsFixture.AnonymousPerMinute.ToString());
            ok.Headers.GetValues("X-RateLimit-Remaining").Single().ShouldBe((OpenLimitsFixture.AnonymousPerMinute - i).ToString());
        }
        var refused = await anonymous.GetAsync(Search);
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        retryAfter.ShouldBeInRange(1, 60);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        problem["status"]!.GetValue<int>().ShouldBe(429);
        problem["title"]!.GetValue<string>().ShouldBe("请求过于频繁");
        problem["detail"]!.GetValue<string>().ShouldContain($"每分钟最多调用 {OpenLimitsFixture.AnonymousPerMinute} 次");

        // The same limit on CKAN's datastore_search, answered in CKAN's envelope.
        var ckan = await anonymous.GetAsync("/api/3/action/datastore_search?resource_id=" + Guid.NewGuid());
        ckan.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        ckan.Headers.RetryAfter.ShouldNotBeNull();
        var envelope = JsonNode.Parse(await ckan.Content.ReadAsStringAsync())!;
        envelope["success"]!.GetValue<bool>().ShouldBeFalse();
        envelope["error"]!["__type"]!.GetValue<string>().ShouldBe("Rate Limit Error");

        // The count lives in the database (one window row per caller and minute).
        await using (var connection = await App.Database.OpenConnectionAsync())
        {
            var calls = await connection.ExecuteScalarAsync<long>("SELECT MAX(calls) FROM portal_api_windows WHERE caller LIKE 'ip:%' AND period LIKE 'm%'");
            calls.ShouldBe(OpenLimitsFixture.AnonymousPerMinute);
        }

        // A developer's key: more calls than anonymous (its own count), then the daily quota, counted across two hosts.
        var developer = await App.LoginAsync("developer");
        var key = await developer.CreateApiKeyAsync("开放接口测试", ["catalog:read"]);
        var keyed = App.CreateApiKeyClient(key.Secret);
        await using var second = new SecondHost(App.Database);
        await second.InitializeAsync();
        var keyedElsewhere = second.CreateApiKeyClient(key.Secret);
        for (var i = 1; i <= OpenLimitsFixture.KeyedPerDay; i++)
        {
            var ok = await (i % 2 == 0 ? keyedElsewhere : keyed).GetAsync(Search);
            ok.StatusCode.ShouldBe(HttpStatusCode.OK, $"keyed call {i}: {await ok.Content.ReadAsStringAsync()}");
            ok.Headers.GetValues("X-Daily-Quota-Remaining").Single().ShouldBe((OpenLimitsFixture.KeyedPerDay - i).ToString());
        }
        OpenLimitsFixture.KeyedPerDay.ShouldBeGreaterThan(OpenLimitsFixture.AnonymousPerMinute);
        var overQuota = await keyed.GetAsync(Search);
        overQuota.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        int.Parse(overQuota.Headers.GetValues("Retry-After").Single()).ShouldBeGreaterThan(0);
        JsonNode.Parse(await overQuota.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().ShouldContain("每日最多调用");
        (await keyedElsewhere.GetAsync(Search)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Concurrent_calls_never_get_past_the_quota()
    {
        // A fresh key (its own count): twelve calls at once, exactly the daily quota of them succeed — the conditional
        // upsert lets no two requests take the last call.
        var developer = await App.LoginAsync("developer");
        var key = await developer.CreateApiKeyAsync("并发测试", ["catalog:read"]);
        var client = App.CreateApiKeyClient(key.Secret);
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.GetAsync(Search)));
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(OpenLimitsFixture.KeyedPerDay);
        responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBe(12 - OpenLimitsFixture.KeyedPerDay);
        await using var connection = await App.Database.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT calls FROM portal_api_windows WHERE caller = @caller AND period LIKE 'd%'",
            new { caller = "key:" + key.Id })).ShouldBe(OpenLimitsFixture.KeyedPerDay);
    }

    [Fact]
    public async Task Keys_that_are_not_valid_or_not_a_developers_are_refused()
    {
        var invalid = App.CreateApiKeyClient("gd_00000000_notavalidsecret");
        var response = await invalid.GetAsync(Search);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().ShouldContain("X-Api-Key");

        var staff = await App.LoginAsync("scjg_cataloger");
        var staffKey = await staff.CreateApiKeyAsync("非开发者密钥", ["catalog:read"]);
        var forbidden = await App.CreateApiKeyClient(staffKey.Secret).GetAsync(Search);
        forbidden.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        JsonNode.Parse(await forbidden.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().ShouldContain("开发者");
    }
}

public sealed class SqliteOpenLimitsTests(OpenLimitsSqliteFactory app) : OpenLimitsTests<OpenLimitsSqliteFactory>(app), IClassFixture<OpenLimitsSqliteFactory>;

public sealed class PostgresOpenLimitsTests(OpenLimitsPostgresFactory app) : OpenLimitsTests<OpenLimitsPostgresFactory>(app), IClassFixture<OpenLimitsPostgresFactory>;
