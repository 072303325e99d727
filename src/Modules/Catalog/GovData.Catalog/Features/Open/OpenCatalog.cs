using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using GovData.Catalog.Contracts;
using GovData.Catalog.Features.Classifications;
using GovData.Catalog.Features.Quality;
using GovData.Catalog.Features.Search;
using GovData.Catalog.Features.Views;
using GovData.Catalog.Persistence;
using GovData.Identity.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovData.Catalog.Features.Open;

/// <summary>
/// The public open catalog (<see cref="IOpenCatalog"/>) on top of the catalog's search engine: the same visibility as the
/// 开放目录 search (published documents whose 开放类型 is 无条件/有条件开放, <see cref="CatalogSearch.SqlBuilder.Visibility"/>),
/// the same term parsing, indexes and ranking, plus what the portal facets on: 领域 (<see cref="AssessedDomains"/>, from
/// the department's registered domains, the classification path and the keywords, as the quality report counts them)
/// and keywords. One statement returns every match with its facet values; facets, total and the page are computed here;
/// only the page's resources are then read in full.
/// </summary>
internal sealed class OpenCatalog(CatalogDb db, IDepartmentDirectory departments) : IOpenCatalog
{
    public const int MaxLimit = 1000;

    public async Task<OpenCatalogSearchResult> SearchAsync(OpenCatalogQuery query, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        var q = query.Q?.Trim() ?? "";
        var terms = SearchTerms.Parse(q);
        if (q.Length > SearchTerms.MaxQueryLength) errors["q"] = $"检索词不能超过{SearchTerms.MaxQueryLength}个字符";
        else if (terms.Count > SearchTerms.MaxTerms) errors["q"] = $"检索词最多{SearchTerms.MaxTerms}个（以空格分隔），当前为{terms.Count}个";
        else if (terms.FirstOrDefault(t => SearchTerms.Length(t) > SearchTerms.MaxTermLength) is { } longTerm)
            errors["q"] = $"单个检索词不能超过{SearchTerms.MaxTermLength}个字（“{longTerm[..10]}…”）";
        if (query.Limit is < 0 or > MaxLimit) errors["limit"] = $"每页条数应在 0 到 {MaxLimit} 之间";
        if (query.Offset < 0) errors["offset"] = "起始位置不能为负数";
        int? domain = null;
        if (!string.IsNullOrWhiteSpace(query.Domain))
        {
            var index = AssessedDomains.All.ToList().FindIndex(d => d.Name == query.Domain.Trim());
            if (index < 0) errors["domain"] = $"领域“{query.Domain}”无效，可选：{string.Join("、", CatalogDomains.Names)}";
            else domain = index;
        }
        if (errors.Count > 0) return new OpenCatalogSearchResult(null, errors);

        var filters = new Filters(domain, query.DepartmentId, (int?)query.Format, (int?)query.OpenType, (int?)query.UpdateCycle, (int?)query.Class,
            string.IsNullOrWhiteSpace(query.Keyword) ? null : SearchTerms.Fold(query.Keyword.Trim()));
        var sort = query.Sort.Count > 0 ? query.Sort : DefaultSort;

        var sql = new CatalogSearch.SqlBuilder(db.Database.IsNpgsql());
        sql.Visibility(SearchScope.Open, null);
        if (q.Length > 0 && terms.Count == 0) sql.Nothing();
        sql.Match(terms);

        var directory = (await departments.ListAsync(ct)).ToDictionary(d => d.Id);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var tx = (sql.Postgres
                ? await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct)
                : await db.Database.UseTransactionAsync(((SqliteConnection)connection).BeginTransaction(deferred: true), ct))
                ?? throw new InvalidOperationException("无法开始只读事务");
            var transaction = tx.GetDbTransaction();
            if (sql.Postgres) await connection.ExecuteAsync(new CommandDefinition(CatalogSearch.NoParallelism, null, transaction, cancellationToken: ct));
            var paths = await PathNamesAsync(ct);
            var matches = await ReadMatchesAsync(connection, transaction, sql, paths, directory, ct);
            var facets = Facets(matches, filters, directory);
            var page = Window(matches, filters, sort, query.Popularity, query.Offset, query.Limit, out var total);
            var datasets = page.Count == 0 ? [] : await LoadAsync(page.Select(m => m.EntryId).ToList(), directory, ct);
            await tx.CommitAsync(ct);
            var byId = datasets.ToDictionary(d => d.EntryId);
            var hits = page.Where(m => byId.ContainsKey(m.EntryId)).Select(m => Hit(byId[m.EntryId], m.Score, terms)).ToList();
            return new OpenCatalogSearchResult(new OpenCatalogPage(total, terms, hits, facets), null);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task<OpenDataset?> FindAsync(ResourceCode code, CancellationToken ct = default)
    {
        var text = code.ToString();
        var id = await db.Entries.AsNoTracking().Where(e => e.Code == text).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);
        return id is { } entryId ? await FindAsync(entryId, ct) : null;
    }

    public async Task<OpenDataset?> FindAsync(Guid entryId, CancellationToken ct = default) =>
        (await GetAsync([entryId], ct)).FirstOrDefault();

    public async Task<IReadOnlyList<OpenDataset>> GetAsync(IReadOnlyList<Guid> entryIds, CancellationToken ct = default)
    {
        if (entryIds.Count == 0) return [];
        var directory = (await departments.ListAsync(ct)).ToDictionary(d => d.Id);
        var loaded = (await LoadAsync(entryIds, directory, ct)).ToDictionary(d => d.EntryId);
        return entryIds.Distinct().Where(loaded.ContainsKey).Select(id => loaded[id]).ToList();
    }

    public async Task<OpenDatasetList> ListAsync(int offset, int limit, CancellationToken ct = default)
    {
        offset = Math.Max(0, offset);
        limit = Math.Clamp(limit, 0, 10_000);
        var open = Opened();
        var total = await open.CountAsync(ct);
        var rows = limit == 0 ? [] : await open.OrderBy(x => x.Entry.ClassificationCode).ThenBy(x => x.Entry.Sequence).Skip(offset).Take(limit)
            .Select(x => new { x.Entry.Id, x.Entry.Code, x.Revision.Name, x.Entry.DepartmentId, x.Revision.ReviewedAt, x.Revision.UpdatedAt })
            .ToListAsync(ct);
        return new OpenDatasetList(total, rows.Select(r => new OpenDatasetRef(r.Id, ResourceCode.Parse(r.Code), r.Name, r.DepartmentId,
            Utc(r.ReviewedAt ?? r.UpdatedAt))).ToList());
    }

    // ---------------------------------------------------------------- loading

    private sealed class OpenRow
    {
        public required CatalogEntry Entry { get; init; }
        public required ResourceRevision Revision { get; init; }
    }

    /// <summary>Published entries whose published revision is opened (the 开放目录, as <see cref="CatalogViews"/> reads it).</summary>
    private IQueryable<OpenRow> Opened() =>
        from e in db.Entries.AsNoTracking()
        join r in db.Revisions.AsNoTracking() on e.PublishedRevisionId equals (Guid?)r.Id
        where e.Status == EntryStatus.Published && r.OpenType != null && CatalogViews.OpenedTypes.Contains(r.OpenType.Value)
        select new OpenRow { Entry = e, Revision = r };

    private async Task<List<OpenDataset>> LoadAsync(IReadOnlyList<Guid> entryIds, IReadOnlyDictionary<Guid, DepartmentInfo> directory, CancellationToken ct)
    {
        var rows = new List<OpenRow>();
        foreach (var chunk in entryIds.Distinct().Chunk(500))
            rows.AddRange(await Opened().Where(x => chunk.Contains(x.Entry.Id)).ToListAsync(ct));
        if (rows.Count == 0) return [];
        var revisionIds = rows.Select(x => x.Revision.Id).ToList();
        var items = new List<InformationItem>();
        foreach (var chunk in revisionIds.Chunk(500))
            items.AddRange(await db.Items.AsNoTracking().Where(i => chunk.Contains(i.RevisionId)).ToListAsync(ct));
        var itemsByRevision = items.ToLookup(i => i.RevisionId);
        var paths = await PathNamesAsync(ct);

        // 关联资源代码: only codes of resources that are themselves open are shown to the public.
        var related = rows.SelectMany(x => ResourceRevision.SplitList(x.Revision.RelatedCodes)).Distinct(StringComparer.Ordinal).ToList();
        var openRelated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in related.Chunk(500))
            openRelated.UnionWith(await Opened().Where(x => chunk.Contains(x.Entry.Code)).Select(x => x.Entry.Code).ToListAsync(ct));

        return rows.Select(x =>
        {
            var e = x.Entry;
            var r = x.Revision;
            var keywords = ResourceRevision.SplitList(r.Keywords);
            var dept = directory.GetValueOrDefault(e.DepartmentId);
            var pathNames = paths.GetValueOrDefault(e.ClassificationCode) ?? [];
            var domains = AssessedDomains.Match((dept?.Domains ?? []).Concat(pathNames).Concat(keywords)).ToList();
            var relatedCodes = ResourceRevision.SplitList(r.RelatedCodes).Where(openRelated.Contains)
                .Select(c => ResourceCode.TryParse(c, out var code) ? code : null).OfType<ResourceCode>().ToList();
            var dictionary = itemsByRevision[r.Id].OrderBy(i => i.Ordinal).Select(i => new CatalogItem(i.Ordinal, i.Name, i.FieldCode, i.DataType,
                i.Length, i.Precision, i.IsRequired, i.IsKey, i.ValueDomain, i.Sensitivity, i.MaskingRule, i.Description)).ToList();
            return new OpenDataset(e.Id, ResourceCode.Parse(e.Code), e.MetadataIdentifier, r.Name, r.Abstract,
                e.ClassificationCode, string.Join(" › ", pathNames), e.DepartmentId, dept?.Name ?? r.ProviderName ?? "（已撤销的部门）",
                r.ProviderName, r.ProviderCode, r.FormatCategory, r.FormatType, r.FormatDescription, r.ShareType, r.OpenType!.Value, r.OpenCondition,
                r.UpdateCycle, r.UpdateCycleNote, r.PublishDate, e.FirstPublishedAt is { } first ? Utc(first) : null, Utc(r.ReviewedAt ?? r.UpdatedAt),
                Utc(r.MetadataUpdatedAt), relatedCodes, keywords, domains, r.MetadataMaintainer, r.OnlineLink, r.Hierarchy, r.Number, dictionary);
        }).ToList();
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>Classification code → the names from 类 down to the node.</summary>
    private async Task<Dictionary<string, List<string>>> PathNamesAsync(CancellationToken ct)
    {
        var nodes = await db.Classifications.AsNoTracking().Select(c => new { c.Code, c.ParentCode, c.Name }).ToListAsync(ct);
        var byCode = nodes.ToDictionary(n => n.Code);
        var result = new Dictionary<string, List<string>>(nodes.Count, StringComparer.Ordinal);
        foreach (var n in nodes)
        {
            var names = new List<string>();
            for (var x = n; x is not null; x = x.ParentCode is { } p ? byCode.GetValueOrDefault(p) : null) names.Insert(0, x.Name);
            result[n.Code] = names;
        }
        return result;
    }

    private static OpenCatalogHit Hit(OpenDataset d, int score, IReadOnlyList<string> terms)
    {
        var matched = d.Items.Select(i => i.Name).Where(n => SearchTerms.ContainsAny(n, terms)).Take(10).ToList();
        return new OpenCatalogHit(d, score, new OpenCatalogHighlights(SearchTerms.Highlight(d.Name, terms), SearchTerms.Highlight(d.Abstract, terms),
            d.Keywords.Select(k => SearchTerms.Highlight(k, terms)).ToList(), matched.Select(n => SearchTerms.Highlight(n, terms)).ToList()));
    }

    // ---------------------------------------------------------------- matching, facets, ranking

    private static readonly IReadOnlyList<OpenCatalogSortKey> DefaultSort =
        [new(OpenCatalogSortField.Relevance, true), new(OpenCatalogSortField.Updated, true)];

    /// <summary>One visible match: what filtering, facets and ranking need.</summary>
    private sealed record Match(long Id, Guid EntryId, Guid Department, int Class, int? Open, int? Cycle, int? Format, int Score, long UpdatedMs,
        string Code, string NameKey, int Domains, string[] Keywords);

    private sealed record Filters(int? Domain, Guid? Department, int? Format, int? Open, int? Cycle, int? Class, string? Keyword)
    {
        public bool Passes(Match m, string? except = null) =>
            (except == "domain" || Domain is not { } d || (m.Domains & (1 << d)) != 0)
            && (except == "department" || Department is null || m.Department == Department)
            && (except == "format" || Format is null || m.Format == Format)
            && (except == "open" || Open is null || m.Open == Open)
            && (except == "cycle" || Cycle is null || m.Cycle == Cycle)
            && (except == "class" || Class is null || m.Class == Class)
            && (except == "keyword" || Keyword is null || m.Keywords.Contains(Keyword, StringComparer.Ordinal));
    }

    private static async Task<List<Match>> ReadMatchesAsync(DbConnection connection, DbTransaction transaction, CatalogSearch.SqlBuilder sql,
        Dictionary<string, List<string>> paths, IReadOnlyDictionary<Guid, DepartmentInfo> directory, CancellationToken ct)
    {
        var list = new List<Match>();
        var guids = new Dictionary<string, Guid>();
        var placeMasks = new Dictionary<(Guid, string), int>();
        var keywordMasks = new Dictionary<string, (int Mask, string[] Keywords)>(StringComparer.Ordinal);
        Guid ReadGuid(DbDataReader reader, int i)
        {
            if (sql.Postgres) return reader.GetGuid(i);
            var text = reader.GetString(i);
            if (!guids.TryGetValue(text, out var id)) guids[text] = id = Guid.Parse(text);
            return id;
        }
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            sql.MatchSql(", d.entry_id, d.code, d.classification_code, d.keywords_key, d.name_key"), sql.Parameters, transaction, cancellationToken: ct));
        while (await reader.ReadAsync(ct))
        {
            var department = ReadGuid(reader, 1);
            var classification = reader.GetString(11);
            if (!placeMasks.TryGetValue((department, classification), out var placeMask))
            {
                var texts = (directory.GetValueOrDefault(department)?.Domains ?? []).Concat(paths.GetValueOrDefault(classification) ?? []);
                placeMasks[(department, classification)] = placeMask = Mask(texts);
            }
            var keywordsKey = reader.IsDBNull(12) ? "" : reader.GetString(12);
            if (!keywordMasks.TryGetValue(keywordsKey, out var keywords))
            {
                var split = ResourceRevision.SplitList(keywordsKey).Distinct(StringComparer.Ordinal).ToArray();
                keywordMasks[keywordsKey] = keywords = (Mask(split), split);
            }
            list.Add(new Match(reader.GetInt64(0), ReadGuid(reader, 9), department, reader.GetInt32(2), Int(reader, 4), Int(reader, 5), Int(reader, 6),
                reader.GetInt32(7), reader.GetInt64(8), reader.GetString(10), reader.GetString(13), placeMask | keywords.Mask, keywords.Keywords));
        }
        return list;
    }

    private static int Mask(IEnumerable<string?> texts)
    {
        var mask = 0;
        var names = AssessedDomains.Match(texts).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < AssessedDomains.All.Count; i++)
            if (names.Contains(AssessedDomains.All[i].Name)) mask |= 1 << i;
        return mask;
    }

    private static int? Int(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);

    private static OpenCatalogFacets Facets(List<Match> matches, Filters f, IReadOnlyDictionary<Guid, DepartmentInfo> directory)
    {
        var domains = new int[AssessedDomains.All.Count];
        var depts = new Dictionary<Guid, int>();
        var formats = new Dictionary<int, int>();
        var opens = new Dictionary<int, int>();
        var cycles = new Dictionary<int, int>();
        var classes = new Dictionary<int, int>();
        var keywords = new Dictionary<string, int>(StringComparer.Ordinal);
        static void Add(Dictionary<int, int> counts, int? key)
        {
            if (key is { } k) counts[k] = counts.GetValueOrDefault(k) + 1;
        }
        foreach (var m in matches)
        {
            if (f.Passes(m, "domain"))
                for (var i = 0; i < domains.Length; i++)
                    if ((m.Domains & (1 << i)) != 0) domains[i]++;
            if (f.Passes(m, "department")) depts[m.Department] = depts.GetValueOrDefault(m.Department) + 1;
            if (f.Passes(m, "format")) Add(formats, m.Format);
            if (f.Passes(m, "open")) Add(opens, m.Open);
            if (f.Passes(m, "cycle")) Add(cycles, m.Cycle);
            if (f.Passes(m, "class")) Add(classes, m.Class);
            if (f.Passes(m, "keyword"))
                foreach (var k in m.Keywords) keywords[k] = keywords.GetValueOrDefault(k) + 1;
        }
        if (f.Department is { } selectedDept) depts.TryAdd(selectedDept, 0);
        if (f.Keyword is { } selectedKeyword) keywords.TryAdd(selectedKeyword, 0);
        string Name(Guid id) => directory.TryGetValue(id, out var d) ? d.Name : "（已撤销的部门）";
        List<OpenCatalogFacetValue> EnumFacet<T>(Dictionary<int, int> counts, int? selected) where T : struct, Enum =>
            Enum.GetValues<T>().Select(v => (Value: v, Number: Convert.ToInt32(v, CultureInfo.InvariantCulture)))
                .Where(v => counts.ContainsKey(v.Number) || v.Number == selected)
                .Select(v => new OpenCatalogFacetValue(CatalogTerms.Label(v.Value), CatalogTerms.Label(v.Value), counts.GetValueOrDefault(v.Number), v.Number == selected))
                .ToList();
        return new OpenCatalogFacets(
            AssessedDomains.All.Select((d, i) => (d.Name, Count: domains[i], Selected: f.Domain == i)).Where(x => x.Count > 0 || x.Selected)
                .Select(x => new OpenCatalogFacetValue(x.Name, x.Name, x.Count, x.Selected)).ToList(),
            depts.OrderByDescending(x => x.Value).ThenBy(x => Name(x.Key), StringComparer.Ordinal)
                .Select(x => new OpenCatalogFacetValue(x.Key.ToString(), Name(x.Key), x.Value, x.Key == f.Department)).ToList(),
            EnumFacet<FormatCategory>(formats, f.Format),
            EnumFacet<OpenType>(opens, f.Open),
            EnumFacet<UpdateCycle>(cycles, f.Cycle),
            EnumFacet<ResourceClass>(classes, f.Class),
            keywords.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal)
                .Select(x => new OpenCatalogFacetValue(x.Key, x.Key, x.Value, x.Key == f.Keyword)).ToList());
    }

    /// <summary>The matches passing every filter, and among them [offset, offset + limit) in sort order (bounded heap).</summary>
    private static List<Match> Window(List<Match> matches, Filters f, IReadOnlyList<OpenCatalogSortKey> sort, IReadOnlyDictionary<Guid, long>? popularity,
        int offset, int limit, out int total)
    {
        var comparer = Comparer<Match>.Create((a, b) => Compare(a, b, sort, popularity));
        var keep = offset + limit;
        var heap = new PriorityQueue<Match, Match>(Math.Min(keep, matches.Count) + 1, Comparer<Match>.Create((a, b) => -comparer.Compare(a, b)));
        total = 0;
        foreach (var m in matches)
        {
            if (!f.Passes(m)) continue;
            total++;
            if (keep == 0) continue;
            heap.Enqueue(m, m);
            if (heap.Count > keep) heap.Dequeue();
        }
        var window = new List<Match>(heap.Count);
        while (heap.Count > 0) window.Add(heap.Dequeue());
        window.Reverse();
        return window.Skip(offset).ToList();
    }

    /// <summary>Negative when <paramref name="a"/> comes first.</summary>
    private static int Compare(Match a, Match b, IReadOnlyList<OpenCatalogSortKey> sort, IReadOnlyDictionary<Guid, long>? popularity)
    {
        foreach (var key in sort)
        {
            var c = key.Field switch
            {
                OpenCatalogSortField.Relevance => a.Score.CompareTo(b.Score),
                OpenCatalogSortField.Updated => a.UpdatedMs.CompareTo(b.UpdatedMs),
                OpenCatalogSortField.Code => string.CompareOrdinal(a.Code, b.Code),
                OpenCatalogSortField.Popularity => (popularity?.GetValueOrDefault(a.EntryId) ?? 0).CompareTo(popularity?.GetValueOrDefault(b.EntryId) ?? 0),
                _ => string.CompareOrdinal(a.NameKey, b.NameKey),
            };
            if (c != 0) return key.Descending ? -c : c;
        }
        return b.Id.CompareTo(a.Id);
    }
}
