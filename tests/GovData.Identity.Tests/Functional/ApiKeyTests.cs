using System.Net;
using System.Net.Http.Json;
using Dapper;
using GovData.Tests.Common.Web;
using Shouldly;
using Xunit;
using static GovData.Identity.Tests.Functional.IdentityApi;

namespace GovData.Identity.Tests.Functional;

/// <summary>API keys: valid until revoked or expired, limited to their scopes, never minting further keys.</summary>
public abstract class ApiKeyTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    [Fact]
    public async Task Key_works_until_revoked()
    {
        var admin = await App.LoginAsync("admin");
        var key = await admin.CreateApiKeyAsync("同步程序 " + ShortId(), ["identity:read"]);
        key.Secret.ShouldStartWith(key.Prefix + "_");

        var program = App.CreateApiKeyClient(key.Secret);
        var me = await program.GetJsonAsync("/api/v1/identity/me");
        me["userName"]!.GetValue<string>().ShouldBe("admin");
        me["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe(["identity:read"]);
        (await program.GetAsync(Users)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The listing never shows the secret again.
        var listed = await admin.GetJsonAsync(ApiKeys);
        var entry = listed.AsArray().Single(k => k!["id"]!.GetValue<Guid>() == key.Id)!;
        entry.ToJsonString().ShouldNotContain(key.Secret);
        entry["status"]!.GetValue<string>().ShouldBe("有效");

        var revoke = await admin.PostAsync($"{ApiKeys}/{key.Id}/revoke", null);
        revoke.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await revoke.ReadJsonAsync())["status"]!.GetValue<string>().ShouldBe("已吊销");

        var refused = await program.GetAsync("/api/v1/identity/me");
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem["detail"]!.GetValue<string>().ShouldContain("已被吊销");
        await (await program.GetAsync(Users)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Key_works_until_it_expires()
    {
        var admin = await App.LoginAsync("admin");
        var key = await admin.CreateApiKeyAsync("限期密钥 " + ShortId(), ["identity:read"], expiresInDays: 1);
        var entry = (await admin.GetJsonAsync(ApiKeys)).AsArray().Single(k => k!["id"]!.GetValue<Guid>() == key.Id)!;
        var expiresAt = entry["expiresAt"]!.GetValue<DateTime>().ToUniversalTime();
        expiresAt.ShouldBeInRange(DateTime.UtcNow.AddHours(23), DateTime.UtcNow.AddHours(25));

        var program = App.CreateApiKeyClient(key.Secret);
        (await program.GetAsync("/api/v1/identity/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Move the key's expiry into the past directly in the database, as if the day had passed.
        await using (var connection = await App.Database.OpenConnectionAsync())
        {
            var changed = await connection.ExecuteAsync("UPDATE identity_api_keys SET expires_at = @at WHERE id = @id",
                new { at = App.Database.Value(DateTime.UtcNow.AddMinutes(-1)), id = App.Database.Value(key.Id) });
            changed.ShouldBe(1);
        }

        var problem = await (await program.GetAsync("/api/v1/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem["detail"]!.GetValue<string>().ShouldContain("已过期");
        var listed = (await admin.GetJsonAsync(ApiKeys)).AsArray().Single(k => k!["id"]!.GetValue<Guid>() == key.Id)!;
        listed["status"]!.GetValue<string>().ShouldBe("已过期");
    }

    [Fact]
    public async Task Key_stops_working_when_its_owner_is_disabled()
    {
        var admin = await App.LoginAsync("admin");
        var userName = "keyowner_" + ShortId();
        var id = await CreateUserAsync(admin, userName, await DepartmentIdAsync(admin, ScjgName), ["dept_data_user"], "Owner@2026x");
        var owner = await App.LoginAsync(userName, "Owner@2026x");
        var program = App.CreateApiKeyClient((await owner.CreateApiKeyAsync("个人密钥", ["identity:read"])).Secret);
        (await program.GetJsonAsync("/api/v1/identity/me"))["userName"]!.GetValue<string>().ShouldBe(userName);

        var current = await admin.GetJsonAsync($"{Users}/{id}");
        (await admin.PutAsJsonAsync($"{Users}/{id}", new
        {
            displayName = current["displayName"]!.GetValue<string>(), departmentId = current["departmentId"]!.GetValue<Guid>(),
            roles = new[] { "dept_data_user" }, isActive = false, version = current["version"]!.GetValue<int>(),
        })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var problem = await (await program.GetAsync("/api/v1/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem["detail"]!.GetValue<string>().ShouldContain("已停用");
    }

    [Fact]
    public async Task Key_without_identity_write_cannot_change_anything()
    {
        var admin = await App.LoginAsync("admin");
        var scjgDept = await DepartmentIdAsync(admin, ScjgName);
        var cataloger = (await FindUserAsync(admin, "scjg_cataloger"))!;
        var readOnly = App.CreateApiKeyClient((await admin.CreateApiKeyAsync("只读 " + ShortId(), ["identity:read"])).Secret);

        var userName = "bykey_" + ShortId();
        var create = await readOnly.PostAsJsonAsync(Users, new
        {
            userName, displayName = "密钥创建", departmentId = scjgDept, roles = new[] { "dept_cataloger" }, password = "ByKey@2026x",
        });
        (await create.ShouldBeProblemAsync(HttpStatusCode.Forbidden))["detail"]!.GetValue<string>().ShouldContain("identity:write");

        var update = await readOnly.PutAsJsonAsync($"{Users}/{cataloger["id"]}", new
        {
            displayName = "密钥修改", departmentId = scjgDept, roles = new[] { "dept_cataloger" }, isActive = true, version = cataloger["version"]!.GetValue<int>(),
        });
        await update.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await readOnly.PostAsync($"{Users}/{cataloger["id"]}/unlock", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var department = await readOnly.PostAsJsonAsync(Departments, new
        {
            name = "密钥新建部门", creditCode = "91350100M000100Y43", kind = 3, regionCode = "370000", isCompetent = false, sortOrder = 0,
        });
        await department.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await FindUserAsync(admin, userName)).ShouldBeNull();

        // The same request with identity:write succeeds: the scope, not the account, made the difference.
        var writer = App.CreateApiKeyClient((await admin.CreateApiKeyAsync("读写 " + ShortId(), ["identity:read", "identity:write"])).Secret);
        var allowed = await writer.PostAsJsonAsync(Users, new
        {
            userName, displayName = "密钥创建", departmentId = scjgDept, roles = new[] { "dept_cataloger" }, password = "ByKey@2026x",
        });
        allowed.StatusCode.ShouldBe(HttpStatusCode.Created, await allowed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Key_scopes_do_not_reach_beyond_the_owner_roles()
    {
        var scjg = await App.LoginAsync("scjg_admin");
        var key = App.CreateApiKeyClient((await scjg.CreateApiKeyAsync("部门密钥 " + ShortId(), ["identity:read", "audit:read"])).Secret);
        // audit:read is a scope, but scjg_admin is no auditor: the key cannot read the security log.
        await (await key.GetAsync(SecurityEvents)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var names = (await key.GetJsonAsync($"{Users}?pageSize=500"))["items"]!.AsArray().Select(u => u!["userName"]!.GetValue<string>());
        names.ShouldNotContain("rst_cataloger");
    }

    [Fact]
    public async Task Unknown_and_malformed_keys_are_refused()
    {
        var forged = App.CreateApiKeyClient("gd_AAAAAAAA_" + new string('B', 43));
        (await (await forged.GetAsync("/api/v1/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized))["detail"]!
            .GetValue<string>().ShouldContain("无效");

        var malformed = App.CreateApiKeyClient("not-a-key");
        (await (await malformed.GetAsync("/api/v1/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized))["detail"]!
            .GetValue<string>().ShouldContain("格式不正确");

        // A real prefix with a wrong secret is as invalid as an unknown prefix.
        var admin = await App.LoginAsync("admin");
        var key = await admin.CreateApiKeyAsync("前缀 " + ShortId(), ["identity:read"]);
        var tampered = App.CreateApiKeyClient(key.Prefix + "_" + new string('C', 43));
        await (await tampered.GetAsync("/api/v1/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Keys_cannot_create_keys_and_bad_requests_name_the_field()
    {
        var admin = await App.LoginAsync("admin");
        var key = App.CreateApiKeyClient((await admin.CreateApiKeyAsync("全权 " + ShortId(), ["identity:read", "identity:write"])).Secret);
        var mint = await key.PostAsJsonAsync(ApiKeys, new { name = "再生", scopes = new[] { "identity:read" } });
        await mint.ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var bad = await admin.PostAsJsonAsync(ApiKeys, new { name = "", scopes = new[] { "root:all" }, expiresInDays = 0 });
        var errors = (await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!;
        errors["name"].ShouldNotBeNull();
        errors["scopes"]![0]!.GetValue<string>().ShouldContain("root:all");
        errors["expiresInDays"].ShouldNotBeNull();
    }
}

public sealed class ApiKeyTestsSqlite(SqliteAppFactory app) : ApiKeyTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class ApiKeyTestsPostgres(PostgresAppFactory app) : ApiKeyTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
