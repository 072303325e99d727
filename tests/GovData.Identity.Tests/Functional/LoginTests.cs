using System.Net;
using System.Net.Http.Json;
using GovData.Tests.Common.Web;
using Shouldly;
using Xunit;
using static GovData.Identity.Tests.Functional.IdentityApi;

namespace GovData.Identity.Tests.Functional;

/// <summary>Password sign-in through the login page: success, wrong password, lockout after five failures.</summary>
public abstract class LoginTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    [Fact]
    public async Task Good_password_signs_in_and_opens_the_console()
    {
        var client = App.CreateBrowserClient();
        var response = await client.PostLoginAsync("admin", GovDataAppFactory.DemoPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/console");
        response.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("govdata.auth="));

        var console = await client.GetAsync("/console");
        console.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await console.Content.ReadAsStringAsync();
        html.ShouldContain("<h1>工作台</h1>");
        html.ShouldContain("平台管理员（演示）");

        var me = await client.GetJsonAsync("/api/v1/identity/me");
        me["userName"]!.GetValue<string>().ShouldBe("admin");
        me["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldContain("platform_admin");
    }

    [Fact]
    public async Task Login_name_is_case_insensitive_and_return_url_is_honoured_only_when_local()
    {
        var client = App.CreateBrowserClient();
        var response = await client.PostFormAsync("/account/login?returnUrl=%2Fconsole%2Fusers",
            [new("userName", "SCJG_ADMIN"), new("password", GovDataAppFactory.DemoPassword), new("returnUrl", "/console/users")]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/console/users");

        var other = App.CreateBrowserClient();
        var offsite = await other.PostFormAsync("/account/login",
            [new("userName", "scjg_admin"), new("password", GovDataAppFactory.DemoPassword), new("returnUrl", "https://evil.example/")]);
        offsite.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        offsite.Headers.Location!.OriginalString.ShouldBe("/console");
    }

    [Fact]
    public async Task Wrong_password_is_refused_without_revealing_which_part_was_wrong()
    {
        var client = App.CreateBrowserClient();
        var wrongPassword = await client.PostLoginAsync("reviewer", "Wrong@2026");
        wrongPassword.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await wrongPassword.Content.ReadAsStringAsync();
        html.ShouldContain("用户名或密码错误");
        wrongPassword.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith("govdata.auth="));

        var unknownUser = await client.PostLoginAsync("nobody_" + ShortId(), "Wrong@2026");
        (await unknownUser.Content.ReadAsStringAsync()).ShouldContain("用户名或密码错误");

        var console = await client.GetAsync("/console");
        console.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        console.Headers.Location!.ToString().ShouldContain("/account/login");

        var api = await client.GetAsync(Users);
        await api.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_until_an_administrator_unlocks_it()
    {
        var admin = await App.LoginAsync("admin");
        var userName = "lock_" + ShortId();
        const string password = "Lockme@2026";
        var id = await CreateUserAsync(admin, userName, await DepartmentIdAsync(admin, ScjgName), ["dept_data_user"], password);

        var client = App.CreateBrowserClient();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var html = await (await client.PostLoginAsync(userName, "Wrong@2026")).Content.ReadAsStringAsync();
            html.ShouldContain("用户名或密码错误", customMessage: $"attempt {attempt}");
        }
        var fifth = await (await client.PostLoginAsync(userName, "Wrong@2026")).Content.ReadAsStringAsync();
        fifth.ShouldContain("已被锁定");

        // While locked, even the right password is refused.
        var locked = await client.PostLoginAsync(userName, password);
        locked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await locked.Content.ReadAsStringAsync()).ShouldContain("已被锁定");
        (await client.GetAsync("/console")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var user = await admin.GetJsonAsync($"{Users}/{id}");
        user["isLockedOut"]!.GetValue<bool>().ShouldBeTrue();
        var log = await admin.GetJsonAsync($"{SecurityEvents}?type=login.locked_out&actor={userName}");
        log["items"]!.AsArray().Count.ShouldBe(1);

        (await admin.PostAsync($"{Users}/{id}/unlock", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostLoginAsync(userName, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Failed_attempts_are_forgotten_after_a_successful_login()
    {
        var admin = await App.LoginAsync("admin");
        var userName = "reset_" + ShortId();
        const string password = "Resetme@2026";
        await CreateUserAsync(admin, userName, await DepartmentIdAsync(admin, ScjgName), ["dept_data_user"], password);

        var client = App.CreateBrowserClient();
        for (var i = 0; i < 4; i++) await client.PostLoginAsync(userName, "Wrong@2026");
        (await client.PostLoginAsync(userName, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var again = App.CreateBrowserClient();
        for (var i = 0; i < 4; i++)
            (await (await again.PostLoginAsync(userName, "Wrong@2026")).Content.ReadAsStringAsync()).ShouldContain("用户名或密码错误");
        (await again.PostLoginAsync(userName, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Resetting_the_password_or_disabling_the_account_ends_existing_sessions()
    {
        var admin = await App.LoginAsync("admin");
        var userName = "session_" + ShortId();
        var id = await CreateUserAsync(admin, userName, await DepartmentIdAsync(admin, ScjgName), ["dept_data_user"], "Session@2026");
        var session = await App.LoginAsync(userName, "Session@2026");
        (await session.GetAsync("/api/v1/identity/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.PostAsJsonAsync($"{Users}/{id}/password", new { password = "Session@2027" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await session.GetAsync("/api/v1/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await (await App.CreateBrowserClient().PostLoginAsync(userName, "Session@2026")).Content.ReadAsStringAsync()).ShouldContain("用户名或密码错误");

        var second = await App.LoginAsync(userName, "Session@2027");
        var current = await admin.GetJsonAsync($"{Users}/{id}");
        var disable = await admin.PutAsJsonAsync($"{Users}/{id}", new
        {
            displayName = current["displayName"]!.GetValue<string>(), departmentId = current["departmentId"]!.GetValue<Guid>(),
            roles = new[] { "dept_data_user" }, isActive = false, version = current["version"]!.GetValue<int>(),
        });
        disable.StatusCode.ShouldBe(HttpStatusCode.OK, await disable.Content.ReadAsStringAsync());
        await (await second.GetAsync("/api/v1/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await (await App.CreateBrowserClient().PostLoginAsync(userName, "Session@2027")).Content.ReadAsStringAsync()).ShouldContain("账号已停用");
    }
}

public sealed class LoginTestsSqlite(SqliteAppFactory app) : LoginTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class LoginTestsPostgres(PostgresAppFactory app) : LoginTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
