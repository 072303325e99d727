-- Test module for SchemaMigrator: every script appends its version to ordered_log, so the order of application is visible.
CREATE TABLE ordered_log (pos serial PRIMARY KEY, version integer NOT NULL);
CREATE TABLE ordered_items (id integer NOT NULL PRIMARY KEY);
INSERT INTO ordered_log (version) VALUES (1);
