using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovData.Tests.Common.Web;

namespace GovData.Catalog.PageTests;

/// <summary>Addresses, form payloads and HTML probes shared by the page tests.</summary>
internal static partial class CatalogPages
{
    public const string Workspace = "/console/catalog/resources";
    public const string NewPage = "/console/catalog/resources/new";
    public const string Queue = "/console/catalog/review";
    public const string Api = "/api/v1/catalog/resources";

    public static string EditPage(Guid id) => $"/console/catalog/resources/{id}/edit";
    public static string HistoryPage(Guid id) => $"/console/catalog/resources/{id}/history";
    public static string ReviewPage(Guid id) => $"/console/catalog/review/{id}";

    /// <summary>
    /// A complete entry under the guide's 基础类 › 法人基础信息 › 企业单位法人 (102003), as the form posts it: it passes
    /// every submission rule (法人基础信息 must be 无条件共享; 统一社会信用代码 is C,18).
    /// </summary>
    public static List<KeyValuePair<string, string>> CompleteForm(string name, string? version = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("classCode", "1"), new("itemCode", "102"), new("categoryCode", "102003"), new("detailPath", ""),
            new("name", name),
            new("abstract", "测试用的企业登记信息，包括统一社会信用代码、企业名称和成立日期。"),
            new("formatCategory", "数据库"), new("formatType", "MySQL"),
            new("shareType", "无条件共享"), new("shareChannel", "共享平台方式"), new("shareMethodType", "接口(服务)"),
            new("openType", "不予开放"), new("updateCycle", "每日"),
            new("keywords", "企业，登记"), new("securityClass", "非涉密"), new("hierarchy", "部门目录"),
        };
        fields.AddRange(Item(0, "统一社会信用代码", "credit_code", "C", "18", required: true, key: true));
        fields.AddRange(Item(1, "企业名称", "enterprise_name", "C", "100", required: true));
        fields.AddRange(Item(2, "成立日期", "established_on", "D", "10"));
        if (version is not null) fields.Add(new("version", version));
        return fields;
    }

    public static IEnumerable<KeyValuePair<string, string>> Item(int i, string name, string code, string type, string length, bool required = false, bool key = false)
    {
        yield return new($"items[{i}].name", name);
        yield return new($"items[{i}].fieldCode", code);
        yield return new($"items[{i}].dataType", type);
        yield return new($"items[{i}].length", length);
        yield return new($"items[{i}].sensitivity", "公开");
        if (required) yield return new($"items[{i}].required", "true");
        if (key) yield return new($"items[{i}].isKey", "true");
    }

    /// <summary>Replaces (or adds) one field of a payload.</summary>
    public static List<KeyValuePair<string, string>> With(this List<KeyValuePair<string, string>> fields, string key, string value) =>
        fields.Where(f => f.Key != key).Append(new(key, value)).ToList();

    /// <summary>Posts the entry form of <paramref name="page"/> with a handler (Save, Submit, Check, AddRow …).</summary>
    public static Task<HttpResponseMessage> PostEntryFormAsync(this HttpClient client, string page, string handler, IEnumerable<KeyValuePair<string, string>> fields) =>
        client.PostFormAsync(page, fields, $"{page}?handler={handler}");

    /// <summary>Creates a draft through the new-entry form and returns its id (from the redirect to its edit page).</summary>
    public static async Task<Guid> CreateDraftAsync(this HttpClient client, List<KeyValuePair<string, string>> fields)
    {
        var response = await client.PostEntryFormAsync(NewPage, "Save", fields);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!.ToString();
        return Guid.Parse(EditLocation().Match(location).Groups[1].Value);
    }

    /// <summary>The entry as the API shows it to <paramref name="client"/>.</summary>
    public static Task<JsonNode> EntryAsync(this HttpClient client, Guid id) => client.GetJsonAsync($"{Api}/{id}");

    /// <summary>Number of entries the client's workspace lists.</summary>
    public static async Task<int> WorkspaceTotalAsync(this HttpClient client) =>
        (await client.GetJsonAsync($"{Api}?pageSize=1"))["total"]!.GetValue<int>();

    /// <summary>The value of the hidden version field of a page.</summary>
    public static string VersionOf(string html) => VersionField().Match(html) is { Success: true } m ? m.Groups[1].Value
        : throw new InvalidOperationException("No version field on the page");

    /// <summary>The text of the element with <paramref name="id"/> (tags stripped, entities decoded), or null.</summary>
    public static string? TextOf(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        if (start < 0) return null;
        var open = html.LastIndexOf('<', start);
        var tag = Regex.Match(html[open..], @"^<(\w+)").Groups[1].Value;
        var end = html.IndexOf($"</{tag}>", start, StringComparison.Ordinal);
        var inner = html[(html.IndexOf('>', start) + 1)..end];
        // Inline tags join their text; block tags separate it.
        var text = Regex.Replace(inner, @"</?(strong|span|a|em|del|code)\b[^>]*>", "");
        return WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(text, "<[^>]+>", " "), @"\s+", " ")).Trim();
    }

    /// <summary>The value attribute of the input with <paramref name="id"/>, or null.</summary>
    public static string? ValueOf(string html, string id) =>
        Regex.Match(html, $"<input[^>]*id=\"{Regex.Escape(id)}\"[^>]*>") is { Success: true } m && Regex.Match(m.Value, "value=\"([^\"]*)\"") is { Success: true } v
            ? WebUtility.HtmlDecode(v.Groups[1].Value) : null;

    /// <summary>The option values of the select with <paramref name="id"/>.</summary>
    public static List<string> OptionsOf(string html, string id)
    {
        var m = Regex.Match(html, $"<select[^>]*id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</select>", RegexOptions.Singleline);
        return m.Success ? Regex.Matches(m.Groups[1].Value, "<option value=\"([^\"]*)\"").Select(x => x.Groups[1].Value).Where(v => v.Length > 0).ToList() : [];
    }

    /// <summary>The selected option value of the select with <paramref name="id"/>, or null.</summary>
    public static string? SelectedOf(string html, string id)
    {
        var m = Regex.Match(html, $"<select[^>]*id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</select>", RegexOptions.Singleline);
        return m.Success && Regex.Match(m.Groups[1].Value, "<option value=\"([^\"]*)\" selected") is { Success: true } s ? s.Groups[1].Value : null;
    }

    /// <summary>True when the element with <paramref name="id"/> carries aria-invalid="true".</summary>
    public static bool IsInvalid(string html, string id) =>
        Regex.Match(html, $"<(input|select|textarea)[^>]*id=\"{Regex.Escape(id)}\"[^>]*>") is { Success: true } m && m.Value.Contains("aria-invalid=\"true\"");

    [GeneratedRegex(@"/console/catalog/resources/([0-9a-f-]{36})/edit")]
    private static partial Regex EditLocation();

    [GeneratedRegex("<input type=\"hidden\" name=\"version\" value=\"(\\d*)\"")]
    private static partial Regex VersionField();
}
