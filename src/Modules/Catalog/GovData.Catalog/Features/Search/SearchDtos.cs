namespace GovData.Catalog.Features.Search;

/// <summary>Where to search.</summary>
internal enum SearchScope
{
    /// <summary>业务目录: every published resource (government staff).</summary>
    Business,
    /// <summary>共享目录: published resources shared with other departments (government staff).</summary>
    Shared,
    /// <summary>开放目录: published resources opened to society (anyone).</summary>
    Open,
    /// <summary>编目工作台: the current content — drafts included — of the entries the caller works on (own department; reviewers their review scope).</summary>
    Workspace,
}

/// <summary>A search request. Filters take the catalog's Chinese terms (or enum names); <c>ClassCode</c> takes 1/2/3 or 基础类/主题类/部门类.</summary>
internal sealed record SearchQuery(
    string? Q = null, SearchScope Scope = SearchScope.Business, string? ClassificationCode = null, string? ClassCode = null,
    Guid? DepartmentId = null, string? ShareType = null, string? OpenType = null, string? UpdateCycle = null, string? Format = null,
    string? Sort = null, int Page = 1, int PageSize = 20);

/// <summary>HTML fragments of a hit: every field HTML-escaped, the query's terms wrapped in &lt;mark&gt;.</summary>
internal sealed record SearchHighlightsDto(string Name, string Abstract, string Provider, IReadOnlyList<string> Keywords, IReadOnlyList<string> Items);

/// <summary>One resource found.</summary>
internal sealed record SearchHitDto(
    Guid Id, string Code, string Name, string? Abstract, string ClassificationCode, string ClassificationPath, string ClassLabel,
    Guid DepartmentId, string DepartmentName, string? ProviderName, string? ShareType, string? OpenType, string? UpdateCycle,
    string? FormatCategory, IReadOnlyList<string> Keywords, int ItemCount, IReadOnlyList<string> MatchedItems, string? PublishDate,
    DateTime UpdatedAt, string Status, string Phase, int Score, SearchHighlightsDto Highlights);

/// <summary>One value of a facet: what to pass back as the filter, its label, the number of hits, and whether it is the active filter.</summary>
internal sealed record FacetValueDto(string Value, string Label, int Count, bool Selected);

/// <summary>
/// Hit counts per facet value. Each facet is counted with every other filter applied but not its own, so the
/// alternatives to the active choice stay visible. Resources without a value (drafts) are not counted.
/// </summary>
internal sealed record SearchFacetsDto(
    IReadOnlyList<FacetValueDto> Classes, IReadOnlyList<FacetValueDto> Departments, IReadOnlyList<FacetValueDto> ShareTypes,
    IReadOnlyList<FacetValueDto> OpenTypes, IReadOnlyList<FacetValueDto> UpdateCycles, IReadOnlyList<FacetValueDto> Formats);

/// <summary>A page of hits with the total, the terms searched and the facet counts.</summary>
internal sealed record SearchResultDto(
    string Catalog, string CatalogLabel, string Query, IReadOnlyList<string> Terms, string Sort, int Total, int Page, int PageSize,
    IReadOnlyList<SearchHitDto> Items, SearchFacetsDto Facets);
