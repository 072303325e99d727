-- Catalog 0003: Chinese full-text search (Features/Search).
-- catalog_search_documents holds one row per searchable content of an entry: its published revision (slot
-- 'published') and the revision being worked on (slot 'working'). The application rewrites an entry's rows in the
-- transaction that changes the entry (CatalogDb.SaveChanges → SearchIndex); this migration fills them for the
-- entries that already exist, with the same SELECT.
-- No Chinese segmenter is available, so text is indexed as character n-grams:
--   catalog_search_trigram  FTS5 trigram index of the five searched fields (terms of 3 or more characters);
--   catalog_search_grams    FTS5 index of every distinct 1- and 2-character sequence, each written as the hex of its
--                           UTF-8 bytes so no tokenizer can split or alter it (terms of 1–2 characters: 社保, 法人).
-- Both are contentless and are fed by the triggers below from the folded (ASCII lower-case) text.
CREATE TABLE catalog_search_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id TEXT NOT NULL REFERENCES catalog_entries(id) ON DELETE CASCADE,
    revision_id TEXT NOT NULL,
    slot TEXT NOT NULL,
    listed INTEGER NOT NULL,
    is_current INTEGER NOT NULL,
    department_id TEXT NOT NULL,
    entry_status TEXT NOT NULL,
    revision_status TEXT NOT NULL,
    code TEXT NOT NULL,
    classification_code TEXT NOT NULL,
    class_code INTEGER NOT NULL,
    name TEXT NOT NULL,
    abstract TEXT NULL,
    keywords TEXT NULL,
    provider TEXT NULL,
    items TEXT NULL,
    item_count INTEGER NOT NULL,
    share_type TEXT NULL,
    open_type TEXT NULL,
    update_cycle TEXT NULL,
    format_category TEXT NULL,
    publish_date TEXT NULL,
    updated_at TEXT NOT NULL,
    search_text TEXT NOT NULL,
    CHECK (slot IN ('published', 'working'))
);
CREATE UNIQUE INDEX ux_catalog_search_documents_entry_slot ON catalog_search_documents (entry_id, slot);
CREATE INDEX ix_catalog_search_documents_listed ON catalog_search_documents (listed, updated_at);
CREATE INDEX ix_catalog_search_documents_current ON catalog_search_documents (is_current, department_id);

CREATE VIRTUAL TABLE catalog_search_trigram USING fts5(
    name, abstract, keywords, provider, items,
    tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1);

CREATE VIRTUAL TABLE catalog_search_grams USING fts5(
    grams, tokenize = 'ascii', content = '', contentless_delete = 1, detail = none);

-- Character positions 1..65536 for cutting the text into 1- and 2-character grams inside a trigger (triggers cannot
-- use recursive CTEs). Text beyond 65,536 characters is not gram-indexed (the 3+ character index still covers it).
CREATE TABLE catalog_search_positions (n INTEGER NOT NULL PRIMARY KEY);
INSERT INTO catalog_search_positions (n)
WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < 65536)
SELECT n FROM p;

CREATE TRIGGER catalog_search_documents_ai AFTER INSERT ON catalog_search_documents BEGIN
    INSERT INTO catalog_search_trigram (rowid, name, abstract, keywords, provider, items)
    VALUES (new.id, lower(new.name), lower(coalesce(new.abstract, '')), lower(coalesce(new.keywords, '')),
            lower(coalesce(new.provider, '')), lower(coalesce(new.items, '')));
    INSERT INTO catalog_search_grams (rowid, grams)
    SELECT new.id, coalesce(group_concat(g, ' '), '') FROM (
        SELECT hex(substr(new.search_text, n, 1)) AS g FROM catalog_search_positions
        WHERE n <= length(new.search_text) AND substr(new.search_text, n, 1) <> char(10)
        UNION
        SELECT hex(substr(new.search_text, n, 2)) FROM catalog_search_positions
        WHERE n < length(new.search_text) AND instr(substr(new.search_text, n, 2), char(10)) = 0);
END;

CREATE TRIGGER catalog_search_documents_ad AFTER DELETE ON catalog_search_documents BEGIN
    DELETE FROM catalog_search_trigram WHERE rowid = old.id;
    DELETE FROM catalog_search_grams WHERE rowid = old.id;
END;

CREATE TRIGGER catalog_search_documents_au AFTER UPDATE ON catalog_search_documents BEGIN
    DELETE FROM catalog_search_trigram WHERE rowid = old.id;
    DELETE FROM catalog_search_grams WHERE rowid = old.id;
    INSERT INTO catalog_search_trigram (rowid, name, abstract, keywords, provider, items)
    VALUES (new.id, lower(new.name), lower(coalesce(new.abstract, '')), lower(coalesce(new.keywords, '')),
            lower(coalesce(new.provider, '')), lower(coalesce(new.items, '')));
    INSERT INTO catalog_search_grams (rowid, grams)
    SELECT new.id, coalesce(group_concat(g, ' '), '') FROM (
        SELECT hex(substr(new.search_text, n, 1)) AS g FROM catalog_search_positions
        WHERE n <= length(new.search_text) AND substr(new.search_text, n, 1) <> char(10)
        UNION
        SELECT hex(substr(new.search_text, n, 2)) FROM catalog_search_positions
        WHERE n < length(new.search_text) AND instr(substr(new.search_text, n, 2), char(10)) = 0);
END;

-- Backfill: the same SELECT as SearchIndex.RefreshSql (SQLite) without the entry filter.
INSERT INTO catalog_search_documents (entry_id, revision_id, slot, listed, is_current, department_id, entry_status, revision_status,
    code, classification_code, class_code, name, abstract, keywords, provider, items, item_count, share_type, open_type,
    update_cycle, format_category, publish_date, updated_at, search_text)
SELECT e.id, r.id,
    CASE WHEN r.id = e.published_revision_id THEN 'published' ELSE 'working' END,
    CASE WHEN r.id = e.published_revision_id AND e.status = 'Published' THEN 1 ELSE 0 END,
    CASE WHEN r.id = e.working_revision_id OR e.working_revision_id IS NULL THEN 1 ELSE 0 END,
    e.department_id, e.status, r.status, e.code, e.classification_code, e.class_code,
    r.name, r.abstract, r.keywords, r.provider_name, i.names, coalesce(i.n, 0),
    r.share_type, r.open_type, r.update_cycle, r.format_category, r.publish_date,
    CASE WHEN r.status IN ('Published', 'Offline') THEN coalesce(r.reviewed_at, r.updated_at) ELSE r.updated_at END,
    lower(r.name || char(10) || coalesce(r.abstract, '') || char(10) || coalesce(r.keywords, '') || char(10)
        || coalesce(r.provider_name, '') || char(10) || coalesce(i.names, ''))
FROM catalog_entries e
JOIN catalog_revisions r ON r.id = e.published_revision_id OR r.id = e.working_revision_id
LEFT JOIN (SELECT revision_id, group_concat(name, char(10) ORDER BY ordinal) AS names, count(*) AS n
           FROM catalog_information_items GROUP BY revision_id) i ON i.revision_id = r.id;
