using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Exchange.Features.Access;
using GovData.Exchange.Features.Audit;
using GovData.Identity.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;
using GovData.Tests.Common.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Tests.Access;

/// <summary>The host's clock: real time plus an offset a test can move, so timestamps and expiry can be crossed.</summary>
public sealed class MovableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

/// <summary>The audit records appended in a test host (the audit part's real, hash-chained log is tested by its own tests).</summary>
public sealed class RecordingAuditTrail : IAuditTrail
{
    private readonly ConcurrentQueue<AuditRecord> _records = new();

    internal IReadOnlyList<AuditRecord> Records => _records.ToArray();

    Task IAuditTrail.AppendAsync(AuditRecord record, CancellationToken ct)
    {
        _records.Enqueue(record);
        return Task.CompletedTask;
    }
}

/// <summary>A grant as the test keeps it: the terms plus its state.</summary>
internal sealed record TestGrant(AccessGrant Terms, bool Revoked = false);

/// <summary>
/// The test's <see cref="IGrantLookup"/> over grants the tests add, with the semantics documented on the interface
/// (the sharing part implements it over <c>exchange_grants</c> at merge time). "Latest" is the last one added.
/// </summary>
internal sealed class TestGrantLookup : IGrantLookup
{
    private readonly List<TestGrant> _grants = [];

    /// <summary>Adds a grant; with <paramref name="replace"/>, earlier grants of the same consumer and resource are revoked.</summary>
    internal void Put(TestGrant grant, bool replace = false)
    {
        lock (_grants)
        {
            if (replace)
                for (var i = 0; i < _grants.Count; i++)
                    if (_grants[i].Terms.ConsumerDepartmentId == grant.Terms.ConsumerDepartmentId && _grants[i].Terms.ResourceCode == grant.Terms.ResourceCode)
                        _grants[i] = _grants[i] with { Revoked = true };
            _grants.Add(grant);
        }
    }

    public Task<GrantLookupResult> FindActiveAsync(Guid consumerDepartmentId, string resourceCode, GrantAccessMode mode, DateTime now, CancellationToken ct)
    {
        List<TestGrant> mine;
        lock (_grants) mine = _grants.Where(g => g.Terms.ConsumerDepartmentId == consumerDepartmentId && g.Terms.ResourceCode == resourceCode).ToList();
        var active = mine.Where(g => !g.Revoked && g.Terms.ExpiresAt > now).ToList();
        var usable = active.FirstOrDefault(g => g.Terms.Modes.Contains(mode));
        if (usable is not null) return Task.FromResult(GrantLookupResult.Found(usable.Terms));
        if (active.Count > 0) return Task.FromResult(GrantLookupResult.Refused(GrantRefusal.ModeNotGranted));
        var latest = mine.LastOrDefault();
        return Task.FromResult(GrantLookupResult.Refused(latest is null ? GrantRefusal.NoGrant : latest.Revoked ? GrantRefusal.Revoked : GrantRefusal.Expired));
    }
}

/// <summary>
/// The real host with the test's grant lookup, a recording audit trail and a movable clock. Demo data is seeded as usual
/// (企业法人库 with 2,000 rows, other resources about 50 rows).
/// </summary>
public abstract class AccessAppFactory : GovDataAppFactory
{
    protected AccessAppFactory(DatabaseProvider provider) : base(provider)
    {
    }

    /// <summary>A second host over the database of another (shares nonces, usage counters and Data Protection keys) and its clock.</summary>
    protected AccessAppFactory(TestDatabase database, MovableClock clock) : base(database)
    {
        Clock = clock;
    }

    public MovableClock Clock { get; } = new();

    public RecordingAuditTrail Audit { get; } = new();

    internal TestGrantLookup Grants { get; } = new();

    internal IReadOnlyList<AuditRecord> AuditRecords => Audit.Records;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IAuditTrail>(Audit);
            services.AddSingleton<IGrantLookup>(Grants);
        });
    }

    private readonly SemaphoreSlim _gate = new(1, 1);
    private DemoResources? _demo;

    /// <summary>Departments and demo resources the tests use (looked up once).</summary>
    internal async Task<DemoResources> DemoAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _demo ??= await WithScopeAsync(async sp =>
            {
                var departments = await sp.GetRequiredService<IDepartmentDirectory>().ListAsync();
                Guid Dept(string name) => departments.Single(d => d.Name == name).Id;
                var catalog = sp.GetRequiredService<ICatalogResources>();
                var data = sp.GetRequiredService<IGovernedDataAccess>();
                var market = Dept("山东省市场监督管理局（演示）");
                var published = await catalog.ListPublishedAsync(market);
                var enterprise = published.Single(r => r.Name == "企业法人库");
                var described = await data.DescribeAsync(enterprise.Code, AccessPolicy.Everything(raw: true))
                    ?? throw new InvalidOperationException("企业法人库 has no data in the test host");
                // A resource with a masked item and a key, for the masking tests.
                DataResourceDescription? masked = null;
                foreach (var department in departments)
                {
                    foreach (var resource in await catalog.ListPublishedAsync(department.Id))
                    {
                        var d = await data.DescribeAsync(resource.Code, AccessPolicy.Everything(raw: false));
                        if (d is { RowCount: > 10 } && d.Fields.Any(f => f.Masked) && d.Fields.Any(f => f.IsKey)) { masked = d; break; }
                    }
                    if (masked is not null) break;
                }
                return new DemoResources(Dept("山东省人力资源和社会保障厅（演示）"), Dept("山东省卫生健康委员会（演示）"), market, described,
                    masked ?? throw new InvalidOperationException("No demo resource with a masked item"));
            });
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Registers an application of the user's department through the API; returns its client id and secret.</summary>
    internal async Task<TestApp> RegisterAppAsync(string userName = "rst_user", string? name = null)
    {
        using var client = await LoginAsync(userName);
        var response = await client.PostAsJsonAsync("/api/v1/exchange/apps", new { name = name ?? "测试应用 " + Guid.NewGuid().ToString("N")[..8], description = "自动化测试" });
        var json = await response.ReadJsonAsync();
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"登记应用失败 {(int)response.StatusCode}: {json}");
        return new TestApp(json["app"]!["id"]!.GetValue<Guid>(), json["clientId"]!.GetValue<string>(), json["secret"]!.GetValue<string>());
    }

    /// <summary>Adds a grant for the consumer department, revoking its earlier grants for the resource (one usable grant at a time).</summary>
    internal AccessGrant Grant(Guid consumer, DataResourceDescription resource, IReadOnlyList<string> items, GrantAccessMode[]? modes = null,
        IReadOnlyList<RowCondition>? rows = null, bool raw = false, long? quota = null, GrantQuotaUnit unit = GrantQuotaUnit.Calls, int? rate = null,
        DateTime? expiresAt = null, bool revoked = false)
    {
        var grant = new AccessGrant(Guid.CreateVersion7(), resource.ResourceCode, resource.ProviderDepartmentId, consumer, items, rows ?? [], raw,
            modes ?? [GrantAccessMode.Api, GrantAccessMode.Verify], expiresAt ?? Clock.GetUtcNow().UtcDateTime.AddDays(30), quota, unit, rate,
            "测试：企业登记信息核查");
        Grants.Put(new TestGrant(grant, revoked), replace: true);
        return grant;
    }

    /// <summary>A client that signs its requests as <paramref name="app"/> with this host's clock.</summary>
    internal SignedClient Signed(TestApp app) => new(CreateBrowserClient(), app.ClientId, app.Secret, Clock);
}

public sealed class SqliteAccessApp() : AccessAppFactory(DatabaseProvider.Sqlite);

public sealed class PostgresAccessApp() : AccessAppFactory(DatabaseProvider.PostgreSql);

/// <summary>A second host over the database of <paramref name="first"/>, on the same clock.</summary>
public sealed class SecondAccessHost(AccessAppFactory first) : AccessAppFactory(first.Database, first.Clock);

/// <summary>The demo departments and resources used by the tests.</summary>
internal sealed record DemoResources(Guid HumanResources, Guid Health, Guid Market, DataResourceDescription Enterprise, DataResourceDescription Masked);

/// <summary>A registered application.</summary>
internal sealed record TestApp(Guid Id, string ClientId, string Secret);

/// <summary>One signed call as sent, and what came back.</summary>
internal sealed record SignedCall(HttpResponseMessage Response, string Body, string Canonical, string Nonce, string Timestamp, HttpRequestMessage Request)
{
    public HttpStatusCode Status => Response.StatusCode;

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

    public string? Header(string name) => Response.Headers.TryGetValues(name, out var v) ? v.Single() : null;
}

/// <summary>Signs requests the way the README describes (the documented scheme, through <see cref="RequestSigning"/>).</summary>
internal sealed class SignedClient(HttpClient http, string clientId, string secret, TimeProvider clock) : IDisposable
{
    public HttpClient Http => http;

    /// <summary>Sends a signed request. <paramref name="tamper"/> may change the request after signing.</summary>
    public async Task<SignedCall> SendAsync(HttpMethod method, string pathAndQuery, string? json = null, string? issue = null, string? requestId = null,
        string? nonce = null, long? timestamp = null, string? signWith = null, Action<HttpRequestMessage>? tamper = null)
    {
        var body = json is null ? [] : Encoding.UTF8.GetBytes(json);
        var q = pathAndQuery.IndexOf('?');
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = q < 0 ? null : pathAndQuery[q..];
        var ts = (timestamp ?? clock.GetUtcNow().ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var n = nonce ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var canonical = RequestSigning.CanonicalString(method.Method, path, query, ts, n, RequestSigning.BodyHash(body));
        var request = new HttpRequestMessage(method, pathAndQuery);
        if (json is not null) request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
        request.Headers.Add(RequestSigning.ClientHeader, clientId);
        request.Headers.Add(RequestSigning.TimestampHeader, ts);
        request.Headers.Add(RequestSigning.NonceHeader, n);
        request.Headers.Add(RequestSigning.SignatureHeader, RequestSigning.Sign(signWith ?? secret, canonical));
        if (requestId is not null) request.Headers.Add(RequestSigning.RequestIdHeader, requestId);
        if (issue is not null) request.Headers.Add(RequestSigning.IssueHeader, Uri.EscapeDataString(issue));
        tamper?.Invoke(request);
        var response = await http.SendAsync(request);
        return new SignedCall(response, await response.Content.ReadAsStringAsync(), canonical, n, ts, request);
    }

    public Task<SignedCall> GetAsync(string pathAndQuery, string? issue = null, string? requestId = null) =>
        SendAsync(HttpMethod.Get, pathAndQuery, issue: issue, requestId: requestId);

    public Task<SignedCall> PostAsync(string path, string json, string? requestId = null) => SendAsync(HttpMethod.Post, path, json, requestId: requestId);

    public void Dispose() => http.Dispose();
}
