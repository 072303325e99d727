using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Exchange.Features.Access;
using GovData.Exchange.Features.Audit;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Tests.Access;

/// <summary>
/// The access endpoints over real HTTP on the composed host with the demo data (企业法人库, 2,000 rows): signed requests,
/// grants (items, row scope, masking, modes, expiry, revocation), quotas and rates, 核验, and one audit record per call.
/// Written once, run on SQLite and PostgreSQL.
/// </summary>
public abstract class AccessApiTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app), IClassFixture<TFactory> where TFactory : AccessAppFactory
{
    // Item names of 企业法人库 (grants and filters may use them); responses use the API names (field codes).
    private const string Code = "统一社会信用代码", Name = "法人名称", State = "法人状态", Person = "法定代表人", Address = "法人处所";
    private static readonly string[] Items = [Code, Name, State];

    /// <summary>The API name of an item of 企业法人库.</summary>
    private static string F(DemoResources demo, string itemName) => demo.Enterprise.Fields.Single(f => f.ItemName == itemName).Name;

    private static string RowsPath(DataResourceDescription r, string query = "") =>
        "/api/v1/exchange/data/" + Uri.EscapeDataString(r.ResourceCode) + "/rows" + (query.Length == 0 ? "" : "?" + query);

    private static string VerifyPath(DataResourceDescription r) => "/api/v1/exchange/verify/" + Uri.EscapeDataString(r.ResourceCode);

    private static string E(string text) => Uri.EscapeDataString(text);

    /// <summary>Rows of a resource read directly (every field, raw), for expectations.</summary>
    private async Task<GovernedRowPage> DirectAsync(DataResourceDescription r, string query) =>
        await App.WithScopeAsync(sp => sp.GetRequiredService<IGovernedDataAccess>()
            .QueryAsync(ResourceCode.Parse(r.ResourceCode), AccessPolicy.Everything(raw: true), GovData.Exchange.Tests.Access.Query.Parse(query)));

    /// <summary>The access records of an application (its registration, logged too, left out).</summary>
    private IReadOnlyList<AuditRecord> AuditOf(TestApp testApp) =>
        App.AuditRecords.Where(r => r.ClientId == testApp.ClientId && r.Kind != AccessAuditKinds.AppChanged).ToList();

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task A_signed_query_returns_only_granted_items_within_the_row_scope_and_is_logged()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        var grant = App.Grant(demo.HumanResources, demo.Enterprise, Items, rows: [new RowCondition(State, RowConditionOperator.Equals, ["存续"])]);
        using var client = App.Signed(testApp);

        var expected = (await DirectAsync(demo.Enterprise, $"{E(State)}=存续&limit=0")).Total!.Value;
        expected.ShouldBeGreaterThan(100);
        expected.ShouldBeLessThan(demo.Enterprise.RowCount);

        var call = await client.GetAsync(RowsPath(demo.Enterprise, "limit=5000&sort=" + E(Code)), issue: "（2026）鲁人社稽字第 12 号 企业用工核查", requestId: "rst-20260701-0001");
        call.Status.ShouldBe(HttpStatusCode.OK, call.Body);
        var json = call.Json;
        json["fields"]!.AsArray().Select(f => f!["itemName"]!.GetValue<string>()).ShouldBe(Items);
        json["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ShouldBe(Items.Select(i => F(demo, i)));
        json["grantId"]!.GetValue<Guid>().ShouldBe(grant.GrantId);
        json["requestId"]!.GetValue<string>().ShouldBe("rst-20260701-0001");
        var rows = json["rows"]!.AsArray();
        rows.Count.ShouldBe((int)expected);
        json["total"]!.GetValue<long>().ShouldBe(expected);
        var state = F(demo, State);
        rows.ShouldAllBe(r => r![state]!.GetValue<string>() == "存续");
        rows.ShouldAllBe(r => r!.AsObject().Count == 3);
        foreach (var hidden in new[] { Person, Address, F(demo, Person), F(demo, Address) }) call.Body.ShouldNotContain(hidden);

        // The request hash is the SHA-256 of the canonical string the client signed; the response hash is of the body bytes.
        call.Header(RequestSigning.RequestHashHeader).ShouldBe(Sha256(call.Canonical));
        var bodyBytes = await call.Response.Content.ReadAsByteArrayAsync();
        call.Header(RequestSigning.ResponseHashHeader).ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bodyBytes)));
        call.Header(RequestSigning.RequestIdHeader).ShouldBe("rst-20260701-0001");

        var record = AuditOf(testApp).ShouldHaveSingleItem();
        record.Kind.ShouldBe(AuditKinds.Query);
        record.Outcome.ShouldBe(AuditOutcomes.Ok);
        record.GrantId.ShouldBe(grant.GrantId);
        record.ConsumerDepartmentId.ShouldBe(demo.HumanResources);
        record.ProviderDepartmentId.ShouldBe(demo.Market);
        record.ResourceCode.ShouldBe(demo.Enterprise.ResourceCode);
        record.RowsReturned.ShouldBe(expected);
        record.RequestHash.ShouldBe(call.Header(RequestSigning.RequestHashHeader));
        record.ResponseHash.ShouldBe(call.Header(RequestSigning.ResponseHashHeader));
        record.Issue.ShouldBe("（2026）鲁人社稽字第 12 号 企业用工核查");
        record.MessageId.ShouldBe("rst-20260701-0001");
        record.Purpose.ShouldBe(grant.Purpose);

        // The consumer's filters are ANDed to the scope: asking for other rows gives none, never more.
        var outside = await client.GetAsync(RowsPath(demo.Enterprise, $"{E(State)}={E("注销")}"));
        outside.Status.ShouldBe(HttpStatusCode.OK, outside.Body);
        outside.Json["total"]!.GetValue<long>().ShouldBe(0);

        // A field outside the grant cannot be filtered, selected or sorted on, and is not even named.
        foreach (var query in new[] { $"{E(Person)}=x", $"fields={E(Code)},{E(Address)}", $"sort={E(Person)}", $"{E(Address)}.isnull=false" })
        {
            var refused = await client.GetAsync(RowsPath(demo.Enterprise, query));
            refused.Status.ShouldBe(HttpStatusCode.BadRequest, query);
            refused.Body.ShouldContain(F(demo, Code));
            foreach (var hidden in new[] { "批准或核准机关", "法人类型" }) refused.Body.ShouldNotContain(F(demo, hidden));
        }
        // version and raw are not the caller's to choose.
        (await client.GetAsync(RowsPath(demo.Enterprise, "raw=true"))).Status.ShouldBe(HttpStatusCode.BadRequest);
        AuditOf(testApp).Count.ShouldBe(7);
        AuditOf(testApp).Skip(2).ShouldAllBe(r => r.Outcome == AuditOutcomes.Invalid && r.GrantId == grant.GrantId);

        // Keyset paging under the grant reaches every row of the scope exactly once.
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await client.GetAsync(RowsPath(demo.Enterprise, "limit=400&count=false" + (after is null ? "" : "&after=" + E(after))));
            page.Status.ShouldBe(HttpStatusCode.OK, page.Body);
            seen.AddRange(page.Json["rows"]!.AsArray().Select(r => r![F(demo, Code)]!.GetValue<string>()));
            after = page.Json["next"]?.GetValue<string>();
        } while (after is not null);
        seen.Count.ShouldBe((int)expected);
        seen.Distinct().Count().ShouldBe(seen.Count);
    }

    [Fact]
    public async Task Values_are_masked_unless_the_grant_allows_raw()
    {
        var demo = await App.DemoAsync();
        var r = demo.Masked;
        var masked = r.Fields.First(f => f.Masked);
        var testApp = await App.RegisterAppAsync("admin");
        var consumer = await App.WithScopeAsync(async sp =>
            (await sp.GetRequiredService<GovData.Identity.Contracts.IDepartmentDirectory>().ListAsync()).Single(d => d.Name == "山东省大数据局（演示）").Id);
        var items = r.Fields.Select(f => f.Name).ToList();
        App.Grant(consumer, r, items);
        using var client = App.Signed(testApp);
        var direct = await DirectAsync(r, $"limit=20&fields={E(masked.Name)}");
        var rawValues = direct.Rows.Select(x => x[0]?.ToString()).ToList();
        rawValues.Count(v => v is not null).ShouldBeGreaterThan(5);

        var call = await client.GetAsync(RowsPath(r, $"limit=20&fields={E(masked.Name)}"));
        call.Status.ShouldBe(HttpStatusCode.OK, call.Body);
        call.Json["masked"]!.GetValue<bool>().ShouldBeTrue();
        call.Json["fields"]![0]!["masked"]!.GetValue<bool>().ShouldBeTrue();
        var shown = call.Json["rows"]!.AsArray().Select(x => x![masked.Name]?.GetValue<string>()).ToList();
        shown.Count.ShouldBe(rawValues.Count);
        for (var i = 0; i < shown.Count; i++)
            if (rawValues[i] is { } value) shown[i].ShouldNotBe(value);
        // Filtering on the masked field would reveal it.
        (await client.GetAsync(RowsPath(r, $"{E(masked.Name)}={E(rawValues.First(v => v is not null)!)}"))).Status.ShouldBe(HttpStatusCode.Forbidden);

        App.Grant(consumer, r, items, raw: true);
        var raw = await client.GetAsync(RowsPath(r, $"limit=20&fields={E(masked.Name)}"));
        raw.Status.ShouldBe(HttpStatusCode.OK, raw.Body);
        raw.Json["masked"]!.GetValue<bool>().ShouldBeFalse();
        raw.Json["rows"]!.AsArray().Select(x => x![masked.Name]?.GetValue<string>()).ShouldBe(rawValues);
    }

    [Fact]
    public async Task Bad_missing_forged_expired_and_replayed_signatures_are_refused_with_401()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        App.Grant(demo.HumanResources, demo.Enterprise, Items);
        using var client = App.Signed(testApp);
        var path = RowsPath(demo.Enterprise, "limit=1");

        async Task<SignedCall> Refused(SignedCall call, string header)
        {
            call.Status.ShouldBe(HttpStatusCode.Unauthorized, call.Body);
            call.Response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            call.Response.Headers.WwwAuthenticate.ToString().ShouldStartWith(RequestSigning.Scheme);
            var detail = call.Json["detail"]!.GetValue<string>();
            detail.ShouldContain(header);
            call.Json["title"]!.GetValue<string>().ShouldBe("未登录或凭据无效");
            // Never the expected signature (nor anything computed with the secret).
            call.Body.ShouldNotContain(RequestSigning.Sign(testApp.Secret, call.Canonical));
            call.Body.ShouldNotContain(testApp.Secret);
            call.Body.ShouldNotContain("\"rows\"");
            return call;
        }

        foreach (var header in new[] { RequestSigning.ClientHeader, RequestSigning.TimestampHeader, RequestSigning.NonceHeader, RequestSigning.SignatureHeader })
            await Refused(await client.SendAsync(HttpMethod.Get, path, tamper: m => m.Headers.Remove(header)), header);

        await Refused(await client.SendAsync(HttpMethod.Get, path, signWith: "gds_" + new string('A', 43)), RequestSigning.SignatureHeader);
        await Refused(await client.SendAsync(HttpMethod.Get, path, tamper: m => m.RequestUri = new Uri(RowsPath(demo.Enterprise, "limit=2"), UriKind.Relative)),
            RequestSigning.SignatureHeader);
        await Refused(await client.SendAsync(HttpMethod.Get, path, tamper: m =>
        {
            m.Headers.Remove(RequestSigning.SignatureHeader);
            m.Headers.Add(RequestSigning.SignatureHeader, "not base64!");
        }), RequestSigning.SignatureHeader);
        var now = App.Clock.GetUtcNow().ToUnixTimeSeconds();
        await Refused(await client.SendAsync(HttpMethod.Get, path, timestamp: now - 330), RequestSigning.TimestampHeader);
        await Refused(await client.SendAsync(HttpMethod.Get, path, timestamp: now + 330), RequestSigning.TimestampHeader);
        await Refused(await client.SendAsync(HttpMethod.Get, path, nonce: "short"), RequestSigning.NonceHeader);
        await Refused(await client.SendAsync(HttpMethod.Get, path, tamper: m =>
        {
            m.Headers.Remove(RequestSigning.ClientHeader);
            m.Headers.Add(RequestSigning.ClientHeader, "gdc_" + new string('0', 20));
        }), RequestSigning.ClientHeader);

        // Replay: the very same request (same nonce and timestamp) a second time.
        var first = await client.SendAsync(HttpMethod.Get, path);
        first.Status.ShouldBe(HttpStatusCode.OK, first.Body);
        var replay = await client.SendAsync(HttpMethod.Get, path, nonce: first.Nonce, timestamp: long.Parse(first.Timestamp, CultureInfo.InvariantCulture));
        await Refused(replay, RequestSigning.NonceHeader);

        // A forged request does not spend the nonce: the genuine request with that nonce still passes.
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await Refused(await client.SendAsync(HttpMethod.Get, path, nonce: nonce, signWith: "gds_forged"), RequestSigning.SignatureHeader);
        (await client.SendAsync(HttpMethod.Get, path, nonce: nonce)).Status.ShouldBe(HttpStatusCode.OK);

        var records = AuditOf(testApp);
        records.Count(r => r.Outcome == AuditOutcomes.Unauthenticated).ShouldBe(11);   // every refusal with a client id of the right shape
        records.Count(r => r.Outcome == AuditOutcomes.Ok).ShouldBe(2);
        records.Where(r => r.Outcome == AuditOutcomes.Unauthenticated).ShouldAllBe(r => r.GrantId == null && r.RowsReturned == 0 && r.RequestHash != null);
        // The refusals without the client header are logged too, without a client id.
        App.AuditRecords.Count(r => r.ClientId == null && r.Outcome == AuditOutcomes.Unauthenticated).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task A_replay_is_refused_by_another_host_sharing_the_database()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        var grant = App.Grant(demo.HumanResources, demo.Enterprise, Items);
        await using var second = new SecondAccessHost(App);
        second.WithSetting("GovData:SeedDemoData", "false");
        await second.InitializeAsync();
        second.Grants.Put(new TestGrant(grant));
        using var client = App.Signed(testApp);
        using var other = second.Signed(testApp);

        var path = RowsPath(demo.Enterprise, "limit=3");
        var first = await client.SendAsync(HttpMethod.Get, path);
        first.Status.ShouldBe(HttpStatusCode.OK, first.Body);
        var replay = await other.SendAsync(HttpMethod.Get, path, nonce: first.Nonce, timestamp: long.Parse(first.Timestamp, CultureInfo.InvariantCulture));
        replay.Status.ShouldBe(HttpStatusCode.Unauthorized, replay.Body);
        replay.Json["detail"]!.GetValue<string>().ShouldContain(RequestSigning.NonceHeader, customMessage: replay.Body);
        // The second host reads the secret through the shared Data Protection keys: its own fresh request passes.
        var fresh = await other.SendAsync(HttpMethod.Get, path);
        fresh.Status.ShouldBe(HttpStatusCode.OK, fresh.Body);
        fresh.Body.ShouldBe(first.Body.Replace(first.Json["requestId"]!.GetValue<string>(), fresh.Json["requestId"]!.GetValue<string>()));
        second.AuditRecords.Count.ShouldBe(2);

        // Both hosts now know the application; a rotation and then a revocation made through the first are seen by the
        // second at its very next call.
        using var user = await App.LoginAsync("rst_user");
        var rotated = await user.PostAsync($"/api/v1/exchange/apps/{testApp.Id}/rotate", null);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var newSecret = (await rotated.ReadJsonAsync())["secret"]!.GetValue<string>();
        (await other.SendAsync(HttpMethod.Get, path)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        using var renewed = second.Signed(testApp with { Secret = newSecret });
        (await renewed.SendAsync(HttpMethod.Get, path)).Status.ShouldBe(HttpStatusCode.OK);
        (await user.PostAsJsonAsync($"/api/v1/exchange/apps/{testApp.Id}/revoke", new { reason = "测试吊销" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var afterRevoke = await renewed.SendAsync(HttpMethod.Get, path);
        afterRevoke.Status.ShouldBe(HttpStatusCode.Unauthorized, afterRevoke.Body);
        afterRevoke.Body.ShouldContain("吊销");
    }

    [Fact]
    public async Task No_grant_expired_revoked_or_another_mode_is_refused_with_403()
    {
        var demo = await App.DemoAsync();
        var market = await App.RegisterAppAsync("scjg_admin");
        using var marketClient = App.Signed(market);
        var none = await marketClient.GetAsync(RowsPath(demo.Enterprise));
        none.Status.ShouldBe(HttpStatusCode.Forbidden, none.Body);
        none.Json["detail"]!.GetValue<string>().ShouldContain("没有资源");

        var testApp = await App.RegisterAppAsync();
        using var client = App.Signed(testApp);
        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.Verify]);
        var mode = await client.GetAsync(RowsPath(demo.Enterprise));
        mode.Status.ShouldBe(HttpStatusCode.Forbidden, mode.Body);
        mode.Json["detail"]!.GetValue<string>().ShouldContain("接口查询");

        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.Api], revoked: true);
        var revoked = await client.GetAsync(RowsPath(demo.Enterprise));
        revoked.Status.ShouldBe(HttpStatusCode.Forbidden, revoked.Body);
        revoked.Json["detail"]!.GetValue<string>().ShouldContain("撤销");

        // Expiry is crossed while the grant is in use.
        var expiring = App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.Api], expiresAt: App.Clock.GetUtcNow().UtcDateTime.AddMinutes(30));
        (await client.GetAsync(RowsPath(demo.Enterprise, "limit=1"))).Status.ShouldBe(HttpStatusCode.OK);
        App.Clock.Advance(TimeSpan.FromMinutes(31));
        var expired = await client.GetAsync(RowsPath(demo.Enterprise, "limit=1"));
        expired.Status.ShouldBe(HttpStatusCode.Forbidden, expired.Body);
        expired.Json["detail"]!.GetValue<string>().ShouldContain("过期");
        expired.Body.ShouldNotContain("\"rows\"");

        var records = AuditOf(testApp);
        records.Select(r => r.Outcome).ShouldBe([AuditOutcomes.Denied, AuditOutcomes.Denied, AuditOutcomes.Ok, AuditOutcomes.Denied]);
        records[2].GrantId.ShouldBe(expiring.GrantId);
        records.Where(r => r.Outcome == AuditOutcomes.Denied).ShouldAllBe(r => r.GrantId == null && r.ConsumerDepartmentId == demo.HumanResources);
        AuditOf(market).ShouldHaveSingleItem().Outcome.ShouldBe(AuditOutcomes.Denied);
    }

    [Fact]
    public async Task Rate_limit_and_daily_quota_answer_429_with_retry_after()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        using var client = App.Signed(testApp);
        // Start right after a minute boundary so the calls below share one rate window.
        var now = App.Clock.GetUtcNow();
        App.Clock.Advance(TimeSpan.FromSeconds(60 - now.Second + 1) - TimeSpan.FromMilliseconds(now.Millisecond));

        App.Grant(demo.HumanResources, demo.Enterprise, Items, rate: 2);
        (await client.GetAsync(RowsPath(demo.Enterprise, "limit=1"))).Status.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync(RowsPath(demo.Enterprise, "limit=1"))).Status.ShouldBe(HttpStatusCode.OK);
        var rate = await client.GetAsync(RowsPath(demo.Enterprise, "limit=1"));
        rate.Status.ShouldBe((HttpStatusCode)429, rate.Body);
        rate.Json["detail"]!.GetValue<string>().ShouldContain("每分钟 2 次");
        int.Parse(rate.Response.Headers.RetryAfter!.ToString(), CultureInfo.InvariantCulture).ShouldBeInRange(1, 60);

        // Calls per day; a call refused for bad input does not count.
        App.Grant(demo.HumanResources, demo.Enterprise, Items, quota: 2, unit: GrantQuotaUnit.Calls);
        (await client.GetAsync(RowsPath(demo.Enterprise, "limit=abc"))).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync(RowsPath(demo.Enterprise, "limit=1"))).Status.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync(RowsPath(demo.Enterprise, "limit=1"))).Status.ShouldBe(HttpStatusCode.OK);
        var calls = await client.GetAsync(RowsPath(demo.Enterprise, "limit=1"));
        calls.Status.ShouldBe((HttpStatusCode)429, calls.Body);
        calls.Json["detail"]!.GetValue<string>().ShouldContain("2 次");
        int.Parse(calls.Response.Headers.RetryAfter!.ToString(), CultureInfo.InvariantCulture).ShouldBeInRange(1, 86_400);

        // Rows per day: a page is cut to what remains, then 429.
        App.Grant(demo.HumanResources, demo.Enterprise, Items, quota: 5, unit: GrantQuotaUnit.Rows);
        var first = await client.GetAsync(RowsPath(demo.Enterprise, "limit=3"));
        first.Json["rows"]!.AsArray().Count.ShouldBe(3);
        var second = await client.GetAsync(RowsPath(demo.Enterprise, "limit=3&after=" + E(first.Json["next"]!.GetValue<string>())));
        second.Status.ShouldBe(HttpStatusCode.OK, second.Body);
        second.Json["rows"]!.AsArray().Count.ShouldBe(2);
        second.Json["next"].ShouldNotBeNull();
        var rows = await client.GetAsync(RowsPath(demo.Enterprise, "limit=3"));
        rows.Status.ShouldBe((HttpStatusCode)429, rows.Body);
        rows.Json["detail"]!.GetValue<string>().ShouldContain("5 行");

        var records = AuditOf(testApp);
        records.Count(r => r.Outcome == AuditOutcomes.Throttled).ShouldBe(3);
        records.Where(r => r.Outcome == AuditOutcomes.Throttled).ShouldAllBe(r => r.GrantId != null && r.RowsReturned == 0);
    }

    [Fact]
    public async Task Quota_and_rate_are_shared_by_hosts_over_one_database()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        var grant = App.Grant(demo.HumanResources, demo.Enterprise, Items, quota: 3, unit: GrantQuotaUnit.Calls);
        await using var second = new SecondAccessHost(App);
        second.WithSetting("GovData:SeedDemoData", "false");
        await second.InitializeAsync();
        second.Grants.Put(new TestGrant(grant));
        using var one = App.Signed(testApp);
        using var two = second.Signed(testApp);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? one : two).GetAsync(RowsPath(demo.Enterprise, "limit=1&count=false"))));
        results.Count(r => r.Status == HttpStatusCode.OK).ShouldBe(3);
        results.Count(r => r.Status == (HttpStatusCode)429).ShouldBe(3);
    }

    [Fact]
    public async Task Verification_answers_three_ways_with_identical_shapes_and_never_leaks()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.Verify],
            rows: [new RowCondition(State, RowConditionOperator.In, ["存续", "在业"])]);
        using var client = App.Signed(testApp);
        var live = (await DirectAsync(demo.Enterprise, $"{E(State)}=存续&limit=1")).Rows.Single();
        var gone = (await DirectAsync(demo.Enterprise, $"{E(State)}={E("注销")}&limit=1")).Rows.Single();
        var (code, name) = ((string)live[0]!, (string)live[1]!);

        string Single(string key, string claimed) => JsonSerializer.Serialize(new { keys = new Dictionary<string, string> { [Code] = key }, claims = new Dictionary<string, string> { [Name] = claimed } });
        var match = await client.PostAsync(VerifyPath(demo.Enterprise), Single(code, name));
        var mismatch = await client.PostAsync(VerifyPath(demo.Enterprise), Single(code, name + "分公司"));
        var missing = await client.PostAsync(VerifyPath(demo.Enterprise), Single("91370000MA00000000", name));
        var outOfScope = await client.PostAsync(VerifyPath(demo.Enterprise), Single((string)gone[0]!, (string)gone[1]!));
        foreach (var (call, result, text) in new[] { (match, "match", "一致"), (mismatch, "mismatch", "不一致"), (missing, "not_found", "库中无此记录"), (outOfScope, "not_found", "库中无此记录") })
        {
            call.Status.ShouldBe(HttpStatusCode.OK, call.Body);
            call.Json["result"]!.GetValue<string>().ShouldBe(result);
            call.Json["resultText"]!.GetValue<string>().ShouldBe(text);
            // The same shape whatever the answer: only the request id and the result differ.
            Shape(call.Body, call.Json).ShouldBe(Shape(match.Body, match.Json));
            call.Body.ShouldNotContain(code);
            call.Body.ShouldNotContain(name);
            call.Response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        }

        var batch = await client.PostAsync(VerifyPath(demo.Enterprise), JsonSerializer.Serialize(new
        {
            items = new object[]
            {
                new { keys = new Dictionary<string, string> { [Code] = code }, claims = new Dictionary<string, string> { [Name] = name, [State] = "存续" } },
                new { keys = new Dictionary<string, string> { [Code] = "91370000MA00000000" } },
                new { keys = new Dictionary<string, string> { [Code] = code }, claims = new Dictionary<string, string> { [State] = "注销" } },
            },
        }));
        batch.Status.ShouldBe(HttpStatusCode.OK, batch.Body);
        batch.Json["results"]!.AsArray().Select(r => (r!["index"]!.GetValue<int>(), r["result"]!.GetValue<string>()))
            .ShouldBe([(0, "match"), (1, "not_found"), (2, "mismatch")]);

        // Errors name the field and the position, never the value.
        const string secret = "张某某身份证370102199001011234";
        foreach (var (body, field) in new[]
                 {
                     (JsonSerializer.Serialize(new { keys = new Dictionary<string, string> { [Code] = code }, claims = new Dictionary<string, string> { [Person] = secret } }), "claims." + Person),
                     (JsonSerializer.Serialize(new { keys = new Dictionary<string, string> { [Name] = secret } }), "keys." + Name),
                     (JsonSerializer.Serialize(new { items = new[] { new { keys = new Dictionary<string, string> { [Code] = code }, claims = new Dictionary<string, string> { [Address] = secret } } } }), "items[0].claims." + Address),
                     ("{\"keys\":{\"" + Code + "\":\"" + secret + "\"", "body"),
                     (JsonSerializer.Serialize(new { keys = new Dictionary<string, string> { [Code] = code }, values = secret }), "values"),
                 })
        {
            var refused = await client.PostAsync(VerifyPath(demo.Enterprise), body);
            refused.Status.ShouldBe(HttpStatusCode.BadRequest, refused.Body);
            refused.Body.ShouldNotContain(secret);
            refused.Body.ShouldNotContain(code);
            refused.Json["errors"]!.AsObject().Select(e => e.Key).ShouldContain(field);
        }
        var tooMany = await client.PostAsync(VerifyPath(demo.Enterprise), JsonSerializer.Serialize(new
        {
            items = Enumerable.Range(0, 101).Select(_ => new { keys = new Dictionary<string, string> { [Code] = code } }),
        }));
        tooMany.Status.ShouldBe(HttpStatusCode.BadRequest);
        tooMany.Body.ShouldContain("100");

        // The log holds a salted request hash (the one the response carried), never the values nor their plain hash.
        var records = AuditOf(testApp).Where(r => r.Kind == AuditKinds.Verify).ToList();
        records.Count.ShouldBe(11);
        var serialized = JsonSerializer.Serialize(records);
        serialized.ShouldNotContain(code);
        serialized.ShouldNotContain(name);
        serialized.ShouldNotContain(Sha256(code));
        var matchRecord = records[0];
        matchRecord.Outcome.ShouldBe(AuditOutcomes.Ok);
        matchRecord.RowsReturned.ShouldBe(1);
        matchRecord.RequestHash.ShouldBe(match.Header(RequestSigning.RequestHashHeader));
        matchRecord.RequestHash.ShouldNotBe(Sha256(match.Canonical));
        matchRecord.RequestHash!.Length.ShouldBe(64);
        records[4].RowsReturned.ShouldBe(3);
        records.Skip(5).ShouldAllBe(r => r.Outcome == AuditOutcomes.Invalid);
    }

    /// <summary>The body with the request id and the result replaced: what is left is the shape.</summary>
    private static string Shape(string body, JsonNode json) => body
        .Replace(json["requestId"]!.GetValue<string>(), "ID")
        .Replace("\"" + json["result"]!.GetValue<string>() + "\"", "\"R\"")
        .Replace("\"" + json["resultText"]!.GetValue<string>() + "\"", "\"T\"");

    [Fact]
    public async Task Verification_needs_a_verify_grant()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.Api]);
        using var client = App.Signed(testApp);
        var call = await client.PostAsync(VerifyPath(demo.Enterprise), "{\"keys\":{\"" + Code + "\":\"91370000MA00000000\"}}");
        call.Status.ShouldBe(HttpStatusCode.Forbidden, call.Body);
        call.Json["detail"]!.GetValue<string>().ShouldContain("核验");
        call.Body.ShouldNotContain("91370000MA00000000");
    }

    [Fact]
    public async Task The_feed_delivers_the_granted_scope_as_an_initial_copy_then_nothing_new()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        using var client = App.Signed(testApp);
        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.Api]);
        var refused = await client.GetAsync("/api/v1/exchange/feed/" + E(demo.Enterprise.ResourceCode));
        refused.Status.ShouldBe(HttpStatusCode.Forbidden, refused.Body);
        refused.Json["detail"]!.GetValue<string>().ShouldContain("订阅增量");

        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.Feed],
            rows: [new RowCondition(State, RowConditionOperator.Equals, ["存续"])]);
        var expected = (await DirectAsync(demo.Enterprise, $"{E(State)}=存续&limit=0")).Total!.Value;
        var keys = new List<string>();
        string? cursor = null;
        JsonNode page;
        var pages = 0;
        do
        {
            var call = await client.GetAsync("/api/v1/exchange/feed/" + E(demo.Enterprise.ResourceCode) + "?limit=300" + (cursor is null ? "" : "&cursor=" + E(cursor)));
            call.Status.ShouldBe(HttpStatusCode.OK, call.Body);
            page = call.Json;
            page["reset"]!.GetValue<bool>().ShouldBeFalse();
            page["fromVersion"]!.GetValue<int>().ShouldBe(0);
            page["fields"]!.AsArray().Select(f => f!["itemName"]!.GetValue<string>()).ShouldBe(Items);
            page["keyFields"]!.AsArray().Select(f => f!["itemName"]!.GetValue<string>()).ShouldBe([Code]);
            foreach (var change in page["changes"]!.AsArray())
            {
                change!["op"]!.GetValue<string>().ShouldBe("added");
                change["values"]![F(demo, State)]!.GetValue<string>().ShouldBe("存续");
                keys.Add(change["key"]![F(demo, Code)]!.GetValue<string>());
            }
            cursor = page["cursor"]!.GetValue<string>();
            pages++;
        } while (!page["upToDate"]!.GetValue<bool>());
        keys.Count.ShouldBe((int)expected);
        keys.Distinct().Count().ShouldBe(keys.Count);
        pages.ShouldBe((int)Math.Ceiling(expected / 300.0));

        var idle = await client.GetAsync("/api/v1/exchange/feed/" + E(demo.Enterprise.ResourceCode) + "?cursor=" + E(cursor));
        idle.Json["changes"]!.AsArray().ShouldBeEmpty();
        idle.Json["upToDate"]!.GetValue<bool>().ShouldBeTrue();
        idle.Json["cursor"]!.GetValue<string>().ShouldBe(cursor);

        (await client.GetAsync("/api/v1/exchange/feed/" + E(demo.Enterprise.ResourceCode) + "?limit=0")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("/api/v1/exchange/feed/" + E(demo.Enterprise.ResourceCode) + "?sort=x")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("/api/v1/exchange/feed/" + E(demo.Enterprise.ResourceCode) + "?cursor=broken")).Status.ShouldBe(HttpStatusCode.BadRequest);

        var records = AuditOf(testApp).Where(r => r.Kind == AuditKinds.Feed).ToList();
        records.Count.ShouldBe(pages + 5);
        records.Where(r => r.Outcome == AuditOutcomes.Ok).Sum(r => r.RowsReturned).ShouldBe(expected);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_access_endpoints()
    {
        using var client = App.CreateBrowserClient();
        var json = await client.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/v1/exchange/data/{code}/rows", "/api/v1/exchange/verify/{code}", "/api/v1/exchange/feed/{code}", "/api/v1/exchange/apps" })
            json.ShouldContain("\"" + path + "\"");
    }

    [Fact]
    public async Task Applications_are_registered_listed_rotated_and_revoked_by_their_department()
    {
        var demo = await App.DemoAsync();
        App.Grant(demo.HumanResources, demo.Enterprise, Items);
        using var user = await App.LoginAsync("rst_user");
        var created = await user.PostAsJsonAsync("/api/v1/exchange/apps", new { name = "社保待遇核查系统", description = "核对参保单位登记状态" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var json = await created.ReadJsonAsync();
        var id = json["app"]!["id"]!.GetValue<Guid>();
        var clientId = json["clientId"]!.GetValue<string>();
        var secret = json["secret"]!.GetValue<string>();
        clientId.ShouldMatch("^gdc_[0-9a-f]{20}$");
        secret.ShouldMatch("^gds_[A-Za-z0-9_-]{43}$");
        json["app"]!["secretHint"]!.GetValue<string>().ShouldBe("…" + secret[^4..]);
        created.Headers.Location!.ToString().ShouldBe($"/api/v1/exchange/apps/{id}");

        var list = await user.GetStringAsync("/api/v1/exchange/apps");
        list.ShouldContain(clientId);
        list.ShouldNotContain(secret);
        (await user.GetStringAsync($"/api/v1/exchange/apps/{id}")).ShouldNotContain(secret);
        // The secret is not stored in clear.
        var stored = await App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<GovData.Exchange.Persistence.ExchangeDb>();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Apps(), a => a.Id == id);
        });
        stored.SecretProtected.ShouldNotContain(secret[4..]);

        (await user.PostAsJsonAsync("/api/v1/exchange/apps", new { name = "社保待遇核查系统" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await user.PostAsJsonAsync("/api/v1/exchange/apps", new { name = "" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var other = await App.LoginAsync("scjg_admin");
        (await other.GetAsync($"/api/v1/exchange/apps/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostAsJsonAsync($"/api/v1/exchange/apps/{id}/revoke", new { reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetStringAsync("/api/v1/exchange/apps")).ShouldNotContain(clientId);
        using var cataloger = await App.LoginAsync("rst_cataloger");
        (await cataloger.PostAsJsonAsync("/api/v1/exchange/apps", new { name = "编目员的应用" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var citizen = await App.LoginAsync("citizen");
        (await citizen.GetAsync("/api/v1/exchange/apps")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var anonymous = App.CreateBrowserClient();
        (await anonymous.GetAsync("/api/v1/exchange/apps")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var testApp = new TestApp(id, clientId, secret);
        using (var client = App.Signed(testApp))
            (await client.GetAsync(RowsPath(demo.Enterprise, "limit=1"))).Status.ShouldBe(HttpStatusCode.OK);

        var rotated = await user.PostAsync($"/api/v1/exchange/apps/{id}/rotate", null);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var newSecret = (await rotated.ReadJsonAsync())["secret"]!.GetValue<string>();
        newSecret.ShouldNotBe(secret);
        using (var old = App.Signed(testApp))
            (await old.GetAsync(RowsPath(demo.Enterprise, "limit=1"))).Status.ShouldBe(HttpStatusCode.Unauthorized);
        using (var fresh = App.Signed(testApp with { Secret = newSecret }))
            (await fresh.GetAsync(RowsPath(demo.Enterprise, "limit=1"))).Status.ShouldBe(HttpStatusCode.OK);

        (await user.PostAsJsonAsync($"/api/v1/exchange/apps/{id}/revoke", new { reason = " " })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var revoked = await user.PostAsJsonAsync($"/api/v1/exchange/apps/{id}/revoke", new { reason = "系统下线" });
        revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await revoked.ReadJsonAsync())["status"]!.GetValue<string>().ShouldBe(AppStatus.Revoked);
        using (var after = App.Signed(testApp with { Secret = newSecret }))
        {
            var refused = await after.GetAsync(RowsPath(demo.Enterprise, "limit=1"));
            refused.Status.ShouldBe(HttpStatusCode.Unauthorized);
            refused.Body.ShouldContain("吊销");
        }
        (await user.PostAsync($"/api/v1/exchange/apps/{id}/rotate", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var changes = App.AuditRecords.Where(r => r.ClientId == clientId && r.Kind == AccessAuditKinds.AppChanged).ToList();
        changes.Select(r => r.Detail).ShouldBe(["登记调用方应用“社保待遇核查系统”", "轮换应用“社保待遇核查系统”的密钥（旧密钥立即失效）", "吊销应用“社保待遇核查系统”：系统下线"]);
        changes.ShouldAllBe(r => r.ConsumerDepartmentId == demo.HumanResources && r.UserId != null);
        JsonSerializer.Serialize(App.AuditRecords).ShouldNotContain(secret);
    }
}

public sealed class SqliteAccessApiTests(SqliteAccessApp app) : AccessApiTests<SqliteAccessApp>(app);

public sealed class PostgresAccessApiTests(PostgresAccessApp app) : AccessApiTests<PostgresAccessApp>(app);

/// <summary>Splits a query string as the host does.</summary>
internal static class Query
{
    public static List<KeyValuePair<string, string?>> Parse(string query)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            pairs.Add(new(Uri.UnescapeDataString(eq < 0 ? part : part[..eq]), Uri.UnescapeDataString(eq < 0 ? "" : part[(eq + 1)..])));
        }
        return pairs;
    }
}
