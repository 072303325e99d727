-- Catalog 0001: classification tree, code counters, entries with their revisions, information items,
-- reviewer comments and history.
CREATE TABLE catalog_classifications (
    code varchar(30) NOT NULL PRIMARY KEY,
    parent_code varchar(30) NULL REFERENCES catalog_classifications(code),
    depth integer NOT NULL,
    segment varchar(24) NOT NULL,
    name varchar(200) NOT NULL,
    class_code integer NOT NULL,
    item_code varchar(2) NULL,
    category_code varchar(3) NULL,
    detail_path varchar(24) NOT NULL DEFAULT '',
    department_id uuid NULL,
    region_code varchar(6) NULL,
    requires_unconditional_share boolean NOT NULL DEFAULT false,
    origin varchar(16) NOT NULL,
    sort_order integer NOT NULL DEFAULT 0,
    is_active boolean NOT NULL DEFAULT true,
    description varchar(500) NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK (depth >= 1 AND depth <= 8),
    CHECK (class_code IN (1, 2, 3))
);
CREATE INDEX ix_catalog_classifications_parent ON catalog_classifications (parent_code);
CREATE INDEX ix_catalog_classifications_department ON catalog_classifications (department_id);
-- The generated 部门类 branch: one 项 per region, one 目 per department.
CREATE UNIQUE INDEX ux_catalog_classifications_region_item ON catalog_classifications (region_code) WHERE class_code = 3 AND depth = 2 AND region_code IS NOT NULL;
CREATE UNIQUE INDEX ux_catalog_classifications_department_category ON catalog_classifications (department_id) WHERE class_code = 3 AND depth = 3 AND department_id IS NOT NULL;

-- Last 顺序码 handed out per 前段码 (classification node). Only ever incremented, so a code is never reused.
CREATE TABLE catalog_code_counters (
    prefix varchar(30) NOT NULL PRIMARY KEY,
    last_sequence bigint NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE catalog_entries (
    id uuid NOT NULL PRIMARY KEY,
    code varchar(41) NOT NULL,
    classification_code varchar(30) NOT NULL REFERENCES catalog_classifications(code),
    class_code integer NOT NULL,
    item_code varchar(2) NOT NULL,
    category_code varchar(3) NOT NULL,
    detail_path varchar(24) NOT NULL DEFAULT '',
    sequence bigint NOT NULL,
    department_id uuid NOT NULL,
    status varchar(16) NOT NULL,
    published_revision_id uuid NULL,
    working_revision_id uuid NULL,
    last_revision_number integer NOT NULL DEFAULT 0,
    metadata_identifier varchar(64) NOT NULL,
    created_at timestamptz NOT NULL,
    created_by uuid NULL,
    updated_at timestamptz NOT NULL,
    first_published_at timestamptz NULL,
    offline_at timestamptz NULL,
    offline_reason varchar(500) NULL,
    version integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_catalog_entries_code ON catalog_entries (code);
CREATE UNIQUE INDEX ux_catalog_entries_prefix_sequence ON catalog_entries (classification_code, sequence);
CREATE INDEX ix_catalog_entries_department ON catalog_entries (department_id, status);
CREATE INDEX ix_catalog_entries_status ON catalog_entries (status);

CREATE TABLE catalog_revisions (
    id uuid NOT NULL PRIMARY KEY,
    entry_id uuid NOT NULL REFERENCES catalog_entries(id) ON DELETE CASCADE,
    number integer NOT NULL,
    status varchar(16) NOT NULL,
    name varchar(50) NOT NULL,
    abstract varchar(256) NULL,
    provider_name varchar(200) NULL,
    provider_code varchar(18) NULL,
    format_category varchar(24) NULL,
    format_type varchar(50) NULL,
    format_description varchar(500) NULL,
    share_type varchar(16) NULL,
    share_condition varchar(500) NULL,
    share_basis varchar(500) NULL,
    share_channel varchar(16) NULL,
    share_method_type varchar(16) NULL,
    open_type varchar(16) NULL,
    open_condition varchar(500) NULL,
    update_cycle varchar(16) NULL,
    update_cycle_note varchar(100) NULL,
    publish_date date NULL,
    related_codes text NULL,
    keywords varchar(300) NULL,
    metadata_maintainer varchar(100) NULL,
    metadata_updated_at timestamptz NOT NULL,
    online_link varchar(500) NULL,
    security_class varchar(16) NULL,
    hierarchy varchar(16) NULL,
    created_at timestamptz NOT NULL,
    created_by uuid NULL,
    updated_at timestamptz NOT NULL,
    updated_by uuid NULL,
    submitted_at timestamptz NULL,
    submitted_by uuid NULL,
    reviewed_at timestamptz NULL,
    reviewed_by uuid NULL,
    reviewer_name varchar(100) NULL,
    review_summary varchar(1000) NULL
);
CREATE UNIQUE INDEX ux_catalog_revisions_entry_number ON catalog_revisions (entry_id, number);
CREATE INDEX ix_catalog_revisions_status ON catalog_revisions (status);

CREATE TABLE catalog_information_items (
    id uuid NOT NULL PRIMARY KEY,
    revision_id uuid NOT NULL REFERENCES catalog_revisions(id) ON DELETE CASCADE,
    ordinal integer NOT NULL,
    name varchar(50) NOT NULL,
    field_code varchar(64) NULL,
    data_type varchar(4) NULL,
    length integer NULL,
    precision integer NULL,
    is_required boolean NOT NULL DEFAULT false,
    is_key boolean NOT NULL DEFAULT false,
    value_domain varchar(200) NULL,
    sensitivity varchar(16) NOT NULL,
    masking_rule varchar(16) NOT NULL,
    description varchar(500) NULL
);
CREATE INDEX ix_catalog_information_items_revision ON catalog_information_items (revision_id, ordinal);
CREATE INDEX ix_catalog_information_items_name ON catalog_information_items (name);

CREATE TABLE catalog_review_comments (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    revision_id uuid NOT NULL REFERENCES catalog_revisions(id) ON DELETE CASCADE,
    field varchar(64) NOT NULL,
    field_label varchar(100) NOT NULL,
    message varchar(1000) NOT NULL,
    reviewer_id uuid NULL,
    reviewer_name varchar(100) NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX ix_catalog_review_comments_revision ON catalog_review_comments (revision_id);

CREATE TABLE catalog_history (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    entry_id uuid NOT NULL,
    revision_number integer NULL,
    action varchar(32) NOT NULL,
    actor_id uuid NULL,
    actor_name varchar(100) NOT NULL,
    occurred_at timestamptz NOT NULL,
    summary varchar(1000) NOT NULL,
    changes text NULL
);
CREATE INDEX ix_catalog_history_entry ON catalog_history (entry_id, id);
