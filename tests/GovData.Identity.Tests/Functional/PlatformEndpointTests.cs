using System.Net;
using System.Net.Http.Json;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;
using static GovData.Identity.Tests.Functional.IdentityApi;

namespace GovData.Identity.Tests.Functional;

/// <summary>Problem details on bad input and unknown routes, health and the OpenAPI document.</summary>
public abstract class PlatformEndpointTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    [Fact]
    public void Host_runs_on_the_intended_database_engine() =>
        App.Services.GetRequiredService<DatabaseSettings>().Provider.ShouldBe(App.Provider);

    [Fact]
    public async Task Bad_credit_code_is_a_validation_problem_naming_the_field()
    {
        var admin = await App.LoginAsync("admin");
        var before = await DepartmentCountAsync(admin);
        var response = await admin.PostAsJsonAsync(Departments, new
        {
            name = "山东省测试局（演示）", creditCode = "9137130016829134XA", kind = 3, regionCode = "370000", isCompetent = false, sortOrder = 0,
        });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem["title"]!.GetValue<string>().ShouldBe("请求参数有误");
        problem["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        var messages = problem["errors"]!["creditCode"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        messages.ShouldHaveSingleItem().ShouldContain("校验位错误");
        problem["errors"]!.AsObject().Select(p => p.Key).ShouldBe(["creditCode"]);
        (await DepartmentCountAsync(admin)).ShouldBe(before);
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once()
    {
        var admin = await App.LoginAsync("admin");
        var response = await admin.PostAsJsonAsync(Departments, new
        {
            name = "", creditCode = "91371300I6829134XT", regionCode = "37000", isCompetent = false, sortOrder = 0,
        });
        var errors = (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject();
        errors.Select(p => p.Key).ShouldBe(["name", "creditCode", "kind", "regionCode"], ignoreOrder: true);
        errors["creditCode"]![0]!.GetValue<string>().ShouldContain("不能使用字母I");
        errors["regionCode"]![0]!.GetValue<string>().ShouldContain("应为6位数字");
    }

    [Fact]
    public async Task Valid_department_is_created()
    {
        var admin = await App.LoginAsync("admin");
        var code = SharedKernel.Codes.CreditCode.Create('1', '1', "371300", Random.Shared.Next(10_000_000, 99_999_999).ToString()).Value;
        var response = await admin.PostAsJsonAsync(Departments, new
        {
            name = "临沂市测试局（演示）" + ShortId(), creditCode = code.ToLowerInvariant(), kind = 3, regionCode = "371302", isCompetent = false, sortOrder = 5,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.ReadJsonAsync();
        created["creditCode"]!.GetValue<string>().ShouldBe(code);
        created["regionName"]!.GetValue<string>().ShouldBe("山东省临沂市兰山区");

        var duplicate = await admin.PostAsJsonAsync(Departments, new
        {
            name = "重复代码", creditCode = code, kind = 3, regionCode = "371302", isCompetent = false, sortOrder = 5,
        });
        (await duplicate.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["creditCode"]![0]!.GetValue<string>().ShouldContain("已被其他部门使用");
    }

    [Fact]
    public async Task Malformed_json_is_a_chinese_problem()
    {
        var admin = await App.LoginAsync("admin");
        var response = await admin.PostAsync(Departments, new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/api/v1/identity/users/not-a-guid/extra")]
    [InlineData("/api/v2/identity/users")]
    public async Task Unknown_api_route_is_a_404_problem(string url)
    {
        var anonymous = await App.CreateBrowserClient().GetAsync(url);
        (await anonymous.ShouldBeProblemAsync(HttpStatusCode.NotFound))["title"]!.GetValue<string>().ShouldBe("未找到");

        var admin = await App.LoginAsync("admin");
        (await (await admin.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound))["title"]!.GetValue<string>().ShouldBe("未找到");
    }

    [Fact]
    public async Task Anonymous_api_call_is_a_401_problem_not_a_login_redirect()
    {
        var response = await App.CreateBrowserClient().GetAsync(Users);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem["title"]!.GetValue<string>().ShouldBe("未登录或凭据无效");
    }

    [Fact]
    public async Task Anonymous_page_request_redirects_to_login()
    {
        var response = await App.CreateBrowserClient().GetAsync("/console");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/account/login?ReturnUrl=%2Fconsole");
    }

    [Fact]
    public async Task Health_endpoints_report_healthy()
    {
        var client = App.CreateBrowserClient();
        var ready = await client.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("Healthy");
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_identity_api()
    {
        var response = await App.CreateBrowserClient().GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var doc = await response.ReadJsonAsync();
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.ShouldContain("/api/v1/identity/users");
        paths.ShouldContain("/api/v1/identity/departments");
        paths.ShouldContain("/api/v1/identity/apikeys");
        doc["components"]!["securitySchemes"]!["ApiKey"].ShouldNotBeNull();
        doc["info"]!["title"]!.GetValue<string>().ShouldContain("GovData");
    }

    [Fact]
    public async Task Regions_api_validates_codes()
    {
        var admin = await App.LoginAsync("admin");
        var region = await admin.GetJsonAsync("/api/v1/regions/371302");
        region["fullName"]!.GetValue<string>().ShouldBe("山东省临沂市兰山区");
        var bad = await admin.GetAsync("/api/v1/regions/37130X");
        (await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["code"]![0]!.GetValue<string>().ShouldContain("只能包含数字");
        var children = await admin.GetJsonAsync("/api/v1/regions?parent=371300");
        children.AsArray().Select(r => r!["code"]!.GetValue<string>()).ShouldContain("371302");
    }
}

public sealed class PlatformEndpointTestsSqlite(SqliteAppFactory app) : PlatformEndpointTests<SqliteAppFactory>(app), IClassFixture<SqliteAppFactory>;

public sealed class PlatformEndpointTestsPostgres(PostgresAppFactory app) : PlatformEndpointTests<PostgresAppFactory>(app), IClassFixture<PostgresAppFactory>;
