using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.Tests.Common.Web;
using Shouldly;

namespace GovData.Identity.Tests.Functional;

/// <summary>Small helpers over the Identity API used by several test classes.</summary>
internal static class IdentityApi
{
    public const string Users = "/api/v1/identity/users";
    public const string Departments = "/api/v1/identity/departments";
    public const string ApiKeys = "/api/v1/identity/apikeys";
    public const string SecurityEvents = "/api/v1/identity/security-events";

    public const string ScjgName = "山东省市场监督管理局（演示）";
    public const string RstName = "山东省人力资源和社会保障厅（演示）";
    public const string DsjName = "山东省大数据局（演示）";

    /// <summary>The user with exactly this login name, as the caller sees it (null when not visible).</summary>
    public static async Task<JsonNode?> FindUserAsync(HttpClient client, string userName)
    {
        var page = await client.GetJsonAsync($"{Users}?q={Uri.EscapeDataString(userName)}&pageSize=500");
        return page["items"]!.AsArray().FirstOrDefault(u => u!["userName"]!.GetValue<string>() == userName);
    }

    public static async Task<Guid> UserIdAsync(HttpClient client, string userName) =>
        (await FindUserAsync(client, userName)).ShouldNotBeNull($"user {userName} not visible")["id"]!.GetValue<Guid>();

    public static async Task<Guid> DepartmentIdAsync(HttpClient client, string name)
    {
        var list = await client.GetJsonAsync(Departments);
        var found = list.AsArray().FirstOrDefault(d => d!["name"]!.GetValue<string>() == name).ShouldNotBeNull($"department {name}");
        return found["id"]!.GetValue<Guid>();
    }

    public static async Task<int> DepartmentCountAsync(HttpClient client) => (await client.GetJsonAsync(Departments)).AsArray().Count;

    /// <summary>Creates an account as the caller (must be allowed) and returns its id.</summary>
    public static async Task<Guid> CreateUserAsync(HttpClient client, string userName, Guid? departmentId, string[] roles, string password = "Test@2026x")
    {
        var response = await client.PostAsJsonAsync(Users, new { userName, displayName = "测试用户" + userName, departmentId, roles, password });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<Guid>();
    }

    /// <summary>Asserts an RFC 9457 problem response and returns its JSON.</summary>
    public static async Task<JsonNode> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        var json = JsonNode.Parse(body)!;
        json["status"]!.GetValue<int>().ShouldBe((int)status);
        var title = json["title"]!.GetValue<string>();
        title.ShouldNotBeNullOrWhiteSpace();
        title.Any(c => c > 127).ShouldBeTrue($"problem title should be Chinese: {title}");
        return json;
    }

    public static string ShortId() => Guid.NewGuid().ToString("N")[..8];
}
