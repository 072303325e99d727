-- Platform tables shared by the host: which demo seeders ran, data-protection keys shared by all hosts.
CREATE TABLE platform_seed_history (
    module TEXT NOT NULL PRIMARY KEY,
    seeded_at TEXT NOT NULL
);
CREATE TABLE platform_data_protection_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT NULL,
    xml TEXT NOT NULL,
    created_at TEXT NOT NULL
);
