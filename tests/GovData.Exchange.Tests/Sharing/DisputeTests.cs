using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Features.Disputes;
using GovData.Exchange.Features.Sharing;
using GovData.Tests.Common.Web;

namespace GovData.Exchange.Tests.Sharing;

/// <summary>The dispute state machine: only 待核实 disputes change; answers need their reason or corrected version.</summary>
public sealed class DisputeStateMachineTests
{
    private static readonly Actor Consumer = new(Guid.NewGuid(), "人社厅用数人员", Guid.NewGuid());
    private static readonly Actor Provider = new(Guid.NewGuid(), "市场监管局部门管理员", Guid.NewGuid());
    private static readonly DateTime Now = new(2026, 9, 14, 2, 0, 0, DateTimeKind.Utc);

    private static Dispute Open(int? dataVersion = 3)
    {
        var request = SharingRequest.Create(
            new RequestedResource(Guid.NewGuid(), "102003/5", "企业登记信息", GovData.Catalog.Contracts.ShareType.Unconditional, Provider.DepartmentId!.Value, "370000", null),
            new RequestContent("p", "b", "c", ["credit_code", "legal_name"], [], [AccessMode.Api], 30), Consumer, Consumer.DepartmentId!.Value, Now);
        var clock = new SharingClock(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new SharingOptions()));
        var deadlines = new DeadlinePolicy(WorkingDayCalendar.WeekdaysOnly, clock, 0, 0);
        request.Submit(Consumer, Now, deadlines);
        request.PassCompliance(Actor.System("系统"), Now, deadlines);
        var grant = Grant.Issue(request, new GrantTerms(request.Items, false, null, QuotaUnit.Rows, null, new DateOnly(2026, 12, 31),
            new DateTime(2026, 12, 31, 16, 0, 0, DateTimeKind.Utc)), Provider, Now);
        return Dispute.Create(grant, "370000",
            new DisputeContent("credit_code=91370000MA3C0001X1", "legal_name", "济南某某公司", "济南某某有限公司", "名称少了“有限”", "营业执照副本", dataVersion),
            Consumer, Now, (new DateOnly(2026, 9, 21), new DateTime(2026, 9, 21, 16, 0, 0, DateTimeKind.Utc)));
    }

    private static Dispute InState(DisputeStatus status)
    {
        var d = Open();
        switch (status)
        {
            case DisputeStatus.Corrected: d.Correct(Provider, Now, "已更正名称", 4); break;
            case DisputeStatus.Rejected: d.Reject(Provider, Now, "登记机关核实无误"); break;
            case DisputeStatus.Withdrawn: d.Withdraw(Consumer, Now, null); break;
        }
        return d;
    }

    public static TheoryData<string, string> FinalPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in new[] { DisputeStatus.Corrected, DisputeStatus.Rejected, DisputeStatus.Withdrawn })
            foreach (var a in new[] { DisputeAction.Correct, DisputeAction.Reject, DisputeAction.Withdraw })
                data.Add(DisputeTerms.Code(s), DisputeTerms.Code(a));
        return data;
    }

    [Theory]
    [MemberData(nameof(FinalPairs))]
    public void Answered_or_withdrawn_disputes_refuse_every_transition(string statusCode, string actionCode)
    {
        var status = DisputeTerms.ParseStatus(statusCode);
        var action = DisputeTerms.ParseAction(actionCode);
        var d = InState(status);
        var (version, events) = (d.Version, d.EventCount);
        var ex = Should.Throw<SharingException>(() => _ = action switch
        {
            DisputeAction.Correct => d.Correct(Provider, Now, "更正", 9),
            DisputeAction.Reject => d.Reject(Provider, Now, "驳回"),
            _ => d.Withdraw(Consumer, Now, "撤回"),
        });
        ex.Message.ShouldBe($"当前状态为“{DisputeTerms.Label(status)}”，不能{DisputeTerms.Label(action)}：异议已办结");
        d.Status.ShouldBe(status);
        d.Version.ShouldBe(version);
        d.EventCount.ShouldBe(events);
    }

    [Fact]
    public void A_correction_names_the_data_version_that_carries_it_and_a_rejection_its_reason()
    {
        var d = Open(dataVersion: 3);
        Should.Throw<SharingException>(() => d.Correct(Provider, Now, "", 4)).Field.ShouldBe("note");
        Should.Throw<SharingException>(() => d.Correct(Provider, Now, "已更正", null)).Field.ShouldBe("correctedVersion");
        Should.Throw<SharingException>(() => d.Correct(Provider, Now, "已更正", 3)).Message.ShouldContain("晚于异议所指的版本 3");
        d.Status.ShouldBe(DisputeStatus.Open);
        var e = d.Correct(Provider, Now, "已按营业执照更正名称", 4);
        d.CorrectedVersion.ShouldBe(4);
        e.Detail!.ShouldContain("数据版本 4");
        e.FromStatus.ShouldBe("open");
        e.ToStatus.ShouldBe("corrected");

        var r = Open();
        Should.Throw<SharingException>(() => r.Reject(Provider, Now, " ")).Field.ShouldBe("reason");
        r.Reject(Provider, Now, "经登记机关核实，数据无误");
        r.ResolutionNote.ShouldBe("经登记机关核实，数据无误");
        r.IsOverdue(r.DueAt.AddDays(1)).ShouldBeFalse();
        Open().IsOverdue(new DateTime(2026, 9, 21, 16, 0, 0, DateTimeKind.Utc)).ShouldBeTrue();
    }
}

public sealed class SqliteDisputeApiTests(SqliteSharingApp app) : DisputeApiTests<SqliteSharingApp>(app), IClassFixture<SqliteSharingApp>;

public sealed class PostgresDisputeApiTests(PostgresSharingApp app) : DisputeApiTests<PostgresSharingApp>(app), IClassFixture<PostgresSharingApp>;

/// <summary>/api/v1/exchange/disputes on both engines: the closed loop between consumer and provider, bad input, permissions, the limit.</summary>
public abstract class DisputeApiTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : SharingAppFactory
{
    private const string Api = "/api/v1/exchange";

    private Task<JsonNode> Ok(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK) => SharingAppFactory.Ok(r, expected, App.ServerLog);

    private static string Error(JsonNode problem, string field) => problem["errors"]![field]![0]!.GetValue<string>();

    private async Task<string> GrantAsync()
    {
        var res = await App.ResourcesAsync();
        var rst = await App.ClientAsync("rst_user");
        var request = await Ok(await rst.PostAsJsonAsync($"{Api}/requests", new
        {
            resourceCode = res.Unconditional,
            purpose = "社保登记核对单位名称",
            legalBasis = "《社会保险费征缴暂行条例》第七条",
            businessCase = "参保单位登记",
            items = new[] { "credit_code", "legal_name" },
            accessModes = new[] { "api" },
            durationDays = 90,
        }), HttpStatusCode.Created);
        return request["grantId"]!.GetValue<string>();
    }

    private static object Body(string grantId, string? field = "legal_name") => new
    {
        grantId,
        recordKey = "credit_code=91370100MA3C00017X",
        field,
        reportedValue = "济南示例商贸公司",
        expectedValue = "济南示例商贸有限公司",
        description = "单位名称缺少“有限”二字，与营业执照不一致",
        evidence = "营业执照副本（登记机关：济南市市场监督管理局，2024-03-01）",
        dataVersion = 2,
    };

    [Fact]
    public async Task A_dispute_runs_the_closed_loop_and_both_sides_see_its_status()
    {
        var monday = App.Clock.NextMonday();
        App.Clock.SetLocal(monday, new TimeOnly(9, 30));
        var grantId = await GrantAsync();
        var rst = await App.ClientAsync("rst_user");
        var scjg = await App.ClientAsync("scjg_admin");

        var dispute = await Ok(await rst.PostAsJsonAsync($"{Api}/disputes", Body(grantId)), HttpStatusCode.Created);
        dispute["status"]!.GetValue<string>().ShouldBe("open");
        dispute["statusLabel"]!.GetValue<string>().ShouldBe("待核实");
        dispute["dueOn"]!.GetValue<string>().ShouldBe(monday.AddDays(7).ToString("yyyy-MM-dd")); // 5 working days
        dispute["workingDaysLeft"]!.GetValue<int>().ShouldBe(5);
        dispute["field"]!.GetValue<string>().ShouldBe("legal_name");
        dispute["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["withdraw"]);
        var id = dispute["id"]!.GetValue<string>();

        var providerList = await Ok(await scjg.GetAsync($"{Api}/disputes?as=provider&status=open&pageSize=200"));
        var row = providerList["items"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == id)!;
        row["consumerDepartmentName"]!.GetValue<string>().ShouldContain("人力资源");
        row["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["correct", "reject"]);

        // Past the limit it is flagged overdue for both sides.
        App.Clock.SetLocal(monday.AddDays(8), new TimeOnly(0, 1));
        var late = await Ok(await rst.GetAsync($"{Api}/disputes/{id}"));
        late["overdue"]!.GetValue<bool>().ShouldBeTrue();
        (await Ok(await scjg.GetAsync($"{Api}/disputes?as=provider&overdue=true&pageSize=200")))["items"]!.AsArray()
            .Select(d => d!["id"]!.GetValue<string>()).ShouldContain(id);

        var bad = await Ok(await scjg.PostAsJsonAsync($"{Api}/disputes/{id}/correct", new { note = "已更正", correctedVersion = 2 }), HttpStatusCode.BadRequest);
        Error(bad, "correctedVersion").ShouldContain("版本 2");
        var corrected = await Ok(await scjg.PostAsJsonAsync($"{Api}/disputes/{id}/correct", new { note = "已按营业执照更正单位名称", correctedVersion = 3 }));
        corrected["status"]!.GetValue<string>().ShouldBe("corrected");
        corrected["correctedVersion"]!.GetValue<int>().ShouldBe(3);
        corrected["overdue"]!.GetValue<bool>().ShouldBeFalse();
        corrected["events"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ShouldBe(["create", "correct"]);
        corrected["events"]!.AsArray()[1]!["actorName"]!.GetValue<string>().ShouldBe("市场监管局部门管理员（演示）");

        var seen = await Ok(await rst.GetAsync($"{Api}/disputes/{id}"));
        seen["statusLabel"]!.GetValue<string>().ShouldBe("已更正");
        seen["resolutionNote"]!.GetValue<string>().ShouldBe("已按营业执照更正单位名称");
        (await Ok(await rst.PostAsJsonAsync($"{Api}/disputes/{id}/withdraw", new { }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldBe("当前状态为“已更正”，不能撤回异议：异议已办结");

        var audit = App.Audit.All.Where(a => a.Record.Kind == AuditKinds.DisputeChanged && a.Record.GrantId == Guid.Parse(grantId)).ToList();
        audit.Count.ShouldBe(2);
        audit.ShouldAllBe(a => a.InTransaction);
        audit[1].Record.Detail!.ShouldContain("数据版本 3");

        // A second dispute is rejected with a reason; a third is withdrawn.
        var second = await Ok(await rst.PostAsJsonAsync($"{Api}/disputes", Body(grantId, field: null)), HttpStatusCode.Created);
        Error(await Ok(await scjg.PostAsJsonAsync($"{Api}/disputes/{second["id"]}/reject", new { }), HttpStatusCode.BadRequest), "reason").ShouldContain("理由");
        var rejected = await Ok(await scjg.PostAsJsonAsync($"{Api}/disputes/{second["id"]}/reject", new { reason = "经登记档案核实，名称无误" }));
        rejected["status"]!.GetValue<string>().ShouldBe("rejected");
        (await Ok(await rst.GetAsync($"{Api}/disputes/{second["id"]}")))["resolutionNote"]!.GetValue<string>().ShouldBe("经登记档案核实，名称无误");
        var third = await Ok(await rst.PostAsJsonAsync($"{Api}/disputes", Body(grantId)), HttpStatusCode.Created);
        (await Ok(await rst.PostAsJsonAsync($"{Api}/disputes/{third["id"]}/withdraw", new { reason = "已自行核实" })))["status"]!.GetValue<string>().ShouldBe("withdrawn");
        var mine = await Ok(await rst.GetAsync($"{Api}/disputes?pageSize=200"));
        mine["items"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()).ShouldContain(third["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_disputes_are_refused_per_field_and_only_the_two_sides_act()
    {
        var grantId = await GrantAsync();
        var rst = await App.ClientAsync("rst_user");
        var scjg = await App.ClientAsync("scjg_admin");
        var cataloger = await App.ClientAsync("wjw_cataloger");
        var before = App.Audit.All.Count(a => a.Record.Kind == AuditKinds.DisputeChanged);

        var empty = await Ok(await rst.PostAsJsonAsync($"{Api}/disputes", new { }), HttpStatusCode.BadRequest);
        empty["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["grantId", "recordKey", "description", "evidence"], ignoreOrder: true);
        var bad = await Ok(await rst.PostAsJsonAsync($"{Api}/disputes", new
        {
            grantId,
            recordKey = new string('k', 201),
            field = "approval_date",
            description = "有误",
            evidence = "材料",
            dataVersion = 0,
        }), HttpStatusCode.BadRequest);
        Error(bad, "recordKey").ShouldContain("200");
        Error(bad, "field").ShouldContain("不是授权的信息项");
        Error(bad, "dataVersion").ShouldContain("正整数");
        Error(await Ok(await rst.PostAsJsonAsync($"{Api}/disputes", new { grantId = "abc", recordKey = "k", description = "d", evidence = "e" }), HttpStatusCode.BadRequest), "grantId")
            .ShouldContain("GUID");
        // Another department's grant is not the consumer's to dispute.
        Error(await Ok(await scjg.PostAsJsonAsync($"{Api}/disputes", Body(grantId)), HttpStatusCode.BadRequest), "grantId").ShouldContain("不是本部门");
        (await Ok(await cataloger.PostAsJsonAsync($"{Api}/disputes", Body(grantId)), HttpStatusCode.Forbidden))["detail"]!.GetValue<string>().ShouldContain("用数人员");
        App.Audit.All.Count(a => a.Record.Kind == AuditKinds.DisputeChanged).ShouldBe(before);
        (await Ok(await rst.GetAsync($"{Api}/disputes?status=closed&as=x&overdue=maybe&page=y"), HttpStatusCode.BadRequest))["errors"]!.AsObject()
            .Select(e => e.Key).ShouldBe(["status", "as", "overdue", "page"], ignoreOrder: true);

        var dispute = await Ok(await rst.PostAsJsonAsync($"{Api}/disputes", Body(grantId)), HttpStatusCode.Created);
        var id = dispute["id"]!.GetValue<string>();
        (await Ok(await rst.PostAsJsonAsync($"{Api}/disputes/{id}/correct", new { note = "自己改", correctedVersion = 3 }), HttpStatusCode.Forbidden))["detail"]!
            .GetValue<string>().ShouldContain("资源提供部门");
        (await scjg.PostAsJsonAsync($"{Api}/disputes/{id}/withdraw", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await cataloger.GetAsync($"{Api}/disputes/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Ok(await (await App.ClientAsync("auditor")).GetAsync($"{Api}/disputes?as=all&pageSize=200")))["items"]!.AsArray()
            .Select(d => d!["id"]!.GetValue<string>()).ShouldContain(id);
        (await Ok(await (await App.ClientAsync("reviewer")).GetAsync($"{Api}/disputes/{id}")))["allowedActions"]!.AsArray().ShouldBeEmpty();
        (await rst.GetAsync($"{Api}/disputes?as=provider")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Ok(await rst.GetAsync($"{Api}/disputes/{id}")))["status"]!.GetValue<string>().ShouldBe("open");
    }
}
