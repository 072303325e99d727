using System.Data;
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
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovData.Catalog.Features.Search;

/// <summary>
/// Chinese full-text search over resource name, abstract (摘要), keywords, provider (提供方) and information item names,
/// with facets and highlighting, on SQLite and PostgreSQL. Terms (see <see cref="SearchTerms"/>) of three or more
/// characters are found through the trigram index (FTS5 trigram / pg_trgm), terms of one or two characters through the
/// gram index; all terms must match. Visibility follows the catalogs: 业务/共享/开放目录 show published content only
/// (<see cref="CatalogViews"/>), the workspace shows the current content of the entries the caller may work on
/// (<see cref="ResourceService.ScopeOf"/>).
/// <para>
/// One statement returns every visible match as a few numbers (id, department, facet values, score, time); facet
/// counts, the total and the requested page are computed from them here, so the text index is consulted once. Only the
/// page's documents are then read with their text (name, abstract, provider, keywords, item names) for display and
/// highlighting. Ranking: per term, a hit in the name (whole name 30, at its start 16, inside 10) and in the keywords
/// (6); hits only in the abstract, provider or items rank by update time after those.
/// </para>
/// </summary>
internal sealed class CatalogSearch(CatalogDb db, IDepartmentDirectory departments, ResourceService resources)
{
    private const string Documents = "catalog_search_documents";

    /// <summary>PostgreSQL: no parallel workers for the search transaction.</summary>
    internal const string NoParallelism = "SET LOCAL max_parallel_workers_per_gather = 0";

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
        var allDepartments = await departments.ListAsync(ct);
        var sql = Plan(actor, query.Scope, q, terms, filters, allDepartments);
        // One read snapshot for the match and the page read, so a document replaced in between cannot go missing from the
        // page. SQLite: a deferred transaction (a plain BEGIN takes no write lock, so searches never wait for writers).
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        await using var tx = (sql.Postgres
            ? await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct)
            : await db.Database.UseTransactionAsync(((SqliteConnection)connection).BeginTransaction(deferred: true), ct))
            ?? throw new InvalidOperationException("无法开始只读事务");
        var transaction = tx.GetDbTransaction();
        // Search statements are short: starting parallel workers costs more than it saves (measured, docs/benchmarks.md).
        if (sql.Postgres) await connection.ExecuteAsync(new CommandDefinition(NoParallelism, null, transaction, cancellationToken: ct));
        var matches = await ReadMatchesAsync(connection, transaction, sql, ct);
        var facets = Facets(matches, filters, allDepartments);
        var selected = TopHits(matches, filters, byUpdate, (page - 1) * size, size, out var total);
        var rows = selected.Count == 0 ? [] : await ReadDocumentsAsync(connection, transaction, sql.Postgres, selected, ct);
        var items = await ToDtosAsync(rows, terms, query.Scope, allDepartments, ct);
        await tx.CommitAsync(ct);
        await db.Database.CloseConnectionAsync();
        return CatalogResult<SearchResultDto>.Success(new SearchResultDto(Key(query.Scope), Label(query.Scope), q, terms,
            byUpdate ? "updated" : "relevance", total, page, size, items, facets));
    }

    private SqlBuilder Plan(CatalogActor? actor, SearchScope scope, string q, IReadOnlyList<string> terms, Filters filters, IReadOnlyList<DepartmentInfo> allDepartments)
    {
        var sql = new SqlBuilder(db.Database.IsNpgsql());
        sql.Visibility(scope, scope == SearchScope.Workspace ? resources.ScopeOf(actor!, allDepartments) : null);
        if (q.Length > 0 && terms.Count == 0) sql.Nothing();   // only punctuation: nothing to look for
        sql.Match(terms);
        if (filters.ClassificationPrefix is { } prefix) sql.Where($"d.classification_code LIKE {sql.Param(prefix + "%")}");
        return sql;
    }

    // ---------------------------------------------------------------- filters, facets, ranking

    /// <summary>Facet filters as stored: enum numbers, department id.</summary>
    private sealed record Filters(string? ClassificationPrefix, int? Class, Guid? Department, int? Share, int? Open, int? Cycle, int? Format)
    {
        public bool Passes(in Match m, string? except = null) =>
            (except == "class" || Class is null || m.Class == Class)
            && (except == "department" || Department is null || m.Department == Department)
            && (except == "share" || Share is null || m.Share == Share)
            && (except == "open" || Open is null || m.Open == Open)
            && (except == "cycle" || Cycle is null || m.Cycle == Cycle)
            && (except == "format" || Format is null || m.Format == Format);
    }

    /// <summary>One visible document that matches every term: what filtering, facets and ranking need.</summary>
    private readonly record struct Match(long Id, Guid Department, int Class, int? Share, int? Open, int? Cycle, int? Format, int Score, long UpdatedMs);

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

    private static int? ParseTerm<T>(string? text, string field, string label, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (CatalogTerms.TryParse<T>(text, out var value)) return Convert.ToInt32(value, CultureInfo.InvariantCulture);
        errors[field] = [$"{label}“{text}”无效，可选：{string.Join("、", CatalogTerms.Labels<T>())}"];
        return null;
    }

    private static SearchFacetsDto Facets(List<Match> matches, Filters f, IReadOnlyList<DepartmentInfo> allDepartments)
    {
        var classes = new Dictionary<int, int>();
        var depts = new Dictionary<Guid, int>();
        var share = new Dictionary<int, int>();
        var open = new Dictionary<int, int>();
        var cycle = new Dictionary<int, int>();
        var format = new Dictionary<int, int>();
        static void Add(Dictionary<int, int> counts, int? key)
        {
            if (key is { } k) counts[k] = counts.GetValueOrDefault(k) + 1;
        }
        foreach (var m in matches)
        {
            if (f.Passes(m, "class")) Add(classes, m.Class);
            if (f.Passes(m, "department")) depts[m.Department] = depts.GetValueOrDefault(m.Department) + 1;
            if (f.Passes(m, "share")) Add(share, m.Share);
            if (f.Passes(m, "open")) Add(open, m.Open);
            if (f.Passes(m, "cycle")) Add(cycle, m.Cycle);
            if (f.Passes(m, "format")) Add(format, m.Format);
        }
        if (f.Class is { } selectedClass) classes.TryAdd(selectedClass, 0);
        if (f.Department is { } selectedDept) depts.TryAdd(selectedDept, 0);
        var names = allDepartments.ToDictionary(d => d.Id, d => d.Name);
        string Name(Guid id) => names.TryGetValue(id, out var n) ? n : "（已撤销的部门）";
        List<FacetValueDto> EnumFacet<T>(Dictionary<int, int> counts, int? selected) where T : struct, Enum =>
            System.Enum.GetValues<T>().Select(v => (Value: v, Number: Convert.ToInt32(v, CultureInfo.InvariantCulture)))
                .Where(v => counts.ContainsKey(v.Number) || v.Number == selected)
                .Select(v => new FacetValueDto(CatalogTerms.Label(v.Value), CatalogTerms.Label(v.Value), counts.GetValueOrDefault(v.Number), v.Number == selected)).ToList();
        return new SearchFacetsDto(
            classes.OrderBy(x => x.Key)
                .Select(x => new FacetValueDto(x.Key.ToString(CultureInfo.InvariantCulture), CatalogTerms.Label((ResourceClass)x.Key), x.Value, x.Key == f.Class)).ToList(),
            depts.OrderByDescending(x => x.Value).ThenBy(x => Name(x.Key), StringComparer.Ordinal)
                .Select(x => new FacetValueDto(x.Key.ToString(), Name(x.Key), x.Value, x.Key == f.Department)).ToList(),
            EnumFacet<ShareType>(share, f.Share),
            EnumFacet<OpenType>(open, f.Open),
            EnumFacet<UpdateCycle>(cycle, f.Cycle),
            EnumFacet<FormatCategory>(format, f.Format));
    }

    /// <summary>
    /// The matches passing every filter, and among them the window [skip, skip + take) in ranking order (score, then newest,
    /// then the later document), chosen with a bounded heap instead of sorting everything.
    /// </summary>
    private static List<Match> TopHits(List<Match> matches, Filters f, bool byUpdate, int skip, int take, out int total)
    {
        var keep = skip + take;
        var heap = new PriorityQueue<Match, Match>(keep + 1, Comparer<Match>.Create((a, b) => -Compare(a, b, byUpdate)));
        total = 0;
        foreach (var m in matches)
        {
            if (!f.Passes(m)) continue;
            total++;
            heap.Enqueue(m, m);
            if (heap.Count > keep) heap.Dequeue();   // drops the lowest-ranked
        }
        var window = new List<Match>(heap.Count);
        while (heap.Count > 0) window.Add(heap.Dequeue());
        window.Reverse();
        return window.Skip(skip).ToList();
    }

    /// <summary>Negative when <paramref name="a"/> ranks before <paramref name="b"/>.</summary>
    private static int Compare(Match a, Match b, bool byUpdate)
    {
        if (!byUpdate && a.Score != b.Score) return b.Score.CompareTo(a.Score);
        if (a.UpdatedMs != b.UpdatedMs) return b.UpdatedMs.CompareTo(a.UpdatedMs);
        return b.Id.CompareTo(a.Id);
    }

    // ---------------------------------------------------------------- SQL

    /// <summary>The matching statement: visibility, every term, the classification prefix; with its parameters.</summary>
    internal sealed class SqlBuilder(bool postgres)
    {
        private readonly List<string> _where = [];
        private readonly List<string> _scoreTerms = [];
        private readonly List<string> _matchConditions = [];

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

        private string True(string column) => Postgres ? column : column + " = 1";

        public void Visibility(SearchScope scope, HashSet<Guid>? departmentScope)
        {
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
                    Where($"d.share_type IN ({string.Join(", ", CatalogViews.SharedTypes.Select(t => (int)t))})");
                    break;
                case SearchScope.Open:
                    Where(True("d.listed"));
                    Where($"d.open_type IN ({string.Join(", ", CatalogViews.OpenedTypes.Select(t => (int)t))})");
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
                // Long terms drive the trigram index. Short terms use the gram index only when there is no long term: next
                // to a (lossy, rechecked) trigram condition the gram expression would be recomputed for every candidate,
                // so there they are plain LIKE filters on the candidates, which is the same test.
                foreach (var t in longTerms) _matchConditions.Add($"d.search_text LIKE {Param(SearchTerms.ContainsPattern(t))}");
                if (longTerms.Count > 0)
                    foreach (var t in shortTerms) _matchConditions.Add($"d.search_text LIKE {Param(SearchTerms.ContainsPattern(t))}");
                else if (shortTerms.Count > 0)
                    _matchConditions.Add($"catalog_search_grams(d.search_text) @> {Param(shortTerms.ToArray())}::text[]");
            }
            else
            {
                // FTS5 query syntax: each term a quoted string ("" escapes a quote); terms hold no quotes, but stay safe anyway.
                if (longTerms.Count > 0)
                    _matchConditions.Add($"d.id IN (SELECT rowid FROM catalog_search_trigram WHERE catalog_search_trigram MATCH {Param(string.Join(" AND ", longTerms.Select(Quote)))})");
                if (shortTerms.Count > 0)
                    _matchConditions.Add($"d.id IN (SELECT rowid FROM catalog_search_grams WHERE catalog_search_grams MATCH {Param(string.Join(" AND ", shortTerms.Select(t => Quote(SearchTerms.Hex(t)))))})");
            }
            _where.AddRange(_matchConditions);
            foreach (var t in terms) _scoreTerms.Add(Param(t));
        }

        private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";

        private static string WhereClause(IEnumerable<string> conditions)
        {
            var all = conditions.ToList();
            return all.Count == 0 ? "" : "WHERE " + string.Join("\n  AND ", all);
        }

        /// <summary>Relevance from the name and the keywords (see the class remarks), stored folded, alike on both engines.</summary>
        public string Score()
        {
            if (_scoreTerms.Count == 0) return "0";
            string Pos(string column, string term) => Postgres ? $"strpos({column}, {term})" : $"instr({column}, {term})";
            return string.Join("\n + ", _scoreTerms.Select(t =>
                $"(CASE WHEN d.name_key = {t} THEN 30 WHEN {Pos("d.name_key", t)} = 1 THEN 16 WHEN {Pos("d.name_key", t)} > 0 THEN 10 ELSE 0 END"
                + $" + CASE WHEN {Pos("coalesce(d.keywords_key, '')", t)} > 0 THEN 6 ELSE 0 END)"));
        }

        /// <summary>Every visible match with its facet values, score and time.</summary>
        public string MatchSql() => MatchSql("");

        /// <summary>
        /// <see cref="MatchSql()"/> with more columns of the document after the nine fixed ones (e.g. <c>, d.entry_id</c>),
        /// for callers that facet on more than the fixed values (the open catalog's 领域 and keywords).
        /// </summary>
        public string MatchSql(string extraColumns) => $"""
            SELECT d.id, d.department_id, d.class_code, d.share_type, d.open_type, d.update_cycle, d.format_category, {Score()} AS score, d.updated_ms{extraColumns}
            FROM {Documents} d
            {WhereClause(_where)}
            """;

        /// <summary>The bare text match, counted: what the engine's indexes alone cost for the same terms (benchmark floor).</summary>
        public string CountSql() => $"SELECT count(*) FROM {Documents} d {WhereClause(_matchConditions)}";
    }

    private static async Task<List<Match>> ReadMatchesAsync(DbConnection connection, DbTransaction transaction, SqlBuilder sql, CancellationToken ct)
    {
        var list = new List<Match>();
        var guids = new Dictionary<string, Guid>();
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql.MatchSql(), sql.Parameters, transaction, cancellationToken: ct));
        while (await reader.ReadAsync(ct))
        {
            Guid department;
            if (sql.Postgres) department = reader.GetGuid(1);
            else
            {
                var text = reader.GetString(1);
                if (!guids.TryGetValue(text, out department)) guids[text] = department = Guid.Parse(text);
            }
            list.Add(new Match(reader.GetInt64(0), department, reader.GetInt32(2), Int(reader, 3), Int(reader, 4), Int(reader, 5), Int(reader, 6),
                reader.GetInt32(7), reader.GetInt64(8)));
        }
        return list;
    }

    private static int? Int(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);

    /// <summary>The documents of a page, with the text of their revisions (display and highlighting), in the given order.</summary>
    internal static (string Sql, DynamicParameters Parameters) DocumentSql(bool postgres, IReadOnlyList<long> ids)
    {
        var p = new DynamicParameters();
        p.Add("ids", ids.ToArray());
        var items = postgres
            ? "(SELECT string_agg(i.name, E'\\n' ORDER BY i.ordinal) FROM catalog_information_items i WHERE i.revision_id = r.id)"
            : "(SELECT group_concat(i.name, char(10) ORDER BY i.ordinal) FROM catalog_information_items i WHERE i.revision_id = r.id)";
        return ($"""
            SELECT d.id, d.entry_id, d.code, r.name, r.abstract, d.classification_code, d.class_code, d.department_id, r.provider_name,
                   d.share_type, d.open_type, d.update_cycle, d.format_category, r.keywords, {items} AS items, d.item_count, d.publish_date,
                   d.updated_ms, d.entry_status, d.revision_status, d.slot
            FROM {Documents} d JOIN catalog_revisions r ON r.id = d.revision_id
            WHERE d.id {(postgres ? "= ANY(@ids)" : "IN @ids")}
            """, p);
    }

    /// <summary>One document of the page.</summary>
    private sealed record Row(long Id, Guid EntryId, string Code, string Name, string? Abstract, string ClassificationCode, int ClassCode, Guid DepartmentId,
        string? Provider, int? Share, int? Open, int? Cycle, int? Format, string? Keywords, string? Items, int ItemCount,
        string? PublishDate, DateTime UpdatedAt, EntryStatus EntryStatus, RevisionStatus RevisionStatus, string Slot, int Score);

    private static async Task<List<Row>> ReadDocumentsAsync(DbConnection connection, DbTransaction transaction, bool postgres, List<Match> selected, CancellationToken ct)
    {
        var (text, parameters) = DocumentSql(postgres, selected.Select(m => m.Id).ToList());
        var byId = new Dictionary<long, Row>();
        var scores = selected.ToDictionary(m => m.Id, m => m.Score);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(text, parameters, transaction, cancellationToken: ct));
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            byId[id] = new Row(id, ReadGuid(reader.GetValue(1)), reader.GetString(2), reader.GetString(3), Text(reader, 4), reader.GetString(5),
                reader.GetInt32(6), ReadGuid(reader.GetValue(7)), Text(reader, 8), Int(reader, 9), Int(reader, 10), Int(reader, 11), Int(reader, 12),
                Text(reader, 13), Text(reader, 14), reader.GetInt32(15), ReadDate(reader.GetValue(16)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(17)).UtcDateTime,
                System.Enum.Parse<EntryStatus>(reader.GetString(18)), System.Enum.Parse<RevisionStatus>(reader.GetString(19)), reader.GetString(20), scores[id]);
        }
        return selected.Where(m => byId.ContainsKey(m.Id)).Select(m => byId[m.Id]).ToList();
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

    private static string? Label<T>(int? number) where T : struct, Enum =>
        number is { } n && System.Enum.IsDefined(typeof(T), n) ? CatalogTerms.Label((T)System.Enum.ToObject(typeof(T), n)) : null;

    /// <summary>
    /// The statements a search issues, for the benchmark: the match (facets, ranking), the bare match count (the engine's
    /// floor) and, given page ids, the document read.
    /// </summary>
    internal (string MatchSql, string CountSql, DynamicParameters Parameters) Explain(CatalogActor? actor, SearchQuery query, IReadOnlyList<DepartmentInfo> allDepartments)
    {
        var errors = new Dictionary<string, string[]>();
        var filters = ParseFilters(query, errors);
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors.SelectMany(e => e.Value)));
        var q = query.Q?.Trim() ?? "";
        var sql = Plan(actor, query.Scope, q, SearchTerms.Parse(q), filters, allDepartments);
        return (sql.MatchSql(), sql.CountSql(), sql.Parameters);
    }
}
