using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace GovData.Tests.Common.Web;

/// <summary>Catalog entries for tests of modules that hang off published resources (Data, Exchange, Portal).</summary>
public static class CatalogTestEntries
{
    /// <summary>
    /// Creates (as <paramref name="compiler"/>, a 市场监管 cataloger), submits and approves (as <paramref name="reviewer"/>)
    /// an entry under 102003 with <paramref name="items"/> through the catalog API; returns its code.
    /// </summary>
    public static async Task<string> PublishAsync(HttpClient compiler, HttpClient reviewer, string name, object[] items,
        string updateCycle = "每日", string purpose = "测试")
    {
        var created = await compiler.PostAsJsonAsync("/api/v1/catalog/resources", new
        {
            classificationCode = "102003",
            name,
            @abstract = $"用于{purpose}的资源：{name}，包含若干信息项。",
            formatCategory = "数据库",
            formatType = "oracle",
            items,
            shareType = "无条件共享",
            shareChannel = "共享平台方式",
            shareMethodType = "接口(服务)",
            isOpen = false,
            updateCycle,
            keywords = new[] { "测试" },
        });
        var entry = await ReadAsync(created, HttpStatusCode.Created);
        var code = entry["code"]!.GetValue<string>();
        var path = "/api/v1/catalog/resources/" + Uri.EscapeDataString(code);
        var submitted = await ReadAsync(await compiler.PostAsJsonAsync(path + "/submit", new { version = entry["version"]!.GetValue<int>() }), HttpStatusCode.OK);
        await ReadAsync(await reviewer.PostAsJsonAsync(path + "/approve", new { version = submitted["version"]!.GetValue<int>(), comment = "同意" }), HttpStatusCode.OK);
        return code;
    }

    /// <summary>The response's JSON, after checking its status (the body is shown when it differs).</summary>
    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"应为 {(int)expected}，实际为 {(int)response.StatusCode}：{text}");
        return JsonNode.Parse(text)!;
    }
}
