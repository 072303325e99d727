using System.Net;
using GovData.Exchange.Features.Audit;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Databases;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Exchange.Tests.Audit;

/// <summary>The auditor's pages (server-rendered, no JavaScript): log search, entry detail with its proof, verification.</summary>
public abstract class AuditPageTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    [Fact]
    public async Task The_auditor_searches_the_log_page_with_filters_and_paging()
    {
        var seed = await AuditWebSeed.EnsureAsync(App);
        using var auditor = await App.LoginAsync("auditor");
        var html = await auditor.GetStringAsync("/console/exchange/audit");
        html.ShouldContain("<h1>交换审计日志</h1>");
        html.ShouldContain("id=\"entry-table\"");
        html.ShouldContain("href=\"/console/exchange/audit/32\"");
        html.ShouldContain(AuditWebSeed.RenSheName);
        html.ShouldContain("已封存至第 <strong id=\"sealed-up-to\">30</strong> 条");

        html = await auditor.GetStringAsync($"/console/exchange/audit?department={seed.WeiJian}&outcome=denied");
        html.ShouldContain("href=\"/console/exchange/audit/25\"");
        html.ShouldContain("href=\"/console/exchange/audit/30\"");
        html.ShouldNotContain("href=\"/console/exchange/audit/20\"");
        html.ShouldContain("共 2 条");
        html.ShouldContain($"format=xlsx&amp;department={seed.WeiJian}&amp;outcome=denied");

        html = await auditor.GetStringAsync($"/console/exchange/audit?department={seed.RenShe}&from=坏日期&page=2");
        html.ShouldContain("以下筛选条件无效，已忽略");
        html.ShouldContain("参数 from（开始时间）的值“坏日期”无效");
        html.ShouldContain("第 1 / 1 页，共 22 条");
    }

    [Fact]
    public async Task Others_are_sent_to_the_access_denied_page()
    {
        await AuditWebSeed.EnsureAsync(App);
        using var deptAdmin = await App.LoginAsync("rst_admin");
        foreach (var url in new[] { "/console/exchange/audit", "/console/exchange/audit/3", "/console/exchange/audit/verify" })
        {
            var response = await deptAdmin.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, url);
            response.Headers.Location!.ToString().ShouldContain("/account/denied");
        }
        (await deptAdmin.GetStringAsync("/console")).ShouldNotContain("/console/exchange/audit");
        using var anonymous = App.CreateBrowserClient();
        (await anonymous.GetAsync("/console/exchange/audit")).Headers.Location!.ToString().ShouldContain("/account/login");
        using var auditor = await App.LoginAsync("auditor");
        var console = await auditor.GetStringAsync("/console");
        console.ShouldContain("href=\"/console/exchange/audit\"");
        console.ShouldContain("href=\"/console/exchange/audit/verify\"");
    }

    [Fact]
    public async Task The_entry_page_shows_the_fields_hashes_and_a_checked_inclusion_proof()
    {
        await AuditWebSeed.EnsureAsync(App);
        using var auditor = await App.LoginAsync("auditor");
        var html = await auditor.GetStringAsync("/console/exchange/audit/12");
        html.ShouldContain("审计记录 第 <span id=\"entry-seq\">12</span> 条");
        html.ShouldContain("业务编号 12");
        html.ShouldContain("内容与记录哈希一致");
        html.ShouldContain("证明校验通过");
        html.ShouldContain("树大小为 30 的签名检查点");
        html.ShouldContain("id=\"audit-path\"");

        html = await auditor.GetStringAsync("/console/exchange/audit/31");
        html.ShouldContain("尚未被签名检查点封存");
        (await auditor.GetAsync("/console/exchange/audit/999999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_verification_page_runs_the_verifier_and_keeps_the_result()
    {
        await AuditWebSeed.EnsureAsync(App);
        using var auditor = await App.LoginAsync("auditor");
        var response = await auditor.PostFormAsync("/console/exchange/audit/verify", []);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.ToString();
        location.ShouldContain("/console/exchange/audit/verify?run=");
        var html = await auditor.GetStringAsync(location);
        html.ShouldContain("<span class=\"badge badge-ok\" id=\"verify-status\">通过</span>");
        html.ShouldContain("审计日志校验通过：共 ");
        html.ShouldContain("安全审计员（演示）（auditor）");
        html.ShouldContain("id=\"checkpoint-table\"");
        html.ShouldContain("-----BEGIN PUBLIC KEY-----");
    }
}

public sealed class AuditPageSqliteTests(SqliteAppFactory app) : AuditPageTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class AuditPagePostgresTests(PostgresAppFactory app) : AuditPageTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;

/// <summary>A log changed in the database, seen by the auditor on the verification page (its own host: the change would break the shared one).</summary>
public abstract class AuditTamperPageTests
{
    protected abstract DatabaseProvider Provider { get; }

    [Fact]
    public async Task The_verification_page_names_the_modified_entry()
    {
        await using var db = await TestDatabase.CreateAsync(Provider);
        await using var app = await GovDataAppFactory.StartAsync(db);
        await AuditWebSeed.EnsureAsync(app);
        await Tamper.ExecuteAsync(db, "UPDATE exchange_audit_entries SET rows_returned = 0 WHERE seq = 13");
        using var auditor = await app.LoginAsync("auditor");
        var response = await auditor.PostFormAsync("/console/exchange/audit/verify", []);
        var html = await auditor.GetStringAsync(response.Headers.Location!.ToString());
        html.ShouldContain("<span class=\"badge badge-err\" id=\"verify-status\">未通过</span>");
        html.ShouldContain("审计日志校验未通过");
        html.ShouldContain("第 13 条记录的内容被修改");
        html.ShouldContain("id=\"problem-table\"");
        (await auditor.GetStringAsync("/console/exchange/audit/13")).ShouldContain("这条记录在写入后被改动过");
        (await auditor.GetStringAsync("/console/exchange/audit/14")).ShouldContain("证明校验通过");
    }
}

public sealed class AuditTamperPageSqliteTests : AuditTamperPageTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class AuditTamperPagePostgresTests : AuditTamperPageTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
