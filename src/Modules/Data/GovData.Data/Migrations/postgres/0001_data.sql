-- Data module (数据清单): resources and their versions. Dataset rows live in generated tables data_rows_*.
CREATE TABLE data_resources (
    id uuid NOT NULL PRIMARY KEY,
    entry_id uuid NOT NULL,
    resource_code varchar(60) NOT NULL,
    resource_name varchar(200) NOT NULL,
    department_id uuid NOT NULL,
    update_cycle integer NULL,
    current_version_id uuid NULL,
    last_version_number integer NOT NULL DEFAULT 0,
    retention integer NOT NULL DEFAULT 5,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE UNIQUE INDEX ux_data_resources_entry ON data_resources (entry_id);
CREATE UNIQUE INDEX ux_data_resources_code ON data_resources (resource_code);
CREATE INDEX ix_data_resources_department ON data_resources (department_id);

CREATE TABLE data_versions (
    id uuid NOT NULL PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES data_resources (id),
    number integer NOT NULL,
    status integer NOT NULL,
    table_name varchar(63) NOT NULL,
    columns_json text NOT NULL,
    catalog_revision integer NOT NULL,
    row_count bigint NOT NULL DEFAULT 0,
    created_at timestamp with time zone NOT NULL,
    loaded_at timestamp with time zone NULL,
    created_by uuid NULL,
    note text NULL
);
CREATE UNIQUE INDEX ux_data_versions_resource_number ON data_versions (resource_id, number);
CREATE UNIQUE INDEX ux_data_versions_table ON data_versions (table_name);

-- Who made which version current, when (full loads and rollbacks).
CREATE TABLE data_version_switches (
    id uuid NOT NULL PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES data_resources (id),
    from_version_id uuid NULL,
    to_version_id uuid NOT NULL,
    reason varchar(20) NOT NULL,
    load_id uuid NULL,
    switched_by uuid NULL,
    switched_by_name varchar(100) NULL,
    switched_at timestamp with time zone NOT NULL
);
CREATE INDEX ix_data_version_switches_resource ON data_version_switches (resource_id, switched_at);

-- Loads (full = a new version; append/upsert = into the current version). Claimed by workers through the database:
-- status 'queued' → 'running' with a lease (lease_owner, lease_until) renewed with every progress flush; a load whose
-- lease expired (its host died) is recovered by any worker.
CREATE TABLE data_loads (
    id uuid NOT NULL PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES data_resources (id),
    version_id uuid NULL,
    mode varchar(10) NOT NULL,
    source varchar(10) NOT NULL,
    file_name varchar(255) NOT NULL,
    file_size bigint NOT NULL DEFAULT 0,
    blob_path varchar(400) NULL,
    local_path text NULL,
    format varchar(10) NULL,
    detected text NULL,
    options_json text NOT NULL,
    status varchar(12) NOT NULL,
    rows_read bigint NOT NULL DEFAULT 0,
    rows_loaded bigint NOT NULL DEFAULT 0,
    rows_rejected bigint NOT NULL DEFAULT 0,
    bytes_read bigint NOT NULL DEFAULT 0,
    bytes_total bigint NOT NULL DEFAULT 0,
    rule_counts_json text NULL,
    message text NULL,
    requested_by uuid NULL,
    requested_by_name varchar(100) NULL,
    created_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone NULL,
    progress_at timestamp with time zone NULL,
    finished_at timestamp with time zone NULL,
    cancel_requested boolean NOT NULL DEFAULT false,
    lease_owner varchar(200) NULL,
    lease_until timestamp with time zone NULL,
    attempts integer NOT NULL DEFAULT 0,
    rejected_path varchar(400) NULL
);
CREATE INDEX ix_data_loads_resource ON data_loads (resource_id, created_at);
CREATE INDEX ix_data_loads_status ON data_loads (status, created_at);

-- The first errors of a load (at most 1,000; every rejected row is in the rejected-rows file).
CREATE TABLE data_load_errors (
    load_id uuid NOT NULL REFERENCES data_loads (id) ON DELETE CASCADE,
    seq integer NOT NULL,
    row_number bigint NOT NULL,
    field varchar(200) NULL,
    value varchar(200) NULL,
    rule varchar(40) NOT NULL,
    message text NOT NULL,
    PRIMARY KEY (load_id, seq)
);

-- Non-tabular files of a resource (documents, images) in the blob store, and links to external APIs.
CREATE TABLE data_files (
    id uuid NOT NULL PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES data_resources (id),
    file_name varchar(255) NOT NULL,
    content_type varchar(200) NOT NULL,
    size bigint NOT NULL,
    sha256 char(64) NOT NULL,
    blob_path varchar(400) NOT NULL,
    description varchar(500) NULL,
    uploaded_by uuid NULL,
    uploaded_by_name varchar(100) NULL,
    uploaded_at timestamp with time zone NOT NULL
);
CREATE INDEX ix_data_files_resource ON data_files (resource_id, uploaded_at);

CREATE TABLE data_links (
    id uuid NOT NULL PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES data_resources (id),
    url varchar(2000) NOT NULL,
    description varchar(500) NULL,
    created_by uuid NULL,
    created_by_name varchar(100) NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE INDEX ix_data_links_resource ON data_links (resource_id);
