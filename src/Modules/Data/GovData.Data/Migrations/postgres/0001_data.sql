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
