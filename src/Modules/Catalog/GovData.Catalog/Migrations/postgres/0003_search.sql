-- Catalog 0003: Chinese full-text search (Features/Search).
-- catalog_search_documents holds one narrow row per searchable content of an entry: its published revision (slot
-- 'published') and the revision being worked on (slot 'working'), with what filtering, facets and ranking need
-- (facet values as the enum numbers of CatalogTerms), plus the folded text that is searched. The application rewrites
-- an entry's rows in the transaction that changes the entry (CatalogDb.SaveChanges → SearchIndex); this migration
-- fills them for the entries that already exist, with the same SELECT.
-- No Chinese segmenter is available, so text is indexed as character n-grams:
--   search_text + GIN gin_trgm_ops   terms of 3 or more characters (LIKE '%term%' on the folded text; pg_trgm
--                                    extracts CJK trigrams when the database's LC_CTYPE is a UTF-8 locale);
--   grams (text[]) + GIN             every distinct 1- and 2-character sequence (terms of 1–2 characters: 社保, 法人),
--                                    which pg_trgm cannot look up.
-- search_text and grams are stored out of line (toast_tuple_target, EXTERNAL), so scanning the rows for facets and
-- ranking reads about a hundred bytes per document; only the LIKE recheck of 3+ character terms reads the text.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- ASCII-only case folding, identical to SQLite's lower() and to SearchTerms.Fold, so every engine folds alike.
CREATE OR REPLACE FUNCTION catalog_search_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
$$;

-- The distinct 1- and 2-character sequences of a text, not spanning a line feed (the separator between fields and
-- between item names).
CREATE OR REPLACE FUNCTION catalog_search_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT g ORDER BY g), '{}'::text[])
    FROM (SELECT substr(t, i, 1) AS g FROM generate_series(1, length(t)) AS i
          UNION ALL
          SELECT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i) AS s
    WHERE strpos(g, E'\n') = 0
$$;

CREATE TABLE catalog_search_documents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id uuid NOT NULL REFERENCES catalog_entries(id) ON DELETE CASCADE,
    revision_id uuid NOT NULL,
    slot varchar(16) NOT NULL,
    listed boolean NOT NULL,
    is_current boolean NOT NULL,
    department_id uuid NOT NULL,
    entry_status varchar(16) NOT NULL,
    revision_status varchar(16) NOT NULL,
    code varchar(41) NOT NULL,
    classification_code varchar(30) NOT NULL,
    class_code integer NOT NULL,
    share_type smallint NULL,
    open_type smallint NULL,
    update_cycle smallint NULL,
    format_category smallint NULL,
    item_count integer NOT NULL,
    publish_date date NULL,
    updated_ms bigint NOT NULL,
    name_key varchar(50) NOT NULL,
    keywords_key varchar(300) NULL,
    search_text text NOT NULL,
    grams text[] GENERATED ALWAYS AS (catalog_search_grams(search_text)) STORED,
    CHECK (slot IN ('published', 'working'))
) WITH (toast_tuple_target = 128);
ALTER TABLE catalog_search_documents ALTER COLUMN search_text SET STORAGE EXTERNAL;
ALTER TABLE catalog_search_documents ALTER COLUMN grams SET STORAGE EXTERNAL;
CREATE UNIQUE INDEX ux_catalog_search_documents_entry_slot ON catalog_search_documents (entry_id, slot);
CREATE INDEX ix_catalog_search_documents_listed ON catalog_search_documents (listed, updated_ms);
CREATE INDEX ix_catalog_search_documents_current ON catalog_search_documents (is_current, department_id);
CREATE INDEX ix_catalog_search_documents_trgm ON catalog_search_documents USING gin (search_text gin_trgm_ops);
CREATE INDEX ix_catalog_search_documents_grams ON catalog_search_documents USING gin (grams);

-- Backfill: the same SELECT as SearchIndex.InsertSql (PostgreSQL) without the entry filter.
INSERT INTO catalog_search_documents (entry_id, revision_id, slot, listed, is_current, department_id, entry_status, revision_status,
    code, classification_code, class_code, share_type, open_type, update_cycle, format_category, item_count, publish_date, updated_ms,
    name_key, keywords_key, search_text)
SELECT e.id, r.id,
    CASE WHEN r.id = e.published_revision_id THEN 'published' ELSE 'working' END,
    coalesce(r.id = e.published_revision_id, false) AND e.status = 'Published',
    r.id = e.working_revision_id OR e.working_revision_id IS NULL,
    e.department_id, e.status, r.status, e.code, e.classification_code, e.class_code,
    CASE r.share_type WHEN 'Unconditional' THEN 1 WHEN 'Conditional' THEN 2 WHEN 'NotShared' THEN 3 END,
    CASE r.open_type WHEN 'Unconditional' THEN 1 WHEN 'Conditional' THEN 2 WHEN 'NotOpen' THEN 3 END,
    CASE r.update_cycle WHEN 'Realtime' THEN 1 WHEN 'Daily' THEN 2 WHEN 'Weekly' THEN 3 WHEN 'TenDays' THEN 4 WHEN 'Monthly' THEN 5
        WHEN 'Quarterly' THEN 6 WHEN 'HalfYearly' THEN 7 WHEN 'Yearly' THEN 8 WHEN 'Irregular' THEN 9 WHEN 'Other' THEN 10 END,
    CASE r.format_category WHEN 'ElectronicFile' THEN 1 WHEN 'Spreadsheet' THEN 2 WHEN 'Database' THEN 3 WHEN 'Image' THEN 4
        WHEN 'StreamingMedia' THEN 5 WHEN 'SelfDescribing' THEN 6 WHEN 'ServiceInterface' THEN 7 WHEN 'Other' THEN 9 END,
    coalesce(i.n, 0),
    r.publish_date,
    (extract(epoch FROM CASE WHEN r.status IN ('Published', 'Offline') THEN coalesce(r.reviewed_at, r.updated_at) ELSE r.updated_at END) * 1000)::bigint,
    catalog_search_fold(r.name), catalog_search_fold(r.keywords),
    catalog_search_fold(r.name || E'\n' || coalesce(r.abstract, '') || E'\n' || coalesce(r.keywords, '') || E'\n'
        || coalesce(r.provider_name, '') || E'\n' || coalesce(i.names, ''))
FROM catalog_entries e
JOIN catalog_revisions r ON r.id = e.published_revision_id OR r.id = e.working_revision_id
LEFT JOIN (SELECT revision_id, string_agg(name, E'\n' ORDER BY ordinal) AS names, count(*) AS n
           FROM catalog_information_items GROUP BY revision_id) i ON i.revision_id = r.id;
