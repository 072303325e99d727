using System.Net;
using System.Net.Http.Json;
using GovData.Tests.Common.Web;
using Shouldly;
using Xunit;
using static GovData.Identity.Tests.Functional.IdentityApi;

namespace GovData.Identity.Tests.Functional;

/// <summary>
/// A department administrator (scjg_admin, 省市场监管局) manages only its own department: other departments'
/// accounts are invisible (404, never 403, so their existence is not revealed) and platform roles cannot be granted.
/// </summary>
public abstract class DepartmentAdminScopeTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private async Task<(HttpClient Admin, HttpClient Scjg, Guid ScjgDept, Guid RstDept)> SetUpAsync()
    {
        var admin = await App.LoginAsync("admin");
        var scjg = await App.LoginAsync("scjg_admin");
        return (admin, scjg, await DepartmentIdAsync(admin, ScjgName), await DepartmentIdAsync(admin, RstName));
    }

    [Fact]
    public async Task User_list_contains_only_the_own_department()
    {
        var (_, scjg, scjgDept, _) = await SetUpAsync();
        var page = await scjg.GetJsonAsync($"{Users}?pageSize=500");
        var items = page["items"]!.AsArray();
        var names = items.Select(u => u!["userName"]!.GetValue<string>()).ToList();

        names.ShouldContain("scjg_admin");
        names.ShouldContain("scjg_cataloger");
        names.ShouldNotContain("rst_cataloger");
        names.ShouldNotContain("rst_admin");
        names.ShouldNotContain("admin");
        items.ShouldAllBe(u => u!["departmentId"]!.GetValue<Guid>() == scjgDept);
        page["total"]!.GetValue<int>().ShouldBe(items.Count);

        // Asking for another department explicitly returns nothing rather than its users.
        var rstDept = await DepartmentIdAsync(scjg, RstName);
        (await scjg.GetJsonAsync($"{Users}?departmentId={rstDept}"))["items"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_departments_user_is_not_found_for_read_or_change()
    {
        var (admin, scjg, _, rstDept) = await SetUpAsync();
        var rstCataloger = await UserIdAsync(admin, "rst_cataloger");

        await (await scjg.GetAsync($"{Users}/{rstCataloger}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var put = await scjg.PutAsJsonAsync($"{Users}/{rstCataloger}", new
        {
            displayName = "被篡改", departmentId = rstDept, roles = new[] { "dept_cataloger" }, isActive = false, version = 0,
        });
        await put.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await scjg.PostAsJsonAsync($"{Users}/{rstCataloger}/password", new { password = "Hijack@2026" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await scjg.PostAsync($"{Users}/{rstCataloger}/unlock", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var unchanged = await admin.GetJsonAsync($"{Users}/{rstCataloger}");
        unchanged["displayName"]!.GetValue<string>().ShouldBe("人社厅编目员（演示）");
        unchanged["isActive"]!.GetValue<bool>().ShouldBeTrue();
        (await App.LoginAsync("rst_cataloger")).ShouldNotBeNull(); // password unchanged
    }

    [Fact]
    public async Task Platform_accounts_in_no_managed_department_are_not_found()
    {
        var (admin, scjg, _, _) = await SetUpAsync();
        var adminId = await UserIdAsync(admin, "admin");
        await (await scjg.GetAsync($"{Users}/{adminId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await scjg.PostAsJsonAsync($"{Users}/{adminId}/password", new { password = "Hijack@2026" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Creating_a_user_in_another_department_is_forbidden()
    {
        var (admin, scjg, _, rstDept) = await SetUpAsync();
        var userName = "intruder_" + ShortId();
        var response = await scjg.PostAsJsonAsync(Users, new
        {
            userName, displayName = "越权创建", departmentId = rstDept, roles = new[] { "dept_cataloger" }, password = "Intrude@2026",
        });
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        problem["detail"]!.GetValue<string>().ShouldContain("本部门");
        (await FindUserAsync(admin, userName)).ShouldBeNull();
    }

    [Fact]
    public async Task Platform_admin_role_cannot_be_granted()
    {
        var (admin, scjg, scjgDept, _) = await SetUpAsync();

        var userName = "escalate_" + ShortId();
        var create = await scjg.PostAsJsonAsync(Users, new
        {
            userName, displayName = "提权", departmentId = scjgDept, roles = new[] { "platform_admin" }, password = "Escalate@2026",
        });
        var problem = await create.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem["errors"]!["roles"]![0]!.GetValue<string>().ShouldContain("部门管理员只能授予");
        (await FindUserAsync(admin, userName)).ShouldBeNull();

        var cataloger = await FindUserAsync(scjg, "scjg_cataloger");
        cataloger.ShouldNotBeNull();
        var put = await scjg.PutAsJsonAsync($"{Users}/{cataloger["id"]}", new
        {
            displayName = cataloger["displayName"]!.GetValue<string>(), departmentId = scjgDept,
            roles = new[] { "dept_cataloger", "platform_admin" }, isActive = true, version = cataloger["version"]!.GetValue<int>(),
        });
        (await put.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["roles"].ShouldNotBeNull();

        var after = await admin.GetJsonAsync($"{Users}/{cataloger["id"]}");
        after["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["dept_cataloger"]);

        foreach (var role in new[] { "security_auditor", "catalog_reviewer" })
        {
            var attempt = await scjg.PostAsJsonAsync(Users, new
            {
                userName = "grant_" + ShortId(), displayName = "授权", departmentId = scjgDept, roles = new[] { role }, password = "Grant@2026x",
            });
            await attempt.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task Own_department_is_managed_normally()
    {
        var (admin, scjg, scjgDept, _) = await SetUpAsync();
        var userName = "scjg_new_" + ShortId();
        var id = await CreateUserAsync(scjg, userName, scjgDept, ["dept_cataloger"]);

        var created = await scjg.GetJsonAsync($"{Users}/{id}");
        var put = await scjg.PutAsJsonAsync($"{Users}/{id}", new
        {
            displayName = "改名后", departmentId = scjgDept, roles = new[] { "dept_cataloger", "dept_data_user" }, isActive = true,
            version = created["version"]!.GetValue<int>(),
        });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var after = await admin.GetJsonAsync($"{Users}/{id}");
        after["displayName"]!.GetValue<string>().ShouldBe("改名后");
        after["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["dept_cataloger", "dept_data_user"], ignoreOrder: true);

        // A stale version is a conflict, not a silent overwrite.
        var stale = await scjg.PutAsJsonAsync($"{Users}/{id}", new
        {
            displayName = "过期修改", departmentId = scjgDept, roles = new[] { "dept_cataloger" }, isActive = true,
            version = created["version"]!.GetValue<int>(),
        });
        await stale.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Another_department_cannot_be_edited()
    {
        var (admin, scjg, _, rstDept) = await SetUpAsync();
        var rst = await admin.GetJsonAsync($"{Departments}/{rstDept}");
        var put = await scjg.PutAsJsonAsync($"{Departments}/{rstDept}", new
        {
            name = "被篡改的部门", creditCode = rst["creditCode"]!.GetValue<string>(), kind = rst["kind"]!.DeepClone(),
            regionCode = rst["regionCode"]!.GetValue<string>(), isCompetent = false, sortOrder = 0, isActive = true,
        });
        await put.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await admin.GetJsonAsync($"{Departments}/{rstDept}"))["name"]!.GetValue<string>().ShouldBe(RstName);
    }
}

public sealed class DepartmentAdminScopeTestsSqlite(SqliteAppFactory app) : DepartmentAdminScopeTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class DepartmentAdminScopeTestsPostgres(PostgresAppFactory app) : DepartmentAdminScopeTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
