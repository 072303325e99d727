-- Catalog search, SQLite: nothing to change (the PostgreSQL 0005 replaces its stored gram column by an expression
-- index). Kept so both providers have the same migration versions.
SELECT 1;
