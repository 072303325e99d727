using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using Dapper;
using GovData.Tests.Common.Web;

namespace GovData.Portal.Tests.Infrastructure;

/// <summary>A catalog entry the tests filed through the catalog's own API.</summary>
public sealed record FiledEntry(string Code, string Name)
{
    /// <summary>The portal's package name (code with '/' as '-').</summary>
    public string Package => Code.Replace('/', '-');
}

/// <summary>Helpers: filing catalog entries through the real catalog API, reading the expected open set, SHACL validation.</summary>
public static class PortalTestKit
{
    public static object Resource(string name, bool isOpen = true, string? openCondition = null, string? @abstract = null,
        string[]? keywords = null, object[]? items = null, string formatCategory = "电子表格", string formatType = "csv") => new
    {
        classificationCode = "102003",
        name,
        @abstract = @abstract ?? "门户测试用的企业法人信息资源，包括统一社会信用代码、法人名称和批准时间。",
        formatCategory,
        formatType,
        items = items ?? new object[]
        {
            new { name = "统一社会信用代码", fieldCode = "credit_code", dataType = "C,18", required = true, isKey = true, sensitivity = "公开" },
            new { name = "法人名称", fieldCode = "legal_name", dataType = "C,50", required = true, sensitivity = "公开" },
            new { name = "法定代表人身份证号", fieldCode = "legal_id", dataType = "C,18", sensitivity = "敏感", maskingRule = "身份证号脱敏" },
        },
        shareType = "无条件共享",
        shareChannel = "共享平台方式",
        shareMethodType = "接口(服务)",
        isOpen,
        openCondition,
        updateCycle = "每月",
        keywords = keywords ?? new[] { "企业", "门户测试" },
    };

    private static string Path(string code) => "/api/v1/catalog/resources/" + Uri.EscapeDataString(code);

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>Creates a draft as 省市场监管局's cataloger.</summary>
    public static async Task<(FiledEntry Entry, int Version)> DraftAsync(GovDataAppFactory app, object resource)
    {
        var compiler = await app.LoginAsync("scjg_cataloger");
        var created = await Json(await compiler.PostAsJsonAsync("/api/v1/catalog/resources", resource), HttpStatusCode.Created);
        return (new FiledEntry(created["code"]!.GetValue<string>(), created["working"]!["name"]!.GetValue<string>()), created["version"]!.GetValue<int>());
    }

    /// <summary>Creates, submits and approves an entry (published).</summary>
    public static async Task<FiledEntry> PublishAsync(GovDataAppFactory app, object resource)
    {
        var (entry, version) = await DraftAsync(app, resource);
        var compiler = await app.LoginAsync("scjg_cataloger");
        var submitted = await Json(await compiler.PostAsJsonAsync(Path(entry.Code) + "/submit", new { version }), HttpStatusCode.OK);
        var reviewer = await app.LoginAsync("reviewer");
        await Json(await reviewer.PostAsJsonAsync(Path(entry.Code) + "/approve", new { version = submitted["version"]!.GetValue<int>(), comment = "同意发布" }), HttpStatusCode.OK);
        return entry;
    }

    /// <summary>Takes a published entry offline (已下线).</summary>
    public static async Task WithdrawAsync(GovDataAppFactory app, string code)
    {
        var compiler = await app.LoginAsync("scjg_cataloger");
        var entry = await Json(await compiler.GetAsync(Path(code)), HttpStatusCode.OK);
        await Json(await compiler.PostAsJsonAsync(Path(code) + "/withdraw", new { version = entry["version"]!.GetValue<int>(), reason = "门户测试：下线" }), HttpStatusCode.OK);
    }

    public sealed record CatalogRow(string Code, string Status, string? OpenType);

    /// <summary>Every entry with its status and the open type of its published revision, read from the catalog's tables.</summary>
    public static async Task<List<CatalogRow>> CatalogRowsAsync(GovDataAppFactory app)
    {
        await using var connection = await app.Database.OpenConnectionAsync();
        return (await connection.QueryAsync<CatalogRow>(
            "SELECT e.code AS Code, e.status AS Status, r.open_type AS OpenType FROM catalog_entries e "
            + "LEFT JOIN catalog_revisions r ON r.id = e.published_revision_id")).ToList();
    }

    /// <summary>Package names of the resources that must be public: published, and 无条件/有条件开放.</summary>
    public static async Task<HashSet<string>> ExpectedOpenPackagesAsync(GovDataAppFactory app) =>
        (await CatalogRowsAsync(app)).Where(r => r.Status == "Published" && r.OpenType is "Unconditional" or "Conditional")
            .Select(r => r.Code.Replace('/', '-')).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// No result of severity Violation. (sh:conforms is false as soon as there is any result, warnings of the recommended
    /// shapes included, so it is not what “passes the shapes” means here.)
    /// </summary>
    public static void ShouldHaveNoViolations(JsonNode report)
    {
        report["triples"]!.GetValue<int>().ShouldBeGreaterThan(0);
        report["violations"]!.AsArray().Count.ShouldBe(0, report["violations"]!.ToJsonString());
    }

    public static string ShaclFolder => typeof(PortalTestKit).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ShaclFolder").Value!;

    /// <summary>Validates a Turtle or JSON-LD document with rdf-validate-shacl against the official DCAT-AP 3.0.1 shapes.</summary>
    public static async Task<JsonNode> ValidateDcatAsync(string document, bool jsonLd)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"govdata-dcat-{Guid.NewGuid():N}{(jsonLd ? ".jsonld" : ".ttl")}");
        await File.WriteAllTextAsync(file, document);
        try
        {
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = ShaclFolder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { "validate.mjs", file, "dcat-ap-3.0.1/dcat-ap-SHACL.ttl", "dcat-ap-3.0.1/shapes_recommended.ttl" }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            (process.ExitCode).ShouldBe(0, await error);
            return JsonNode.Parse(await output)!;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
