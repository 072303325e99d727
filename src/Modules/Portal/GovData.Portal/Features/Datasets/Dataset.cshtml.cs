using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
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
internal sealed class DatasetModel(IOpenCatalog catalog, IDepartmentDirectory departments, DatasetViews views, PortalSettings settings) : PageModel
{
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
        var baseUrl = settings.BaseUrl(Request);
        CanonicalUrl = baseUrl + PortalPaths.Dataset(dataset.Code);
        JsonLd = SchemaOrg(dataset, Department, baseUrl, settings);
        return Page();
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
