using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Dapper;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.SharedKernel.Persistence;
using GovData.SharedKernel.Spreadsheets;
using GovData.Tests.Common.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GovData.Portal.Tests;

/// <summary>Hosts for the open data tests: limits high enough that the tests of a class never meet them; small pages.</summary>
public sealed class OpenDataSqliteFactory : GovDataAppFactory
{
    public OpenDataSqliteFactory() : base(DatabaseProvider.Sqlite) => OpenDataFixture.Configure(this);
}

public sealed class OpenDataPostgresFactory : GovDataAppFactory
{
    public OpenDataPostgresFactory() : base(DatabaseProvider.PostgreSql) => OpenDataFixture.Configure(this);
}

public static class OpenDataFixture
{
    public const int PreviewRows = 5;
    public const int MaxRows = 50;

    public static void Configure(GovDataAppFactory app) => app
        .WithSetting("GovData:Portal:OpenApi:AnonymousPerMinute", "100000")
        .WithSetting("GovData:Portal:OpenApi:AnonymousPerDay", "1000000")
        .WithSetting("GovData:Portal:OpenApi:PreviewRows", PreviewRows.ToString())
        .WithSetting("GovData:Portal:OpenApi:MaxRows", MaxRows.ToString());
}

/// <summary>
/// Rows for the public over the real host with the demo data (SQLite and PostgreSQL): the dataset page's masked preview,
/// downloads in four formats parsed back, usage counts, the open API (happy path and bad parameters), 有条件开放 refused
/// everywhere, CKAN datastore_search (envelope, filters, errors), masking for every public caller — also platform staff.
/// </summary>
public abstract class OpenDataTests<TFactory>(TFactory app) : AppTestBase<TFactory>(app) where TFactory : GovDataAppFactory
{
    private const string BrowserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    private HttpClient Public(string agent = BrowserAgent)
    {
        var client = App.CreateBrowserClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(agent);
        return client;
    }

    /// <summary>An open dataset with data and a masked text field, read through the contracts (what the tests compare with).</summary>
    private sealed record Sample(OpenDataset Dataset, string Name, DataResourceDescription Masked, DataFieldDescription MaskedField,
        IReadOnlyList<IReadOnlyList<object?>> RawRows, IReadOnlyList<IReadOnlyList<object?>> MaskedRows);

    private async Task<Sample> OpenSampleAsync() => await App.WithScopeAsync(async sp =>
    {
        var catalog = sp.GetRequiredService<IOpenCatalog>();
        var data = sp.GetRequiredService<IGovernedDataAccess>();
        var hits = (await catalog.SearchAsync(new OpenCatalogQuery { OpenType = OpenType.Unconditional, Limit = 500 })).Page!.Items;
        foreach (var hit in hits.OrderBy(h => h.Dataset.Code.ToString(), StringComparer.Ordinal))
        {
            var masked = await data.DescribeAsync(hit.Dataset.Code, AccessPolicy.Everything(false));
            if (masked is null || masked.RowCount <= OpenDataFixture.PreviewRows) continue;
            var field = masked.Fields.FirstOrDefault(f => f.Masked);
            if (field is null) continue;
            var query = new KeyValuePair<string, string?>[] { new("limit", "20") };
            var raw = await data.QueryAsync(hit.Dataset.Code, AccessPolicy.Everything(true), query);
            var maskedRows = await data.QueryAsync(hit.Dataset.Code, AccessPolicy.Everything(false), query);
            return new Sample(hit.Dataset, hit.Dataset.Code.Prefix + "-" + hit.Dataset.Code.Suffix, masked, field, raw.Rows, maskedRows.Rows);
        }
        throw new InvalidOperationException("The demo data has no 无条件开放 dataset with data and a masked field");
    });

    private async Task<(OpenDataset Dataset, string Name)> ConditionalSampleAsync() => await App.WithScopeAsync(async sp =>
    {
        var catalog = sp.GetRequiredService<IOpenCatalog>();
        var data = sp.GetRequiredService<IGovernedDataAccess>();
        var hits = (await catalog.SearchAsync(new OpenCatalogQuery { OpenType = OpenType.Conditional, Limit = 500 })).Page!.Items;
        // Prefer one that has data: refusing it proves the rule, not the absence of rows.
        foreach (var hit in hits)
            if (await data.DescribeAsync(hit.Dataset.Code, AccessPolicy.Everything(false)) is not null)
                return (hit.Dataset, hit.Dataset.Code.Prefix + "-" + hit.Dataset.Code.Suffix);
        throw new InvalidOperationException("The demo data has no 有条件开放 dataset with data");
    });

    private static int Index(Sample s) => s.Masked.Fields.ToList().IndexOf(s.MaskedField);

    private async Task<long> UsageAsync(Guid entryId, string kind)
    {
        await using var connection = await App.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT SUM(count) FROM portal_dataset_usage WHERE lower(CAST(entry_id AS TEXT)) = @entry AND kind = @kind",
            new { entry = entryId.ToString(), kind }) ?? 0;
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text.Length > 3000 ? text[..3000] : text);
        return JsonNode.Parse(text)!;
    }

    // ---------------------------------------------------------------- dataset page

    [Fact]
    public async Task Dataset_pages_show_the_update_record_and_timeliness_of_the_data()
    {
        // The demo loads some datasets long ago for their 更新周期 (逾期) and the rest recently (按时); the page shows what the
        // Data module's rule says, with its explanation, and every change of the current data with version and rows.
        var seen = new HashSet<string>();
        var checkedPages = 0;
        var candidates = await App.WithScopeAsync(async sp =>
        {
            var catalog = sp.GetRequiredService<IOpenCatalog>();
            var volumes = sp.GetRequiredService<IDataVolumes>();
            var loaded = (await volumes.CurrentAsync()).Select(v => v.EntryId).ToHashSet();
            var hits = (await catalog.SearchAsync(new OpenCatalogQuery { OpenType = OpenType.Unconditional, Limit = 500 })).Page!.Items;
            var list = new List<(OpenDataset Dataset, DataUpdateHistory History)>();
            foreach (var hit in hits.Where(h => loaded.Contains(h.Dataset.EntryId)))
                list.Add((hit.Dataset, await volumes.HistoryAsync(hit.Dataset.EntryId, hit.Dataset.UpdateCycle, DateTime.UtcNow)));
            return list;
        });
        foreach (var (dataset, history) in candidates.OrderByDescending(c => c.History.Overdue))
        {
            if (!seen.Add(history.Status) && checkedPages >= 2) continue;
            var html = await (await Public().GetAsync("/portal/datasets/" + dataset.Code.Prefix + "-" + dataset.Code.Suffix)).Content.ReadAsStringAsync();
            Regex.Match(html, "<span class=\"badge [a-z-]+\" id=\"timeliness\">([^<]+)</span>").Groups[1].Value.ShouldBe(history.Status, dataset.Name);
            html.ShouldContain(System.Net.WebUtility.HtmlEncode(history.Description).Replace("&#x201C;", "“").Replace("&#x201D;", "”"), Case.Sensitive, dataset.Name);
            history.Updates.Count.ShouldBeGreaterThan(0, "a loaded dataset has at least its first load");
            var rows = Regex.Matches(html, "<td>(更新数据|恢复为较早的版本)</td>\\s*<td>第 (\\d+) 版</td>\\s*<td class=\"num\">([0-9,]+)</td>");
            rows.Select(m => (int.Parse(m.Groups[2].Value), long.Parse(m.Groups[3].Value.Replace(",", "")), m.Groups[1].Value == "恢复为较早的版本"))
                .ShouldBe(history.Updates.Select(u => (u.Version, u.RowCount, u.Rollback)));
            checkedPages++;
        }
        seen.ShouldContain("按时");
        seen.ShouldContain("逾期");
    }

    [Fact]
    public async Task Dataset_page_shows_a_masked_preview_downloads_with_counts_and_a_curl_example()
    {
        var s = await OpenSampleAsync();
        var column = Index(s);
        var html = await (await Public().GetAsync("/portal/datasets/" + s.Name)).Content.ReadAsStringAsync();
        html.ShouldContain($"数据预览（前 {OpenDataFixture.PreviewRows} 行）");
        html.ShouldContain($"共 {s.Masked.RowCount:N0} 行");
        for (var i = 0; i < OpenDataFixture.PreviewRows; i++)
        {
            var masked = (string?)s.MaskedRows[i][column];
            var raw = s.RawRows[i][column]?.ToString();
            if (string.IsNullOrEmpty(raw)) continue;
            masked.ShouldNotBe(raw);
            html.ShouldContain(WebUtility.HtmlEncode(masked!).Replace("&#x2A;", "*"));
            html.ShouldNotContain(">" + raw + "<");
        }
        // Rows after the preview are not on the page.
        Regex.Matches(html, "<tbody>").Count.ShouldBeGreaterThanOrEqualTo(1);
        foreach (var format in new[] { "csv", "xlsx", "json", "xml" })
            html.ShouldContain($"href=\"/portal/datasets/{s.Name}/download/{format}\"");
        html.ShouldContain("已下载 ");
        html.ShouldContain($"curl '{"http://localhost"}/api/v1/open/datasets/{s.Name}/rows?limit=10'");
        html.ShouldContain("X-Api-Key: 您的API密钥");
        html.ShouldContain("datastore_search?resource_id=");
        // The page works without JavaScript: the preview is a table; a chart (if any) is hidden until charts.js shows it.
        if (html.Contains("data-chart=\"bar\"")) html.ShouldContain("/lib/echarts/echarts.min.js");
    }

    [Fact]
    public async Task Downloads_in_each_format_parse_back_to_the_masked_rows_and_are_counted_without_robots()
    {
        var s = await OpenSampleAsync();
        var column = Index(s);
        var expected = s.MaskedRows.Select(r => r[column]?.ToString() ?? "").ToList();
        var client = Public();
        foreach (var format in new[] { "csv", "xlsx", "json", "xml" })
        {
            var before = await UsageAsync(s.Dataset.EntryId, format);
            var response = await client.GetAsync($"/portal/datasets/{s.Name}/download/{format}");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 2000)]));
            response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
            List<string> values;
            switch (format)
            {
                case "csv":
                    bytes[..3].ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF }, "CSV is UTF-8 with BOM");
                    var csv = TabularFile.ReadCsv(new MemoryStream(bytes));
                    var header = csv[0].Cells.ToList();
                    var at = header.IndexOf(s.MaskedField.ItemName);
                    at.ShouldBeGreaterThanOrEqualTo(0, string.Join(",", header));
                    (csv.Count - 1).ShouldBe((int)s.Masked.RowCount);
                    values = csv.Skip(1).Take(expected.Count).Select(r => r[at]).ToList();
                    break;
                case "xlsx":
                    bytes[..2].ShouldBe("PK"u8.ToArray());
                    var sheet = TabularFile.Read(new MemoryStream(bytes), "data.xlsx");
                    var xlsxAt = sheet[0].Cells.ToList().IndexOf(s.MaskedField.ItemName);
                    xlsxAt.ShouldBeGreaterThanOrEqualTo(0);
                    (sheet.Count - 1).ShouldBe((int)s.Masked.RowCount);
                    values = sheet.Skip(1).Take(expected.Count).Select(r => r[xlsxAt]).ToList();
                    break;
                case "json":
                    var array = JsonNode.Parse(bytes)!.AsArray();
                    array.Count.ShouldBe((int)s.Masked.RowCount);
                    values = array.Take(expected.Count).Select(r => r![s.MaskedField.Name]?.GetValue<string>() ?? "").ToList();
                    break;
                default:
                    var xml = XDocument.Parse(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'));
                    var rows = xml.Root!.Elements("row").ToList();
                    rows.Count.ShouldBe((int)s.Masked.RowCount);
                    var element = xml.Root.Element("fields")!.Elements("field").Single(f => (string?)f.Attribute("name") == s.MaskedField.ItemName)
                        .Attribute("element")!.Value;
                    values = rows.Take(expected.Count).Select(r => r.Element(element)!.Value).ToList();
                    break;
            }
            values.ShouldBe(expected, $"{format}: the masked values, in order");
            for (var i = 0; i < expected.Count; i++)
                if (s.RawRows[i][column]?.ToString() is { Length: > 0 } raw) values[i].ShouldNotBe(raw);
            (await UsageAsync(s.Dataset.EntryId, format)).ShouldBe(before + 1, format);
        }
        var page = await (await client.GetAsync("/portal/datasets/" + s.Name)).Content.ReadAsStringAsync();
        page.ShouldMatch("已下载 [1-9][0-9]* 次");

        // Robots and clients without a user agent are not counted on the page's downloads.
        var csvBefore = await UsageAsync(s.Dataset.EntryId, "csv");
        (await Public("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").GetAsync($"/portal/datasets/{s.Name}/download/csv"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.CreateBrowserClient().GetAsync($"/portal/datasets/{s.Name}/download/csv")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await UsageAsync(s.Dataset.EntryId, "csv")).ShouldBe(csvBefore);

        (await client.GetAsync($"/portal/datasets/{s.Name}/download/pdf")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("/portal/datasets/999999999-9/download/csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    // ---------------------------------------------------------------- open API

    [Fact]
    public async Task Open_api_searches_describes_and_serves_masked_rows_and_exports()
    {
        var s = await OpenSampleAsync();
        var client = Public();
        var search = await Json(await client.GetAsync("/api/v1/open/datasets?open=无条件开放&limit=100"), HttpStatusCode.OK);
        search["total"]!.GetValue<int>().ShouldBeGreaterThan(0);
        search["items"]!.AsArray().ShouldAllBe(i => i!["access"]!.GetValue<string>() == "open");
        var byQuery = await Json(await client.GetAsync("/api/v1/open/datasets?q=" + Uri.EscapeDataString(s.Dataset.Name)), HttpStatusCode.OK);
        byQuery["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ShouldContain(s.Name);
        var conditional = await Json(await client.GetAsync("/api/v1/open/datasets?open=有条件开放"), HttpStatusCode.OK);
        conditional["items"]!.AsArray().ShouldAllBe(i => i!["access"]!.GetValue<string>() == "apply" && i["rows"] == null);

        var detail = await Json(await client.GetAsync("/api/v1/open/datasets/" + s.Name), HttpStatusCode.OK);
        detail["dataset"]!["code"]!.GetValue<string>().ShouldBe(s.Dataset.Code.ToString());
        detail["data"]!["rowCount"]!.GetValue<long>().ShouldBe(s.Masked.RowCount);
        detail["data"]!["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == s.MaskedField.Name)!["masked"]!.GetValue<bool>().ShouldBeTrue();
        detail["data"]!["downloads"]!["csv"]!.GetValue<string>().ShouldEndWith($"/api/v1/open/datasets/{s.Name}/export?format=csv");
        detail["items"]!.AsArray().Count.ShouldBe(s.Dataset.Items.Count);

        var apiBefore = await UsageAsync(s.Dataset.EntryId, "api");
        var rows = await Json(await client.GetAsync($"/api/v1/open/datasets/{s.Name}/rows?limit=3&offset=1&fields={s.MaskedField.Name}"), HttpStatusCode.OK);
        rows["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ShouldBe([s.MaskedField.Name]);
        rows["total"]!.GetValue<long>().ShouldBe(s.Masked.RowCount);
        rows["limit"]!.GetValue<int>().ShouldBe(3);
        rows["offset"]!.GetValue<int>().ShouldBe(1);
        var got = rows["rows"]!.AsArray().Select(r => r![s.MaskedField.Name]?.GetValue<string>()).ToList();
        got.ShouldBe(s.MaskedRows.Skip(1).Take(3).Select(r => (string?)r[Index(s)]).ToList());
        rows["next"].ShouldNotBeNull();
        (await UsageAsync(s.Dataset.EntryId, "api")).ShouldBe(apiBefore + 1);

        // Platform staff get masked rows here too: the open API is the public channel.
        var admin = await App.LoginAsync("admin");
        var staffRows = await Json(await admin.GetAsync($"/api/v1/open/datasets/{s.Name}/rows?limit=1&fields={s.MaskedField.Name}"), HttpStatusCode.OK);
        staffRows["rows"]![0]![s.MaskedField.Name]?.GetValue<string>().ShouldBe((string?)s.MaskedRows[0][Index(s)]);

        // Without a limit a page has at most MaxRows rows.
        var full = await Json(await client.GetAsync($"/api/v1/open/datasets/{s.Name}/rows?count=false"), HttpStatusCode.OK);
        full["rows"]!.AsArray().Count.ShouldBe((int)Math.Min(OpenDataFixture.MaxRows, s.Masked.RowCount));

        // Export with a filter: only the matching rows, masked.
        var keyField = s.Masked.Fields.FirstOrDefault(f => !f.Masked && f.Type == "text" && s.MaskedRows[0][s.Masked.Fields.ToList().IndexOf(f)] is string { Length: > 0 });
        keyField.ShouldNotBeNull("the sample has an unmasked text field to filter on");
        {
            var value = (string)s.MaskedRows[0][s.Masked.Fields.ToList().IndexOf(keyField)]!;
            {
                var export = await client.GetAsync($"/api/v1/open/datasets/{s.Name}/export?format=json&{keyField.Name}={Uri.EscapeDataString(value)}");
                var array = JsonNode.Parse(await export.Content.ReadAsStringAsync())!.AsArray();
                export.StatusCode.ShouldBe(HttpStatusCode.OK);
                array.Count.ShouldBeGreaterThan(0);
                array.ShouldAllBe(r => r![keyField.Name]!.GetValue<string>() == value);
            }
        }
    }

    [Theory]
    [InlineData("rows?limit=abc", "limit")]
    [InlineData("rows?limit=100000", "limit")]
    [InlineData("rows?offset=-1", "offset")]
    [InlineData("rows?no_such_field=1", "no_such_field")]
    [InlineData("rows?sort=no_such_field", "sort")]
    [InlineData("rows?raw=true", "raw")]
    [InlineData("rows?version=1", "version")]
    [InlineData("export", "format")]
    [InlineData("export?format=pdf", "format")]
    public async Task Open_api_bad_parameters_answer_400_naming_the_parameter(string path, string parameter)
    {
        var s = await OpenSampleAsync();
        var problem = await Json(await Public().GetAsync($"/api/v1/open/datasets/{s.Name}/{path}"), HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldContain(parameter, problem.ToJsonString());
        problem["title"]!.GetValue<string>().ShouldBe("请求参数有误");
    }

    [Fact]
    public async Task Open_api_search_parameters_and_masked_fields_are_checked()
    {
        var s = await OpenSampleAsync();
        var client = Public();
        foreach (var (query, parameter) in new[] { ("open=半开放", "open"), ("domain=火星", "domain"), ("page=0", "page"), ("limit=1000", "limit"), ("sort=random", "sort"), ("dept=nobody", "dept") })
        {
            var problem = await Json(await client.GetAsync("/api/v1/open/datasets?" + query), HttpStatusCode.BadRequest);
            problem["errors"]![parameter].ShouldNotBeNull(query);
        }
        // A masked field cannot be used to filter or sort (it would reveal the raw values).
        var filter = await Json(await client.GetAsync($"/api/v1/open/datasets/{s.Name}/rows?{s.MaskedField.Name}.startswith=1"), HttpStatusCode.BadRequest);
        filter["errors"]!.AsObject().Count.ShouldBe(1);
        var sort = await Json(await client.GetAsync($"/api/v1/open/datasets/{s.Name}/rows?sort={s.MaskedField.Name}"), HttpStatusCode.BadRequest);
        sort["errors"]!["sort"].ShouldNotBeNull();
        (await client.GetAsync("/api/v1/open/datasets/999999999-9")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/api/v1/open/datasets/999999999-9/rows")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Conditional_datasets_are_refused_everywhere_and_the_page_says_apply()
    {
        var (dataset, name) = await ConditionalSampleAsync();
        var client = Public();
        var page = await (await client.GetAsync("/portal/datasets/" + name)).Content.ReadAsStringAsync();
        page.ShouldContain("需申请");
        page.ShouldNotContain("数据预览");
        page.ShouldNotContain($"/portal/datasets/{name}/download/");
        foreach (var path in new[] { $"/api/v1/open/datasets/{name}/rows", $"/api/v1/open/datasets/{name}/export?format=csv", $"/portal/datasets/{name}/download/csv" })
        {
            var problem = await Json(await client.GetAsync(path), HttpStatusCode.Forbidden);
            problem["detail"]!.GetValue<string>().ShouldContain("需申请", Case.Sensitive, path);
        }
        var detail = await Json(await client.GetAsync("/api/v1/open/datasets/" + name), HttpStatusCode.OK);
        detail["dataset"]!["access"]!.GetValue<string>().ShouldBe("apply");
        detail["data"].ShouldBeNull();
        var resourceId = GovData.Portal.Features.Ckan.CkanActions.ResourceId(dataset.EntryId);
        var ckan = await Json(await client.GetAsync("/api/3/action/datastore_search?resource_id=" + resourceId), HttpStatusCode.Forbidden);
        ckan["success"]!.GetValue<bool>().ShouldBeFalse();
        ckan["error"]!["__type"]!.GetValue<string>().ShouldBe("Authorization Error");
        ckan["error"]!["message"]!.GetValue<string>().ShouldStartWith("Access denied: ");
        (await UsageAsync(dataset.EntryId, "api")).ShouldBe(0);
    }

    [Fact]
    public async Task Open_api_is_documented_in_the_openapi_document_with_chinese_summaries()
    {
        var document = JsonNode.Parse(await (await Public().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;
        var paths = document["paths"]!.AsObject();
        var expected = new Dictionary<string, string>
        {
            ["/api/v1/open/datasets"] = "检索开放数据集",
            ["/api/v1/open/datasets/{name}"] = "开放数据集的元数据",
            ["/api/v1/open/datasets/{name}/rows"] = "查询开放数据集的数据行（脱敏）",
            ["/api/v1/open/datasets/{name}/export"] = "导出开放数据集（脱敏）",
        };
        foreach (var (path, summary) in expected)
        {
            paths.ContainsKey(path).ShouldBeTrue(path);
            paths[path]!["get"]!["summary"]!.GetValue<string>().ShouldBe(summary);
            paths[path]!["get"]!["tags"]![0]!.GetValue<string>().ShouldBe("开放数据接口");
        }
        var responses = paths["/api/v1/open/datasets/{name}/rows"]!["get"]!["responses"]!.AsObject();
        responses.ContainsKey("429").ShouldBeTrue();
        responses.ContainsKey("400").ShouldBeTrue();
    }

    // ---------------------------------------------------------------- CKAN datastore_search

    [Fact]
    public async Task Datastore_search_answers_in_ckans_envelope_with_filters_q_fields_sort_and_paging()
    {
        var s = await OpenSampleAsync();
        var id = GovData.Portal.Features.Ckan.CkanActions.ResourceId(s.Dataset.EntryId).ToString();
        var client = Public();
        async Task<JsonNode> Search(string query, HttpStatusCode expected = HttpStatusCode.OK) =>
            await Json(await client.GetAsync("/api/3/action/datastore_search?" + query), expected);

        var all = await Search($"resource_id={id}&limit=4");
        all["success"]!.GetValue<bool>().ShouldBeTrue();
        all["help"]!.GetValue<string>().ShouldEndWith("/api/3/action/help_show?name=datastore_search");
        var result = all["result"]!;
        result["resource_id"]!.GetValue<string>().ShouldBe(id);
        result["total"]!.GetValue<long>().ShouldBe(s.Masked.RowCount);
        result["limit"]!.GetValue<int>().ShouldBe(4);
        result["records"]!.AsArray().Count.ShouldBe(4);
        result["fields"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).ShouldBe(s.Masked.Fields.Select(f => f.Name));
        result["fields"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == s.MaskedField.Name)!["info"]!["notes"]!.GetValue<string>().ShouldBe("脱敏");
        result["_links"]!["next"]!.GetValue<string>().ShouldContain("offset=4");
        result["records"]!.AsArray().Select(r => r![s.MaskedField.Name]?.GetValue<string>())
            .ShouldBe(s.MaskedRows.Take(4).Select(r => (string?)r[Index(s)]).ToList(), "records are masked");

        // POST with a JSON body, as CKAN clients send it: filters, fields, sort, offset, include_total.
        var textField = s.Masked.Fields.FirstOrDefault(f => !f.Masked && f.Type == "text" && s.MaskedRows[0][s.Masked.Fields.ToList().IndexOf(f)] is string { Length: > 1 });
        textField.ShouldNotBeNull("the sample has an unmasked text field to filter on");
        var value = (string)s.MaskedRows[0][s.Masked.Fields.ToList().IndexOf(textField)]!;
        {
            var body = new JsonObject
            {
                ["resource_id"] = id,
                ["filters"] = new JsonObject { [textField.Name] = value },
                ["fields"] = new JsonArray(textField.Name, s.MaskedField.Name),
                ["include_total"] = true,
            };
            var filtered = await Json(await client.PostAsJsonAsync("/api/3/action/datastore_search", body), HttpStatusCode.OK);
            var records = filtered["result"]!["records"]!.AsArray();
            records.Count.ShouldBeGreaterThan(0);
            records.ShouldAllBe(r => r![textField.Name]!.GetValue<string>() == value && r.AsObject().Count == 2);
            filtered["result"]!["total"]!.GetValue<long>().ShouldBe(records.Count);

            var list = await Search($"resource_id={id}&filters=" + Uri.EscapeDataString(new JsonObject { [textField.Name] = new JsonArray(value, "no-such-value") }.ToJsonString()));
            list["result"]!["records"]!.AsArray().ShouldAllBe(r => r![textField.Name]!.GetValue<string>() == value);

            var fragment = value.Substring(1, Math.Min(2, value.Length - 1));
            var q = await Search($"resource_id={id}&limit=50&q=" + Uri.EscapeDataString(new JsonObject { [textField.Name] = fragment }.ToJsonString()));
            q["result"]!["records"]!.AsArray().ShouldNotBeEmpty();
            q["result"]!["records"]!.AsArray().ShouldAllBe(r => r![textField.Name]!.GetValue<string>().Contains(fragment));

            var sorted = await Search($"resource_id={id}&sort=" + Uri.EscapeDataString(textField.Name + " desc") + "&limit=10&include_total=false");
            sorted["result"]!.AsObject().ContainsKey("total").ShouldBeFalse();
            var texts = sorted["result"]!["records"]!.AsArray().Select(r => r![textField.Name]?.GetValue<string>() ?? "").ToList();
            texts.ShouldBe(texts.OrderByDescending(t => t, StringComparer.Ordinal).ToList());
        }
        var second = await Search($"resource_id={id}&limit=2&offset=2");
        second["result"]!["records"]!.AsArray().Select(r => r![s.MaskedField.Name]?.GetValue<string>())
            .ShouldBe(s.MaskedRows.Skip(2).Take(2).Select(r => (string?)r[Index(s)]).ToList());
    }

    [Fact]
    public async Task Datastore_search_errors_have_ckans_types_and_status_codes()
    {
        var s = await OpenSampleAsync();
        var id = GovData.Portal.Features.Ckan.CkanActions.ResourceId(s.Dataset.EntryId).ToString();
        var client = Public();
        async Task<JsonNode> Error(string query, HttpStatusCode status, string type)
        {
            var body = await Json(await client.GetAsync("/api/3/action/datastore_search?" + query), status);
            body["success"]!.GetValue<bool>().ShouldBeFalse();
            body["error"]!["__type"]!.GetValue<string>().ShouldBe(type, query);
            return body["error"]!;
        }
        (await Error("limit=5", HttpStatusCode.Conflict, "Validation Error"))["resource_id"]!.GetValue<string>().ShouldBe("Missing value");
        (await Error("resource_id=" + Guid.NewGuid(), HttpStatusCode.NotFound, "Not Found Error"))["message"]!.GetValue<string>().ShouldStartWith("Not found: Resource");
        (await Error($"resource_id={id}&filters=%7Bbad", HttpStatusCode.Conflict, "Validation Error"))["filters"].ShouldNotBeNull();
        (await Error($"resource_id={id}&filters=" + Uri.EscapeDataString("{\"no_such_field\":\"x\"}"), HttpStatusCode.Conflict, "Validation Error"))["filters"].ShouldNotBeNull();
        (await Error($"resource_id={id}&q=anything", HttpStatusCode.Conflict, "Validation Error"))["q"].ShouldNotBeNull();
        (await Error($"resource_id={id}&limit=-1", HttpStatusCode.Conflict, "Validation Error"))["limit"]![0]!.GetValue<string>().ShouldBe("Must be a natural number");
        (await Error($"resource_id={id}&sort=" + Uri.EscapeDataString("x sideways"), HttpStatusCode.Conflict, "Validation Error"))["sort"].ShouldNotBeNull();
        (await Error($"resource_id={id}&fields=no_such_field", HttpStatusCode.Conflict, "Validation Error"))["fields"].ShouldNotBeNull();
        // Filtering on a masked field is refused (it would reveal raw values).
        (await Error($"resource_id={id}&filters=" + Uri.EscapeDataString(new JsonObject { [s.MaskedField.Name] = "1" }.ToJsonString()), HttpStatusCode.Conflict, "Validation Error"))["filters"].ShouldNotBeNull();
    }
}

public sealed class SqliteOpenDataTests(OpenDataSqliteFactory app) : OpenDataTests<OpenDataSqliteFactory>(app), IClassFixture<OpenDataSqliteFactory>;

public sealed class PostgresOpenDataTests(OpenDataPostgresFactory app) : OpenDataTests<OpenDataPostgresFactory>(app), IClassFixture<OpenDataPostgresFactory>;
