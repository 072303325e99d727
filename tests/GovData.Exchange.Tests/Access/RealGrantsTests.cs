using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.Exchange.Features.Access;
using GovData.Exchange.Features.Audit;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;

namespace GovData.Exchange.Tests.Access;

/// <summary>The real host with nothing replaced: the grants come from the sharing model, the audit trail is the real log.</summary>
public abstract class RealExchangeApp(DatabaseProvider provider) : GovDataAppFactory(provider);

public sealed class SqliteRealExchangeApp() : RealExchangeApp(DatabaseProvider.Sqlite);

public sealed class PostgresRealExchangeApp() : RealExchangeApp(DatabaseProvider.PostgreSql);

public sealed class SqliteRealGrantsTests(SqliteRealExchangeApp app) : RealGrantsTests<SqliteRealExchangeApp>(app), IClassFixture<SqliteRealExchangeApp>;

public sealed class PostgresRealGrantsTests(PostgresRealExchangeApp app) : RealGrantsTests<PostgresRealExchangeApp>(app), IClassFixture<PostgresRealExchangeApp>;

/// <summary>
/// Request → compliance → approval → signed query → revocation, end to end through the sharing model's grants
/// (<c>SharingGrantLookup</c>) and the real hash-chained audit log, on both engines.
/// </summary>
public abstract class RealGrantsTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : RealExchangeApp
{
    private const string Api = "/api/v1/exchange";

    private async Task<JsonNode> Ok(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(expected, customMessage: body + "\n" + App.ServerLog);
        return JsonNode.Parse(body)!;
    }

    private async Task<(string Code, string[] Fields)> EnterpriseAsync(HttpClient consumer)
    {
        var page = await Ok(await consumer.GetAsync($"{Api}/catalog?pageSize=50&keyword=" + Uri.EscapeDataString("企业法人库")));
        var entry = page["items"]!.AsArray().First(i => i!["name"]!.GetValue<string>() == "企业法人库")!;
        var code = entry["code"]!.GetValue<string>();
        var detail = await Ok(await consumer.GetAsync($"{Api}/catalog/{Uri.EscapeDataString(code)}"));
        var fields = detail["items"]!.AsArray().Select(i => i!["fieldName"]!.GetValue<string>()).ToArray();
        return (code, fields);
    }

    /// <summary>Takes a request of 人社厅 through every step to an active grant of the first two items; returns the grant id.</summary>
    private async Task<(string Code, string[] Granted, string GrantId, string RequestId)> GrantAsync()
    {
        var rst = await App.LoginAsync("rst_user");
        var (code, fields) = await EnterpriseAsync(rst);
        fields.Length.ShouldBeGreaterThan(2);
        var granted = fields[..2];
        var created = await Ok(await rst.PostAsJsonAsync($"{Api}/requests", new
        {
            resourceCode = code,
            purpose = "就业补贴审核中核对企业登记信息",
            legalBasis = "《就业补助资金管理办法》第十条",
            businessCase = "2026年稳岗返还审核",
            items = granted,
            rowScope = Array.Empty<object>(),
            accessModes = new[] { "api" },
            durationDays = 90,
            submit = true,
        }), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        var status = created["status"]!.GetValue<string>();
        if (status == "pending_compliance")
        {
            using var reviewer = await App.LoginAsync("reviewer");
            status = (await Ok(await reviewer.PostAsJsonAsync($"{Api}/requests/{id}/pass-compliance", new { note = "用途明确" })))["status"]!.GetValue<string>();
        }
        if (status == "pending_provider")
        {
            using var scjg = await App.LoginAsync("scjg_admin");
            var approved = await Ok(await scjg.PostAsJsonAsync($"{Api}/requests/{id}/approve", new
            {
                items = granted,
                rawAllowed = false,
                expiresOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(60)).ToString("yyyy-MM-dd"),
                note = "同意",
            }));
            status = approved["status"]!.GetValue<string>();
        }
        status.ShouldBe("approved");
        var request = await Ok(await rst.GetAsync($"{Api}/requests/{id}"));
        return (code, granted, request["grantId"]!.GetValue<string>(), id);
    }

    private async Task<TestApp> RegisterAppAsync()
    {
        using var client = await App.LoginAsync("rst_user");
        var json = await Ok(await client.PostAsJsonAsync($"{Api}/apps", new { name = "稳岗返还审核系统 " + Guid.NewGuid().ToString("N")[..6], description = "端到端测试" }),
            HttpStatusCode.Created);
        return new TestApp(json["app"]!["id"]!.GetValue<Guid>(), json["clientId"]!.GetValue<string>(), json["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_approved_request_lets_the_consumers_app_read_the_granted_items_and_a_revocation_stops_it_at_once()
    {
        var app = await RegisterAppAsync();
        using var signed = new SignedClient(App.CreateBrowserClient(), app.ClientId, app.Secret, TimeProvider.System);
        var (code, granted, grantId, _) = await GrantAsync();
        var path = $"{Api}/data/{Uri.EscapeDataString(code)}/rows?limit=5";

        // A resource the department holds no grant for: 403 naming the missing grant (the other tests of the class never
        // request anything but 企业法人库).
        using (var rst = await App.LoginAsync("rst_user"))
        {
            var other = (await Ok(await rst.GetAsync($"{Api}/catalog?pageSize=200&requestable=true")))["items"]!.AsArray()
                .Select(i => i!["code"]!.GetValue<string>()).First(c => c != code);
            var none = await signed.GetAsync($"{Api}/data/{Uri.EscapeDataString(other)}/rows?limit=5", issue: "稳岗返还-测试");
            none.Status.ShouldBe(HttpStatusCode.Forbidden, customMessage: none.Body);
            none.Json["detail"]!.GetValue<string>().ShouldContain("没有资源");
        }

        var call = await signed.GetAsync(path, issue: "稳岗返还-测试", requestId: "e2e-" + Guid.NewGuid().ToString("N")[..8]);
        call.Status.ShouldBe(HttpStatusCode.OK, customMessage: call.Body + "\n" + App.ServerLog);
        call.Json["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ShouldBe(granted);
        var rows = call.Json["rows"]!.AsArray();
        rows.Count.ShouldBe(5);
        rows.ShouldAllBe(r => r!.AsObject().Select(p => p.Key).All(k => granted.Contains(k)));
        call.Header(RequestSigning.RequestHashHeader).ShouldNotBeNullOrWhiteSpace();

        // A mode outside the grant is refused.
        var verify = await signed.PostAsync($"{Api}/verify/{Uri.EscapeDataString(code)}", "{\"records\":[{}]}");
        verify.Status.ShouldBe(HttpStatusCode.Forbidden, customMessage: verify.Body);
        verify.Json["detail"]!.GetValue<string>().ShouldContain("核验");

        // Revocation by the provider is seen by the very next call (every active grant of 人社厅 on the resource: the other
        // test of the class may have issued one too).
        using (var scjg = await App.LoginAsync("scjg_admin"))
        {
            var active = (await Ok(await scjg.GetAsync($"{Api}/grants?as=provider&status=active&pageSize=200")))["items"]!.AsArray()
                .Where(g => g!["resourceCode"]!.GetValue<string>() == code).Select(g => g!["id"]!.GetValue<string>()).ToList();
            active.ShouldContain(grantId);
            foreach (var id in active)
                await Ok(await scjg.PostAsJsonAsync($"{Api}/grants/{id}/revoke", new { reason = "项目结束，收回授权" }));
        }
        var after = await signed.GetAsync(path, issue: "稳岗返还-测试");
        after.Status.ShouldBe(HttpStatusCode.Forbidden, customMessage: after.Body);
        after.Json["detail"]!.GetValue<string>().ShouldContain("撤销");
    }

    [Fact]
    public async Task The_real_audit_log_holds_the_sharing_transitions_and_the_access_and_verifies_clean()
    {
        var (code, _, grantId, requestId) = await GrantAsync();
        var app = await RegisterAppAsync();
        using var signed = new SignedClient(App.CreateBrowserClient(), app.ClientId, app.Secret, TimeProvider.System);
        var call = await signed.GetAsync($"{Api}/data/{Uri.EscapeDataString(code)}/rows?limit=3", issue: "审计测试-案件001");
        call.Status.ShouldBe(HttpStatusCode.OK, customMessage: call.Body);

        using var auditor = await App.LoginAsync("auditor");
        var page = await Ok(await auditor.GetAsync($"{Api}/audit/entries?grant={grantId}&pageSize=200"));
        var entries = page["items"]!.AsArray().Select(e => e!).ToList();
        var access = entries.Single(e => e["kind"]!.GetValue<string>() == AuditKinds.Query);
        access["outcome"]!.GetValue<string>().ShouldBe(AuditOutcomes.Ok);
        access["rowsReturned"]!.GetValue<long>().ShouldBe(3);
        access["issue"]!.GetValue<string>().ShouldBe("审计测试-案件001");
        access["clientId"]!.GetValue<string>().ShouldBe(app.ClientId);
        access["requestHash"]!.GetValue<string>().ShouldBe(call.Header(RequestSigning.RequestHashHeader));
        entries.ShouldContain(e => e["kind"]!.GetValue<string>() == AuditKinds.GrantChanged);

        var requestEntries = (await Ok(await auditor.GetAsync($"{Api}/audit/entries?resource={Uri.EscapeDataString(code)}&kind={AuditKinds.RequestChanged}&pageSize=200")))["items"]!
            .AsArray().Where(e => e!["requestId"]?.GetValue<string>() == requestId).ToList();
        requestEntries.Count.ShouldBeGreaterThanOrEqualTo(3); // create, submit, pass (and approve for a conditional resource)

        // The whole log verifies; the auditor sees the verdict.
        var report = await Ok(await auditor.PostAsync($"{Api}/audit/verify", null));
        report["ok"]!.GetValue<bool>().ShouldBeTrue(customMessage: report.ToJsonString());

        // Nobody else can read the log.
        using var consumer = await App.LoginAsync("rst_user");
        (await consumer.GetAsync($"{Api}/audit/entries")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
