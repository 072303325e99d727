using System.Data.Common;
using Dapper;
using GovData.Catalog.Contracts;
using GovData.Catalog.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovData.Catalog.Features.Search;

/// <summary>Entries whose search documents must be rewritten after a save.</summary>
internal sealed class TouchedEntries
{
    public HashSet<Guid> EntryIds { get; } = [];

    /// <summary>Revisions changed without their entry being tracked (resolved to entries by a query).</summary>
    public HashSet<Guid> RevisionIds { get; } = [];

    public bool IsEmpty => EntryIds.Count == 0 && RevisionIds.Count == 0;
}

/// <summary>
/// Keeps <c>catalog_search_documents</c> (and, on SQLite, the FTS5 tables its triggers feed) in step with the catalog.
/// <see cref="CatalogDb"/> calls <see cref="Collect"/> before every save and <see cref="RefreshAsync"/> after it, inside
/// the same transaction, so the index can never disagree with a committed change: creating, editing, submitting,
/// approving, rejecting, withdrawing, deleting and importing all go through it. An entry's rows are rebuilt from the
/// stored tables by one INSERT … SELECT — the same SELECT the 0003 migration runs to fill the index of existing data.
/// </summary>
internal static class SearchIndex
{
    private const int Chunk = 500;

    /// <summary>The entries affected by the pending changes of a context (entries, revisions or information items).</summary>
    public static TouchedEntries Collect(ChangeTracker tracker)
    {
        var touched = new TouchedEntries();
        var revisionEntries = new Dictionary<Guid, Guid>();
        foreach (var e in tracker.Entries())
        {
            if (e.Entity is ResourceRevision r) revisionEntries[r.Id] = r.EntryId;
            if (e.State is EntityState.Unchanged or EntityState.Detached) continue;
            switch (e.Entity)
            {
                case CatalogEntry entry: touched.EntryIds.Add(entry.Id); break;
                case ResourceRevision revision: touched.EntryIds.Add(revision.EntryId); break;
                case InformationItem item: touched.RevisionIds.Add(item.RevisionId); break;
            }
        }
        foreach (var revisionId in touched.RevisionIds.ToList())
        {
            if (!revisionEntries.TryGetValue(revisionId, out var entryId)) continue;
            touched.EntryIds.Add(entryId);
            touched.RevisionIds.Remove(revisionId);
        }
        return touched;
    }

    /// <summary>Rewrites the search documents of the touched entries (deleted entries lose theirs). Runs in the context's transaction.</summary>
    public static async Task RefreshAsync(DbContext db, TouchedEntries touched, CancellationToken ct)
    {
        var (connection, tx, postgres) = Connection(db);
        var ids = touched.EntryIds.ToList();
        if (touched.RevisionIds.Count > 0)
            ids.AddRange((await connection.QueryAsync<string>(new CommandDefinition(
                postgres ? "SELECT entry_id::text FROM catalog_revisions WHERE id = ANY(@ids)" : "SELECT entry_id FROM catalog_revisions WHERE id IN @ids",
                IdsParameter(touched.RevisionIds, postgres), tx, cancellationToken: ct))).Select(Guid.Parse));
        foreach (var chunk in ids.Distinct().Chunk(Chunk))
        {
            var p = IdsParameter(chunk, postgres);
            await connection.ExecuteAsync(new CommandDefinition(DeleteSql(postgres), p, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(InsertSql(postgres, all: false), p, tx, cancellationToken: ct));
        }
    }

    /// <summary>Synchronous <see cref="RefreshAsync"/> for <c>SaveChanges()</c>.</summary>
    public static void Refresh(DbContext db, TouchedEntries touched)
    {
        var (connection, tx, postgres) = Connection(db);
        var ids = touched.EntryIds.ToList();
        if (touched.RevisionIds.Count > 0)
            ids.AddRange(connection.Query<string>(
                postgres ? "SELECT entry_id::text FROM catalog_revisions WHERE id = ANY(@ids)" : "SELECT entry_id FROM catalog_revisions WHERE id IN @ids",
                IdsParameter(touched.RevisionIds, postgres), tx).Select(Guid.Parse));
        foreach (var chunk in ids.Distinct().Chunk(Chunk))
        {
            var p = IdsParameter(chunk, postgres);
            connection.Execute(DeleteSql(postgres), p, tx);
            connection.Execute(InsertSql(postgres, all: false), p, tx);
        }
    }

    /// <summary>Rebuilds the whole index from the catalog tables (repair, bulk loads). Returns the number of documents.</summary>
    public static async Task<int> RebuildAsync(DbContext db, CancellationToken ct = default)
    {
        var (connection, tx, postgres) = Connection(db);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM catalog_search_documents", null, tx, commandTimeout: 3600, cancellationToken: ct));
        return await connection.ExecuteAsync(new CommandDefinition(InsertSql(postgres, all: true), null, tx, commandTimeout: 3600, cancellationToken: ct));
    }

    private static (DbConnection Connection, DbTransaction? Transaction, bool Postgres) Connection(DbContext db)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            throw new InvalidOperationException("更新检索索引须在打开的数据库连接（事务）中进行");
        return (connection, db.Database.CurrentTransaction?.GetDbTransaction(), db.Database.IsNpgsql());
    }

    /// <summary>
    /// <c>@ids</c> as each provider stores them: a uuid array on PostgreSQL, upper-case text on SQLite (EF Core's format;
    /// Dapper expands <c>IN @ids</c> of a typed array into one parameter per id).
    /// </summary>
    private static object IdsParameter(IEnumerable<Guid> ids, bool postgres) =>
        postgres ? new { ids = ids.ToArray() } : new { ids = ids.Select(Text).ToArray() };

    /// <summary>A Guid as EF Core stores it in SQLite.</summary>
    internal static string Text(Guid id) => id.ToString("D").ToUpperInvariant();

    private static string DeleteSql(bool postgres) => postgres
        ? "DELETE FROM catalog_search_documents WHERE entry_id = ANY(@ids)"
        : "DELETE FROM catalog_search_documents WHERE entry_id IN @ids";

    /// <summary>
    /// The documents of entries: one row for the published revision and one for the working revision. Keep in step with
    /// the backfill in Migrations/*/0003_search.sql (a test compares both). On SQLite the insert triggers index the text.
    /// </summary>
    internal static string InsertSql(bool postgres, bool all)
    {
        var entryFilter = all ? "" : postgres ? "WHERE e.id = ANY(@ids)" : "WHERE e.id IN @ids";
        var revisionFilter = all ? "" : postgres ? "WHERE id = ANY(@ids)" : "WHERE id IN @ids";
        var facets = $"""
            {Case<ShareType>("r.share_type")},
                {Case<OpenType>("r.open_type")},
                {Case<UpdateCycle>("r.update_cycle")},
                {Case<FormatCategory>("r.format_category")}
            """;
        const string changed = "CASE WHEN r.status IN ('Published', 'Offline') THEN coalesce(r.reviewed_at, r.updated_at) ELSE r.updated_at END";
        return postgres
            ? $"""
              WITH i AS (
                  SELECT revision_id, string_agg(name, E'\n' ORDER BY ordinal) AS names, count(*) AS n
                  FROM catalog_information_items
                  WHERE revision_id IN (SELECT published_revision_id FROM catalog_entries {revisionFilter}
                                        UNION ALL SELECT working_revision_id FROM catalog_entries {revisionFilter})
                  GROUP BY revision_id)
              INSERT INTO catalog_search_documents (entry_id, revision_id, slot, listed, is_current, department_id, entry_status, revision_status,
                  code, classification_code, class_code, share_type, open_type, update_cycle, format_category, item_count, publish_date, updated_ms,
                  name_key, keywords_key, search_text)
              SELECT e.id, r.id,
                  CASE WHEN r.id = e.published_revision_id THEN 'published' ELSE 'working' END,
                  coalesce(r.id = e.published_revision_id, false) AND e.status = 'Published',
                  r.id = e.working_revision_id OR e.working_revision_id IS NULL,
                  e.department_id, e.status, r.status, e.code, e.classification_code, e.class_code,
                  {facets},
                  coalesce(i.n, 0),
                  r.publish_date,
                  (extract(epoch FROM {changed}) * 1000)::bigint,
                  catalog_search_fold(r.name), catalog_search_fold(r.keywords),
                  catalog_search_fold(r.name || E'\n' || coalesce(r.abstract, '') || E'\n' || coalesce(r.keywords, '') || E'\n'
                      || coalesce(r.provider_name, '') || E'\n' || coalesce(i.names, ''))
              FROM catalog_entries e
              JOIN catalog_revisions r ON r.id = e.published_revision_id OR r.id = e.working_revision_id
              LEFT JOIN i ON i.revision_id = r.id
              {entryFilter}
              """
            : $"""
              INSERT INTO catalog_search_documents (entry_id, revision_id, slot, listed, is_current, department_id, entry_status, revision_status,
                  code, classification_code, class_code, share_type, open_type, update_cycle, format_category, item_count, publish_date, updated_ms,
                  name_key, keywords_key)
              SELECT e.id, r.id,
                  CASE WHEN r.id = e.published_revision_id THEN 'published' ELSE 'working' END,
                  CASE WHEN r.id = e.published_revision_id AND e.status = 'Published' THEN 1 ELSE 0 END,
                  CASE WHEN r.id = e.working_revision_id OR e.working_revision_id IS NULL THEN 1 ELSE 0 END,
                  e.department_id, e.status, r.status, e.code, e.classification_code, e.class_code,
                  {facets},
                  (SELECT count(*) FROM catalog_information_items i WHERE i.revision_id = r.id),
                  r.publish_date,
                  CAST(round((julianday({changed}) - 2440587.5) * 86400000) AS INTEGER),
                  lower(r.name), lower(r.keywords)
              FROM catalog_entries e
              JOIN catalog_revisions r ON r.id = e.published_revision_id OR r.id = e.working_revision_id
              {entryFilter}
              """;
    }

    /// <summary>Stored enum name → the enum's number (what the documents hold for facets).</summary>
    private static string Case<T>(string column) where T : struct, Enum =>
        $"CASE {column} " + string.Join(" ", Enum.GetValues<T>().Select(v => $"WHEN '{v}' THEN {Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)}")) + " END";
}
