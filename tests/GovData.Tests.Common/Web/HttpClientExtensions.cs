using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GovData.Tests.Common.Web;

/// <summary>An API key as returned once by <c>POST /api/v1/identity/apikeys</c>.</summary>
/// <param name="Id">Key id.</param>
/// <param name="Prefix">Visible prefix (gd_xxxxxxxx).</param>
/// <param name="Secret">The full key, shown only at creation.</param>
public sealed record CreatedApiKey(Guid Id, string Prefix, string Secret);

/// <summary>Helpers for driving the platform over HTTP the way a browser or a program would.</summary>
public static partial class HttpClientExtensions
{
    /// <summary>JSON options matching the platform's web defaults (camelCase).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="__RequestVerificationToken""")]
    private static partial Regex AntiforgeryField();

    /// <summary>Fetches a page and extracts the antiforgery token of its form (the cookie lands in the client).</summary>
    public static async Task<string> GetAntiforgeryTokenAsync(this HttpClient client, string pageUrl)
    {
        var response = await client.GetAsync(pageUrl);
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET {pageUrl} answered {(int)response.StatusCode}, expected 200");
        var match = AntiforgeryField().Match(html);
        if (!match.Success) throw new InvalidOperationException($"No __RequestVerificationToken on {pageUrl}");
        return WebUtility.HtmlDecode(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
    }

    /// <summary>Submits a form of <paramref name="pageUrl"/> with its antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string pageUrl, IEnumerable<KeyValuePair<string, string>> fields, string? postUrl = null)
    {
        var token = await client.GetAntiforgeryTokenAsync(pageUrl);
        var all = fields.Append(new("__RequestVerificationToken", token)).ToList();
        return await client.PostAsync(postUrl ?? pageUrl, new FormUrlEncodedContent(all));
    }

    /// <summary>Posts the login form (GET /account/login for the token, then POST the credentials).</summary>
    public static Task<HttpResponseMessage> PostLoginAsync(this HttpClient client, string userName, string password) =>
        client.PostFormAsync("/account/login", [new("userName", userName), new("password", password)]);

    /// <summary>Creates an API key for the signed-in user (cookie session) and returns its secret.</summary>
    public static async Task<CreatedApiKey> CreateApiKeyAsync(this HttpClient client, string name, IEnumerable<string> scopes, int? expiresInDays = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/identity/apikeys", new { name, scopes = scopes.ToArray(), expiresInDays });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Creating API key answered {(int)response.StatusCode}: {body}");
        var json = JsonNode.Parse(body)!;
        return new CreatedApiKey(json["key"]!["id"]!.GetValue<Guid>(), json["key"]!["prefix"]!.GetValue<string>(), json["secret"]!.GetValue<string>());
    }

    /// <summary>Reads the body as JSON, failing with the body text when it is not JSON.</summary>
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonNode.Parse(body) ?? throw new InvalidOperationException("Empty JSON body");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Response {(int)response.StatusCode} is not JSON: {body[..Math.Min(body.Length, 2000)]}", ex);
        }
    }

    /// <summary>GET and parse JSON, requiring 200.</summary>
    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }
}
