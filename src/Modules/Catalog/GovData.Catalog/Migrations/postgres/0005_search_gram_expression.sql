-- Catalog search, PostgreSQL: the 1–2 character gram index becomes an expression index.
-- 0003 stored the grams as a generated column (and kept search_text and grams out of line). Measured at 100,000
-- resources (docs/benchmarks.md, "Catalog search at 100,000 resources"), an expression GIN index on
-- catalog_search_grams(search_text) answers the same lookups while the rows stay narrow for the facet and ranking
-- scans. Only derived data changes here: every row keeps its search_text; the grams are recomputed by the index.
ALTER FUNCTION catalog_search_grams(text) COST 1000;
DROP INDEX IF EXISTS ix_catalog_search_documents_grams;
ALTER TABLE catalog_search_documents DROP COLUMN IF EXISTS grams;
ALTER TABLE catalog_search_documents ALTER COLUMN search_text SET STORAGE EXTENDED;
ALTER TABLE catalog_search_documents RESET (toast_tuple_target);
CREATE INDEX ix_catalog_search_documents_grams ON catalog_search_documents USING gin (catalog_search_grams(search_text));
