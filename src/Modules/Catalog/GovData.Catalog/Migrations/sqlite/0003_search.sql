-- Catalog 0003: Chinese full-text search (Features/Search).
-- catalog_search_documents holds one narrow row per searchable content of an entry: its published revision (slot
-- 'published') and the revision being worked on (slot 'working'), with what filtering, facets and ranking need
-- (facet values as the enum numbers of CatalogTerms). The text itself stays in catalog_revisions and
-- catalog_information_items; the triggers below index it. The application rewrites an entry's rows in the
-- transaction that changes the entry (CatalogDb.SaveChanges → SearchIndex); this migration fills them for the
-- entries that already exist, with the same SELECT.
-- No Chinese segmenter is available, so text is indexed as character n-grams, folded (ASCII lower-case):
--   catalog_search_trigram  FTS5 trigram index of name, abstract, keywords, provider, item names (terms of 3+ characters);
--   catalog_search_grams    FTS5 index of every distinct 1- and 2-character sequence of those fields (each item name on
--                           its own), written as the hex of its UTF-8 bytes so no tokenizer can split or alter it
--                           (terms of 1–2 characters: 社保, 法人).
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
    share_type INTEGER NULL,
    open_type INTEGER NULL,
    update_cycle INTEGER NULL,
    format_category INTEGER NULL,
    item_count INTEGER NOT NULL,
    publish_date TEXT NULL,
    updated_ms INTEGER NOT NULL,
    name_key TEXT NOT NULL,
    keywords_key TEXT NULL,
    CHECK (slot IN ('published', 'working'))
);
CREATE UNIQUE INDEX ux_catalog_search_documents_entry_slot ON catalog_search_documents (entry_id, slot);
CREATE INDEX ix_catalog_search_documents_listed ON catalog_search_documents (listed, updated_ms);
CREATE INDEX ix_catalog_search_documents_current ON catalog_search_documents (is_current, department_id);

CREATE VIRTUAL TABLE catalog_search_trigram USING fts5(
    name, abstract, keywords, provider, items,
    tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1);

CREATE VIRTUAL TABLE catalog_search_grams USING fts5(
    grams, tokenize = 'ascii', content = '', contentless_delete = 1, detail = none);

-- Character positions 1..4096 for cutting a field into 1- and 2-character grams inside a trigger (triggers cannot use
-- recursive CTEs). Every field is at most a few hundred characters (name ≤50, abstract ≤256, provider ≤200, each
-- keyword ≤20 and each item name ≤50; keywords are cut together).
CREATE TABLE catalog_search_positions (n INTEGER NOT NULL PRIMARY KEY);
INSERT INTO catalog_search_positions (n)
WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < 4096)
SELECT n FROM p;

CREATE TRIGGER catalog_search_documents_ai AFTER INSERT ON catalog_search_documents BEGIN
    INSERT INTO catalog_search_trigram (rowid, name, abstract, keywords, provider, items)
    SELECT new.id, lower(r.name), lower(coalesce(r.abstract, '')), lower(coalesce(r.keywords, '')), lower(coalesce(r.provider_name, '')),
           lower(coalesce((SELECT group_concat(i.name, char(10) ORDER BY i.ordinal) FROM catalog_information_items i WHERE i.revision_id = r.id), ''))
    FROM catalog_revisions r WHERE r.id = new.revision_id;
    INSERT INTO catalog_search_grams (rowid, grams)
    SELECT new.id, coalesce(group_concat(g, ' '), '') FROM (
        SELECT hex(substr(f.t, p.n, 1)) AS g FROM (
            SELECT lower(r.name) AS t, length(r.name) AS len FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.abstract), length(r.abstract) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.keywords), length(r.keywords) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.provider_name), length(r.provider_name) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(i.name), length(i.name) FROM catalog_information_items i WHERE i.revision_id = new.revision_id
        ) f JOIN catalog_search_positions p ON p.n <= f.len
        UNION
        SELECT hex(substr(f.t, p.n, 2)) FROM (
            SELECT lower(r.name) AS t, length(r.name) AS len FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.abstract), length(r.abstract) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.keywords), length(r.keywords) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.provider_name), length(r.provider_name) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(i.name), length(i.name) FROM catalog_information_items i WHERE i.revision_id = new.revision_id
        ) f JOIN catalog_search_positions p ON p.n < f.len);
END;

CREATE TRIGGER catalog_search_documents_ad AFTER DELETE ON catalog_search_documents BEGIN
    DELETE FROM catalog_search_trigram WHERE rowid = old.id;
    DELETE FROM catalog_search_grams WHERE rowid = old.id;
END;

-- Rows are replaced, not updated; should one be updated anyway, its index entries follow.
CREATE TRIGGER catalog_search_documents_au AFTER UPDATE ON catalog_search_documents BEGIN
    DELETE FROM catalog_search_trigram WHERE rowid = old.id;
    DELETE FROM catalog_search_grams WHERE rowid = old.id;
    INSERT INTO catalog_search_trigram (rowid, name, abstract, keywords, provider, items)
    SELECT new.id, lower(r.name), lower(coalesce(r.abstract, '')), lower(coalesce(r.keywords, '')), lower(coalesce(r.provider_name, '')),
           lower(coalesce((SELECT group_concat(i.name, char(10) ORDER BY i.ordinal) FROM catalog_information_items i WHERE i.revision_id = r.id), ''))
    FROM catalog_revisions r WHERE r.id = new.revision_id;
    INSERT INTO catalog_search_grams (rowid, grams)
    SELECT new.id, coalesce(group_concat(g, ' '), '') FROM (
        SELECT hex(substr(f.t, p.n, 1)) AS g FROM (
            SELECT lower(r.name) AS t, length(r.name) AS len FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.abstract), length(r.abstract) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.keywords), length(r.keywords) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.provider_name), length(r.provider_name) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(i.name), length(i.name) FROM catalog_information_items i WHERE i.revision_id = new.revision_id
        ) f JOIN catalog_search_positions p ON p.n <= f.len
        UNION
        SELECT hex(substr(f.t, p.n, 2)) FROM (
            SELECT lower(r.name) AS t, length(r.name) AS len FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.abstract), length(r.abstract) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.keywords), length(r.keywords) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(r.provider_name), length(r.provider_name) FROM catalog_revisions r WHERE r.id = new.revision_id
            UNION ALL SELECT lower(i.name), length(i.name) FROM catalog_information_items i WHERE i.revision_id = new.revision_id
        ) f JOIN catalog_search_positions p ON p.n < f.len);
END;

-- Backfill: the same SELECT as SearchIndex.InsertSql (SQLite) without the entry filter.
INSERT INTO catalog_search_documents (entry_id, revision_id, slot, listed, is_current, department_id, entry_status, revision_status,
    code, classification_code, class_code, share_type, open_type, update_cycle, format_category, item_count, publish_date, updated_ms, name_key, keywords_key)
SELECT e.id, r.id,
    CASE WHEN r.id = e.published_revision_id THEN 'published' ELSE 'working' END,
    CASE WHEN r.id = e.published_revision_id AND e.status = 'Published' THEN 1 ELSE 0 END,
    CASE WHEN r.id = e.working_revision_id OR e.working_revision_id IS NULL THEN 1 ELSE 0 END,
    e.department_id, e.status, r.status, e.code, e.classification_code, e.class_code,
    CASE r.share_type WHEN 'Unconditional' THEN 1 WHEN 'Conditional' THEN 2 WHEN 'NotShared' THEN 3 END,
    CASE r.open_type WHEN 'Unconditional' THEN 1 WHEN 'Conditional' THEN 2 WHEN 'NotOpen' THEN 3 END,
    CASE r.update_cycle WHEN 'Realtime' THEN 1 WHEN 'Daily' THEN 2 WHEN 'Weekly' THEN 3 WHEN 'TenDays' THEN 4 WHEN 'Monthly' THEN 5
        WHEN 'Quarterly' THEN 6 WHEN 'HalfYearly' THEN 7 WHEN 'Yearly' THEN 8 WHEN 'Irregular' THEN 9 WHEN 'Other' THEN 10 END,
    CASE r.format_category WHEN 'ElectronicFile' THEN 1 WHEN 'Spreadsheet' THEN 2 WHEN 'Database' THEN 3 WHEN 'Image' THEN 4
        WHEN 'StreamingMedia' THEN 5 WHEN 'SelfDescribing' THEN 6 WHEN 'ServiceInterface' THEN 7 WHEN 'Other' THEN 9 END,
    (SELECT count(*) FROM catalog_information_items i WHERE i.revision_id = r.id),
    r.publish_date,
    CAST(round((julianday(CASE WHEN r.status IN ('Published', 'Offline') THEN coalesce(r.reviewed_at, r.updated_at) ELSE r.updated_at END) - 2440587.5) * 86400000) AS INTEGER),
    lower(r.name), lower(r.keywords)
FROM catalog_entries e
JOIN catalog_revisions r ON r.id = e.published_revision_id OR r.id = e.working_revision_id;
