using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Open;
using GovData.Portal.Features.Shared;
using GovData.Portal.Features.Statistics;
using Microsoft.AspNetCore.Http;

namespace GovData.Portal.Features.Ckan;

/// <summary>
/// The read actions of CKAN's Action API over the open catalog. Packages are open resources (name = resource code with '/'
/// written '-', id = catalog entry id), organizations are the departments that open data (name = lower-case 统一社会信用代码),
/// groups are the 领域 (fixed slugs), tags are the keywords (关键字). Each package has one resource, its access point on the
/// portal (the dataset page); its id is derived from the entry id (<see cref="ResourceId"/>), so no table is needed.
/// </summary>
internal sealed partial class CkanActions(
    IOpenCatalog catalog, IDepartmentDirectory departments, PortalSettings settings, OpenData open, DatasetUsage usage, OpenAccessSettings limits)
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "package_list", "package_search", "package_show", "organization_list", "organization_show", "group_list", "group_show",
        "tag_list", "resource_show", "datastore_search", "status_show", "help_show", "site_read",
    };

    /// <summary>CKAN's <c>ckan.search.rows_max</c>.</summary>
    public const int RowsMax = 1000;

    /// <summary>The CKAN version whose API this imitates (clients such as ckanapi read it).</summary>
    public const string CkanVersion = "2.11.0";

    private string _baseUrl = "";

    public async Task<JsonNode?> RunAsync(string name, Dictionary<string, JsonNode?> p, HttpRequest request, CancellationToken ct)
    {
        _baseUrl = settings.BaseUrl(request);
        return name switch
        {
            "package_list" => await PackageListAsync(p, ct),
            "package_search" => await PackageSearchAsync(p, ct),
            "package_show" => await PackageShowAsync(p, ct),
            "organization_list" => await OrganizationListAsync(p, ct),
            "organization_show" => await OrganizationShowAsync(p, ct),
            "group_list" => await GroupListAsync(p, ct),
            "group_show" => await GroupShowAsync(p, ct),
            "tag_list" => await TagListAsync(p, ct),
            "resource_show" => await ResourceShowAsync(p, ct),
            "datastore_search" => await DatastoreSearchAsync(p, request, ct),
            "status_show" => StatusShow(),
            "site_read" => JsonValue.Create(true),
            _ => HelpShow(p),
        };
    }

    // ---------------------------------------------------------------- packages

    private async Task<JsonNode> PackageListAsync(Dictionary<string, JsonNode?> p, CancellationToken ct)
    {
        var limit = Natural(p, "limit");
        var offset = Natural(p, "offset") ?? 0;
        var names = new JsonArray();
        const int chunk = 5000;
        for (var at = offset; limit is null || at < offset + limit; at += chunk)
        {
            var take = limit is { } l ? Math.Min(chunk, offset + l - at) : chunk;
            var page = await catalog.ListAsync(at, take, ct);
            foreach (var item in page.Items) names.Add(PortalNames.Package(item.Code));
            if (page.Items.Count < take) break;
        }
        return names;
    }

    private async Task<JsonNode> PackageShowAsync(Dictionary<string, JsonNode?> p, CancellationToken ct)
    {
        var id = Required(p, "id");
        var dataset = await FindPackageAsync(id, ct) ?? throw CkanException.NotFound("Dataset not found");
        return Package(dataset, await DirectoryAsync(ct));
    }

    private async Task<OpenDataset?> FindPackageAsync(string id, CancellationToken ct)
    {
        if (PortalNames.TryParsePackage(id, out var code)) return await catalog.FindAsync(code, ct);
        if (Guid.TryParse(id, out var entryId)) return await catalog.FindAsync(entryId, ct);
        return ResourceCode.TryParse(id, out var raw) ? await catalog.FindAsync(raw, ct) : null;
    }

    [GeneratedRegex("""\G\s*(?<field>[A-Za-z_][A-Za-z0-9_.]*)\s*:\s*(?:"(?<quoted>(?:[^"\\]|\\.)*)"|(?<bare>[^\s"]+))\s*""", RegexOptions.CultureInvariant)]
    private static partial Regex FilterTerm();

    private async Task<JsonNode> PackageSearchAsync(Dictionary<string, JsonNode?> p, CancellationToken ct)
    {
        var directory = await DirectoryAsync(ct);
        var rows = Math.Min(Natural(p, "rows") ?? 10, RowsMax);
        var start = Natural(p, "start") ?? 0;
        var facetOn = Bool(p, "facet") ?? true;
        var facetLimit = Int(p, "facet.limit") ?? 50;
        var facetMinCount = Int(p, "facet.mincount") ?? 1;
        var facetFields = facetOn ? StringList(p, "facet.field") : [];
        foreach (var f in facetFields)
            if (!FacetFields.Contains(f))
                throw CkanException.Validation("facet.field", $"不支持的分面字段“{f}”，可选：{string.Join("、", FacetFields)}");

        var q = Text(p, "q")?.Trim();
        if (q is "*:*" or "*") q = null;
        var query = new OpenCatalogQuery { Q = q, Offset = start, Limit = rows };

        var filters = new List<string>();
        if (Text(p, "fq") is { } fq) filters.Add(fq);
        filters.AddRange(StringList(p, "fq_list"));
        foreach (var filter in filters) query = ApplyFilter(query, filter, directory);

        var sortText = Text(p, "sort");
        var (sort, sortEcho) = ParseSort(sortText);
        query = query with { Sort = sort };

        var result = await catalog.SearchAsync(query, ct);
        if (result.Errors is { } errors)
        {
            var error = new JsonObject();
            foreach (var (field, message) in errors) error[field switch { "limit" => "rows", "offset" => "start", _ => field }] = new JsonArray(message);
            error["__type"] = "Validation Error";
            throw new CkanException(StatusCodes.Status409Conflict, error);
        }
        var page = result.Page!;
        var facets = new JsonObject();
        var searchFacets = new JsonObject();
        foreach (var field in facetFields)
        {
            var values = FacetValues(field, page.Facets, directory).Where(v => v.Count >= facetMinCount).ToList();
            if (facetLimit >= 0) values = values.Take(facetLimit).ToList();
            var counts = new JsonObject();
            foreach (var v in values) counts[v.Name] = v.Count;
            facets[field] = counts;
            searchFacets[field] = new JsonObject
            {
                ["title"] = field,
                ["items"] = new JsonArray(values.OrderByDescending(v => v.DisplayName, StringComparer.Ordinal)
                    .Select(v => (JsonNode)new JsonObject { ["name"] = v.Name, ["display_name"] = v.DisplayName, ["count"] = v.Count }).ToArray()),
            };
        }
        return new JsonObject
        {
            ["count"] = page.Total,
            ["facets"] = facets,
            ["results"] = new JsonArray(page.Items.Select(h => (JsonNode)Package(h.Dataset, directory)).ToArray()),
            ["sort"] = sortEcho,
            ["search_facets"] = searchFacets,
        };
    }

    private static readonly string[] FacetFields = ["organization", "groups", "tags", "res_format", "license_id", "open_type", "update_cycle", "resource_class"];

    private sealed record FacetItem(string Name, string DisplayName, int Count);

    private IEnumerable<FacetItem> FacetValues(string field, OpenCatalogFacets f, IReadOnlyDictionary<Guid, DepartmentInfo> directory) => field switch
    {
        "organization" => f.Departments.Where(v => Guid.TryParse(v.Value, out var id) && directory.ContainsKey(id))
            .Select(v => new FacetItem(PortalNames.Organization(directory[Guid.Parse(v.Value)]), v.Label, v.Count)),
        "groups" => f.Domains.Select(v => new FacetItem(PortalNames.Domain(v.Value).Slug, v.Label, v.Count)),
        "tags" => f.Keywords.Select(v => new FacetItem(v.Value, v.Label, v.Count)),
        "res_format" => f.Formats.Select(v => new FacetItem(v.Value, v.Label, v.Count)),
        "license_id" => f.OpenTypes.Sum(v => v.Count) is var n and > 0 ? [new FacetItem(LicenseId, LicenseId, n)] : [],
        "open_type" => f.OpenTypes.Select(v => new FacetItem(v.Value, v.Label, v.Count)),
        "update_cycle" => f.UpdateCycles.Select(v => new FacetItem(v.Value, v.Label, v.Count)),
        _ => f.Classes.Select(v => new FacetItem(v.Value, v.Label, v.Count)),
    };

    /// <summary>
    /// A filter query as CKAN clients send them: <c>field:value</c> terms (value bare or double-quoted, optional leading '+'),
    /// all required. Fields: organization, groups, tags, res_format, open_type, update_cycle, resource_class, name, id,
    /// license_id; <c>capacity:public</c>, <c>state:active</c> and <c>dataset_type:dataset</c> are what everything here is.
    /// </summary>
    private OpenCatalogQuery ApplyFilter(OpenCatalogQuery query, string fq, IReadOnlyDictionary<Guid, DepartmentInfo> directory)
    {
        var text = fq.Replace("+", " ", StringComparison.Ordinal).Trim();
        var at = 0;
        while (at < text.Length)
        {
            var m = FilterTerm().Match(text, at);
            if (!m.Success || m.Length == 0) throw CkanException.SearchQuery($"无法解析的过滤条件“{text[at..]}”：应为 字段:值（值含空格时加双引号）");
            at += m.Length;
            var field = m.Groups["field"].Value;
            var value = m.Groups["quoted"].Success ? Regex.Unescape(m.Groups["quoted"].Value) : m.Groups["bare"].Value;
            query = field switch
            {
                "organization" or "owner_org" => query with
                {
                    DepartmentId = (PortalNames.FindOrganization(directory.Values, value)?.Id) ?? Guid.Empty,
                },
                "groups" => PortalNames.FindDomain(value) is { } domain ? query with { Domain = domain.Name } : query with { Domain = null, DepartmentId = Guid.Empty },
                "tags" => query with { Keyword = value },
                "res_format" => Term<FormatCategory>(value) is { } format ? query with { Format = format } : query with { DepartmentId = Guid.Empty },
                "open_type" => Term<OpenType>(value) is { } open ? query with { OpenType = open } : query with { DepartmentId = Guid.Empty },
                "update_cycle" => Term<UpdateCycle>(value) is { } cycle ? query with { UpdateCycle = cycle } : query with { DepartmentId = Guid.Empty },
                "resource_class" => Term<ResourceClass>(value) is { } cls ? query with { Class = cls } : query with { DepartmentId = Guid.Empty },
                "name" or "id" => throw CkanException.SearchQuery("按 name 或 id 查找单个数据集请使用 package_show"),
                "license_id" => value == LicenseId ? query : query with { DepartmentId = Guid.Empty },
                "capacity" => value == "public" ? query : query with { DepartmentId = Guid.Empty },
                "state" => value is "active" or "(active)" ? query : query with { DepartmentId = Guid.Empty },
                "dataset_type" or "type" => value == "dataset" ? query : query with { DepartmentId = Guid.Empty },
                _ => throw CkanException.SearchQuery($"不支持的过滤字段“{field}”，可选：organization、groups、tags、res_format、open_type、update_cycle、resource_class、license_id"),
            };
        }
        return query;
    }

    private static T? Term<T>(string value) where T : struct, Enum => CatalogTerms.TryParse<T>(value, out var v) ? v : null;

    /// <summary>CKAN's sort string (<c>field direction, …</c>) → sort keys; the echo is what CKAN returns in <c>sort</c>.</summary>
    private static (IReadOnlyList<OpenCatalogSortKey> Keys, string Echo) ParseSort(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "rank") text = "score desc, metadata_modified desc";
        var keys = new List<OpenCatalogSortKey>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var field = words[0] switch
            {
                "score" => OpenCatalogSortField.Relevance,
                "metadata_modified" or "metadata_created" => OpenCatalogSortField.Updated,
                "name" => OpenCatalogSortField.Code,
                "title" or "title_string" => OpenCatalogSortField.Name,
                _ => throw CkanException.Validation("sort", $"不支持的排序字段“{words[0]}”，可选：score、metadata_modified、metadata_created、name、title_string"),
            };
            var descending = words.Length switch
            {
                1 => false,
                2 when words[1].Equals("asc", StringComparison.OrdinalIgnoreCase) => false,
                2 when words[1].Equals("desc", StringComparison.OrdinalIgnoreCase) => true,
                _ => throw CkanException.Validation("sort", $"排序“{part}”无效：应为“字段 asc”或“字段 desc”"),
            };
            keys.Add(new OpenCatalogSortKey(field, descending));
        }
        return (keys, text.Trim());
    }

    // ---------------------------------------------------------------- organizations, groups, tags, resources

    private async Task<JsonNode> OrganizationListAsync(Dictionary<string, JsonNode?> p, CancellationToken ct)
    {
        var directory = await DirectoryAsync(ct);
        var facets = await AllFacetsAsync(ct);
        var counts = facets.Departments.Where(v => Guid.TryParse(v.Value, out var id) && directory.ContainsKey(id))
            .ToDictionary(v => Guid.Parse(v.Value), v => v.Count);
        var rows = counts.Keys.Select(id => (Department: directory[id], Name: PortalNames.Organization(directory[id]), Title: directory[id].Name, Count: counts[id]));
        if (StringList(p, "organizations") is { Count: > 0 } wanted) rows = rows.Where(r => wanted.Contains(r.Name));
        var list = Order(rows.ToList(), Text(p, "sort") ?? "title asc", r => r.Name, r => r.Title, r => r.Count);
        list = Window(list, p);
        return Bool(p, "all_fields") == true
            ? new JsonArray(list.Select(r => (JsonNode)Organization(r.Department, r.Count)).ToArray())
            : new JsonArray(list.Select(r => (JsonNode)JsonValue.Create(r.Name)).ToArray());
    }

    private async Task<JsonNode> OrganizationShowAsync(Dictionary<string, JsonNode?> p, CancellationToken ct)
    {
        var id = Required(p, "id");
        var directory = await DirectoryAsync(ct);
        var department = PortalNames.FindOrganization(directory.Values, id) ?? throw CkanException.NotFound("Organization was not found.");
        var page = (await catalog.SearchAsync(new OpenCatalogQuery
        {
            DepartmentId = department.Id,
            Sort = [new(OpenCatalogSortField.Updated, true)],
            Limit = Bool(p, "include_datasets") == true ? RowsMax : 0,
        }, ct)).Page!;
        if (page.Total == 0) throw CkanException.NotFound("Organization was not found.");
        var org = Organization(department, page.Total);
        if (Bool(p, "include_datasets") == true) org["packages"] = new JsonArray(page.Items.Select(h => (JsonNode)Package(h.Dataset, directory)).ToArray());
        org["users"] = new JsonArray();
        org["extras"] = new JsonArray();
        return org;
    }

    private async Task<JsonNode> GroupListAsync(Dictionary<string, JsonNode?> p, CancellationToken ct)
    {
        var facets = await AllFacetsAsync(ct);
        var counts = facets.Domains.ToDictionary(v => v.Value, v => v.Count);
        var rows = PortalNames.Domains.Where(d => counts.GetValueOrDefault(d.Name) > 0)
            .Select(d => (Domain: d, Name: d.Slug, Title: d.Name, Count: counts[d.Name]));
        if (StringList(p, "groups") is { Count: > 0 } wanted) rows = rows.Where(r => wanted.Contains(r.Name));
        var list = Order(rows.ToList(), Text(p, "sort") ?? "title asc", r => r.Name, r => r.Title, r => r.Count);
        list = Window(list, p);
        return Bool(p, "all_fields") == true
            ? new JsonArray(list.Select(r => (JsonNode)Group(r.Domain, r.Count)).ToArray())
            : new JsonArray(list.Select(r => (JsonNode)JsonValue.Create(r.Name)).ToArray());
    }

    private async Task<JsonNode> GroupShowAsync(Dictionary<string, JsonNode?> p, CancellationToken ct)
    {
        var id = Required(p, "id");
        var domain = PortalNames.FindDomain(id) ?? PortalNames.Domains.FirstOrDefault(d => GroupId(d).ToString() == id)
            ?? throw CkanException.NotFound("Group was not found.");
        var count = (await AllFacetsAsync(ct)).Domains.FirstOrDefault(v => v.Value == domain.Name)?.Count ?? 0;
        if (count == 0) throw CkanException.NotFound("Group was not found.");
        var group = Group(domain, count);
        group["users"] = new JsonArray();
        group["extras"] = new JsonArray();
        return group;
    }

    private async Task<JsonNode> TagListAsync(Dictionary<string, JsonNode?> p, CancellationToken ct)
    {
        if (Text(p, "vocabulary_id") is { Length: > 0 }) throw CkanException.NotFound("Could not find vocabulary");
        var facets = await AllFacetsAsync(ct);
        var tags = facets.Keywords.Select(k => k.Value);
        if (Text(p, "query") is { Length: > 0 } q) tags = tags.Where(t => t.Contains(SearchFold(q), StringComparison.Ordinal));
        var list = tags.Order(StringComparer.Ordinal).ToList();
        return Bool(p, "all_fields") == true
            ? new JsonArray(list.Select(t => (JsonNode)Tag(t)).ToArray())
            : new JsonArray(list.Select(t => (JsonNode)JsonValue.Create(t)).ToArray());
    }

    private static string SearchFold(string s) => string.Create(s.Length, s, static (span, x) =>
    {
        for (var i = 0; i < x.Length; i++) span[i] = x[i] is >= 'A' and <= 'Z' ? (char)(x[i] + 32) : x[i];
    });

    private async Task<JsonNode> ResourceShowAsync(Dictionary<string, JsonNode?> p, CancellationToken ct)
    {
        var id = Required(p, "id");
        if (!Guid.TryParse(id, out var resourceId)) throw CkanException.NotFound("Resource was not found.");
        var dataset = await catalog.FindAsync(EntryOfResource(resourceId), ct) ?? throw CkanException.NotFound("Resource was not found.");
        return Resource(dataset);
    }

    private JsonNode StatusShow() => new JsonObject
    {
        ["site_title"] = settings.SiteTitle,
        ["site_description"] = "政务数据共享开放平台的公共数据开放门户（CKAN 兼容只读接口）",
        ["site_url"] = _baseUrl,
        ["error_emails_to"] = null,
        ["locale_default"] = "zh_Hans_CN",
        ["extensions"] = new JsonArray("govdata_open_catalog", "dcat"),
        ["ckan_version"] = CkanVersion,
    };

    private static JsonNode HelpShow(Dictionary<string, JsonNode?> p)
    {
        var name = Required(p, "name");
        return Help.TryGetValue(name, out var text) ? JsonValue.Create(text) : throw CkanException.NotFound("Action function not found");
    }

    private static readonly Dictionary<string, string> Help = new(StringComparer.Ordinal)
    {
        ["package_list"] = "返回全部开放数据集的名称（按资源代码排序）。参数：limit、offset。",
        ["package_search"] = "检索开放数据集。参数：q（检索词，中文按字符匹配）、fq / fq_list（字段:值，字段可为 organization、groups、tags、res_format、open_type、update_cycle、resource_class）、rows（默认10，最多1000）、start、sort（score、metadata_modified、name、title_string，asc/desc）、facet、facet.field（JSON 数组）、facet.limit、facet.mincount。",
        ["package_show"] = "返回一个开放数据集。参数：id（名称，如 102003001-1；或 ID；或资源代码）。",
        ["organization_list"] = "返回开放数据的部门。参数：all_fields、sort（name、title、package_count）、limit、offset、organizations。",
        ["organization_show"] = "返回一个部门。参数：id（名称或 ID）、include_datasets。",
        ["group_list"] = "返回领域（分组）。参数：all_fields、sort、limit、offset、groups。",
        ["group_show"] = "返回一个领域。参数：id（名称或 ID）。",
        ["tag_list"] = "返回开放数据集的关键字。参数：query、all_fields。",
        ["resource_show"] = "返回一个数据资源。参数：id。",
        ["datastore_search"] = "查询无条件开放数据集的数据行（敏感数据项一律脱敏）。参数：resource_id（必填）、filters（JSON 对象：字段→值或值列表）、q（JSON 对象：字段→包含的文字）、fields（字段列表）、sort（“字段 asc|desc”，逗号分隔）、limit（默认100）、offset、include_total、records_format（仅 objects）。有条件开放的数据集需申请，不在此提供。",
        ["status_show"] = "返回站点信息。",
        ["help_show"] = "返回接口说明。参数：name。",
        ["site_read"] = "站点可读时返回 true。",
    };

    // ---------------------------------------------------------------- dictionaries

    /// <summary>CKAN's licence when none is configured (“License not specified”).</summary>
    private string LicenseId => settings.LicenseId ?? "notspecified";

    internal JsonObject Package(OpenDataset d, IReadOnlyDictionary<Guid, DepartmentInfo> directory)
    {
        var department = directory.GetValueOrDefault(d.DepartmentId);
        var name = PortalNames.Package(d.Code);
        var extras = new List<(string Key, string? Value)>
        {
            ("resource_code", d.Code.ToString()),
            ("metadata_identifier", d.MetadataIdentifier),
            ("classification", d.ClassificationPath),
            ("classification_code", d.ClassificationCode),
            ("resource_class", CatalogTerms.Label(d.Class)),
            ("provider", d.ProviderName),
            ("provider_code", d.ProviderCode),
            ("format_category", CatalogTerms.Label(d.FormatCategory)),
            ("format_type", d.FormatType),
            ("open_type", CatalogTerms.Label(d.OpenType)),
            ("open_condition", d.OpenCondition),
            ("update_cycle", CatalogTerms.Label(d.UpdateCycle)),
            ("publish_date", d.PublishDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("dcat_ttl", _baseUrl + PortalPaths.Dataset(d.Code) + ".ttl"),
        };
        var json = new JsonObject
        {
            ["id"] = d.EntryId.ToString(),
            ["name"] = name,
            ["title"] = d.Name,
            ["type"] = "dataset",
            ["state"] = "active",
            ["private"] = false,
            ["notes"] = d.Abstract ?? "",
            ["url"] = _baseUrl + PortalPaths.Dataset(d.Code),
            ["version"] = d.RevisionNumber.ToString(CultureInfo.InvariantCulture),
            ["author"] = d.ProviderName ?? d.DepartmentName,
            ["author_email"] = null,
            ["maintainer"] = d.MetadataMaintainer ?? d.DepartmentName,
            ["maintainer_email"] = null,
            ["license_id"] = LicenseId,
            ["license_title"] = settings.LicenseTitle ?? "License not specified",
            ["isopen"] = settings.LicenseUrl is not null,
            ["metadata_created"] = CkanTime(d.FirstPublishedAt ?? d.UpdatedAt),
            ["metadata_modified"] = CkanTime(d.UpdatedAt),
            ["creator_user_id"] = null,
            ["owner_org"] = d.DepartmentId.ToString(),
            ["organization"] = department is null ? null : Organization(department, null),
            ["groups"] = new JsonArray(d.Domains.Select(x => (JsonNode)Group(PortalNames.Domain(x), null)).ToArray()),
            ["tags"] = new JsonArray(d.Keywords.Select(k => (JsonNode)Tag(k)).ToArray()),
            ["num_tags"] = d.Keywords.Count,
            ["resources"] = new JsonArray(Resource(d)),
            ["num_resources"] = 1,
            ["extras"] = new JsonArray(extras.Where(e => !string.IsNullOrEmpty(e.Value))
                .Select(e => (JsonNode)new JsonObject { ["key"] = e.Key, ["value"] = e.Value }).ToArray()),
            ["relationships_as_object"] = new JsonArray(),
            ["relationships_as_subject"] = new JsonArray(),
        };
        if (settings.LicenseUrl is { } licenseUrl) json["license_url"] = licenseUrl;
        return json;
    }

    private JsonObject Resource(OpenDataset d)
    {
        var format = string.IsNullOrWhiteSpace(d.FormatType) ? CatalogTerms.Label(d.FormatCategory) ?? "" : d.FormatType.ToUpperInvariant();
        return new JsonObject
        {
            ["id"] = ResourceId(d.EntryId).ToString(),
            ["package_id"] = d.EntryId.ToString(),
            ["name"] = d.Name,
            ["description"] = d.OpenType == OpenType.Conditional
                ? "有条件开放：" + (d.OpenCondition ?? "") + "。获取方式见数据集页面。"
                : "无条件开放。获取方式见数据集页面。",
            ["url"] = _baseUrl + PortalPaths.Dataset(d.Code),
            ["format"] = format,
            ["mimetype"] = null,
            ["state"] = "active",
            ["position"] = 0,
            ["created"] = CkanTime(d.FirstPublishedAt ?? d.UpdatedAt),
            ["last_modified"] = CkanTime(d.UpdatedAt),
            ["metadata_modified"] = CkanTime(d.UpdatedAt),
            ["url_type"] = null,
            // Rows through datastore_search: 无条件开放 structured resources (a resource whose data is not loaded yet answers 404 there).
            ["datastore_active"] = d.OpenType == OpenType.Unconditional && d.Items.Count > 0,
        };
    }

    private JsonObject Organization(DepartmentInfo d, int? packageCount)
    {
        var json = new JsonObject
        {
            ["id"] = d.Id.ToString(),
            ["name"] = PortalNames.Organization(d),
            ["title"] = d.Name,
            ["display_name"] = d.Name,
            ["description"] = "",
            ["image_url"] = "",
            ["image_display_url"] = "",
            ["type"] = "organization",
            ["is_organization"] = true,
            ["state"] = "active",
            ["approval_status"] = "approved",
        };
        if (packageCount is { } n) json["package_count"] = n;
        return json;
    }

    private static JsonObject Group(DomainName d, int? packageCount)
    {
        var json = new JsonObject
        {
            ["id"] = GroupId(d).ToString(),
            ["name"] = d.Slug,
            ["title"] = d.Name,
            ["display_name"] = d.Name,
            ["description"] = d.Title,
            ["image_url"] = "",
            ["image_display_url"] = "",
            ["type"] = "group",
            ["is_organization"] = false,
            ["state"] = "active",
            ["approval_status"] = "approved",
        };
        if (packageCount is { } n) json["package_count"] = n;
        return json;
    }

    private static JsonObject Tag(string name) => new()
    {
        ["id"] = NameId("tag:" + name).ToString(),
        ["name"] = name,
        ["display_name"] = name,
        ["state"] = "active",
        ["vocabulary_id"] = null,
    };

    /// <summary>CKAN writes times as ISO 8601 without a zone (UTC).</summary>
    private static string CkanTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>A stable id for a name (RFC 4122 version 5 style: SHA-1 of the name, version and variant bits set).</summary>
    private static Guid NameId(string name)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes("govdata-portal:" + name));
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static Guid GroupId(DomainName d) => NameId("group:" + d.Slug);

    private static readonly byte[] ResourceMask = Convert.FromHexString("5265736f757263652d706f7274616c21");

    /// <summary>The id of a dataset's resource: its entry id XOR a fixed mask — reversible, so resource_show needs no table.</summary>
    internal static Guid ResourceId(Guid entryId)
    {
        var bytes = entryId.ToByteArray();
        for (var i = 0; i < 16; i++) bytes[i] ^= ResourceMask[i];
        return new Guid(bytes);
    }

    internal static Guid EntryOfResource(Guid resourceId) => ResourceId(resourceId);

    // ---------------------------------------------------------------- helpers

    private async Task<IReadOnlyDictionary<Guid, DepartmentInfo>> DirectoryAsync(CancellationToken ct) =>
        (await departments.ListAsync(ct)).ToDictionary(d => d.Id);

    private async Task<OpenCatalogFacets> AllFacetsAsync(CancellationToken ct) =>
        (await catalog.SearchAsync(new OpenCatalogQuery { Limit = 0 }, ct)).Page!.Facets;

    private static List<T> Order<T>(List<T> rows, string sort, Func<T, string> name, Func<T, string> title, Func<T, int> count)
    {
        var words = sort.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var descending = words.Length > 1 && words[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
        if (words.Length is 0 or > 2 || words.Length == 2 && !descending && !words[1].Equals("asc", StringComparison.OrdinalIgnoreCase))
            throw CkanException.Validation("sort", $"排序“{sort}”无效：应为 name、title 或 package_count，加 asc 或 desc");
        IOrderedEnumerable<T> ordered = words[0] switch
        {
            "name" => descending ? rows.OrderByDescending(name, StringComparer.Ordinal) : rows.OrderBy(name, StringComparer.Ordinal),
            "title" => descending ? rows.OrderByDescending(title, StringComparer.Ordinal) : rows.OrderBy(title, StringComparer.Ordinal),
            "package_count" => descending ? rows.OrderByDescending(count) : rows.OrderBy(count),
            _ => throw CkanException.Validation("sort", $"不支持的排序字段“{words[0]}”，可选：name、title、package_count"),
        };
        return ordered.ThenBy(name, StringComparer.Ordinal).ToList();
    }

    private static List<T> Window<T>(List<T> rows, Dictionary<string, JsonNode?> p)
    {
        var offset = Natural(p, "offset") ?? 0;
        var limit = Natural(p, "limit");
        var window = rows.Skip(offset);
        return (limit is { } l ? window.Take(l) : window).ToList();
    }

    private static string? Text(Dictionary<string, JsonNode?> p, string key) =>
        p.TryGetValue(key, out var node) && node is JsonValue v
            ? v.TryGetValue<string>(out var s) ? s : v.ToJsonString()
            : null;

    private static string Required(Dictionary<string, JsonNode?> p, string key) =>
        Text(p, key) is { Length: > 0 } s ? s.Trim() : throw CkanException.Missing(key);

    private static int? Int(Dictionary<string, JsonNode?> p, string key)
    {
        if (!p.TryGetValue(key, out var node) || node is null) return null;
        if (node is JsonValue v)
        {
            if (v.TryGetValue<int>(out var i)) return i;
            if (v.TryGetValue<string>(out var s) && int.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out i)) return i;
            if (v.TryGetValue<string>(out var empty) && string.IsNullOrWhiteSpace(empty)) return null;
        }
        throw CkanException.Validation(key, "Invalid integer");
    }

    /// <summary>CKAN's <c>natural_number_validator</c>: an integer ≥ 0.</summary>
    private static int? Natural(Dictionary<string, JsonNode?> p, string key)
    {
        var value = Int(p, key);
        if (value < 0) throw CkanException.Validation(key, "Must be a natural number");
        return value;
    }

    private static bool? Bool(Dictionary<string, JsonNode?> p, string key)
    {
        if (!p.TryGetValue(key, out var node) || node is null) return null;
        if (node is JsonValue v)
        {
            if (v.TryGetValue<bool>(out var b)) return b;
            if (v.TryGetValue<string>(out var s))
                switch (s.Trim().ToLowerInvariant())
                {
                    case "true" or "1" or "yes" or "on" or "t" or "y": return true;
                    case "false" or "0" or "no" or "off" or "f" or "n" or "": return false;
                }
        }
        throw CkanException.Validation(key, "Invalid boolean");
    }

    /// <summary>A list given as a JSON array, as a JSON-array string (CKAN's convention in query strings), or as one string.</summary>
    private static List<string> StringList(Dictionary<string, JsonNode?> p, string key)
    {
        if (!p.TryGetValue(key, out var node) || node is null) return [];
        if (node is JsonArray array) return array.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : x?.ToJsonString() ?? "").ToList();
        var text = Text(p, key)?.Trim() ?? "";
        if (text.Length == 0) return [];
        if (!text.StartsWith('[')) return [text];
        try
        {
            return JsonNode.Parse(text) is JsonArray parsed
                ? parsed.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw CkanException.Validation(key, "Not a list of strings")).ToList()
                : throw CkanException.Validation(key, "Not a list");
        }
        catch (System.Text.Json.JsonException)
        {
            throw CkanException.Validation(key, "Could not parse as valid JSON");
        }
    }
}
