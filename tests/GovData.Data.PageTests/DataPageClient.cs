using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using GovData.Tests.Common.Web;

namespace GovData.Data.PageTests;

/// <summary>Addresses, form posts and HTML probes of the data pages.</summary>
internal static partial class DataPageClient
{
    public const string List = "/console/data";

    public static string Page(string code, string suffix = "") => $"/console/data/{Uri.EscapeDataString(code)}{suffix}";

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public const string Shenzhen = "shenzhen-szt-card-10000.gb18030.csv";

    /// <summary>
    /// Posts the upload form as a browser does: the antiforgery token first (taken from the form page), the option fields,
    /// then the file (or no file part at all when <paramref name="content"/> is null).
    /// </summary>
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, string code, byte[]? content, string fileName,
        IEnumerable<KeyValuePair<string, string>>? fields = null, bool withToken = true, string suffix = "/upload")
    {
        var token = await client.GetAntiforgeryTokenAsync(Page(code, suffix == "/files/upload" ? "/files" : suffix));
        var form = new MultipartFormDataContent();
        if (withToken) form.Add(new StringContent(token), "__RequestVerificationToken");
        foreach (var (k, v) in fields ?? []) form.Add(new StringContent(v), k);
        if (content is not null)
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", fileName);
        }
        return await client.PostAsync(Page(code, suffix), form);
    }

    /// <summary>The load id of a redirect to a load page (its report or its mapping step).</summary>
    public static Guid LoadIdOf(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var m = LoadLocation().Match(response.Headers.Location!.ToString());
        m.Success.ShouldBeTrue($"不是加载页面的地址：{response.Headers.Location}");
        return Guid.Parse(m.Groups[1].Value);
    }

    /// <summary>Posts a form of <paramref name="page"/> (its token) to <paramref name="postUrl"/>.</summary>
    public static Task<HttpResponseMessage> PostPageFormAsync(this HttpClient client, string page, string postUrl, IEnumerable<KeyValuePair<string, string>> fields) =>
        client.PostFormAsync(page, fields, postUrl);

    public static async Task<string> HtmlAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, $"GET {url}\n{html[..Math.Min(html.Length, 3000)]}");
        return html;
    }

    /// <summary>The text of the element with <paramref name="id"/> (tags stripped, entities decoded), or null.</summary>
    public static string? TextOf(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        if (start < 0) return null;
        var open = html.LastIndexOf('<', start);
        var tag = Regex.Match(html[open..], @"^<(\w+)").Groups[1].Value;
        var depth = 0;
        var pos = open;
        // Find the matching close tag (elements of the same name may nest: tables in sections, divs in divs).
        var tagPattern = new Regex($@"<(/?){tag}\b[^>]*>", RegexOptions.IgnoreCase);
        foreach (Match m in tagPattern.Matches(html, open))
        {
            depth += m.Groups[1].Value == "/" ? -1 : 1;
            if (depth == 0) { pos = m.Index; break; }
        }
        var inner = html[(html.IndexOf('>', start) + 1)..pos];
        var text = Regex.Replace(inner, @"</?(strong|span|a|em|code|label)\b[^>]*>", "");
        return WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(text, "<[^>]+>", " "), @"\s+", " ")).Trim();
    }

    /// <summary>The selected option value of the select with <paramref name="id"/>, or null.</summary>
    public static string? SelectedOf(string html, string id)
    {
        var m = Regex.Match(html, $"<select[^>]*id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</select>", RegexOptions.Singleline);
        return m.Success && Regex.Match(m.Groups[1].Value, "<option value=\"([^\"]*)\" selected") is { Success: true } s ? WebUtility.HtmlDecode(s.Groups[1].Value) : null;
    }

    /// <summary>The option values of the select with <paramref name="id"/>.</summary>
    public static List<string> OptionsOf(string html, string id)
    {
        var m = Regex.Match(html, $"<select[^>]*id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</select>", RegexOptions.Singleline);
        return m.Success ? Regex.Matches(m.Groups[1].Value, "<option value=\"([^\"]*)\"").Select(x => WebUtility.HtmlDecode(x.Groups[1].Value)).ToList() : [];
    }

    /// <summary>Rows (tr) in the tbody of the table with <paramref name="id"/>.</summary>
    public static int RowsOf(string html, string id)
    {
        var text = Regex.Match(html, $"<table[^>]*id=\"{Regex.Escape(id)}\"[^>]*>.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline);
        return text.Success ? Regex.Matches(text.Groups[1].Value, "<tr[ >]").Count : 0;
    }

    [GeneratedRegex(@"/loads/([0-9a-f-]{36})")]
    private static partial Regex LoadLocation();
}
