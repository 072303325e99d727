using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.Exchange.Features.Audit;
using GovData.Tests.Common.Web;

namespace GovData.Exchange.Tests.Sharing;

public sealed class SqliteSharingApiTests(SqliteSharingApp app) : SharingApiTests<SqliteSharingApp>(app), IClassFixture<SqliteSharingApp>;

public sealed class PostgresSharingApiTests(PostgresSharingApp app) : SharingApiTests<PostgresSharingApp>(app), IClassFixture<PostgresSharingApp>;

/// <summary>
/// /api/v1/exchange over the real host on both engines: share catalog, requests through every role, grants, renewal,
/// revocation, bad input (Chinese, naming the field, nothing stored), permissions per role and department.
/// The clock stays on the host's start (a Monday 09:00 China time) in this class.
/// </summary>
public abstract class SharingApiTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : SharingAppFactory
{
    private const string Api = "/api/v1/exchange";

    private Task<JsonNode> Ok(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK) => SharingAppFactory.Ok(r, expected, App.ServerLog);

    private static string R(JsonNode request) => $"{Api}/requests/{request["id"]!.GetValue<string>()}";

    private static string G(string grantId) => $"{Api}/grants/{grantId}";

    private static object Body(string code, string[]? items = null, object[]? rowScope = null, string[]? modes = null, int? days = 180,
        bool? submit = null, string? purpose = "就业补贴审核中核对企业经营状况") => new
    {
        resourceCode = code,
        purpose,
        legalBasis = "《就业补助资金管理办法》第十条",
        businessCase = "2026年稳岗返还审核",
        items = items ?? ["credit_code", "company_name", "region_code"],
        rowScope = rowScope ?? [new { field = "region_code", op = "prefix", values = new[] { "3701" } }],
        accessModes = modes ?? ["api", "verify"],
        durationDays = days,
        submit,
    };

    /// <summary>Submits a request of 人社 for a test resource (the 市场监管 conditional one with a region scope, the others without).</summary>
    private async Task<JsonNode> SubmitAsync(string code, string user = "rst_user", string[]? items = null)
    {
        var client = await App.ClientAsync(user);
        var res = await App.ResourcesAsync();
        var scoped = code == res.Conditional;
        items ??= code == res.Unconditional ? ["credit_code", "legal_name"] : code == res.HealthConditional ? ["org_code"] : null;
        return await Ok(await client.PostAsJsonAsync($"{Api}/requests", Body(code, items, rowScope: scoped ? null : [])), HttpStatusCode.Created);
    }

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(x => x!.GetValue<string>()).ToArray();

    private static string Error(JsonNode problem, string field) => problem["errors"]![field]![0]!.GetValue<string>();

    private async Task<int> TotalAsync(string user, string url)
    {
        var client = await App.ClientAsync(user);
        return (await Ok(await client.GetAsync(url)))["total"]!.GetValue<int>();
    }

    [Fact]
    public async Task The_share_catalog_lists_every_departments_published_resources_and_marks_not_shared_ones()
    {
        var res = await App.ResourcesAsync();
        var rst = await App.ClientAsync("rst_user");
        var page = await Ok(await rst.GetAsync($"{Api}/catalog?pageSize=200&keyword=" + Uri.EscapeDataString("共享测试")));
        var items = page["items"]!.AsArray().Select(i => i!).ToList();
        items.Select(i => i["code"]!.GetValue<string>()).ShouldBe([res.Unconditional, res.Conditional, res.NotShared, res.HealthConditional], ignoreOrder: true);

        var notShared = items.Single(i => i["code"]!.GetValue<string>() == res.NotShared);
        notShared["requestable"]!.GetValue<bool>().ShouldBeFalse();
        notShared["notRequestableReason"]!.GetValue<string>().ShouldContain("不予共享");
        notShared["notRequestableReason"]!.GetValue<string>().ShouldContain("测试依据");
        notShared["itemCount"]!.GetValue<int>().ShouldBe(0);
        var conditional = items.Single(i => i["code"]!.GetValue<string>() == res.Conditional);
        conditional["requestable"]!.GetValue<bool>().ShouldBeTrue();
        conditional["shareType"]!.GetValue<string>().ShouldBe("有条件共享");
        conditional["shareCondition"]!.GetValue<string>().ShouldBe("仅用于社保稽核与就业补贴审核");
        conditional["shareMethodType"]!.GetValue<string>().ShouldBe("接口(服务)");
        conditional["departmentName"]!.GetValue<string>().ShouldContain("市场监督管理局");

        var detail = await Ok(await rst.GetAsync($"{Api}/catalog/{Uri.EscapeDataString(res.Conditional)}"));
        detail["items"]!.AsArray().Select(i => i!["fieldName"]!.GetValue<string>())
            .ShouldBe(["credit_code", "company_name", "region_code", "legal_rep", "revenue"]);
        var hidden = await Ok(await rst.GetAsync($"{Api}/catalog/{Uri.EscapeDataString(res.NotShared)}"));
        hidden["items"]!.AsArray().ShouldBeEmpty();
        hidden["shareBasis"]!.GetValue<string>().ShouldContain("测试依据");

        // Filters; the provider's own resources need no request.
        var onlyConditional = await Ok(await rst.GetAsync($"{Api}/catalog?pageSize=200&shareType={Uri.EscapeDataString("有条件共享")}&keyword={Uri.EscapeDataString("共享测试")}"));
        onlyConditional["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()).ShouldBe([res.Conditional, res.HealthConditional], ignoreOrder: true);
        var requestable = await Ok(await rst.GetAsync($"{Api}/catalog?pageSize=200&requestable=false&keyword={Uri.EscapeDataString("共享测试")}"));
        requestable["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()).ShouldBe([res.NotShared]);
        var scjg = await App.ClientAsync("scjg_admin");
        var own = await Ok(await scjg.GetAsync($"{Api}/catalog?pageSize=200&keyword={Uri.EscapeDataString("企业经营状况（共享测试）")}"));
        own["items"]![0]!["notRequestableReason"]!.GetValue<string>().ShouldContain("本部门");
        var byDepartment = await Ok(await rst.GetAsync($"{Api}/catalog?pageSize=200&departmentId={conditional["departmentId"]}&keyword={Uri.EscapeDataString("共享测试")}"));
        byDepartment["items"]!.AsArray().Count.ShouldBe(3);

        var bad = await Ok(await rst.GetAsync($"{Api}/catalog?shareType=abc&departmentId=x&pageSize=500"), HttpStatusCode.BadRequest);
        Error(bad, "shareType").ShouldContain("无条件共享");
        Error(bad, "departmentId").ShouldContain("GUID");
        (await Ok(await rst.GetAsync($"{Api}/catalog?pageSize=0"), HttpStatusCode.BadRequest))["errors"]!["pageSize"].ShouldNotBeNull();
        (await Ok(await rst.GetAsync($"{Api}/catalog/{Uri.EscapeDataString("102003/99999")}"), HttpStatusCode.NotFound))["title"]!.GetValue<string>().ShouldBe("未找到");
        Error(await Ok(await rst.GetAsync($"{Api}/catalog/abc"), HttpStatusCode.BadRequest), "code").ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task An_unconditional_request_is_approved_at_once_with_a_grant_and_every_step_is_logged()
    {
        var res = await App.ResourcesAsync();
        var request = await SubmitAsync(res.Unconditional);
        request["status"]!.GetValue<string>().ShouldBe("approved");
        request["statusLabel"]!.GetValue<string>().ShouldBe("已批准");
        request["timer"].ShouldBeNull();
        var events = request["events"]!.AsArray();
        events.Select(e => e!["action"]!.GetValue<string>()).ShouldBe(["create", "submit", "pass_compliance"]);
        events[1]!["actorName"]!.GetValue<string>().ShouldBe("人社厅用数人员（演示）");
        events[1]!["from"]!.GetValue<string>().ShouldBe("draft");
        events[1]!["to"]!.GetValue<string>().ShouldBe("pending_compliance");
        events[2]!["actorName"]!.GetValue<string>().ShouldContain("自动通过");
        events[2]!["actorId"].ShouldBeNull();
        events[2]!["to"]!.GetValue<string>().ShouldBe("approved");

        var grantId = request["grantId"]!.GetValue<string>();
        var rst = await App.ClientAsync("rst_user");
        var grant = await Ok(await rst.GetAsync(G(grantId)));
        grant["status"]!.GetValue<string>().ShouldBe("active");
        Strings(grant["items"]).ShouldBe(["credit_code", "legal_name"]);
        grant["rawAllowed"]!.GetValue<bool>().ShouldBeFalse();
        grant["dailyQuota"]!.GetValue<long>().ShouldBe(10_000);
        grant["quotaUnit"]!.GetValue<string>().ShouldBe("rows");
        grant["rateLimitPerMinute"]!.GetValue<int>().ShouldBe(60);
        grant["expiresOn"]!.GetValue<string>().ShouldBe(App.Clock.Today.AddDays(180).ToString("yyyy-MM-dd"));
        grant["purpose"]!.GetValue<string>().ShouldBe("就业补贴审核中核对企业经营状况");
        grant["accessModes"]!.AsArray().Select(m => m!["code"]!.GetValue<string>()).ShouldBe(["api", "verify"]);
        grant["events"]!.AsArray().Single()!["action"]!.GetValue<string>().ShouldBe("issue");

        // The audit trail got one record per transition and one for the grant, each inside the transaction.
        var id = Guid.Parse(request["id"]!.GetValue<string>());
        var audit = App.Audit.ForRequest(id);
        audit.Count(a => a.Kind == AuditKinds.RequestChanged).ShouldBe(3);
        audit.Single(a => a.Kind == AuditKinds.GrantChanged).GrantId.ShouldBe(Guid.Parse(grantId));
        audit.ShouldAllBe(a => a.ResourceCode == res.Unconditional && a.Outcome == AuditOutcomes.Ok && a.Purpose == "就业补贴审核中核对企业经营状况");
        audit.First(a => a.Detail!.Contains("提交申请")).UserId.ShouldNotBeNull();
        App.Audit.All.Where(r => r.Record.RequestId == id).ShouldAllBe(r => r.InTransaction);

        // The provider sees the grant it issued; the consumer sees it as its own.
        var scjg = await App.ClientAsync("scjg_admin");
        (await Ok(await scjg.GetAsync($"{Api}/grants?as=provider&pageSize=200")))["items"]!.AsArray()
            .Select(g => g!["id"]!.GetValue<string>()).ShouldContain(grantId);
        (await Ok(await rst.GetAsync($"{Api}/grants?pageSize=200&status=active")))["items"]!.AsArray()
            .Select(g => g!["id"]!.GetValue<string>()).ShouldContain(grantId);
        (await Ok(await rst.GetAsync($"{Api}/grants?pageSize=200&status=revoked")))["items"]!.AsArray()
            .Select(g => g!["id"]!.GetValue<string>()).ShouldNotContain(grantId);
    }

    [Fact]
    public async Task A_conditional_request_passes_compliance_then_the_provider_approves_with_its_terms()
    {
        var res = await App.ResourcesAsync();
        var request = await SubmitAsync(res.Conditional);
        request["status"]!.GetValue<string>().ShouldBe("pending_compliance");
        var today = App.Clock.Today;
        today.DayOfWeek.ShouldBe(DayOfWeek.Monday);
        var timer = request["timer"]!;
        timer["phase"]!.GetValue<string>().ShouldBe("compliance");
        timer["dueOn"]!.GetValue<string>().ShouldBe(today.AddDays(2).ToString("yyyy-MM-dd")); // Wednesday
        timer["workingDaysLeft"]!.GetValue<int>().ShouldBe(2);
        timer["workingDaysElapsed"]!.GetValue<int>().ShouldBe(0);
        timer["overdue"]!.GetValue<bool>().ShouldBeFalse();
        Strings(request["allowedActions"]).ShouldBe(["withdraw"]);
        request["competentDepartmentName"]!.GetValue<string>().ShouldContain("大数据局");

        var reviewer = await App.ClientAsync("reviewer");
        var queue = await Ok(await reviewer.GetAsync($"{Api}/requests/competent-queue?pageSize=200"));
        queue["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ShouldContain(request["id"]!.GetValue<string>());
        var scjg = await App.ClientAsync("scjg_admin");
        (await Ok(await scjg.GetAsync($"{Api}/requests/to-decide?pageSize=200")))["items"]!.AsArray()
            .Select(i => i!["id"]!.GetValue<string>()).ShouldNotContain(request["id"]!.GetValue<string>());

        var seen = await Ok(await reviewer.GetAsync(R(request)));
        Strings(seen["allowedActions"]).ShouldBe(["pass_compliance", "fail_compliance"]);
        var passed = await Ok(await reviewer.PostAsJsonAsync(R(request) + "/pass-compliance", new { version = seen["version"]!.GetValue<int>(), note = "用途明确，依据充分" }));
        passed["status"]!.GetValue<string>().ShouldBe("pending_provider");
        passed["providerDueOn"]!.GetValue<string>().ShouldBe(today.AddDays(14).ToString("yyyy-MM-dd")); // 10 working days: two weeks on
        passed["timer"]!["phase"]!.GetValue<string>().ShouldBe("provider");
        passed["timer"]!["workingDaysLeft"]!.GetValue<int>().ShouldBe(10);

        var toDecide = await Ok(await scjg.GetAsync($"{Api}/requests/to-decide?pageSize=200"));
        var row = toDecide["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == request["id"]!.GetValue<string>())!;
        row["timer"]!["dueOn"]!.GetValue<string>().ShouldBe(today.AddDays(14).ToString("yyyy-MM-dd"));
        row["consumerDepartmentName"]!.GetValue<string>().ShouldContain("人力资源");

        var approved = await Ok(await scjg.PostAsJsonAsync(R(request) + "/approve", new
        {
            items = new[] { "credit_code", "region_code" },
            rawAllowed = true,
            dailyQuota = 500,
            quotaUnit = "calls",
            rateLimitPerMinute = 10,
            expiresOn = today.AddDays(90).ToString("yyyy-MM-dd"),
            note = "同意，仅限稳岗返还审核",
        }));
        approved["status"]!.GetValue<string>().ShouldBe("approved");
        approved["events"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ShouldBe(["create", "submit", "pass_compliance", "approve"]);
        approved["events"]!.AsArray()[3]!["actorName"]!.GetValue<string>().ShouldBe("市场监管局部门管理员（演示）");
        var grant = await Ok(await scjg.GetAsync(G(approved["grantId"]!.GetValue<string>())));
        Strings(grant["items"]).ShouldBe(["credit_code", "region_code"]);
        grant["rawAllowed"]!.GetValue<bool>().ShouldBeTrue();
        grant["dailyQuota"]!.GetValue<long>().ShouldBe(500);
        grant["quotaUnit"]!.GetValue<string>().ShouldBe("calls");
        grant["rateLimitPerMinute"]!.GetValue<int>().ShouldBe(10);
        grant["expiresOn"]!.GetValue<string>().ShouldBe(today.AddDays(90).ToString("yyyy-MM-dd"));
        grant["rowScope"]![0]!["field"]!.GetValue<string>().ShouldBe("region_code");
        grant["rowScope"]![0]!["op"]!.GetValue<string>().ShouldBe("prefix");
        Strings(grant["rowScope"]![0]!["values"]).ShouldBe(["3701"]);

        var audit = App.Audit.ForRequest(Guid.Parse(request["id"]!.GetValue<string>()));
        audit.Select(a => a.Kind).ShouldBe([AuditKinds.RequestChanged, AuditKinds.RequestChanged, AuditKinds.RequestChanged, AuditKinds.RequestChanged, AuditKinds.GrantChanged]);
        audit[3].Detail!.ShouldContain("批准");
    }

    [Fact]
    public async Task A_refusal_keeps_its_reason_and_the_consumer_can_escalate_it_for_coordination()
    {
        var res = await App.ResourcesAsync();
        var request = await SubmitAsync(res.Conditional);
        var reviewer = await App.ClientAsync("reviewer");
        await Ok(await reviewer.PostAsJsonAsync(R(request) + "/pass-compliance", new { }));
        var scjg = await App.ClientAsync("scjg_admin");
        var auditBefore = App.Audit.All.Count;

        var noReason = await Ok(await scjg.PostAsJsonAsync(R(request) + "/refuse", new { reason = "  " }), HttpStatusCode.BadRequest);
        Error(noReason, "reason").ShouldContain("理由");
        var unchanged = await Ok(await scjg.GetAsync(R(request)));
        unchanged["status"]!.GetValue<string>().ShouldBe("pending_provider");
        unchanged["events"]!.AsArray().Count.ShouldBe(3);
        App.Audit.All.Count.ShouldBe(auditBefore);

        var refused = await Ok(await scjg.PostAsJsonAsync(R(request) + "/refuse", new { reason = "涉及企业经营秘密，建议改用核验方式" }));
        refused["status"]!.GetValue<string>().ShouldBe("refused");
        refused["decisionReason"]!.GetValue<string>().ShouldBe("涉及企业经营秘密，建议改用核验方式");

        var rst = await App.ClientAsync("rst_user");
        var mine = await Ok(await rst.GetAsync(R(request)));
        mine["decisionReason"]!.GetValue<string>().ShouldBe("涉及企业经营秘密，建议改用核验方式");
        Strings(mine["allowedActions"]).ShouldBe(["escalate"]);
        Error(await Ok(await rst.PostAsJsonAsync(R(request) + "/escalate", new { }), HttpStatusCode.BadRequest), "reason").ShouldContain("理由");
        var escalated = await Ok(await rst.PostAsJsonAsync(R(request) + "/escalate", new { reason = "稳岗返还审核必须核对经营状况" }));
        escalated["escalated"]!.GetValue<bool>().ShouldBeTrue();
        escalated["status"]!.GetValue<string>().ShouldBe("refused");

        var queue = await Ok(await reviewer.GetAsync($"{Api}/requests/competent-queue?pageSize=200"));
        queue["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == request["id"]!.GetValue<string>())!["escalated"]!.GetValue<bool>().ShouldBeTrue();
        Error(await Ok(await reviewer.PostAsJsonAsync(R(request) + "/coordinate", new { note = "" }), HttpStatusCode.BadRequest), "note").ShouldContain("协调意见");
        var coordinated = await Ok(await reviewer.PostAsJsonAsync(R(request) + "/coordinate", new { note = "建议提供方以核验方式共享，双方另行申请" }));
        coordinated["escalated"]!.GetValue<bool>().ShouldBeFalse();
        coordinated["coordinationNote"]!.GetValue<string>().ShouldBe("建议提供方以核验方式共享，双方另行申请");
        coordinated["status"]!.GetValue<string>().ShouldBe("refused");
        coordinated["decisionReason"]!.GetValue<string>().ShouldBe("涉及企业经营秘密，建议改用核验方式");
        coordinated["events"]!.AsArray().Select(e => e!["action"]!.GetValue<string>())
            .ShouldBe(["create", "submit", "pass_compliance", "refuse", "escalate", "coordinate"]);
        App.Audit.ForRequest(Guid.Parse(request["id"]!.GetValue<string>())).Count.ShouldBe(6);
    }

    [Fact]
    public async Task Illegal_transitions_are_refused_over_http_with_409_and_change_nothing()
    {
        var res = await App.ResourcesAsync();
        var rst = await App.ClientAsync("rst_user");
        var reviewer = await App.ClientAsync("reviewer");
        var scjg = await App.ClientAsync("scjg_admin");

        // 待合规审查: the provider cannot decide yet.
        var pending = await SubmitAsync(res.Conditional);
        var early = await Ok(await scjg.PostAsJsonAsync(R(pending) + "/approve", new { }), HttpStatusCode.Conflict);
        early["detail"]!.GetValue<string>().ShouldBe("当前状态为“待合规审查”，不能批准：申请须先通过主管部门的合规审查");
        (await Ok(await rst.PostAsJsonAsync(R(pending) + "/escalate", new { reason = "催办" }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldContain("尚未逾期");
        (await Ok(await reviewer.PostAsJsonAsync(R(pending) + "/coordinate", new { note = "协调" }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldContain("未提请协调");
        (await Ok(await rst.PostAsJsonAsync(R(pending) + "/submit", new { }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldBe("当前状态为“待合规审查”，不能提交申请：只有草稿可以提交");

        // 已批准: every transition is refused by its rightful actor.
        var approved = await SubmitAsync(res.Unconditional);
        var version = approved["version"]!.GetValue<int>();
        (HttpClient Client, string Action, string Label)[] attempts =
        [
            (rst, "submit", "提交申请"), (reviewer, "pass-compliance", "合规审查通过"), (reviewer, "fail-compliance", "合规审查不通过"),
            (scjg, "approve", "批准"), (scjg, "refuse", "拒绝"), (rst, "withdraw", "撤回"), (rst, "escalate", "提请协调"), (reviewer, "coordinate", "协调"),
        ];
        foreach (var (client, action, label) in attempts)
        {
            var refused = await Ok(await client.PostAsJsonAsync(R(approved) + "/" + action, new { reason = "理由", note = "意见" }), HttpStatusCode.Conflict);
            refused["title"]!.GetValue<string>().ShouldBe("数据冲突");
            refused["detail"]!.GetValue<string>().ShouldStartWith($"当前状态为“已批准”，不能{label}", customMessage: action);
        }
        var after = await Ok(await rst.GetAsync(R(approved)));
        after["version"]!.GetValue<int>().ShouldBe(version);
        after["events"]!.AsArray().Count.ShouldBe(3);

        // A stale version is refused before anything changes.
        var stale = await Ok(await rst.PostAsJsonAsync(R(pending) + "/withdraw", new { version = 1 }), HttpStatusCode.Conflict);
        stale["detail"]!.GetValue<string>().ShouldContain("版本");
        var withdrawn = await Ok(await rst.PostAsJsonAsync(R(pending) + "/withdraw", new { version = pending["version"]!.GetValue<int>(), reason = "业务调整" }));
        withdrawn["status"]!.GetValue<string>().ShouldBe("withdrawn");
        (await Ok(await rst.PostAsJsonAsync(R(pending) + "/withdraw", new { }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldBe("当前状态为“已撤回”，不能撤回：申请已办结");
    }

    [Fact]
    public async Task Drafts_are_kept_until_submitted_and_a_compliance_failure_keeps_its_reason()
    {
        var res = await App.ResourcesAsync();
        var rst = await App.ClientAsync("rst_admin");
        var draft = await Ok(await rst.PostAsJsonAsync($"{Api}/requests", Body(res.Conditional, submit: false)), HttpStatusCode.Created);
        draft["status"]!.GetValue<string>().ShouldBe("draft");
        draft["timer"].ShouldBeNull();
        Strings(draft["allowedActions"]).ShouldBe(["submit", "withdraw"]);
        var reviewer = await App.ClientAsync("reviewer");
        (await Ok(await reviewer.GetAsync(R(draft)))).ShouldNotBeNull(); // the competent department may look, not act
        (await Ok(await reviewer.PostAsJsonAsync(R(draft) + "/pass-compliance", new { }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldStartWith("当前状态为“草稿”，不能合规审查通过");
        var submitted = await Ok(await rst.PostAsJsonAsync(R(draft) + "/submit", new { version = draft["version"]!.GetValue<int>() }));
        submitted["status"]!.GetValue<string>().ShouldBe("pending_compliance");
        Error(await Ok(await reviewer.PostAsJsonAsync(R(draft) + "/fail-compliance", new { }), HttpStatusCode.BadRequest), "reason").ShouldContain("理由");
        var failed = await Ok(await reviewer.PostAsJsonAsync(R(draft) + "/fail-compliance", new { reason = "申请依据与所需信息项不对应" }));
        failed["status"]!.GetValue<string>().ShouldBe("compliance_rejected");
        failed["statusLabel"]!.GetValue<string>().ShouldBe("合规审查未通过");
        failed["decisionReason"]!.GetValue<string>().ShouldBe("申请依据与所需信息项不对应");
        failed["events"]!.AsArray()[^1]!["reason"]!.GetValue<string>().ShouldBe("申请依据与所需信息项不对应");
        var mine = await Ok(await rst.GetAsync($"{Api}/requests?status=compliance_rejected&pageSize=200"));
        mine["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ShouldContain(draft["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_input_is_refused_in_chinese_naming_the_field_and_nothing_is_stored()
    {
        var res = await App.ResourcesAsync();
        var rst = await App.ClientAsync("rst_user");
        const string mine = Api + "/requests?status=all&pageSize=1";
        var before = await TotalAsync("rst_user", mine);
        var auditBefore = App.Audit.All.Count;

        var missing = await Ok(await rst.PostAsJsonAsync($"{Api}/requests", new { }), HttpStatusCode.BadRequest);
        missing["title"]!.GetValue<string>().ShouldBe("请求参数有误");
        missing["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["resourceCode", "purpose", "legalBasis", "businessCase", "items", "accessModes", "durationDays"], ignoreOrder: true);
        Error(missing, "purpose").ShouldContain("用途");

        var bad = await Ok(await rst.PostAsJsonAsync($"{Api}/requests", new
        {
            resourceCode = res.Conditional,
            purpose = new string('用', 501),
            legalBasis = "依据",
            businessCase = "事项",
            items = new[] { "credit_code", "no_such_item", "credit_code", "" },
            rowScope = new object[]
            {
                new { field = "region_code", op = "like", values = new[] { "37" } },
                new { field = "nowhere", op = "eq", values = new[] { "1", "2" } },
                new { field = "region_code", op = "in", values = Array.Empty<string>() },
            },
            accessModes = new[] { "api", "download" },
            durationDays = 1000,
        }), HttpStatusCode.BadRequest);
        Error(bad, "purpose").ShouldContain("500");
        Error(bad, "items[1]").ShouldContain("no_such_item");
        Error(bad, "items[2]").ShouldContain("重复");
        Error(bad, "items[3]").ShouldContain("为空");
        Error(bad, "rowScope[0].op").ShouldContain("like");
        Error(bad, "rowScope[1].field").ShouldContain("nowhere");
        Error(bad, "rowScope[1].values").ShouldContain("只能有一个取值");
        Error(bad, "rowScope[2].values").ShouldContain("不能为空");
        Error(bad, "accessModes[1]").ShouldContain("download");
        Error(bad, "durationDays").ShouldContain("365");

        var notShared = await Ok(await rst.PostAsJsonAsync($"{Api}/requests", Body(res.NotShared)), HttpStatusCode.BadRequest);
        Error(notShared, "resourceCode").ShouldContain("不予共享");
        Error(await Ok(await rst.PostAsJsonAsync($"{Api}/requests", Body("102003")), HttpStatusCode.BadRequest), "resourceCode").ShouldNotBeNullOrWhiteSpace();
        Error(await Ok(await rst.PostAsJsonAsync($"{Api}/requests", Body("102003/99999")), HttpStatusCode.BadRequest), "resourceCode").ShouldContain("不存在或未发布");
        var scjg = await App.ClientAsync("scjg_admin");
        Error(await Ok(await scjg.PostAsJsonAsync($"{Api}/requests", Body(res.Conditional)), HttpStatusCode.BadRequest), "resourceCode").ShouldContain("本部门");

        (await TotalAsync("rst_user", mine)).ShouldBe(before);
        App.Audit.All.Count.ShouldBe(auditBefore);

        // Bad approval terms leave the request pending.
        var request = await SubmitAsync(res.Conditional);
        var reviewer = await App.ClientAsync("reviewer");
        await Ok(await reviewer.PostAsJsonAsync(R(request) + "/pass-compliance", new { }));
        var terms = await Ok(await scjg.PostAsJsonAsync(R(request) + "/approve", new
        {
            items = new[] { "legal_rep" },
            dailyQuota = 0,
            quotaUnit = "bytes",
            rateLimitPerMinute = -1,
            expiresOn = App.Clock.Today.ToString("yyyy-MM-dd"),
        }), HttpStatusCode.BadRequest);
        Error(terms, "items[0]").ShouldContain("不在申请的信息项中");
        Error(terms, "dailyQuota").ShouldContain("正整数");
        Error(terms, "quotaUnit").ShouldContain("bytes");
        Error(terms, "rateLimitPerMinute").ShouldContain("正整数");
        Error(terms, "expiresOn").ShouldContain("晚于今天");
        Error(await Ok(await scjg.PostAsJsonAsync(R(request) + "/approve", new { expiresOn = "2026/13/01" }), HttpStatusCode.BadRequest), "expiresOn")
            .ShouldContain("yyyy-MM-dd");
        var still = await Ok(await scjg.GetAsync(R(request)));
        still["status"]!.GetValue<string>().ShouldBe("pending_provider");
        still["grantId"].ShouldBeNull();

        // Lists and the calendar name their parameters too.
        var list = await Ok(await rst.GetAsync($"{Api}/requests?status=unknown&overdue=maybe&page=x"), HttpStatusCode.BadRequest);
        Error(list, "overdue").ShouldContain("true 或 false");
        Error(list, "page").ShouldContain("整数");
        Error(await Ok(await rst.GetAsync($"{Api}/requests?status=unknown"), HttpStatusCode.BadRequest), "status").ShouldContain("pending_provider");
        Error(await Ok(await rst.GetAsync($"{Api}/grants?as=everyone"), HttpStatusCode.BadRequest), "as").ShouldContain("consumer");
        Error(await Ok(await rst.GetAsync($"{Api}/calendar/range?from=2026-01-01&to=2027-06-01"), HttpStatusCode.BadRequest), "to").ShouldContain("366");
    }

    [Fact]
    public async Task Permissions_follow_roles_and_departments()
    {
        var res = await App.ResourcesAsync();
        var rst = await App.ClientAsync("rst_user");
        var rstAdmin = await App.ClientAsync("rst_admin");
        var scjg = await App.ClientAsync("scjg_admin");
        var reviewer = await App.ClientAsync("reviewer");
        var auditor = await App.ClientAsync("auditor");
        var cataloger = await App.ClientAsync("wjw_cataloger");

        var forbidden = await Ok(await cataloger.PostAsJsonAsync($"{Api}/requests", Body(res.Conditional)), HttpStatusCode.Forbidden);
        forbidden["detail"]!.GetValue<string>().ShouldContain("用数人员或部门管理员");

        // A request of 人社 for a 卫健委 resource: 市场监管's administrator is neither side and does not see it.
        var health = await SubmitAsync(res.HealthConditional);
        (await Ok(await scjg.GetAsync(R(health)), HttpStatusCode.NotFound))["detail"]!.GetValue<string>().ShouldContain("不在您的查看范围内");
        (await scjg.PostAsJsonAsync(R(health) + "/withdraw", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Ok(await scjg.GetAsync($"{Api}/requests?status=all&pageSize=200")))["items"]!.AsArray()
            .Select(i => i!["id"]!.GetValue<string>()).ShouldNotContain(health["id"]!.GetValue<string>());
        (await Ok(await rstAdmin.GetAsync(R(health))))["id"]!.GetValue<string>().ShouldBe(health["id"]!.GetValue<string>()); // same department
        (await Ok(await auditor.GetAsync(R(health))))["allowedActions"]!.AsArray().ShouldBeEmpty();

        // A provider decides only its own resources; the consumer does not decide, nor check compliance.
        var conditional = await SubmitAsync(res.Conditional);
        (await Ok(await rst.PostAsJsonAsync(R(conditional) + "/pass-compliance", new { }), HttpStatusCode.Forbidden))["detail"]!
            .GetValue<string>().ShouldContain("主管部门");
        await Ok(await reviewer.PostAsJsonAsync(R(conditional) + "/pass-compliance", new { }));
        (await Ok(await rstAdmin.PostAsJsonAsync(R(conditional) + "/approve", new { }), HttpStatusCode.Forbidden))["detail"]!
            .GetValue<string>().ShouldContain("资源提供部门的部门管理员");
        (await scjg.PostAsJsonAsync(R(conditional) + "/withdraw", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Ok(await rst.GetAsync($"{Api}/requests/to-decide"), HttpStatusCode.Forbidden))["detail"]!.GetValue<string>().ShouldContain("部门管理员");
        (await rst.GetAsync($"{Api}/requests/competent-queue")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await cataloger.GetAsync($"{Api}/requests")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Ok(await rst.GetAsync(R(conditional))))["status"]!.GetValue<string>().ShouldBe("pending_provider");

        // Grants: the consumer cannot revoke, the provider cannot renew, another department sees nothing.
        var grantId = (await SubmitAsync(res.Unconditional))["grantId"]!.GetValue<string>();
        (await Ok(await rst.PostAsJsonAsync(G(grantId) + "/revoke", new { reason = "不再需要" }), HttpStatusCode.Forbidden))["detail"]!
            .GetValue<string>().ShouldContain("提供部门");
        (await scjg.PostAsJsonAsync(G(grantId) + "/renewal", new { durationDays = 30, reason = "续期" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await cataloger.GetAsync(G(grantId))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await rst.GetAsync($"{Api}/grants?as=provider")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Ok(await auditor.GetAsync($"{Api}/grants?as=all&pageSize=200")))["items"]!.AsArray()
            .Select(g => g!["id"]!.GetValue<string>()).ShouldContain(grantId);

        // The calendar is the platform administrator's.
        (await rst.PutAsJsonAsync($"{Api}/calendar/days/2026-10-01", new { kind = "holiday", name = "国庆节" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reviewer.DeleteAsync($"{Api}/calendar/days/2026-10-01")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Anonymous callers and API keys without the exchange scope are turned away.
        (await App.CreateBrowserClient().GetAsync($"{Api}/requests")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var session = await App.LoginAsync("rst_user");
        var catalogOnly = await session.CreateApiKeyAsync("只读目录", ["catalog:read"]);
        (await App.CreateApiKeyClient(catalogOnly.Secret).GetAsync($"{Api}/requests")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // A signed-in session works without any key.
        (await Ok(await session.GetAsync($"{Api}/requests?pageSize=5")))["total"]!.GetValue<int>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Grants_are_revoked_with_a_reason_and_renewed_through_a_request()
    {
        var res = await App.ResourcesAsync();
        var rst = await App.ClientAsync("rst_user");
        var scjg = await App.ClientAsync("scjg_admin");
        var reviewer = await App.ClientAsync("reviewer");
        var today = App.Clock.Today;

        // 无条件共享: the renewal passes at once and moves the expiry from the current one.
        var grantId = (await SubmitAsync(res.Unconditional))["grantId"]!.GetValue<string>();
        Error(await Ok(await rst.PostAsJsonAsync(G(grantId) + "/renewal", new { durationDays = 0 }), HttpStatusCode.BadRequest), "durationDays").ShouldContain("1 到 365");
        Error(await Ok(await rst.PostAsJsonAsync(G(grantId) + "/renewal", new { durationDays = 30 }), HttpStatusCode.BadRequest), "reason").ShouldContain("续期理由");
        var renewal = await Ok(await rst.PostAsJsonAsync(G(grantId) + "/renewal", new { durationDays = 30, reason = "稳岗返还审核延长至年底" }), HttpStatusCode.Created);
        renewal["kind"]!.GetValue<string>().ShouldBe("renewal");
        renewal["renewsGrantId"]!.GetValue<string>().ShouldBe(grantId);
        renewal["status"]!.GetValue<string>().ShouldBe("approved");
        renewal["events"]!.AsArray()[0]!["reason"]!.GetValue<string>().ShouldBe("稳岗返还审核延长至年底");
        var grant = await Ok(await rst.GetAsync(G(grantId)));
        grant["expiresOn"]!.GetValue<string>().ShouldBe(today.AddDays(180 + 30).ToString("yyyy-MM-dd"));
        grant["renewalCount"]!.GetValue<int>().ShouldBe(1);
        grant["events"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ShouldBe(["issue", "renew"]);
        App.Audit.ForGrant(Guid.Parse(grantId)).Select(a => a.Detail!).ShouldContain(d => d.Contains("续期") && d.Contains("延长至"));

        // 有条件共享: the renewal goes through compliance and the provider; it can only move the expiry.
        var conditional = await SubmitAsync(res.Conditional);
        await Ok(await reviewer.PostAsJsonAsync(R(conditional) + "/pass-compliance", new { }));
        var cGrant = (await Ok(await scjg.PostAsJsonAsync(R(conditional) + "/approve", new { expiresOn = today.AddDays(60).ToString("yyyy-MM-dd") })))["grantId"]!.GetValue<string>();
        var cRenewal = await Ok(await rst.PostAsJsonAsync(G(cGrant) + "/renewal", new { durationDays = 90, reason = "延长审核期" }), HttpStatusCode.Created);
        cRenewal["status"]!.GetValue<string>().ShouldBe("pending_compliance");
        (await Ok(await rst.GetAsync(G(cGrant))))["pendingRenewalId"]!.GetValue<string>().ShouldBe(cRenewal["id"]!.GetValue<string>());
        (await Ok(await rst.PostAsJsonAsync(G(cGrant) + "/renewal", new { durationDays = 10, reason = "再次续期" }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldContain("办理中的续期申请");
        await Ok(await reviewer.PostAsJsonAsync(R(cRenewal) + "/pass-compliance", new { }));
        Error(await Ok(await scjg.PostAsJsonAsync(R(cRenewal) + "/approve", new { items = new[] { "credit_code" } }), HttpStatusCode.BadRequest), "items")
            .ShouldContain("续期只延长有效期");
        var approvedRenewal = await Ok(await scjg.PostAsJsonAsync(R(cRenewal) + "/approve", new { }));
        approvedRenewal["grantId"]!.GetValue<string>().ShouldBe(cGrant);
        (await Ok(await scjg.GetAsync(G(cGrant))))["expiresOn"]!.GetValue<string>().ShouldBe(today.AddDays(60 + 90).ToString("yyyy-MM-dd"));

        // Revocation needs a reason, is final, and ends renewals.
        Error(await Ok(await scjg.PostAsJsonAsync(G(cGrant) + "/revoke", new { }), HttpStatusCode.BadRequest), "reason").ShouldContain("理由");
        var revoked = await Ok(await scjg.PostAsJsonAsync(G(cGrant) + "/revoke", new { reason = "用数部门超出用途使用数据" }));
        revoked["status"]!.GetValue<string>().ShouldBe("revoked");
        revoked["revokeReason"]!.GetValue<string>().ShouldBe("用数部门超出用途使用数据");
        revoked["events"]!.AsArray()[^1]!["actorName"]!.GetValue<string>().ShouldBe("市场监管局部门管理员（演示）");
        (await Ok(await scjg.PostAsJsonAsync(G(cGrant) + "/revoke", new { reason = "再撤销" }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldStartWith("当前状态为“已撤销”，不能撤销");
        (await Ok(await rst.PostAsJsonAsync(G(cGrant) + "/renewal", new { durationDays = 10, reason = "续期" }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldContain("已撤销");
        var audit = App.Audit.ForGrant(Guid.Parse(cGrant));
        audit.Select(a => a.Detail!).ShouldContain(d => d.Contains("撤销") && d.Contains("用数部门超出用途使用数据"));
        App.Audit.All.Where(r => r.Record.GrantId == Guid.Parse(cGrant)).ShouldAllBe(r => r.InTransaction);

        // A platform administrator may revoke too.
        var admin = await App.ClientAsync("admin");
        (await Ok(await admin.PostAsJsonAsync(G(grantId) + "/revoke", new { reason = "平台安全检查" })))["status"]!.GetValue<string>().ShouldBe("revoked");
    }

    [Fact]
    public async Task Platform_administrators_keep_the_working_day_calendar()
    {
        var admin = await App.ClientAsync("admin");
        var rst = await App.ClientAsync("rst_user");
        var year = App.Clock.Today.Year + 1;
        string Day(int month, int day) => new DateOnly(year, month, day).ToString("yyyy-MM-dd");
        var friday = new DateOnly(year, 5, 1);
        while (friday.DayOfWeek != DayOfWeek.Friday) friday = friday.AddDays(1);
        var saturday = friday.AddDays(1);

        var holiday = await Ok(await admin.PutAsJsonAsync($"{Api}/calendar/days/{friday:yyyy-MM-dd}", new { kind = "holiday", name = "劳动节（测试）" }));
        holiday["kindLabel"]!.GetValue<string>().ShouldBe("节假日（休息）");
        holiday["weekday"]!.GetValue<string>().ShouldBe("星期五");
        await Ok(await admin.PutAsJsonAsync($"{Api}/calendar/days/{saturday:yyyy-MM-dd}", new { kind = "workday", name = "劳动节调休（测试）" }));
        var weekdayWorkday = await Ok(await admin.PutAsJsonAsync($"{Api}/calendar/days/{friday.AddDays(-1):yyyy-MM-dd}", new { kind = "workday", name = "调休" }), HttpStatusCode.BadRequest);
        Error(weekdayWorkday, "kind").ShouldContain("只能设在周六或周日");
        var badDay = await Ok(await admin.PutAsJsonAsync($"{Api}/calendar/days/{year}-02-30", new { kind = "vacation", name = "" }), HttpStatusCode.BadRequest);
        Error(badDay, "day").ShouldContain("yyyy-MM-dd");
        Error(badDay, "kind").ShouldContain("vacation");
        Error(badDay, "name").ShouldContain("不能为空");

        var days = await Ok(await rst.GetAsync($"{Api}/calendar/days?from={Day(1, 1)}&to={Day(12, 31)}"));
        days.AsArray().Select(d => d!["name"]!.GetValue<string>()).ShouldBe(["劳动节（测试）", "劳动节调休（测试）"]);
        var range = await Ok(await rst.GetAsync($"{Api}/calendar/range?from={friday.AddDays(-4):yyyy-MM-dd}&to={friday.AddDays(3):yyyy-MM-dd}"));
        // Mon–Thu work, Friday off, Saturday worked, Sunday off, Monday work: 4 + 1 + 1.
        range["workingDays"]!.GetValue<int>().ShouldBe(6);
        range["days"]!.AsArray().Single(d => d!["day"]!.GetValue<string>() == friday.ToString("yyyy-MM-dd"))!["working"]!.GetValue<bool>().ShouldBeFalse();

        (await admin.DeleteAsync($"{Api}/calendar/days/{friday:yyyy-MM-dd}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Ok(await admin.DeleteAsync($"{Api}/calendar/days/{friday:yyyy-MM-dd}"), HttpStatusCode.NotFound))["detail"]!.GetValue<string>().ShouldContain("没有节假日或调休设置");
        (await Ok(await rst.GetAsync($"{Api}/calendar/range?from={friday:yyyy-MM-dd}&to={friday:yyyy-MM-dd}")))["workingDays"]!.GetValue<int>().ShouldBe(1);
        (await admin.DeleteAsync($"{Api}/calendar/days/{saturday:yyyy-MM-dd}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_sharing_api_in_chinese()
    {
        var doc = await Ok(await App.CreateBrowserClient().GetAsync("/openapi/v1.json"));
        var paths = doc["paths"]!.AsObject();
        paths.Select(p => p.Key).ShouldContain("/api/v1/exchange/requests/{id}/approve");
        paths.Select(p => p.Key).ShouldContain("/api/v1/exchange/grants/{id}/renewal");
        paths.Select(p => p.Key).ShouldContain("/api/v1/exchange/calendar/days/{day}");
        paths["/api/v1/exchange/requests"]!["post"]!["summary"]!.GetValue<string>().ShouldBe("提交共享申请");
        paths["/api/v1/exchange/catalog"]!["get"]!["description"]!.GetValue<string>().ShouldContain("不予共享");
    }
}
