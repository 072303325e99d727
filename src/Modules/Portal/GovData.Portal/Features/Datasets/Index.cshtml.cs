using GovData.Catalog.Contracts;
using GovData.Identity.Contracts;
using GovData.Portal.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovData.Portal.Features.Datasets;

/// <summary>
/// 数据目录: full-text search of the open catalog with facets (领域, 部门, 格式, 开放属性, 更新周期, 类, 关键字) and sort. Every
/// state is in the query string (shareable URLs): <c>q, domain, dept</c> (organization name), <c>format, open, cycle, class,
/// tag, sort</c> (relevance | updated | downloads | name), <c>page</c>.
/// </summary>
[AllowAnonymous]
internal sealed class DatasetsModel(IOpenCatalog catalog, IDepartmentDirectory departments, Statistics.PortalStatistics statistics) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "q")] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "domain")] public string? Domain { get; set; }
    [BindProperty(SupportsGet = true, Name = "dept")] public string? Dept { get; set; }
    [BindProperty(SupportsGet = true, Name = "format")] public string? Format { get; set; }
    [BindProperty(SupportsGet = true, Name = "open")] public string? Open { get; set; }
    [BindProperty(SupportsGet = true, Name = "cycle")] public string? Cycle { get; set; }
    [BindProperty(SupportsGet = true, Name = "class")] public string? Class { get; set; }
    [BindProperty(SupportsGet = true, Name = "tag")] public string? Tag { get; set; }
    [BindProperty(SupportsGet = true, Name = "sort")] public string? Sort { get; set; }
    /// <summary>The <c>page</c> query parameter (read from the query string: “page” is a route value of Razor Pages).</summary>
    public string? PageText => Request.Query["page"].ToString() is { Length: > 0 } p ? p : null;

    public List<string> Errors { get; } = [];
    public OpenCatalogPage? Result { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int PageCount => Result is null ? 0 : Math.Max(1, (Result.Total + PageSize - 1) / PageSize);
    public string SortKey { get; private set; } = "relevance";
    public IReadOnlyDictionary<Guid, DepartmentInfo> Directory { get; private set; } = new Dictionary<Guid, DepartmentInfo>();

    public static readonly IReadOnlyList<(string Key, string Label)> Sorts =
        [("relevance", "相关度"), ("updated", "最近更新"), ("downloads", "下载最多"), ("name", "名称")];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await departments.ListAsync(ct);
        Directory = all.ToDictionary(d => d.Id);
        var query = new OpenCatalogQuery { Q = Q };

        if (!string.IsNullOrWhiteSpace(Domain))
        {
            if (CatalogDomains.Names.Contains(Domain.Trim())) query = query with { Domain = Domain.Trim() };
            else Errors.Add($"领域“{Domain}”无效，可选：{string.Join("、", CatalogDomains.Names)}；已忽略该条件");
        }
        if (!string.IsNullOrWhiteSpace(Dept))
        {
            if (PortalNames.FindOrganization(all, Dept) is { } d) query = query with { DepartmentId = d.Id };
            else Errors.Add($"提供部门“{Dept}”不存在；已忽略该条件");
        }
        query = query with
        {
            Format = Term<FormatCategory>(Format, "格式"),
            OpenType = Term<OpenType>(Open, "开放属性"),
            UpdateCycle = Term<UpdateCycle>(Cycle, "更新周期"),
            Class = Term<ResourceClass>(Class, "类"),
            Keyword = string.IsNullOrWhiteSpace(Tag) ? null : Tag.Trim(),
        };
        SortKey = Sort?.Trim().ToLowerInvariant() switch
        {
            null or "" or "relevance" => "relevance",
            "updated" => "updated",
            "downloads" => "downloads",
            "name" => "name",
            _ => Invalid("relevance", $"排序方式“{Sort}”无效，可选：relevance（相关度）、updated（最近更新）、downloads（下载最多）、name（名称）；已按相关度排序"),
        };
        query = query with
        {
            Sort = SortKey switch
            {
                "updated" => [new(OpenCatalogSortField.Updated, true)],
                // Downloads are counted by the portal, not the catalog: pass them as weights (ties: the latest update).
                "downloads" => [new(OpenCatalogSortField.Popularity, true), new(OpenCatalogSortField.Updated, true)],
                "name" => [new(OpenCatalogSortField.Name, false), new(OpenCatalogSortField.Code, false)],
                _ => [],
            },
        };
        if (!string.IsNullOrWhiteSpace(PageText))
        {
            if (int.TryParse(PageText, out var p) && p >= 1 && p <= 10_000) PageNumber = p;
            else Errors.Add($"页码“{PageText}”无效，应为 1 到 10000 之间的整数；已显示第 1 页");
        }
        query = query with { Offset = (PageNumber - 1) * PageSize, Limit = PageSize };
        if (SortKey == "downloads") query = query with { Popularity = await statistics.DownloadsByDatasetAsync(ct) };

        var result = await catalog.SearchAsync(query, ct);
        if (result.Errors is { } errors)
        {
            Errors.AddRange(errors.Values);
            result = await catalog.SearchAsync(query with { Q = null, Offset = 0 }, ct);
            Q = null;
            PageNumber = 1;
        }
        Result = result.Page;
    }

    private T? Term<T>(string? text, string label) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (CatalogTerms.TryParse<T>(text, out var value)) return value;
        Errors.Add($"{label}“{text}”无效，可选：{string.Join("、", CatalogTerms.Labels<T>())}；已忽略该条件");
        return null;
    }

    private string Invalid(string fallback, string message)
    {
        Errors.Add(message);
        return fallback;
    }

    /// <summary>The current search with some parameters replaced (null removes one); the page is reset unless given.</summary>
    public string Link(params (string Key, string? Value)[] changes)
    {
        var values = new List<(string Key, string? Value)>
        {
            ("q", Q), ("domain", Domain), ("dept", Dept), ("format", Format), ("open", Open), ("cycle", Cycle), ("class", Class),
            ("tag", Tag), ("sort", SortKey == "relevance" ? null : SortKey), ("page", null),
        };
        foreach (var (key, value) in changes)
        {
            var i = values.FindIndex(v => v.Key == key);
            values[i] = (key, value);
        }
        var query = string.Join("&", values.Where(v => !string.IsNullOrWhiteSpace(v.Value))
            .Select(v => v.Key + "=" + Uri.EscapeDataString(v.Value!.Trim())));
        return PortalPaths.Datasets + (query.Length > 0 ? "?" + query : "");
    }

    /// <summary>The organization name of a department id given as a facet value.</summary>
    public string? OrganizationOf(string departmentId) =>
        Guid.TryParse(departmentId, out var id) && Directory.TryGetValue(id, out var d) ? PortalNames.Organization(d) : null;
}
