using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Features.Sharing;
using GovData.Exchange.Persistence;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Tests.Sharing;

/// <summary>
/// The platform clock of a test host: real time plus an offset the test moves (only forward), so deadlines can be
/// crossed without waiting. Registered as the host's <see cref="TimeProvider"/>.
/// </summary>
public sealed class TestClock : TimeProvider
{
    /// <summary>The sharing time zone (Asia/Shanghai, as configured by default).</summary>
    public static readonly TimeZoneInfo Zone = SharingClock.ResolveZone("Asia/Shanghai");

    private readonly object _gate = new();
    private TimeSpan _offset;

    public TestClock(DateTimeOffset start) => _offset = start - DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return DateTimeOffset.UtcNow + _offset;
    }

    /// <summary>Today in the sharing zone.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(GetUtcNow(), Zone).DateTime);

    /// <summary>Moves to a local date and time (Asia/Shanghai); refuses to go back.</summary>
    public void SetLocal(DateOnly day, TimeOnly time)
    {
        var target = new DateTimeOffset(day.ToDateTime(time), Zone.GetUtcOffset(day.ToDateTime(time)));
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow + _offset;
            if (target < now) throw new InvalidOperationException($"The test clock only moves forward ({now:u} → {target:u})");
            _offset += target - now;
        }
    }

    /// <summary>The first Monday strictly after the current (fake) date, at 09:00 local: a known weekday for the arithmetic.</summary>
    public DateOnly NextMonday()
    {
        var day = Today.AddDays(1);
        while (day.DayOfWeek != DayOfWeek.Monday) day = day.AddDays(1);
        return day;
    }

    /// <summary>A start for a new host: a Monday 09:00 (Asia/Shanghai) one to seven days from now.</summary>
    public static DateTimeOffset NextMondayMorning()
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone);
        var day = DateOnly.FromDateTime(local.DateTime).AddDays(1);
        while (day.DayOfWeek != DayOfWeek.Monday) day = day.AddDays(1);
        var at = day.ToDateTime(new TimeOnly(9, 0));
        return new DateTimeOffset(at, Zone.GetUtcOffset(at));
    }
}

/// <summary>What the recording audit trail saw: the record and whether the caller's transaction was open.</summary>
internal sealed record RecordedAudit(AuditRecord Record, bool InTransaction);

/// <summary>The audit records appended in a test host (the audit part's real log is tested by its own tests).</summary>
public sealed class AuditRecorder
{
    private readonly ConcurrentQueue<RecordedAudit> _records = new();

    internal IReadOnlyList<RecordedAudit> All => _records.ToArray();

    internal void Add(RecordedAudit r) => _records.Enqueue(r);

    /// <summary>Records of a request (request and grant changes that name it).</summary>
    internal IReadOnlyList<AuditRecord> ForRequest(Guid requestId) => All.Select(r => r.Record).Where(r => r.RequestId == requestId).ToList();

    /// <summary>Records of a grant.</summary>
    internal IReadOnlyList<AuditRecord> ForGrant(Guid grantId) =>
        All.Select(r => r.Record).Where(r => r.GrantId == grantId && r.Kind == AuditKinds.GrantChanged).ToList();
}

/// <summary>
/// A small in-memory <see cref="IAuditTrail"/> for the test host only: records every entry and whether it arrived inside
/// the caller's open transaction (as the real log requires).
/// </summary>
internal sealed class RecordingAuditTrail(ExchangeDb db, AuditRecorder recorder) : IAuditTrail
{
    public Task AppendAsync(AuditRecord record, CancellationToken ct = default)
    {
        recorder.Add(new RecordedAudit(record, db.Database.CurrentTransaction is not null));
        return Task.CompletedTask;
    }
}

/// <summary>Codes of the resources the sharing tests publish through the catalog API.</summary>
/// <param name="Unconditional">市场监管局, 无条件共享 (基础类 法人).</param>
/// <param name="Conditional">市场监管局, 有条件共享.</param>
/// <param name="NotShared">市场监管局, 不予共享.</param>
/// <param name="HealthConditional">卫健委, 有条件共享 (a third department).</param>
public sealed record SharingResources(string Unconditional, string Conditional, string NotShared, string HealthConditional);

/// <summary>
/// The real host with a movable clock and the recording audit trail, plus test resources published through the catalog
/// workflow and API-key clients per demo account (keys do not expire, so moving the clock never logs anyone out).
/// </summary>
public abstract class SharingAppFactory : GovDataAppFactory
{
    private readonly ConcurrentDictionary<string, Lazy<Task<HttpClient>>> _clients = new();
    private readonly SemaphoreSlim _publish = new(1, 1);
    private SharingResources? _resources;

    protected SharingAppFactory(DatabaseProvider provider) : base(provider)
    {
    }

    public TestClock Clock { get; } = new(TestClock.NextMondayMorning());

    public AuditRecorder Audit { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton(Audit);
            services.AddScoped<IAuditTrail, RecordingAuditTrail>();
        });
    }

    /// <summary>A client for a demo account authenticated by an API key with the exchange and catalog scopes.</summary>
    public Task<HttpClient> ClientAsync(string userName) => _clients.GetOrAdd(userName, u => new Lazy<Task<HttpClient>>(async () =>
    {
        var session = await LoginAsync(u);
        var key = await session.CreateApiKeyAsync("共享测试 " + u, ["exchange:query", "catalog:read", "catalog:write"]);
        return CreateApiKeyClient(key.Secret);
    })).Value;

    /// <summary>The test resources, published once per host.</summary>
    public async Task<SharingResources> ResourcesAsync()
    {
        await _publish.WaitAsync();
        try
        {
            return _resources ??= new SharingResources(
                await PublishAsync("scjg_cataloger", "102003", "企业登记信息（共享测试）", "无条件共享", null, null, EnterpriseItems),
                await PublishAsync("scjg_cataloger", "203001", "企业经营状况（共享测试）", "有条件共享", "仅用于社保稽核与就业补贴审核", null, ConditionalItems),
                await PublishAsync("scjg_cataloger", "203001", "企业内部核查记录（共享测试）", "不予共享", null, "《市场监督管理行政处罚程序规定》第十条（测试依据）", ConditionalItems),
                await PublishAsync("wjw_cataloger", "203001", "医疗机构执业信息（共享测试）", "有条件共享", "仅用于医保结算核验", null, HealthItems));
        }
        finally
        {
            _publish.Release();
        }
    }

    private static readonly object[] EnterpriseItems =
    [
        new { name = "统一社会信用代码", fieldCode = "credit_code", dataType = "C,18", required = true, isKey = true, sensitivity = "公开" },
        new { name = "法人名称", fieldCode = "legal_name", dataType = "C,50", required = true, sensitivity = "公开" },
        new { name = "批准时间", fieldCode = "approval_date", dataType = "D,10", sensitivity = "公开" },
    ];

    private static readonly object[] ConditionalItems =
    [
        new { name = "统一社会信用代码", fieldCode = "credit_code", dataType = "C,18", required = true, isKey = true, sensitivity = "公开" },
        new { name = "企业名称", fieldCode = "company_name", dataType = "C,100", required = true, sensitivity = "公开" },
        new { name = "行政区划代码", fieldCode = "region_code", dataType = "C,6", sensitivity = "公开" },
        new { name = "法定代表人", fieldCode = "legal_rep", dataType = "C,50", sensitivity = "内部" },
        new { name = "年营业收入", fieldCode = "revenue", dataType = "N,16,2", sensitivity = "内部" },
    ];

    private static readonly object[] HealthItems =
    [
        new { name = "机构代码", fieldCode = "org_code", dataType = "C,20", required = true, isKey = true, sensitivity = "公开" },
        new { name = "机构名称", fieldCode = "org_name", dataType = "C,100", required = true, sensitivity = "公开" },
    ];

    private async Task<string> PublishAsync(string compilerName, string classification, string name, string shareType, string? condition, string? basis,
        object[] items)
    {
        var compiler = await ClientAsync(compilerName);
        var notShared = shareType == "不予共享";
        var entry = await Ok(await compiler.PostAsJsonAsync("/api/v1/catalog/resources", new
        {
            classificationCode = classification,
            name,
            @abstract = "共享交换模块测试用资源：" + name + "，包含若干信息项。",
            formatCategory = "数据库",
            formatType = "oracle",
            items,
            shareType,
            shareCondition = condition,
            shareBasis = basis,
            shareChannel = notShared ? null : "共享平台方式",
            shareMethodType = notShared ? null : "接口(服务)",
            isOpen = false,
            updateCycle = "每日",
            keywords = new[] { "共享测试" },
        }), HttpStatusCode.Created, ServerLog);
        var code = entry["code"]!.GetValue<string>();
        var path = "/api/v1/catalog/resources/" + Uri.EscapeDataString(code);
        var submitted = await Ok(await compiler.PostAsJsonAsync(path + "/submit", new { version = entry["version"]!.GetValue<int>() }), HttpStatusCode.OK);
        var reviewer = await ClientAsync("reviewer");
        await Ok(await reviewer.PostAsJsonAsync(path + "/approve", new { version = submitted["version"]!.GetValue<int>(), comment = "同意" }), HttpStatusCode.OK);
        return code;
    }

    /// <summary>Requires the status and returns the JSON body (failing with the body text).</summary>
    public static async Task<JsonNode> Ok(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK, ServerLog? log = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, response.StatusCode == HttpStatusCode.InternalServerError && log is not null ? text + "\n" + log : text);
        return string.IsNullOrEmpty(text) ? new JsonObject() : JsonNode.Parse(text)!;
    }
}

public sealed class SqliteSharingApp() : SharingAppFactory(DatabaseProvider.Sqlite);

public sealed class PostgresSharingApp() : SharingAppFactory(DatabaseProvider.PostgreSql);
