using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovData.SharedKernel.Persistence;
using GovData.Tests.Common.Web;

namespace GovData.Exchange.Tests.Pages;

/// <summary>The real host with the exchange demo data (requests, a grant, an application, a dispute written at start-up).</summary>
public abstract class ExchangePagesApp : GovDataAppFactory
{
    protected ExchangePagesApp(DatabaseProvider provider, bool kestrel = false) : base(provider, kestrel) =>
        WithSetting("GovData:Exchange:DemoData", "true");
}

public sealed class SqliteExchangePagesApp() : ExchangePagesApp(DatabaseProvider.Sqlite);

public sealed class PostgresExchangePagesApp() : ExchangePagesApp(DatabaseProvider.PostgreSql);

public sealed class KestrelSqliteExchangePagesApp() : ExchangePagesApp(DatabaseProvider.Sqlite, kestrel: true);

/// <summary>Reading the exchange API as a signed-in user, to find ids and check that a refused form changed nothing.</summary>
internal static class ExchangeApi
{
    public const string Root = "/api/v1/exchange";

    public static async Task<JsonNode> JsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, customMessage: $"GET {url}: {body}");
        return JsonNode.Parse(body)!;
    }

    public static async Task<JsonArray> ItemsAsync(this HttpClient client, string url) => (await client.JsonAsync(url))["items"]!.AsArray();

    public static async Task<int> TotalAsync(this HttpClient client, string url) => (await client.JsonAsync(url))["total"]!.GetValue<int>();

    public static string Str(this JsonNode? node, string name) => node![name]!.GetValue<string>();

    /// <summary>A catalog entry by name (as the given user sees the share catalog).</summary>
    public static async Task<JsonNode> CatalogEntryAsync(this HttpClient client, string name) =>
        (await client.ItemsAsync($"{Root}/catalog?pageSize=200&keyword={Uri.EscapeDataString(name)}")).First(i => i.Str("name") == name)!;

    /// <summary>Creates a 有条件共享 request of 人社厅 through the API and takes it to 待提供方审批; returns its id.</summary>
    public static async Task<string> PendingProviderRequestAsync(GovDataAppFactory app, string resourceName, string[] items)
    {
        using var rst = await app.LoginAsync("rst_user");
        var code = (await rst.CatalogEntryAsync(resourceName)).Str("code");
        var created = await rst.PostAsJsonAsync($"{Root}/requests", new
        {
            resourceCode = code, purpose = "页面测试用途", legalBasis = "页面测试依据", businessCase = "页面测试事项", items,
            rowScope = Array.Empty<object>(), accessModes = new[] { "api" }, durationDays = 30,
        });
        var json = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        created.StatusCode.ShouldBe(HttpStatusCode.Created, customMessage: json.ToJsonString());
        var id = json.Str("id");
        if (json.Str("status") == "pending_compliance")
        {
            using var reviewer = await app.LoginAsync("reviewer");
            (await reviewer.PostAsJsonAsync($"{Root}/requests/{id}/pass-compliance", new { note = "合规" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        return id;
    }

    /// <summary>A 有条件共享 resource of 省市场监管局 with its items' field names.</summary>
    public static async Task<(string Name, string Code, string[] Items)> ConditionalScjgAsync(HttpClient client, int index = 0)
    {
        var entries = await client.ItemsAsync($"{Root}/catalog?pageSize=200&shareType={Uri.EscapeDataString("有条件共享")}&requestable=true");
        var scjg = entries.Where(e => e!["departmentName"]?.GetValue<string>()?.Contains("市场监") == true).ToList();
        if (scjg.Count <= index) throw new InvalidOperationException(string.Join("\n", entries.Select(e => e!.ToJsonString())));
        var entry = scjg[index]!;
        var detail = await client.JsonAsync($"{Root}/catalog/{Uri.EscapeDataString(entry.Str("code"))}");
        return (entry.Str("name"), entry.Str("code"), detail["items"]!.AsArray().Select(i => i.Str("fieldName")).ToArray());
    }
}
