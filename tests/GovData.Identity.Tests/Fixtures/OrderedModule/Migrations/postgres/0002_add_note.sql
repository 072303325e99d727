ALTER TABLE ordered_items ADD COLUMN note text NOT NULL DEFAULT 'two';
INSERT INTO ordered_items (id) VALUES (2);
INSERT INTO ordered_log (version) VALUES (2);
