using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using GovData.Catalog.Contracts;
using GovData.Data.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Open;
using GovData.Portal.Features.Shared;
using GovData.Portal.Features.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Datasets;

/// <summary>
/// 数据集页面: all published catalog metadata of an open resource, its data dictionary (信息项, masked items marked),
/// schema.org <c>Dataset</c> JSON-LD and links to its DCAT-AP and CKAN descriptions. Counts a view (robots excluded).
/// Unknown names and resources that are not open answer 404 with the portal's own page.
/// </summary>
[AllowAnonymous]
internal sealed class DatasetModel(
    IOpenCatalog catalog, IDepartmentDirectory departments, DatasetViews views, PortalSettings settings, OpenData open, DatasetUsage usage,
    OpenAccessSettings limits) : PageModel
{
    /// <summary>How the public gets the rows (open, 需申请, no data yet).</summary>
    public OpenRowsAccess Access { get; private set; }
    /// <summary>The loaded data as the public sees it (open datasets with data).</summary>
    public DataResourceDescription? Data { get; private set; }
    /// <summary>The first rows, masked.</summary>
    public GovernedRowPage? Preview { get; private set; }
    /// <summary>Why the preview could not be read (the rest of the page still shows).</summary>
    public string? PreviewError { get; private set; }
    /// <summary>API calls and downloads per format.</summary>
    public IReadOnlyDictionary<string, long> Usage { get; private set; } = new Dictionary<string, long>();
    /// <summary>JSON for charts.js when the preview suits a chart, else null.</summary>
    public string? ChartJson { get; private set; }
    /// <summary>What the chart shows (its caption).</summary>
    public string? ChartTitle { get; private set; }
    public string BaseUrl { get; private set; } = "";
    public int PreviewRows => limits.PreviewRows;

    public OpenDataset? Dataset { get; private set; }
    public DepartmentInfo? Department { get; private set; }
    public string Name { get; private set; } = "";
    public long Views { get; private set; }
    public string JsonLd { get; private set; } = "";
    public string CanonicalUrl { get; private set; } = "";
    public IReadOnlyList<OpenDataset> Related { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        Name = name;
        if (!PortalNames.TryParsePackage(name, out var code) || await catalog.FindAsync(code, ct) is not { } dataset)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Dataset = dataset;
        Department = await departments.FindAsync(dataset.DepartmentId, ct);
        await views.RecordAsync(dataset, Request, ct);
        Views = await views.TotalAsync(dataset.EntryId, ct);
        if (dataset.RelatedCodes.Count > 0)
        {
            var related = new List<OpenDataset>();
            foreach (var c in dataset.RelatedCodes)
                if (await catalog.FindAsync(c, ct) is { } r) related.Add(r);
            Related = related;
        }
        (Access, Data) = await open.DescribeAsync(dataset, ct);
        if (Access == OpenRowsAccess.Open)
        {
            try
            {
                Preview = await open.QueryAsync(dataset, [new("limit", limits.PreviewRows.ToString(System.Globalization.CultureInfo.InvariantCulture))], ct);
                (ChartTitle, ChartJson) = Chart(Preview);
            }
            catch (DataAccessException e)
            {
                PreviewError = e.Message;
            }
        }
        Usage = await usage.TotalsAsync(dataset.EntryId, ct);
        var baseUrl = settings.BaseUrl(Request);
        BaseUrl = baseUrl;
        CanonicalUrl = baseUrl + PortalPaths.Dataset(dataset.Code);
        JsonLd = SchemaOrg(dataset, Department, baseUrl, settings);
        return Page();
    }

    /// <summary>
    /// A bar chart of the preview when it suits one: a numeric field that is neither masked nor a key (the values) and a
    /// text or date field that is not masked (the labels), with at least two rows having a value. Null otherwise.
    /// </summary>
    internal static (string? Title, string? Json) Chart(GovernedRowPage page)
    {
        var valueIndex = -1;
        var labelIndex = -1;
        for (var i = 0; i < page.Fields.Count; i++)
        {
            var f = page.Fields[i];
            if (f.Masked) continue;
            if (valueIndex < 0 && !f.IsKey && f.Type is "decimal" or "double" or "integer") valueIndex = i;
            else if (labelIndex < 0 && f.Type is "text" or "date" or "timestamp") labelIndex = i;
        }
        if (valueIndex < 0 || labelIndex < 0) return (null, null);
        var categories = new JsonArray();
        var values = new JsonArray();
        foreach (var row in page.Rows)
        {
            if (row[valueIndex] is null) continue;
            categories.Add(OpenData.Display(row[labelIndex]));
            values.Add(JsonValue.Create(Convert.ToDouble(row[valueIndex], System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (values.Count < 2) return (null, null);
        var valueField = page.Fields[valueIndex];
        var json = new JsonObject
        {
            ["preview"] = new JsonObject
            {
                ["categories"] = categories,
                ["series"] = new JsonArray(new JsonObject { ["name"] = valueField.ItemName, ["data"] = values }),
            },
        };
        return ($"前 {page.Rows.Count} 行的“{valueField.ItemName}”（按“{page.Fields[labelIndex].ItemName}”）", json.ToJsonString(ScriptJson));
    }

    /// <summary>JSON that may be written inside a script element: HTML-sensitive characters (&lt; &gt; &amp; ' ") are always escaped.</summary>
    internal static readonly JsonSerializerOptions ScriptJson = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = false,
    };

    /// <summary>schema.org/Dataset for search engines (name, description, url, identifier, keywords, creator, dates, variables).</summary>
    internal static string SchemaOrg(OpenDataset d, DepartmentInfo? department, string baseUrl, PortalSettings settings)
    {
        var url = baseUrl + PortalPaths.Dataset(d.Code);
        var organization = new JsonObject
        {
            ["@type"] = "GovernmentOrganization",
            ["name"] = d.DepartmentName,
        };
        if (department is not null)
        {
            organization["url"] = baseUrl + PortalPaths.Department(department);
            if (!string.IsNullOrWhiteSpace(department.CreditCode)) organization["identifier"] = department.CreditCode;
        }
        var json = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "Dataset",
            ["@id"] = url + "#dataset",
            ["name"] = d.Name,
            ["description"] = string.IsNullOrWhiteSpace(d.Abstract) ? d.Name : d.Abstract,
            ["url"] = url,
            ["identifier"] = d.Code.ToString(),
            ["inLanguage"] = "zh-CN",
            ["isAccessibleForFree"] = true,
            ["creator"] = organization.DeepClone(),
            ["publisher"] = organization,
            ["dateModified"] = PortalText.Iso(d.UpdatedAt),
        };
        if (d.Keywords.Count > 0) json["keywords"] = new JsonArray(d.Keywords.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray());
        if (d.FirstPublishedAt is { } first) json["datePublished"] = PortalText.Iso(first);
        if (d.OpenType == OpenType.Conditional) json["conditionsOfAccess"] = "有条件开放：" + (d.OpenCondition ?? "");
        if (settings.LicenseUrl is { } license) json["license"] = license;
        if (d.Domains.Count > 0) json["about"] = new JsonArray(d.Domains.Select(x => (JsonNode)new JsonObject { ["@type"] = "Thing", ["name"] = x }).ToArray());
        if (d.Items.Count > 0)
            json["variableMeasured"] = new JsonArray(d.Items.Select(i =>
            {
                var v = new JsonObject { ["@type"] = "PropertyValue", ["name"] = i.Name };
                if (!string.IsNullOrWhiteSpace(i.FieldCode)) v["propertyID"] = i.FieldCode;
                if (!string.IsNullOrWhiteSpace(i.Description)) v["description"] = i.Description;
                return (JsonNode)v;
            }).ToArray());
        return json.ToJsonString(ScriptJson);
    }
}
