using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.Exchange.Features.Audit;
using GovData.Exchange.Features.Sharing;
using GovData.SharedKernel.Hosting.ScheduledJobs;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GovData.Exchange.Tests.Sharing;

public sealed class SqliteSharingDeadlineTests(SqliteSharingApp app) : SharingDeadlineTests<SqliteSharingApp>(app), IClassFixture<SqliteSharingApp>;

public sealed class PostgresSharingDeadlineTests(PostgresSharingApp app) : SharingDeadlineTests<PostgresSharingApp>(app), IClassFixture<PostgresSharingApp>;

/// <summary>
/// Deadlines with a moving clock: due dates over holidays and 调休, the deadline job escalating overdue requests once
/// (also with two hosts at once), coordination moving a due date, grants expiring, and the job running through the
/// platform's DB-claimed scheduler. Every test starts on a fresh Monday after the previous one's end.
/// </summary>
public abstract class SharingDeadlineTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : SharingAppFactory
{
    private const string Api = "/api/v1/exchange";
    private static readonly TimeOnly Morning = new(10, 0);

    private Task<JsonNode> Ok(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK) => SharingAppFactory.Ok(r, expected, App.ServerLog);

    private static string R(JsonNode request) => $"{Api}/requests/{request["id"]!.GetValue<string>()}";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd");

    private Task<DeadlineRun> RunDeadlinesAsync() => App.WithScopeAsync(sp => sp.GetRequiredService<SharingDeadlines>().RunAsync(CancellationToken.None));

    private async Task<JsonNode> RequestAsync(string code, string[] items, int days = 180)
    {
        var rst = await App.ClientAsync("rst_user");
        return await Ok(await rst.PostAsJsonAsync($"{Api}/requests", new
        {
            resourceCode = code,
            purpose = "社保稽核比对",
            legalBasis = "《社会保险稽核办法》第五条",
            businessCase = "2026年社保稽核",
            items,
            accessModes = new[] { "api" },
            durationDays = days,
        }), HttpStatusCode.Created);
    }

    private async Task<DateOnly> StartOnMondayAsync()
    {
        var monday = App.Clock.NextMonday();
        App.Clock.SetLocal(monday, Morning);
        await App.ResourcesAsync();
        return monday;
    }

    private static int Escalations(JsonNode request) => request["events"]!.AsArray().Count(e => e!["action"]!.GetValue<string>() == "escalate");

    [Fact]
    public async Task Overdue_requests_are_escalated_once_and_coordination_moves_the_due_date_over_holidays_and_adjusted_workdays()
    {
        var monday = await StartOnMondayAsync();
        var res = await App.ResourcesAsync();
        var admin = await App.ClientAsync("admin");
        var rst = await App.ClientAsync("rst_user");
        var reviewer = await App.ClientAsync("reviewer");
        var scjg = await App.ClientAsync("scjg_admin");
        await Ok(await admin.PutAsJsonAsync($"{Api}/calendar/days/{Day(monday.AddDays(1))}", new { kind = "holiday", name = "测试假日" }));

        // Submitted Monday; Tuesday is a holiday: Wednesday and Thursday are the two working days.
        var request = await RequestAsync(res.Conditional, ["credit_code"]);
        var thursday = monday.AddDays(3);
        request["timer"]!["dueOn"]!.GetValue<string>().ShouldBe(Day(thursday));
        request["timer"]!["workingDaysLeft"]!.GetValue<int>().ShouldBe(2);

        App.Clock.SetLocal(thursday, new TimeOnly(23, 57));
        await RunDeadlinesAsync();
        var late = await Ok(await rst.GetAsync(R(request)));
        late["escalated"]!.GetValue<bool>().ShouldBeFalse();
        late["overdue"]!.GetValue<bool>().ShouldBeFalse();
        late["timer"]!["workingDaysLeft"]!.GetValue<int>().ShouldBe(0);
        late["timer"]!["workingDaysElapsed"]!.GetValue<int>().ShouldBe(2);

        var friday = monday.AddDays(4);
        App.Clock.SetLocal(friday, new TimeOnly(0, 1));
        (await RunDeadlinesAsync()).Escalated.ShouldBeGreaterThanOrEqualTo(1);
        var overdue = await Ok(await rst.GetAsync(R(request)));
        overdue["escalated"]!.GetValue<bool>().ShouldBeTrue();
        overdue["overdue"]!.GetValue<bool>().ShouldBeTrue();
        overdue["status"]!.GetValue<string>().ShouldBe("pending_compliance");
        overdue["timer"]!["overdue"]!.GetValue<bool>().ShouldBeTrue();
        overdue["timer"]!["workingDaysOverdue"]!.GetValue<int>().ShouldBe(1);
        var escalation = overdue["events"]!.AsArray()[^1]!;
        escalation["action"]!.GetValue<string>().ShouldBe("escalate");
        escalation["actorName"]!.GetValue<string>().ShouldBe("系统（逾期检查）");
        escalation["from"]!.GetValue<string>().ShouldBe("pending_compliance");
        escalation["to"]!.GetValue<string>().ShouldBe("pending_compliance");
        escalation["reason"]!.GetValue<string>().ShouldContain($"合规审查已逾期（办理期限 {Day(thursday)}）");
        var id = Guid.Parse(request["id"]!.GetValue<string>());
        var logged = App.Audit.ForRequest(id).Last();
        logged.Kind.ShouldBe(AuditKinds.RequestChanged);
        logged.UserId.ShouldBeNull();
        logged.Detail!.ShouldContain("提请协调");
        App.Audit.All.Where(a => a.Record.RequestId == id).ShouldAllBe(a => a.InTransaction);

        // The competent department sees it as overdue and escalated; the consumer sees the flag.
        var queue = await Ok(await reviewer.GetAsync($"{Api}/requests/competent-queue?overdue=true&pageSize=200"));
        var row = queue["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == request["id"]!.GetValue<string>())!;
        row["escalated"]!.GetValue<bool>().ShouldBeTrue();
        row["overdue"]!.GetValue<bool>().ShouldBeTrue();
        (await Ok(await rst.GetAsync($"{Api}/requests?overdue=true&pageSize=200")))["items"]!.AsArray()
            .Select(i => i!["id"]!.GetValue<string>()).ShouldContain(request["id"]!.GetValue<string>());
        (await Ok(await rst.GetAsync($"{Api}/requests?overdue=false&pageSize=200")))["items"]!.AsArray()
            .Select(i => i!["id"]!.GetValue<string>()).ShouldNotContain(request["id"]!.GetValue<string>());

        // Once per due date: neither the job nor the consumer escalates it again.
        await RunDeadlinesAsync();
        Escalations(await Ok(await rst.GetAsync(R(request)))).ShouldBe(1);
        (await Ok(await rst.PostAsJsonAsync(R(request) + "/escalate", new { reason = "催办" }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldContain("已提请协调");

        // Coordination: a new due date must be a later working day.
        var nextMonday = monday.AddDays(7);
        Error(await Ok(await reviewer.PostAsJsonAsync(R(request) + "/coordinate", new { note = "请尽快审查", dueOn = Day(monday.AddDays(5)) }), HttpStatusCode.BadRequest), "dueOn")
            .ShouldContain("不是工作日");
        var coordinated = await Ok(await reviewer.PostAsJsonAsync(R(request) + "/coordinate", new { note = "已督促，顺延至下周一", dueOn = Day(nextMonday) }));
        coordinated["escalated"]!.GetValue<bool>().ShouldBeFalse();
        coordinated["overdue"]!.GetValue<bool>().ShouldBeFalse();
        coordinated["complianceDueOn"]!.GetValue<string>().ShouldBe(Day(nextMonday));
        coordinated["events"]!.AsArray()[^1]!["detail"]!.GetValue<string>().ShouldContain(Day(nextMonday));
        await RunDeadlinesAsync();
        Escalations(await Ok(await rst.GetAsync(R(request)))).ShouldBe(1);

        // Saturday after that Monday is a 调休 working day: the provider's 10 working days end a day earlier.
        await Ok(await admin.PutAsJsonAsync($"{Api}/calendar/days/{Day(nextMonday.AddDays(5))}", new { kind = "workday", name = "测试调休" }));
        App.Clock.SetLocal(nextMonday, Morning);
        var passed = await Ok(await reviewer.PostAsJsonAsync(R(request) + "/pass-compliance", new { }));
        var providerDue = nextMonday.AddDays(11); // Tue–Fri (4), Sat 调休 (5), Mon–Fri (10): that Friday, not the Monday after
        passed["providerDueOn"]!.GetValue<string>().ShouldBe(Day(providerDue));

        App.Clock.SetLocal(providerDue.AddDays(1), new TimeOnly(0, 1));
        await RunDeadlinesAsync();
        var providerLate = await Ok(await scjg.GetAsync(R(request)));
        Escalations(providerLate).ShouldBe(2);
        providerLate["events"]!.AsArray()[^1]!["reason"]!.GetValue<string>().ShouldContain("提供方审批已逾期");
        var toDecide = await Ok(await scjg.GetAsync($"{Api}/requests/to-decide?pageSize=200"));
        toDecide["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == request["id"]!.GetValue<string>())!["timer"]!["overdue"]!
            .GetValue<bool>().ShouldBeTrue();

        // The provider can still decide; the decision ends the escalation.
        var approved = await Ok(await scjg.PostAsJsonAsync(R(request) + "/approve", new { }));
        approved["status"]!.GetValue<string>().ShouldBe("approved");
        approved["escalated"]!.GetValue<bool>().ShouldBeFalse();
        approved["overdue"]!.GetValue<bool>().ShouldBeFalse();
        (await Ok(await reviewer.GetAsync($"{Api}/requests/competent-queue?pageSize=200")))["items"]!.AsArray()
            .Select(i => i!["id"]!.GetValue<string>()).ShouldNotContain(request["id"]!.GetValue<string>());

        await admin.DeleteAsync($"{Api}/calendar/days/{Day(monday.AddDays(1))}");
        await admin.DeleteAsync($"{Api}/calendar/days/{Day(nextMonday.AddDays(5))}");
    }

    [Fact]
    public async Task Two_hosts_running_the_deadline_pass_at_once_escalate_each_overdue_request_once()
    {
        var monday = await StartOnMondayAsync();
        var res = await App.ResourcesAsync();
        var requests = new List<JsonNode>();
        for (var i = 0; i < 4; i++) requests.Add(await RequestAsync(res.Conditional, ["credit_code", "company_name"]));
        requests[0]["timer"]!["dueOn"]!.GetValue<string>().ShouldBe(Day(monday.AddDays(2)));
        App.Clock.SetLocal(monday.AddDays(3), new TimeOnly(0, 5));

        var start = new TaskCompletionSource();
        async Task<DeadlineRun> Host()
        {
            await start.Task;
            return await RunDeadlinesAsync();
        }
        var runs = new[] { Task.Run(Host), Task.Run(Host), Task.Run(Host) };
        start.SetResult();
        var results = await Task.WhenAll(runs);
        results.Sum(r => r.Escalated).ShouldBeGreaterThanOrEqualTo(requests.Count);

        var rst = await App.ClientAsync("rst_user");
        foreach (var r in requests)
        {
            var now = await Ok(await rst.GetAsync(R(r)));
            Escalations(now).ShouldBe(1, r["id"]!.GetValue<string>());
            var id = Guid.Parse(r["id"]!.GetValue<string>());
            App.Audit.ForRequest(id).Count(a => a.Detail!.Contains("提请协调")).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Grants_expire_at_the_end_of_their_last_day_and_the_job_marks_them_once()
    {
        var monday = await StartOnMondayAsync();
        var res = await App.ResourcesAsync();
        var rst = await App.ClientAsync("rst_user");
        var scjg = await App.ClientAsync("scjg_admin");
        var request = await RequestAsync(res.Unconditional, ["credit_code"], days: 1);
        var grantId = request["grantId"]!.GetValue<string>();
        var grant = await Ok(await rst.GetAsync($"{Api}/grants/{grantId}"));
        grant["expiresOn"]!.GetValue<string>().ShouldBe(Day(monday.AddDays(1)));

        App.Clock.SetLocal(monday.AddDays(1), new TimeOnly(23, 57));
        await RunDeadlinesAsync();
        (await Ok(await rst.GetAsync($"{Api}/grants/{grantId}")))["status"]!.GetValue<string>().ShouldBe("active");

        App.Clock.SetLocal(monday.AddDays(2), new TimeOnly(0, 1));
        // Past its last day the grant is expired at once, before any job ran: no use, no revocation, no renewal.
        var expired = await Ok(await rst.GetAsync($"{Api}/grants/{grantId}"));
        expired["status"]!.GetValue<string>().ShouldBe("expired");
        expired["events"]!.AsArray().Count.ShouldBe(1);
        (await Ok(await scjg.PostAsJsonAsync($"{Api}/grants/{grantId}/revoke", new { reason = "撤销" }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldStartWith("当前状态为“已过期”，不能撤销");
        (await Ok(await rst.PostAsJsonAsync($"{Api}/grants/{grantId}/renewal", new { durationDays = 30, reason = "续期" }), HttpStatusCode.Conflict))["detail"]!
            .GetValue<string>().ShouldContain("已过期");
        (await Ok(await rst.GetAsync($"{Api}/grants?status=expired&pageSize=200")))["items"]!.AsArray()
            .Select(g => g!["id"]!.GetValue<string>()).ShouldContain(grantId);
        (await Ok(await rst.GetAsync($"{Api}/grants?status=active&pageSize=200")))["items"]!.AsArray()
            .Select(g => g!["id"]!.GetValue<string>()).ShouldNotContain(grantId);

        (await RunDeadlinesAsync()).Expired.ShouldBeGreaterThanOrEqualTo(1);
        await RunDeadlinesAsync();
        var marked = await Ok(await rst.GetAsync($"{Api}/grants/{grantId}"));
        marked["events"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ShouldBe(["issue", "expire"]);
        marked["events"]!.AsArray()[1]!["actorName"]!.GetValue<string>().ShouldBe("系统（授权到期）");
        var audit = App.Audit.ForGrant(Guid.Parse(grantId));
        audit.Count(a => a.Detail!.Contains("到期")).ShouldBe(1);
    }

    [Fact]
    public async Task The_deadline_job_runs_through_the_database_claimed_scheduler_on_one_host_at_a_time()
    {
        await StartOnMondayAsync();
        var jobs = App.Services.GetServices<IScheduledJob>().ToList();
        var job = jobs.Single(j => j.Name == "exchange.sharing.deadlines");
        job.DisplayName.ShouldBe("共享申请逾期检查与授权到期");
        job.Schedule.ShouldBe(new IntervalSchedule(TimeSpan.FromMinutes(10)));

        // Two runners over the same database stand for two hosts.
        var store = App.Services.GetRequiredService<ScheduledJobStore>();
        var options = Options.Create(new ScheduledJobOptions { TimeZone = "Asia/Shanghai" });
        ScheduledJobRunner Runner() => new(jobs, store, App.Services.GetRequiredService<IServiceScopeFactory>(), App.Clock, options,
            NullLogger<ScheduledJobRunner>.Instance);
        using var a = Runner();
        using var b = Runner();
        (await a.RunDueJobsAsync()).ShouldNotContain(job.Name); // registered now, first run 10 minutes later
        var before = (await store.GetAsync(job.Name))!.RunCount;

        App.Clock.SetLocal(App.Clock.Today, Morning.AddMinutes(11));
        var ran = await Task.WhenAll(a.RunDueJobsAsync(), b.RunDueJobsAsync());
        ran.Count(r => r.Contains(job.Name)).ShouldBe(1);
        var state = (await store.GetAsync(job.Name))!;
        state.RunCount.ShouldBe(before + 1);
        state.LastStatus.ShouldBe(ScheduledJobState.Succeeded, state.LastError);
        state.NextRunAt.ShouldBeGreaterThan(App.Clock.GetUtcNow().UtcDateTime.AddMinutes(9));
    }

    private static string Error(JsonNode problem, string field) => problem["errors"]![field]![0]!.GetValue<string>();
}
