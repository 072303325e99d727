-- Data module (数据清单): resources and their versions. Dataset rows live in generated tables data_rows_*.
CREATE TABLE data_resources (
    id TEXT NOT NULL PRIMARY KEY,
    entry_id TEXT NOT NULL,
    resource_code TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    department_id TEXT NOT NULL,
    update_cycle INTEGER NULL,
    current_version_id TEXT NULL,
    last_version_number INTEGER NOT NULL DEFAULT 0,
    retention INTEGER NOT NULL DEFAULT 5,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_data_resources_entry ON data_resources (entry_id);
CREATE UNIQUE INDEX ux_data_resources_code ON data_resources (resource_code);
CREATE INDEX ix_data_resources_department ON data_resources (department_id);

CREATE TABLE data_versions (
    id TEXT NOT NULL PRIMARY KEY,
    resource_id TEXT NOT NULL REFERENCES data_resources (id),
    number INTEGER NOT NULL,
    status INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    columns_json TEXT NOT NULL,
    catalog_revision INTEGER NOT NULL,
    row_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    loaded_at TEXT NULL,
    created_by TEXT NULL,
    note TEXT NULL
);
CREATE UNIQUE INDEX ux_data_versions_resource_number ON data_versions (resource_id, number);
CREATE UNIQUE INDEX ux_data_versions_table ON data_versions (table_name);
