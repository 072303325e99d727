using System.Data.Common;
using System.Globalization;
using Dapper;
using GovData.Catalog.Contracts;
using GovData.Catalog.Domain;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Resources;
using GovData.Catalog.Features.Shared;
using GovData.Catalog.Features.Views;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace GovData.Catalog.Features.Search;

/// <summary>
/// Chinese full-text search over resource name, abstract (摘要), keywords, provider (提供方) and information item names,
/// with facets and highlighting, on SQLite and PostgreSQL. Terms (see <see cref="SearchTerms"/>) of three or more
/// characters are found through the trigram index (FTS5 trigram / pg_trgm), terms of one or two characters through the
/// gram index; all terms must match. Visibility follows the catalogs: 业务/共享/开放目录 show published content only
/// (<see cref="CatalogViews"/>), the workspace shows the current content of the entries the caller may work on
/// (<see cref="ResourceService.ScopeOf"/>).
/// </summary>
internal sealed class CatalogSearch(CatalogDb db, IDepartmentDirectory departments, ResourceService resources)
{
    private const string Documents = "catalog_search_documents";

    public static string Label(SearchScope scope) => scope switch
    {
        SearchScope.Business => "业务目录",
        SearchScope.Shared => "共享目录",
        SearchScope.Open => "开放目录",
        _ => "编目工作台",
    };

    public static string Key(SearchScope scope) => scope switch
    {
        SearchScope.Business => "business",
        SearchScope.Shared => "share",
        SearchScope.Open => "open",
        _ => "workspace",
    };

    /// <summary>Parses the <c>catalog</c> parameter: business | share (shared) | open | workspace, or the Chinese names.</summary>
    public static bool TryParseScope(string? text, out SearchScope scope)
    {
        scope = SearchScope.Business;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "business" or "业务目录": scope = SearchScope.Business; return true;
            case "share" or "shared" or "共享目录": scope = SearchScope.Shared; return true;
            case "open" or "开放目录": scope = SearchScope.Open; return true;
            case "workspace" or "编目工作台": scope = SearchScope.Workspace; return true;
            default: return false;
        }
    }

    /// <summary>Runs a search as <paramref name="actor"/> (null: the public, only for the open catalog).</summary>
    public async Task<CatalogResult<SearchResultDto>> SearchAsync(CatalogActor? actor, SearchQuery query, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var q = query.Q?.Trim() ?? "";
        var terms = SearchTerms.Parse(q);
        if (q.Length > SearchTerms.MaxQueryLength) errors["q"] = [$"检索词不能超过{SearchTerms.MaxQueryLength}个字符"];
        else if (terms.Count > SearchTerms.MaxTerms) errors["q"] = [$"检索词最多{SearchTerms.MaxTerms}个（以空格分隔），当前为{terms.Count}个"];
        else if (terms.FirstOrDefault(t => SearchTerms.Length(t) > SearchTerms.MaxTermLength) is { } longTerm)
            errors["q"] = [$"单个检索词不能超过{SearchTerms.MaxTermLength}个字（“{longTerm[..10]}…”）"];
        var filters = ParseFilters(query, errors);
        var byUpdate = false;
        switch (query.Sort?.Trim().ToLowerInvariant())
        {
            case null or "" or "relevance" or "相关度": break;
            case "updated" or "更新时间": byUpdate = true; break;
            default: errors["sort"] = [$"排序方式“{query.Sort}”无效，可选：relevance（相关度）、updated（更新时间）"]; break;
        }
        if (errors.Count > 0) return CatalogResult<SearchResultDto>.Invalid(errors);
        if (query.Scope != SearchScope.Open && actor?.Department is null)
            return CatalogResult<SearchResultDto>.Deny("只有政务部门人员可以检索业务目录、共享目录和编目工作台；公众请检索开放目录（catalog=open）");

        var (page, size) = ResourceService.Paging(query.Page, query.PageSize);
        var sortKey = byUpdate ? "updated" : "relevance";
        var allDepartments = await departments.ListAsync(ct);
        var postgres = db.Database.IsNpgsql();
        var sql = new SqlBuilder(postgres);
        sql.Visibility(query.Scope, query.Scope == SearchScope.Workspace ? resources.ScopeOf(actor!, allDepartments) : null);
        if (q.Length > 0 && terms.Count == 0) sql.Nothing();   // only punctuation: nothing to look for
        sql.Match(terms);
        if (filters.ClassificationPrefix is { } prefix) sql.Where($"d.classification_code LIKE {sql.Param(prefix + "%")}");

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var combos = await ReadCombosAsync(connection, sql, ct);
            var facets = Facets(combos, filters, allDepartments);
            var total = combos.Where(filters.PassesAll).Sum(c => c.Count);
            var hits = total == 0 || (page - 1) * size >= total ? [] : await ReadPageAsync(connection, sql, filters, terms, byUpdate, page, size, ct);
            var items = await ToDtosAsync(hits, terms, query.Scope, allDepartments, ct);
            return CatalogResult<SearchResultDto>.Success(new SearchResultDto(Key(query.Scope), Label(query.Scope), q, terms, sortKey, total, page, size, items, facets));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // ---------------------------------------------------------------- filters and facets

    /// <summary>Facet filters as stored (enum names; department as Guid).</summary>
    private sealed record Filters(string? ClassificationPrefix, int? Class, Guid? Department, string? Share, string? Open, string? Cycle, string? Format)
    {
        public bool Passes(Combo c, string? except = null) =>
            (except == "class" || Class is null || c.Class == Class)
            && (except == "department" || Department is null || c.Department == Department)
            && (except == "share" || Share is null || c.Share == Share)
            && (except == "open" || Open is null || c.Open == Open)
            && (except == "cycle" || Cycle is null || c.Cycle == Cycle)
            && (except == "format" || Format is null || c.Format == Format);

        public bool PassesAll(Combo c) => Passes(c);
    }

    /// <summary>Hits per combination of facet values (one grouped query gives the total and every facet).</summary>
    private sealed record Combo(int Class, Guid Department, string? Share, string? Open, string? Cycle, string? Format, int Count);

    private static Filters ParseFilters(SearchQuery query, Dictionary<string, string[]> errors)
    {
        string? prefix = null;
        if (ResourceValidator.Blank(query.ClassificationCode) is { } node)
        {
            if (node.Length > 30 || !node.All(char.IsAsciiDigit)) errors["classificationCode"] = [$"分类代码“{node}”无效，应为分类树节点的代码（数字，如 102003）"];
            else prefix = node;
        }
        int? cls = null;
        if (ResourceValidator.Blank(query.ClassCode) is { } classText)
        {
            if (CatalogTerms.TryParse<ResourceClass>(classText, out var c)) cls = (int)c;
            else errors["classCode"] = [$"类“{classText}”无效，可选：1（基础类）、2（主题类）、3（部门类）"];
        }
        return new Filters(prefix, cls, query.DepartmentId,
            ParseTerm<ShareType>(query.ShareType, "shareType", "共享类型", errors), ParseTerm<OpenType>(query.OpenType, "openType", "开放类型", errors),
            ParseTerm<UpdateCycle>(query.UpdateCycle, "updateCycle", "更新周期", errors), ParseTerm<FormatCategory>(query.Format, "format", "信息资源格式", errors));
    }

    private static string? ParseTerm<T>(string? text, string field, string label, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (CatalogTerms.TryParse<T>(text, out var value)) return value.ToString();
        errors[field] = [$"{label}“{text}”无效，可选：{string.Join("、", CatalogTerms.Labels<T>())}"];
        return null;
    }

    private static SearchFacetsDto Facets(List<Combo> combos, Filters f, IReadOnlyList<DepartmentInfo> allDepartments)
    {
        Dictionary<TKey, int> Count<TKey>(string facet, Func<Combo, TKey> key, Func<Combo, bool> hasValue) where TKey : notnull
        {
            var counts = new Dictionary<TKey, int>();
            foreach (var c in combos)
                if (hasValue(c) && f.Passes(c, facet)) counts[key(c)] = counts.GetValueOrDefault(key(c)) + c.Count;
            return counts;
        }
        List<FacetValueDto> EnumFacet<T>(string facet, Func<Combo, string?> key, string? selected) where T : struct, Enum
        {
            var counts = Count(facet, c => key(c)!, c => key(c) is not null);
            return System.Enum.GetValues<T>().Where(v => counts.ContainsKey(v.ToString()) || v.ToString() == selected)
                .Select(v => new FacetValueDto(CatalogTerms.Label(v), CatalogTerms.Label(v), counts.GetValueOrDefault(v.ToString()), v.ToString() == selected)).ToList();
        }
        var classes = Count("class", c => c.Class, _ => true);
        var depts = Count("department", c => c.Department, _ => true);
        if (f.Class is { } selectedClass) classes.TryAdd(selectedClass, 0);
        if (f.Department is { } selectedDept) depts.TryAdd(selectedDept, 0);
        var names = allDepartments.ToDictionary(d => d.Id, d => d.Name);
        string Name(Guid id) => names.TryGetValue(id, out var n) ? n : "（已撤销的部门）";
        return new SearchFacetsDto(
            classes.OrderBy(x => x.Key)
                .Select(x => new FacetValueDto(x.Key.ToString(CultureInfo.InvariantCulture), CatalogTerms.Label((ResourceClass)x.Key), x.Value, x.Key == f.Class)).ToList(),
            depts.OrderByDescending(x => x.Value).ThenBy(x => Name(x.Key), StringComparer.Ordinal)
                .Select(x => new FacetValueDto(x.Key.ToString(), Name(x.Key), x.Value, x.Key == f.Department)).ToList(),
            EnumFacet<ShareType>("share", c => c.Share, f.Share),
            EnumFacet<OpenType>("open", c => c.Open, f.Open),
            EnumFacet<UpdateCycle>("cycle", c => c.Cycle, f.Cycle),
            EnumFacet<FormatCategory>("format", c => c.Format, f.Format));
    }

    // ---------------------------------------------------------------- SQL

    /// <summary>The WHERE clause shared by the facet query and the page query, with its parameters.</summary>
    internal sealed class SqlBuilder(bool postgres)
    {
        private readonly List<string> _where = [];
        private readonly List<string> _scoreTerms = [];

        public DynamicParameters Parameters { get; } = new();
        public bool Postgres { get; } = postgres;

        public string Param(object? value)
        {
            var name = "@p" + Parameters.ParameterNames.Count();
            Parameters.Add(name, value);
            return name;
        }

        public void Where(string condition) => _where.Add(condition);

        public void Nothing() => _where.Add("1 = 0");

        public void Visibility(SearchScope scope, HashSet<Guid>? departmentScope)
        {
            string True(string column) => Postgres ? column : column + " = 1";
            switch (scope)
            {
                case SearchScope.Workspace:
                    Where(True("d.is_current"));
                    if (departmentScope is not null)
                    {
                        if (departmentScope.Count == 0) Nothing();
                        else Where(Postgres ? $"d.department_id = ANY({Param(departmentScope.ToArray())})"
                            : $"d.department_id IN ({string.Join(", ", departmentScope.Select(id => Param(SearchIndex.Text(id))))})");
                    }
                    break;
                case SearchScope.Shared:
                    Where(True("d.listed"));
                    Where($"d.share_type IN ({string.Join(", ", CatalogViews.SharedTypes.Select(t => $"'{t}'"))})");
                    break;
                case SearchScope.Open:
                    Where(True("d.listed"));
                    Where($"d.open_type IN ({string.Join(", ", CatalogViews.OpenedTypes.Select(t => $"'{t}'"))})");
                    break;
                default:
                    Where(True("d.listed"));
                    break;
            }
        }

        /// <summary>Every term must occur: long terms through the trigram index, short ones through the gram index.</summary>
        public void Match(IReadOnlyList<string> terms)
        {
            var longTerms = terms.Where(t => !SearchTerms.IsShort(t)).ToList();
            var shortTerms = terms.Where(SearchTerms.IsShort).ToList();
            if (Postgres)
            {
                foreach (var t in longTerms) Where($"d.search_text LIKE {Param(SearchTerms.ContainsPattern(t))}");
                if (shortTerms.Count > 0) Where($"d.grams @> {Param(shortTerms.ToArray())}::text[]");
            }
            else
            {
                // FTS5 query syntax: each term a quoted string ("" escapes a quote); terms hold no quotes, but stay safe anyway.
                if (longTerms.Count > 0)
                    Where($"d.id IN (SELECT rowid FROM catalog_search_trigram WHERE catalog_search_trigram MATCH {Param(string.Join(" AND ", longTerms.Select(Quote)))})");
                if (shortTerms.Count > 0)
                    Where($"d.id IN (SELECT rowid FROM catalog_search_grams WHERE catalog_search_grams MATCH {Param(string.Join(" AND ", shortTerms.Select(t => Quote(SearchTerms.Hex(t)))))})");
            }
            foreach (var t in terms) _scoreTerms.Add(Param(t));
        }

        private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";

        public string WhereClause(IEnumerable<string>? extra = null)
        {
            var all = _where.Concat(extra ?? []).ToList();
            return all.Count == 0 ? "" : "WHERE " + string.Join("\n  AND ", all);
        }

        /// <summary>
        /// Relevance: per term, a hit in the name weighs most (whole name 30, at its start 16, inside 10), then keywords 6,
        /// information items 3, provider 3, abstract 2. Computed on the folded fields, identically on both engines.
        /// </summary>
        public string Score()
        {
            if (_scoreTerms.Count == 0) return "0";
            string Fold(string column) => Postgres ? $"catalog_search_fold(coalesce({column}, ''))" : $"lower(coalesce({column}, ''))";
            string Pos(string column, string term) => Postgres ? $"strpos({Fold(column)}, {term})" : $"instr({Fold(column)}, {term})";
            var parts = _scoreTerms.Select(t =>
                $"(CASE WHEN {Fold("d.name")} = {t} THEN 30 WHEN {Pos("d.name", t)} = 1 THEN 16 WHEN {Pos("d.name", t)} > 0 THEN 10 ELSE 0 END"
                + $" + CASE WHEN {Pos("d.keywords", t)} > 0 THEN 6 ELSE 0 END"
                + $" + CASE WHEN {Pos("d.items", t)} > 0 THEN 3 ELSE 0 END"
                + $" + CASE WHEN {Pos("d.provider", t)} > 0 THEN 3 ELSE 0 END"
                + $" + CASE WHEN {Pos("d.abstract", t)} > 0 THEN 2 ELSE 0 END)");
            return string.Join("\n + ", parts);
        }

        public string FacetSql() => $"""
            SELECT d.class_code, d.department_id, d.share_type, d.open_type, d.update_cycle, d.format_category, count(*) AS n
            FROM {Documents} d
            {WhereClause()}
            GROUP BY d.class_code, d.department_id, d.share_type, d.open_type, d.update_cycle, d.format_category
            """;

        public string PageSql(IEnumerable<string> filters, bool byUpdate, string take, string skip) => $"""
            SELECT d.entry_id, d.code, d.name, d.abstract, d.classification_code, d.class_code, d.department_id, d.provider,
                   d.share_type, d.open_type, d.update_cycle, d.format_category, d.keywords, d.items, d.item_count, d.publish_date,
                   d.updated_at, d.entry_status, d.revision_status, d.slot, {(byUpdate ? "0" : Score())} AS score
            FROM {Documents} d
            {WhereClause(filters)}
            ORDER BY {(byUpdate ? "" : "score DESC, ")}d.updated_at DESC, d.id DESC
            LIMIT {take} OFFSET {skip}
            """;
    }

    /// <summary>SQL conditions for the facet filters.</summary>
    private static List<string> FilterSql(SqlBuilder sql, Filters f)
    {
        var list = new List<string>();
        if (f.Class is { } c) list.Add($"d.class_code = {sql.Param(c)}");
        if (f.Department is { } d) list.Add($"d.department_id = {sql.Param(sql.Postgres ? d : SearchIndex.Text(d))}");
        if (f.Share is { } s) list.Add($"d.share_type = {sql.Param(s)}");
        if (f.Open is { } o) list.Add($"d.open_type = {sql.Param(o)}");
        if (f.Cycle is { } u) list.Add($"d.update_cycle = {sql.Param(u)}");
        if (f.Format is { } fm) list.Add($"d.format_category = {sql.Param(fm)}");
        return list;
    }

    private static async Task<List<Combo>> ReadCombosAsync(DbConnection connection, SqlBuilder sql, CancellationToken ct)
    {
        var list = new List<Combo>();
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql.FacetSql(), sql.Parameters, cancellationToken: ct));
        while (await reader.ReadAsync(ct))
            list.Add(new Combo(reader.GetInt32(0), ReadGuid(reader.GetValue(1)), Text(reader, 2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Convert.ToInt32(reader.GetValue(6), CultureInfo.InvariantCulture)));
        return list;
    }

    /// <summary>One row of the page query.</summary>
    private sealed record Row(Guid EntryId, string Code, string Name, string? Abstract, string ClassificationCode, int ClassCode, Guid DepartmentId,
        string? Provider, string? Share, string? Open, string? Cycle, string? Format, string? Keywords, string? Items, int ItemCount,
        string? PublishDate, DateTime UpdatedAt, EntryStatus EntryStatus, RevisionStatus RevisionStatus, string Slot, int Score);

    private static async Task<List<Row>> ReadPageAsync(DbConnection connection, SqlBuilder sql, Filters f, IReadOnlyList<string> terms, bool byUpdate,
        int page, int size, CancellationToken ct)
    {
        var filters = FilterSql(sql, f);
        var text = sql.PageSql(filters, byUpdate, sql.Param(size), sql.Param((page - 1) * size));
        var rows = new List<Row>();
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(text, sql.Parameters, cancellationToken: ct));
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Row(ReadGuid(reader.GetValue(0)), reader.GetString(1), reader.GetString(2), Text(reader, 3), reader.GetString(4),
                Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture), ReadGuid(reader.GetValue(6)), Text(reader, 7), Text(reader, 8),
                Text(reader, 9), Text(reader, 10), Text(reader, 11), Text(reader, 12), Text(reader, 13),
                Convert.ToInt32(reader.GetValue(14), CultureInfo.InvariantCulture), ReadDate(reader.GetValue(15)), ReadTime(reader.GetValue(16)),
                System.Enum.Parse<EntryStatus>(reader.GetString(17)), System.Enum.Parse<RevisionStatus>(reader.GetString(18)), reader.GetString(19),
                Convert.ToInt32(reader.GetValue(20), CultureInfo.InvariantCulture)));
        }
        return rows;
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static Guid ReadGuid(object value) => value switch
    {
        Guid g => g,
        string s => Guid.Parse(s),
        _ => throw new InvalidOperationException($"无法读取标识：{value}"),
    };

    private static string? ReadDate(object value) => value switch
    {
        DBNull => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        string s => s,
        _ => value.ToString(),
    };

    private static DateTime ReadTime(object value) => value switch
    {
        DateTime d => DateTime.SpecifyKind(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d, DateTimeKind.Utc),
        DateTimeOffset o => o.UtcDateTime,
        string s => DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture), DateTimeKind.Utc),
        _ => throw new InvalidOperationException($"无法读取时间：{value}"),
    };

    // ---------------------------------------------------------------- results

    private async Task<List<SearchHitDto>> ToDtosAsync(List<Row> rows, IReadOnlyList<string> terms, SearchScope scope, IReadOnlyList<DepartmentInfo> allDepartments, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var prefixes = rows.SelectMany(r => Enumerable.Range(1, r.ClassificationCode.Length).Select(n => r.ClassificationCode[..n])).Distinct().ToList();
        var chain = await db.Classifications.AsNoTracking().Where(c => prefixes.Contains(c.Code)).ToListAsync(ct);
        var paths = ClassificationService.PathNames(chain);
        var names = allDepartments.ToDictionary(d => d.Id, d => d.Name);
        return rows.Select(r =>
        {
            var keywords = ResourceRevision.SplitList(r.Keywords);
            var items = string.IsNullOrEmpty(r.Items) ? [] : r.Items.Split('\n');
            var matched = items.Where(i => SearchTerms.ContainsAny(i, terms)).Take(10).ToList();
            var phase = Lifecycle.PhaseOf(r.EntryStatus, r.Slot == "working" && r.EntryStatus == EntryStatus.Published ? r.RevisionStatus : null);
            return new SearchHitDto(r.EntryId, r.Code, r.Name, r.Abstract, r.ClassificationCode, paths.GetValueOrDefault(r.ClassificationCode, r.ClassificationCode),
                CatalogTerms.Label((ResourceClass)r.ClassCode), r.DepartmentId, names.GetValueOrDefault(r.DepartmentId, r.Provider ?? "（已撤销的部门）"), r.Provider,
                Label<ShareType>(r.Share), Label<OpenType>(r.Open), Label<UpdateCycle>(r.Cycle), Label<FormatCategory>(r.Format), keywords, r.ItemCount, matched,
                r.PublishDate, r.UpdatedAt, CatalogTerms.Label(r.EntryStatus), scope == SearchScope.Workspace ? Lifecycle.Label(phase) : CatalogTerms.Label(r.EntryStatus), r.Score,
                new SearchHighlightsDto(SearchTerms.Highlight(r.Name, terms), SearchTerms.Highlight(r.Abstract, terms), SearchTerms.Highlight(r.Provider, terms),
                    keywords.Select(k => SearchTerms.Highlight(k, terms)).ToList(), matched.Select(i => SearchTerms.Highlight(i, terms)).ToList()));
        }).ToList();
    }

    private static string? Label<T>(string? stored) where T : struct, Enum =>
        stored is not null && System.Enum.TryParse<T>(stored, out var v) ? CatalogTerms.Label(v) : stored;

    /// <summary>The SQL statements a search issues (facet counts, then the page), for the benchmark's raw-query limit.</summary>
    internal (string FacetSql, string PageSql, DynamicParameters Parameters) Explain(CatalogActor? actor, SearchQuery query, IReadOnlyList<DepartmentInfo> allDepartments)
    {
        var errors = new Dictionary<string, string[]>();
        var filters = ParseFilters(query, errors);
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors.SelectMany(e => e.Value)));
        var sql = new SqlBuilder(db.Database.IsNpgsql());
        sql.Visibility(query.Scope, query.Scope == SearchScope.Workspace ? resources.ScopeOf(actor!, allDepartments) : null);
        sql.Match(SearchTerms.Parse(query.Q));
        var facetSql = sql.FacetSql();
        var (page, size) = ResourceService.Paging(query.Page, query.PageSize);
        var pageSql = sql.PageSql(FilterSql(sql, filters), query.Sort == "updated", sql.Param(size), sql.Param((page - 1) * size));
        return (facetSql, pageSql, sql.Parameters);
    }
}
