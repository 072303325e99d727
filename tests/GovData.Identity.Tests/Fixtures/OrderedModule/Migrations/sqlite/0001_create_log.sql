-- Test module for SchemaMigrator: every script appends its version to ordered_log, so the order of application is visible.
CREATE TABLE ordered_log (pos INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL);
CREATE TABLE ordered_items (id INTEGER NOT NULL PRIMARY KEY);
INSERT INTO ordered_log (version) VALUES (1);
