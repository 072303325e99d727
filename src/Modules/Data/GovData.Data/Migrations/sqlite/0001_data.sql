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

-- Who made which version current, when (full loads and rollbacks).
CREATE TABLE data_version_switches (
    id TEXT NOT NULL PRIMARY KEY,
    resource_id TEXT NOT NULL REFERENCES data_resources (id),
    from_version_id TEXT NULL,
    to_version_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    load_id TEXT NULL,
    switched_by TEXT NULL,
    switched_by_name TEXT NULL,
    switched_at TEXT NOT NULL
);
CREATE INDEX ix_data_version_switches_resource ON data_version_switches (resource_id, switched_at);

-- Timestamps are UTC text as EF Core writes them (yyyy-MM-dd HH:mm:ss.FFFFFFF), compared as text.
-- Loads (full = a new version; append/upsert = into the current version). Claimed by workers through the database:
-- status 'queued' → 'running' with a lease (lease_owner, lease_until) renewed with every progress flush; a load whose
-- lease expired (its host died) is recovered by any worker.
CREATE TABLE data_loads (
    id TEXT NOT NULL PRIMARY KEY,
    resource_id TEXT NOT NULL REFERENCES data_resources (id),
    version_id TEXT NULL,
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size INTEGER NOT NULL DEFAULT 0,
    blob_path TEXT NULL,
    local_path TEXT NULL,
    format TEXT NULL,
    detected TEXT NULL,
    options_json TEXT NOT NULL,
    status TEXT NOT NULL,
    rows_read INTEGER NOT NULL DEFAULT 0,
    rows_loaded INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    bytes_read INTEGER NOT NULL DEFAULT 0,
    bytes_total INTEGER NOT NULL DEFAULT 0,
    rule_counts_json TEXT NULL,
    message TEXT NULL,
    requested_by TEXT NULL,
    requested_by_name TEXT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT NULL,
    progress_at TEXT NULL,
    finished_at TEXT NULL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT NULL,
    lease_until TEXT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    rejected_path TEXT NULL
);
CREATE INDEX ix_data_loads_resource ON data_loads (resource_id, created_at);
CREATE INDEX ix_data_loads_status ON data_loads (status, created_at);

-- The first errors of a load (at most 1,000; every rejected row is in the rejected-rows file).
CREATE TABLE data_load_errors (
    load_id TEXT NOT NULL REFERENCES data_loads (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    field TEXT NULL,
    value TEXT NULL,
    rule TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (load_id, seq)
);

-- Non-tabular files of a resource (documents, images) in the blob store, and links to external APIs.
CREATE TABLE data_files (
    id TEXT NOT NULL PRIMARY KEY,
    resource_id TEXT NOT NULL REFERENCES data_resources (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    blob_path TEXT NOT NULL,
    description TEXT NULL,
    uploaded_by TEXT NULL,
    uploaded_by_name TEXT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX ix_data_files_resource ON data_files (resource_id, uploaded_at);

CREATE TABLE data_links (
    id TEXT NOT NULL PRIMARY KEY,
    resource_id TEXT NOT NULL REFERENCES data_resources (id),
    url TEXT NOT NULL,
    description TEXT NULL,
    created_by TEXT NULL,
    created_by_name TEXT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_data_links_resource ON data_links (resource_id);
