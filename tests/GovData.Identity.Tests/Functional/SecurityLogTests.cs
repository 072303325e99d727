using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using GovData.Identity.Persistence;
using GovData.Tests.Common.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;
using static GovData.Identity.Tests.Functional.IdentityApi;

namespace GovData.Identity.Tests.Functional;

/// <summary>
/// The security log is append-only even for someone with the platform's database connection, and the
/// security auditor reads it without being able to administer anything.
/// </summary>
public abstract class SecurityLogTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private async Task<(long Count, string Fingerprint)> SnapshotAsync(DbConnection connection) =>
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM identity_security_events"),
         string.Join('|', await connection.QueryAsync<string>(
             "SELECT event_type || ':' || COALESCE(detail, '') || ':' || COALESCE(actor_name, '') FROM identity_security_events ORDER BY id")));

    [Fact]
    public async Task Update_and_delete_are_refused_by_the_database_itself()
    {
        await App.LoginAsync("admin"); // make sure there are events
        await using var connection = await App.Database.OpenConnectionAsync();
        var before = await SnapshotAsync(connection);
        before.Count.ShouldBeGreaterThan(0);

        var update = await Should.ThrowAsync<DbException>(() => connection.ExecuteAsync("UPDATE identity_security_events SET detail = '篡改', success = " + (App.Database.IsPostgres ? "true" : "1")));
        update.Message.ShouldContain("安全日志只能追加");
        var delete = await Should.ThrowAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM identity_security_events"));
        delete.Message.ShouldContain("安全日志只能追加");
        var deleteOne = await Should.ThrowAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM identity_security_events WHERE id = (SELECT MIN(id) FROM identity_security_events)"));
        deleteOne.Message.ShouldContain("安全日志只能追加");
        if (App.Database.IsPostgres)
            (await Should.ThrowAsync<DbException>(() => connection.ExecuteAsync("TRUNCATE identity_security_events"))).Message.ShouldContain("安全日志只能追加");

        (await SnapshotAsync(connection)).ShouldBe(before);
    }

    [Fact]
    public async Task Changes_through_the_application_model_are_refused_too()
    {
        await App.LoginAsync("admin");
        var error = await Should.ThrowAsync<DbUpdateException>(() => App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IdentityDb>();
            var first = await db.SecurityEvents.OrderBy(e => e.Id).FirstAsync();
            first.Detail = "篡改";
            await db.SaveChangesAsync();
        }));
        error.InnerException.ShouldNotBeNull().Message.ShouldContain("安全日志只能追加");

        await Should.ThrowAsync<DbException>(() => App.WithScopeAsync(async sp =>
            await sp.GetRequiredService<IdentityDb>().SecurityEvents.Where(e => e.Id > 0).ExecuteDeleteAsync()));
    }

    [Fact]
    public async Task Appending_still_works()
    {
        await using var connection = await App.Database.OpenConnectionAsync();
        var before = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM identity_security_events");
        await App.LoginAsync("reviewer");
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM identity_security_events")).ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task Auditor_reads_and_exports_the_log()
    {
        var admin = await App.LoginAsync("admin");
        await App.CreateBrowserClient().PostLoginAsync("admin", "Wrong@2026");
        var auditor = await App.LoginAsync("auditor");

        var page = await auditor.GetJsonAsync($"{SecurityEvents}?pageSize=1000");
        var items = page["items"]!.AsArray();
        items.ShouldContain(e => e!["eventType"]!.GetValue<string>() == "login.succeeded" && e["actorName"]!.GetValue<string>() == "auditor");
        var failed = items.First(e => e!["eventType"]!.GetValue<string>() == "login.failed" && e["actorName"]!.GetValue<string>() == "admin")!;
        failed["eventName"]!.GetValue<string>().ShouldBe("登录失败");
        failed["success"]!.GetValue<bool>().ShouldBeFalse();

        var onlyFailures = await auditor.GetJsonAsync($"{SecurityEvents}?success=false&pageSize=1000");
        onlyFailures["items"]!.AsArray().ShouldAllBe(e => !e!["success"]!.GetValue<bool>());

        var export = await auditor.GetAsync($"{SecurityEvents}/export");
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        export.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var csv = await export.Content.ReadAsStringAsync();
        csv.ShouldContain("登录失败");
        csv.ShouldContain("序号");

        // Administrators read it as well; other staff do not.
        (await admin.GetAsync(SecurityEvents)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var scjg = await App.LoginAsync("scjg_admin");
        await (await scjg.GetAsync(SecurityEvents)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Auditor_cannot_administer_accounts_or_departments()
    {
        var admin = await App.LoginAsync("admin");
        var auditor = await App.LoginAsync("auditor");
        var dsj = await DepartmentIdAsync(admin, DsjName);
        var cataloger = (await FindUserAsync(admin, "scjg_cataloger"))!;
        var userName = "by_auditor_" + ShortId();

        await (await auditor.PostAsJsonAsync(Users, new
        {
            userName, displayName = "审计员创建", departmentId = dsj, roles = new[] { "dept_data_user" }, password = "Audit@2026x",
        })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.PutAsJsonAsync($"{Users}/{cataloger["id"]}", new
        {
            displayName = "审计员修改", departmentId = cataloger["departmentId"]!.GetValue<Guid>(), roles = new[] { "dept_cataloger" },
            isActive = true, version = cataloger["version"]!.GetValue<int>(),
        })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.PostAsJsonAsync($"{Users}/{cataloger["id"]}/password", new { password = "Audit@2026x" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.PostAsync($"{Users}/{cataloger["id"]}/unlock", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.PostAsJsonAsync(Departments, new
        {
            name = "审计员新建", creditCode = "91350100M000100Y43", kind = 3, regionCode = "370000", isCompetent = false, sortOrder = 0,
        })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        (await FindUserAsync(admin, userName)).ShouldBeNull();
        (await admin.GetJsonAsync($"{Users}/{cataloger["id"]}"))["displayName"]!.GetValue<string>().ShouldBe("市场监管局编目员（演示）");

        // The auditor still sees every account (to audit them).
        (await FindUserAsync(auditor, "rst_cataloger")).ShouldNotBeNull();
    }

    [Fact]
    public async Task There_is_no_endpoint_that_deletes_log_entries()
    {
        var admin = await App.LoginAsync("admin");
        var response = await admin.DeleteAsync($"{SecurityEvents}/1");
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        (await admin.DeleteAsync(SecurityEvents)).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
    }
}

public sealed class SecurityLogTestsSqlite(SqliteAppFactory app) : SecurityLogTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class SecurityLogTestsPostgres(PostgresAppFactory app) : SecurityLogTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
