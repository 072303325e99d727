using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;

namespace GovData.Exchange.Tests.Sharing;

/// <summary>A host configured differently: no automatic compliance pass, other limits and grant defaults.</summary>
public abstract class ConfiguredSharingApp : SharingAppFactory
{
    protected ConfiguredSharingApp(DatabaseProvider provider) : base(provider)
    {
        WithSetting("GovData:Exchange:AutoPassUnconditional", "false");
        WithSetting("GovData:Exchange:ComplianceWorkingDays", "5");
        WithSetting("GovData:Exchange:ProviderWorkingDays", "3");
        WithSetting("GovData:Exchange:DefaultDailyQuota", "250");
        WithSetting("GovData:Exchange:DefaultQuotaUnit", "calls");
        WithSetting("GovData:Exchange:DefaultRateLimitPerMinute", "5");
        WithSetting("GovData:Exchange:MaxGrantDays", "90");
    }
}

public sealed class SqliteConfiguredSharingApp() : ConfiguredSharingApp(DatabaseProvider.Sqlite);

public sealed class PostgresConfiguredSharingApp() : ConfiguredSharingApp(DatabaseProvider.PostgreSql);

public sealed class SqliteSharingOptionsTests(SqliteConfiguredSharingApp app) : SharingOptionsTests<SqliteConfiguredSharingApp>(app), IClassFixture<SqliteConfiguredSharingApp>;

public sealed class PostgresSharingOptionsTests(PostgresConfiguredSharingApp app) : SharingOptionsTests<PostgresConfiguredSharingApp>(app), IClassFixture<PostgresConfiguredSharingApp>;

/// <summary>GovData:Exchange:* settings change the workflow: manual compliance for 无条件共享, the limits, the grant defaults.</summary>
public abstract class SharingOptionsTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : ConfiguredSharingApp
{
    private const string Api = "/api/v1/exchange";

    private Task<JsonNode> Ok(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK) => SharingAppFactory.Ok(r, expected, App.ServerLog);

    private static object Body(string code, string[] items, int days) => new
    {
        resourceCode = code,
        purpose = "就业登记核验",
        legalBasis = "《就业服务与就业管理规定》第六十二条",
        businessCase = "就业登记",
        items,
        accessModes = new[] { "verify" },
        durationDays = days,
    };

    [Fact]
    public async Task Without_auto_pass_unconditional_requests_wait_for_the_compliance_check_within_the_configured_limit()
    {
        var res = await App.ResourcesAsync();
        var rst = await App.ClientAsync("rst_user");
        var monday = App.Clock.Today;
        monday.DayOfWeek.ShouldBe(DayOfWeek.Monday);
        (await Ok(await rst.PostAsJsonAsync($"{Api}/requests", Body(res.Unconditional, ["credit_code"], 91)), HttpStatusCode.BadRequest))
            ["errors"]!["durationDays"]![0]!.GetValue<string>().ShouldContain("1 到 90");

        var request = await Ok(await rst.PostAsJsonAsync($"{Api}/requests", Body(res.Unconditional, ["credit_code"], 30)), HttpStatusCode.Created);
        request["status"]!.GetValue<string>().ShouldBe("pending_compliance");
        request["timer"]!["dueOn"]!.GetValue<string>().ShouldBe(monday.AddDays(7).ToString("yyyy-MM-dd")); // 5 working days
        request["grantId"].ShouldBeNull();

        var reviewer = await App.ClientAsync("reviewer");
        var passed = await Ok(await reviewer.PostAsJsonAsync($"{Api}/requests/{request["id"]}/pass-compliance", new { note = "同意" }));
        passed["status"]!.GetValue<string>().ShouldBe("approved");
        passed["events"]!.AsArray()[^1]!["actorName"]!.GetValue<string>().ShouldBe("目录审核员（演示）");
        var grant = await Ok(await rst.GetAsync($"{Api}/grants/{passed["grantId"]}"));
        grant["dailyQuota"]!.GetValue<long>().ShouldBe(250);
        grant["quotaUnit"]!.GetValue<string>().ShouldBe("calls");
        grant["quotaUnitLabel"]!.GetValue<string>().ShouldBe("次/日");
        grant["rateLimitPerMinute"]!.GetValue<int>().ShouldBe(5);
    }

    [Fact]
    public async Task The_provider_limit_follows_the_configuration()
    {
        var res = await App.ResourcesAsync();
        var rst = await App.ClientAsync("rst_user");
        var monday = App.Clock.Today;
        var request = await Ok(await rst.PostAsJsonAsync($"{Api}/requests", Body(res.Conditional, ["credit_code"], 30)), HttpStatusCode.Created);
        var reviewer = await App.ClientAsync("reviewer");
        var passed = await Ok(await reviewer.PostAsJsonAsync($"{Api}/requests/{request["id"]}/pass-compliance", new { }));
        passed["providerDueOn"]!.GetValue<string>().ShouldBe(monday.AddDays(3).ToString("yyyy-MM-dd"));
        var scjg = await App.ClientAsync("scjg_admin");
        (await Ok(await scjg.PostAsJsonAsync($"{Api}/requests/{request["id"]}/approve", new { expiresOn = monday.AddDays(91).ToString("yyyy-MM-dd") }),
            HttpStatusCode.BadRequest))["errors"]!["expiresOn"]![0]!.GetValue<string>().ShouldContain(monday.AddDays(90).ToString("yyyy-MM-dd"));
    }
}
