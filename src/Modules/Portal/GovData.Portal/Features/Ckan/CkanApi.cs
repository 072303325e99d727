using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using GovData.Portal.Features.Open;
using GovData.Portal.Features.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovData.Portal.Features.Ckan;

/// <summary>An error of an action, answered in CKAN's envelope with CKAN's HTTP status.</summary>
internal sealed class CkanException(int status, JsonObject error) : Exception(error.ToJsonString())
{
    public int Status { get; } = status;
    public JsonObject Error { get; } = error;

    /// <summary>404 <c>Not Found Error</c> with CKAN's message (“Not found: …”).</summary>
    public static CkanException NotFound(string detail) =>
        new(StatusCodes.Status404NotFound, new JsonObject { ["__type"] = "Not Found Error", ["message"] = "Not found: " + detail });

    /// <summary>409 <c>Validation Error</c>: field → messages (a list, as CKAN's schema validators give them).</summary>
    public static CkanException Validation(string field, string message) =>
        new(StatusCodes.Status409Conflict, new JsonObject { [field] = new JsonArray(message), ["__type"] = "Validation Error" });

    /// <summary>409 <c>Validation Error</c> of a missing required parameter (CKAN's <c>_get_or_bust</c>: the message is a string).</summary>
    public static CkanException Missing(string field) =>
        new(StatusCodes.Status409Conflict, new JsonObject { [field] = "Missing value", ["__type"] = "Validation Error" });

    /// <summary>400 <c>Search Query Error</c> (a filter query the search cannot run).</summary>
    public static CkanException SearchQuery(string detail) =>
        new(StatusCodes.Status400BadRequest, new JsonObject { ["__type"] = "Search Query Error", ["message"] = "Search Query is invalid: " + detail });
}

/// <summary>
/// CKAN-compatible Action API (read actions) at <c>/api/3/action/{name}</c> (also <c>/api/action/{name}</c>), GET with query
/// parameters or POST with a JSON object, answered in CKAN's envelope <c>{"help", "success", "result"}</c>; errors as CKAN
/// answers them: <c>{"help", "success": false, "error": {"__type": "Not Found Error", "message": …}}</c> with 404, Validation
/// Error 409, Search Query Error 400, and an unknown action or unreadable body as 400 with the JSON string
/// <c>"Bad request: …"</c>.
/// </summary>
internal static class CkanApi
{
    /// <summary>JSON as CKAN writes it: Chinese as characters; HTML-sensitive characters escaped (safe if a browser renders it).</summary>
    internal static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static IEndpointRouteBuilder MapCkanApi(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/3/action", "/api/action" })
        {
            app.MapMethods(prefix + "/{name}", [HttpMethods.Get, HttpMethods.Post], Handle)
                .AllowAnonymous().DisableAntiforgery().WithTags("CKAN 兼容接口")
                .WithSummary("CKAN Action API（只读）")
                .WithDescription("CKAN 兼容的只读接口：package_list、package_search（q、fq、rows、start、sort、facet.field）、package_show、organization_list、"
                    + "organization_show、group_list、tag_list、resource_show、datastore_search（resource_id、filters、q、fields、sort、limit、offset；数据脱敏，受开放接口调用频率和每日配额限制）、status_show、help_show。仅包含已发布的无条件开放和有条件开放资源。");
        }
        return app;
    }

    private static async Task Handle(string name, HttpContext context)
    {
        var help = context.RequestServices.GetRequiredService<PortalSettings>().BaseUrl(context.Request) + "/api/3/action/help_show?name=" + Uri.EscapeDataString(name);
        if (!CkanActions.Names.Contains(name))
        {
            await Write(context, StatusCodes.Status400BadRequest, JsonValue.Create("Bad request: Action name not known: " + name));
            return;
        }
        Dictionary<string, JsonNode?> parameters;
        try
        {
            parameters = await ReadParametersAsync(context.Request, context.RequestAborted);
        }
        catch (JsonException e)
        {
            await Write(context, StatusCodes.Status400BadRequest, JsonValue.Create("Bad request: JSON Error: " + e.Message));
            return;
        }
        var envelope = new JsonObject { ["help"] = help };
        if (name == "datastore_search"
            && await context.RequestServices.GetRequiredService<OpenGate>().EnterAsync(context, context.RequestAborted) is { } refusal)
        {
            // The open interfaces' limits apply to datastore_search too; the refusal in CKAN's error shape.
            refusal.ApplyHeaders(context.Response);
            envelope["success"] = false;
            envelope["error"] = new JsonObject
            {
                ["__type"] = refusal.Status == StatusCodes.Status429TooManyRequests ? "Rate Limit Error" : "Authorization Error",
                ["message"] = (refusal.Status == StatusCodes.Status429TooManyRequests ? "" : "Access denied: ") + refusal.Detail,
            };
            await Write(context, refusal.Status, envelope);
            return;
        }
        try
        {
            var actions = context.RequestServices.GetRequiredService<CkanActions>();
            var result = await actions.RunAsync(name, parameters, context.Request, context.RequestAborted);
            envelope["success"] = true;
            envelope["result"] = result;
            await Write(context, StatusCodes.Status200OK, envelope);
        }
        catch (CkanException e)
        {
            envelope["success"] = false;
            envelope["error"] = e.Error;
            await Write(context, e.Status, envelope);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GovData.Portal.Ckan").LogError(e, "CKAN action {Action} failed", name);
            envelope["success"] = false;
            envelope["error"] = new JsonObject { ["__type"] = "Internal Server Error", ["message"] = "Internal Server Error" };
            await Write(context, StatusCodes.Status500InternalServerError, envelope);
        }
    }

    /// <summary>
    /// Query-string parameters (each a string; a repeated key becomes a list), merged with a POSTed JSON object or form.
    /// </summary>
    private static async Task<Dictionary<string, JsonNode?>> ReadParametersAsync(HttpRequest request, CancellationToken ct)
    {
        var parameters = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, values) in request.Query)
            parameters[key] = values.Count == 1 ? JsonValue.Create(values[0]) : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        if (!HttpMethods.IsPost(request.Method)) return parameters;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            foreach (var (key, values) in form) parameters[key] = JsonValue.Create(values.ToString());
            return parameters;
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(body)) return parameters;
        if (JsonNode.Parse(body) is not JsonObject json) throw new JsonException("Request data JSON decoded to a non-object");
        foreach (var (key, value) in json.ToList())
        {
            json.Remove(key);
            parameters[key] = value;
        }
        return parameters;
    }

    private static async Task Write(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(Json), context.RequestAborted);
    }
}
