-- Needs the column added by 0002: applying 0010 before 0002 fails.
INSERT INTO ordered_items (id, note) VALUES (10, 'ten');
INSERT INTO ordered_log (version) VALUES (10);
