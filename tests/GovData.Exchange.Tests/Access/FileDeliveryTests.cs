using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Exchange.Features.Access;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Persistence;
using GovData.Tests.Common.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Tests.Access;

/// <summary>
/// 文件交付 over real HTTP with the host's background worker: request (checked at once), generation under the grant,
/// download through the link (only granted items and rows, SHA-256 header), expiry and clean-up, revocation, quota.
/// </summary>
public abstract class FileDeliveryTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app), IClassFixture<TFactory> where TFactory : AccessAppFactory
{
    private const string Code = "统一社会信用代码", Name = "法人名称", State = "法人状态", Person = "法定代表人";
    private static readonly string[] Items = [Code, Name, State];

    private static string E(string text) => Uri.EscapeDataString(text);

    private static string FilesPath(DataResourceDescription r, string query) => "/api/v1/exchange/files/" + E(r.ResourceCode) + "?" + query;

    private async Task<JsonNode> WaitReadyAsync(SignedClient client, string statusUrl)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var call = await client.GetAsync(statusUrl);
            call.Status.ShouldBe(HttpStatusCode.OK, call.Body);
            var status = call.Json["status"]!.GetValue<string>();
            if (status is FileStatus.Ready or FileStatus.Failed) return call.Json;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"文件未在 60 秒内生成：{call.Body}\n{App.ServerLog}");
            await Task.Delay(100);
        }
    }

    private async Task<long> ScopedCountAsync(DataResourceDescription r) =>
        (await App.WithScopeAsync(sp => sp.GetRequiredService<IGovernedDataAccess>().QueryAsync(ResourceCode.Parse(r.ResourceCode),
            AccessPolicy.Everything(raw: true), [new(State, "存续"), new("limit", "0")]))).Total!.Value;

    [Fact]
    public async Task An_extract_is_generated_in_the_background_and_downloaded_through_its_link()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        using var client = App.Signed(testApp);
        var grant = App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.File],
            rows: [new RowCondition(State, RowConditionOperator.Equals, ["存续"])]);
        var expected = await ScopedCountAsync(demo.Enterprise);

        var requested = await client.SendAsync(HttpMethod.Post, FilesPath(demo.Enterprise, "format=csv&header=code&sort=" + E(Code)), requestId: "rst-file-1");
        requested.Status.ShouldBe(HttpStatusCode.Accepted, requested.Body);
        var job = requested.Json;
        job["status"]!.GetValue<string>().ShouldBeOneOf(FileStatus.Queued, FileStatus.Running);
        var statusUrl = job["statusUrl"]!.GetValue<string>();
        requested.Response.Headers.Location!.ToString().ShouldBe(statusUrl);
        var downloadUrl = job["downloadUrl"]!.GetValue<string>();
        downloadUrl.ShouldStartWith("/api/v1/exchange/files/download/");

        var ready = await WaitReadyAsync(client, statusUrl);
        ready["status"]!.GetValue<string>().ShouldBe(FileStatus.Ready, ready.ToJsonString());
        ready["rows"]!.GetValue<long>().ShouldBe(expected);
        ready["downloadUrl"].ShouldBeNull();
        ready["linkExpiresAt"].ShouldNotBeNull();

        using var browser = App.CreateBrowserClient();   // the link is the credential: no signature
        var download = await browser.GetAsync(downloadUrl);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var bytes = await download.Content.ReadAsByteArrayAsync();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        download.Headers.GetValues("X-Content-SHA256").Single().ShouldBe(sha);
        ready["sha256"]!.GetValue<string>().ShouldBe(sha);
        download.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe("企业法人库_1.csv");
        var lines = Encoding.UTF8.GetString(bytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var fields = Items.Select(i => demo.Enterprise.Fields.Single(f => f.ItemName == i).Name).ToList();
        lines[0].ShouldBe(string.Join(",", fields));
        lines.Length.ShouldBe((int)expected + 1);
        lines.Skip(1).ShouldAllBe(l => l.EndsWith(",存续"));
        Encoding.UTF8.GetString(bytes).ShouldNotContain(demo.Enterprise.Fields.Single(f => f.ItemName == Person).Name);

        var records = App.AuditRecords.Where(r => r.ClientId == testApp.ClientId && r.Kind == AuditKinds.File).ToList();
        records.ShouldContain(r => r.Outcome == AuditOutcomes.Ok && r.Detail!.StartsWith("文件交付：申请") && r.MessageId == "rst-file-1");
        records.ShouldContain(r => r.Outcome == AuditOutcomes.Ok && r.Detail!.StartsWith("文件交付：生成") && r.RowsReturned == expected && r.ResponseHash == sha
            && r.GrantId == grant.GrantId);
        records.ShouldContain(r => r.Outcome == AuditOutcomes.Ok && r.Detail!.StartsWith("文件下载") && r.RowsReturned == expected);

        // Revoking the grant stops the download of what it produced.
        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.File], revoked: true);
        var revoked = await browser.GetAsync(downloadUrl);
        revoked.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await browser.GetAsync("/api/v1/exchange/files/download/" + new string('x', 43))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_requests_are_refused_before_anything_is_queued()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        using var client = App.Signed(testApp);
        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.Api]);
        (await client.SendAsync(HttpMethod.Post, FilesPath(demo.Enterprise, "format=csv"))).Status.ShouldBe(HttpStatusCode.Forbidden);

        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.File]);
        var before = await App.WithScopeAsync(sp => sp.GetRequiredService<ExchangeDb>().FileJobs().CountAsync());
        foreach (var query in new[] { "format=pdf", $"format=csv&{E(Person)}=x", "format=json&bom=true", "format=csv&encoding=big5", "format=csv&raw=true" })
        {
            var refused = await client.SendAsync(HttpMethod.Post, FilesPath(demo.Enterprise, query));
            refused.Status.ShouldBe(HttpStatusCode.BadRequest, query + " → " + refused.Body);
        }
        (await App.WithScopeAsync(sp => sp.GetRequiredService<ExchangeDb>().FileJobs().CountAsync())).ShouldBe(before);
        // Another department's job is not found.
        var other = await App.RegisterAppAsync("scjg_admin");
        using var otherClient = App.Signed(other);
        var job = await client.SendAsync(HttpMethod.Post, FilesPath(demo.Enterprise, "format=json&limit=3"));
        job.Status.ShouldBe(HttpStatusCode.Accepted, job.Body);
        App.Grant(demo.Market, demo.Enterprise, Items, modes: [GrantAccessMode.File]);
        (await otherClient.GetAsync(job.Json["statusUrl"]!.GetValue<string>())).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Links_expire_and_their_files_are_deleted()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        using var client = App.Signed(testApp);
        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.File], expiresAt: App.Clock.GetUtcNow().UtcDateTime.AddDays(10));
        var requested = await client.SendAsync(HttpMethod.Post, FilesPath(demo.Enterprise, "format=xlsx&limit=10"));
        requested.Status.ShouldBe(HttpStatusCode.Accepted, requested.Body);
        var ready = await WaitReadyAsync(client, requested.Json["statusUrl"]!.GetValue<string>());
        ready["rows"]!.GetValue<long>().ShouldBe(10);
        var id = ready["jobId"]!.GetValue<Guid>();
        var path = await App.WithScopeAsync(async sp =>
        {
            var job = await sp.GetRequiredService<ExchangeDb>().FileJobs().SingleAsync(j => j.Id == id);
            return sp.GetRequiredService<FileDelivery>().PathOf(job.BlobPath!);
        });
        File.Exists(path).ShouldBeTrue();
        using var browser = App.CreateBrowserClient();
        var downloadUrl = requested.Json["downloadUrl"]!.GetValue<string>();
        (await browser.GetAsync(downloadUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);

        App.Clock.Advance(TimeSpan.FromHours(24.5));
        (await browser.GetAsync(downloadUrl)).StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await App.WithScopeAsync(sp => sp.GetRequiredService<FileDelivery>().SweepAsync(CancellationToken.None))).ShouldBeGreaterThanOrEqualTo(1);
        File.Exists(path).ShouldBeFalse();
        var after = await client.GetAsync(requested.Json["statusUrl"]!.GetValue<string>());
        after.Json["status"]!.GetValue<string>().ShouldBe(FileStatus.Expired);
        (await browser.GetAsync(downloadUrl)).StatusCode.ShouldBe(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task A_row_quota_limits_the_extract_and_keeps_what_it_used()
    {
        var demo = await App.DemoAsync();
        var testApp = await App.RegisterAppAsync();
        using var client = App.Signed(testApp);
        App.Grant(demo.HumanResources, demo.Enterprise, Items, modes: [GrantAccessMode.File, GrantAccessMode.Api], quota: 10, unit: GrantQuotaUnit.Rows);
        var requested = await client.SendAsync(HttpMethod.Post, FilesPath(demo.Enterprise, "format=ndjson&limit=4"));
        requested.Status.ShouldBe(HttpStatusCode.Accepted, requested.Body);
        var ready = await WaitReadyAsync(client, requested.Json["statusUrl"]!.GetValue<string>());
        ready["rows"]!.GetValue<long>().ShouldBe(4);
        var rows = await client.GetAsync("/api/v1/exchange/data/" + E(demo.Enterprise.ResourceCode) + "/rows?limit=10");
        rows.Status.ShouldBe(HttpStatusCode.OK, rows.Body);
        rows.Json["rows"]!.AsArray().Count.ShouldBe(6);
        // Without a limit the extract takes what remains: nothing.
        var none = await client.SendAsync(HttpMethod.Post, FilesPath(demo.Enterprise, "format=csv"));
        none.Status.ShouldBe((HttpStatusCode)429, none.Body);
    }
}

public sealed class SqliteFileDeliveryTests(SqliteAccessApp app) : FileDeliveryTests<SqliteAccessApp>(app);

public sealed class PostgresFileDeliveryTests(PostgresAccessApp app) : FileDeliveryTests<PostgresAccessApp>(app);
