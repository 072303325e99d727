using GovData.Catalog.Features.Quality;

namespace GovData.Catalog.Contracts;

/// <summary>
/// The 开放目录 for the public (the open-data portal, its CKAN and DCAT interfaces): search with facets and highlighting,
/// and the full published metadata of resources. Everything this contract returns is public: only entries that are
/// 已发布 and whose published revision is 无条件开放 or 有条件开放. Drafts, revisions under work, withdrawn entries and
/// 不予开放 resources are never returned, whatever is asked.
/// </summary>
public interface IOpenCatalog
{
    /// <summary>
    /// Full-text search (the catalog's search engine: name, abstract, keywords, provider and information item names; terms
    /// of any length as substrings, all terms required) over the open catalog, with facets and highlights. Returns
    /// Chinese messages per parameter when the query is not acceptable (too long, too many terms).
    /// </summary>
    Task<OpenCatalogSearchResult> SearchAsync(OpenCatalogQuery query, CancellationToken ct = default);

    /// <summary>The open resource with this code, or null when there is none (or it is not open).</summary>
    Task<OpenDataset?> FindAsync(ResourceCode code, CancellationToken ct = default);

    /// <summary>The open resource with this entry id, or null when there is none (or it is not open).</summary>
    Task<OpenDataset?> FindAsync(Guid entryId, CancellationToken ct = default);

    /// <summary>The open resources among <paramref name="entryIds"/>, in the given order (others are left out).</summary>
    Task<IReadOnlyList<OpenDataset>> GetAsync(IReadOnlyList<Guid> entryIds, CancellationToken ct = default);

    /// <summary>A page of all open resources ordered by resource code (stable paging for lists, sitemaps and exports).</summary>
    Task<OpenDatasetList> ListAsync(int offset, int limit, CancellationToken ct = default);
}

/// <summary>The twelve domains (领域) the portal groups resources by: the 目录覆盖度 domains of the assessment (seed 000).</summary>
public static class CatalogDomains
{
    /// <summary>企业, 人社, 教育, 医疗卫生, 民政, 建设, 交通运输, 文化, 科技, 农业, 安全生产, 环保 — in this order.</summary>
    public static IReadOnlyList<string> Names { get; } = AssessedDomains.All.Select(d => d.Name).ToList();
}

/// <summary>Sort fields of <see cref="OpenCatalogQuery"/>.</summary>
public enum OpenCatalogSortField
{
    /// <summary>Relevance to the query (name hits first, then keyword hits).</summary>
    Relevance = 1,
    /// <summary>Time of the last publication (更新时间).</summary>
    Updated = 2,
    /// <summary>Resource code (ordinal).</summary>
    Code = 3,
    /// <summary>Resource name (ordinal, ASCII letters folded).</summary>
    Name = 4,
    /// <summary>
    /// A weight the caller supplies per entry in <see cref="OpenCatalogQuery.Popularity"/> (e.g. the portal's download
    /// counts, which the catalog does not keep); entries without one weigh 0.
    /// </summary>
    Popularity = 5,
}

/// <summary>One sort key: a field and a direction.</summary>
/// <param name="Field">What to sort by.</param>
/// <param name="Descending">True for descending (the natural order of <see cref="OpenCatalogSortField.Relevance"/> and <see cref="OpenCatalogSortField.Updated"/>).</param>
public sealed record OpenCatalogSortKey(OpenCatalogSortField Field, bool Descending);

/// <summary>A search of the open catalog. Filters are exact values as the facets return them; all given filters apply (AND).</summary>
public sealed record OpenCatalogQuery
{
    /// <summary>Search text; blank lists everything.</summary>
    public string? Q { get; init; }

    /// <summary>领域 (one of <see cref="CatalogDomains.Names"/>).</summary>
    public string? Domain { get; init; }

    /// <summary>Providing department.</summary>
    public Guid? DepartmentId { get; init; }

    /// <summary>信息资源格式分类.</summary>
    public FormatCategory? Format { get; init; }

    /// <summary>开放类型 (无条件开放 or 有条件开放; 不予开放 matches nothing).</summary>
    public OpenType? OpenType { get; init; }

    /// <summary>更新周期.</summary>
    public UpdateCycle? UpdateCycle { get; init; }

    /// <summary>类.</summary>
    public ResourceClass? Class { get; init; }

    /// <summary>A keyword (关键字) the resource must have, compared whole (ASCII letters folded).</summary>
    public string? Keyword { get; init; }

    /// <summary>Sort keys in order; empty: relevance, then the latest update.</summary>
    public IReadOnlyList<OpenCatalogSortKey> Sort { get; init; } = [];

    /// <summary>Weights per entry id for <see cref="OpenCatalogSortField.Popularity"/>; ignored by the other fields.</summary>
    public IReadOnlyDictionary<Guid, long>? Popularity { get; init; }

    /// <summary>Hits to skip.</summary>
    public int Offset { get; init; }

    /// <summary>Hits to return (0 returns only the total and the facets; at most 1000).</summary>
    public int Limit { get; init; } = 20;
}

/// <summary>The outcome of a search: a page, or messages per parameter.</summary>
/// <param name="Page">The page, when the query was acceptable.</param>
/// <param name="Errors">Chinese messages per parameter (<c>q</c>, <c>limit</c>, <c>offset</c>), when it was not.</param>
public sealed record OpenCatalogSearchResult(OpenCatalogPage? Page, IReadOnlyDictionary<string, string>? Errors);

/// <summary>A page of hits.</summary>
/// <param name="Total">Number of hits passing every filter.</param>
/// <param name="Terms">The terms searched (folded).</param>
/// <param name="Items">The hits of the page, in order.</param>
/// <param name="Facets">Counts per facet value.</param>
public sealed record OpenCatalogPage(int Total, IReadOnlyList<string> Terms, IReadOnlyList<OpenCatalogHit> Items, OpenCatalogFacets Facets);

/// <summary>One hit: the resource and the HTML highlights of the query's terms.</summary>
/// <param name="Dataset">The resource.</param>
/// <param name="Score">Relevance score.</param>
/// <param name="Highlights">HTML fragments: every field HTML-escaped first, then the terms wrapped in &lt;mark&gt;.</param>
public sealed record OpenCatalogHit(OpenDataset Dataset, int Score, OpenCatalogHighlights Highlights);

/// <summary>HTML-escaped fields with the query's terms in &lt;mark&gt;. Safe to write into a page as HTML.</summary>
/// <param name="Name">资源名称.</param>
/// <param name="Abstract">摘要.</param>
/// <param name="Keywords">关键字.</param>
/// <param name="MatchedItems">Names of the information items that contain a term (at most 10).</param>
public sealed record OpenCatalogHighlights(string Name, string Abstract, IReadOnlyList<string> Keywords, IReadOnlyList<string> MatchedItems);

/// <summary>One value of a facet.</summary>
/// <param name="Value">What to pass back as the filter (a Chinese term, a department id, a keyword).</param>
/// <param name="Label">Display text.</param>
/// <param name="Count">Hits with this value under every other filter.</param>
/// <param name="Selected">True when it is the active filter.</param>
public sealed record OpenCatalogFacetValue(string Value, string Label, int Count, bool Selected);

/// <summary>
/// Facet counts. Each facet is counted with every other filter applied but not its own, so the alternatives stay visible.
/// </summary>
/// <param name="Domains">领域, in the order of <see cref="CatalogDomains.Names"/> (a resource may count for several).</param>
/// <param name="Departments">Providing departments, most hits first.</param>
/// <param name="Formats">格式分类.</param>
/// <param name="OpenTypes">开放类型.</param>
/// <param name="UpdateCycles">更新周期.</param>
/// <param name="Classes">类.</param>
/// <param name="Keywords">关键字 (folded), most hits first.</param>
public sealed record OpenCatalogFacets(
    IReadOnlyList<OpenCatalogFacetValue> Domains, IReadOnlyList<OpenCatalogFacetValue> Departments, IReadOnlyList<OpenCatalogFacetValue> Formats,
    IReadOnlyList<OpenCatalogFacetValue> OpenTypes, IReadOnlyList<OpenCatalogFacetValue> UpdateCycles, IReadOnlyList<OpenCatalogFacetValue> Classes,
    IReadOnlyList<OpenCatalogFacetValue> Keywords);

/// <summary>A page of open resources in code order.</summary>
/// <param name="Total">Number of open resources.</param>
/// <param name="Items">The page.</param>
public sealed record OpenDatasetList(int Total, IReadOnlyList<OpenDatasetRef> Items);

/// <summary>An open resource in a list.</summary>
/// <param name="EntryId">Entry id.</param>
/// <param name="Code">资源代码.</param>
/// <param name="Name">资源名称.</param>
/// <param name="DepartmentId">Providing department.</param>
/// <param name="UpdatedAt">When the published content was last approved (UTC).</param>
public sealed record OpenDatasetRef(Guid EntryId, ResourceCode Code, string Name, Guid DepartmentId, DateTime UpdatedAt);

/// <summary>
/// The published metadata of an open resource: the 13 core metadata of the 1272 guide (share attributes reduced to the
/// type, since conditions and channels concern government users only) and the extended metadata.
/// </summary>
/// <param name="EntryId">Entry id (stable across revisions).</param>
/// <param name="Code">信息资源代码.</param>
/// <param name="MetadataIdentifier">元数据标识符.</param>
/// <param name="Name">信息资源名称.</param>
/// <param name="Abstract">信息资源摘要.</param>
/// <param name="ClassificationCode">Classification node (前段码).</param>
/// <param name="ClassificationPath">Names along the classification path (类 › 项 › 目 › 细目).</param>
/// <param name="DepartmentId">Providing department.</param>
/// <param name="DepartmentName">The department's current name (the provider as written when it no longer exists).</param>
/// <param name="ProviderName">信息资源提供方 as written.</param>
/// <param name="ProviderCode">信息资源提供方代码 (统一社会信用代码).</param>
/// <param name="FormatCategory">格式分类.</param>
/// <param name="FormatType">格式类型 (xlsx, csv, RESTful …).</param>
/// <param name="FormatDescription">格式说明.</param>
/// <param name="ShareType">共享类型.</param>
/// <param name="OpenType">开放类型 (无条件开放 or 有条件开放).</param>
/// <param name="OpenCondition">开放条件 (有条件开放).</param>
/// <param name="UpdateCycle">更新周期.</param>
/// <param name="UpdateCycleNote">更新周期说明.</param>
/// <param name="PublishDate">发布日期.</param>
/// <param name="FirstPublishedAt">First publication of the entry (UTC).</param>
/// <param name="UpdatedAt">Approval of the published revision (UTC): when the current content became public.</param>
/// <param name="MetadataUpdatedAt">元数据更新日期 (UTC).</param>
/// <param name="RelatedCodes">关联资源代码 — only those that are themselves open.</param>
/// <param name="Keywords">关键字.</param>
/// <param name="Domains">领域 (<see cref="CatalogDomains"/>) the resource counts for.</param>
/// <param name="MetadataMaintainer">元数据维护方.</param>
/// <param name="OnlineLink">在线资源链接地址.</param>
/// <param name="Hierarchy">层级属性.</param>
/// <param name="RevisionNumber">Number of the published revision.</param>
/// <param name="Items">信息项 (the data dictionary), in order.</param>
public sealed record OpenDataset(
    Guid EntryId, ResourceCode Code, string MetadataIdentifier, string Name, string? Abstract,
    string ClassificationCode, string ClassificationPath, Guid DepartmentId, string DepartmentName, string? ProviderName, string? ProviderCode,
    FormatCategory? FormatCategory, string? FormatType, string? FormatDescription,
    ShareType? ShareType, OpenType OpenType, string? OpenCondition, UpdateCycle? UpdateCycle, string? UpdateCycleNote,
    DateOnly? PublishDate, DateTime? FirstPublishedAt, DateTime UpdatedAt, DateTime MetadataUpdatedAt,
    IReadOnlyList<ResourceCode> RelatedCodes, IReadOnlyList<string> Keywords, IReadOnlyList<string> Domains,
    string? MetadataMaintainer, string? OnlineLink, CatalogHierarchy? Hierarchy, int RevisionNumber, IReadOnlyList<CatalogItem> Items)
{
    /// <summary>The resource's class (基础类/主题类/部门类).</summary>
    public ResourceClass Class => Code.Class;
}
