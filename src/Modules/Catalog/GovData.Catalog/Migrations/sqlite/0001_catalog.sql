-- Catalog 0001: classification tree, code counters, entries with their revisions, information items,
-- reviewer comments and history.
CREATE TABLE catalog_classifications (
    code TEXT NOT NULL PRIMARY KEY,
    parent_code TEXT NULL REFERENCES catalog_classifications(code),
    depth INTEGER NOT NULL,
    segment TEXT NOT NULL,
    name TEXT NOT NULL,
    class_code INTEGER NOT NULL,
    item_code TEXT NULL,
    category_code TEXT NULL,
    detail_path TEXT NOT NULL DEFAULT '',
    department_id TEXT NULL,
    region_code TEXT NULL,
    requires_unconditional_share INTEGER NOT NULL DEFAULT 0,
    origin TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    is_active INTEGER NOT NULL DEFAULT 1,
    description TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
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
    prefix TEXT NOT NULL PRIMARY KEY,
    last_sequence INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE catalog_entries (
    id TEXT NOT NULL PRIMARY KEY,
    code TEXT NOT NULL,
    classification_code TEXT NOT NULL REFERENCES catalog_classifications(code),
    class_code INTEGER NOT NULL,
    item_code TEXT NOT NULL,
    category_code TEXT NOT NULL,
    detail_path TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL,
    department_id TEXT NOT NULL,
    status TEXT NOT NULL,
    published_revision_id TEXT NULL,
    working_revision_id TEXT NULL,
    last_revision_number INTEGER NOT NULL DEFAULT 0,
    metadata_identifier TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NULL,
    updated_at TEXT NOT NULL,
    first_published_at TEXT NULL,
    offline_at TEXT NULL,
    offline_reason TEXT NULL,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_catalog_entries_code ON catalog_entries (code);
CREATE UNIQUE INDEX ux_catalog_entries_prefix_sequence ON catalog_entries (classification_code, sequence);
CREATE INDEX ix_catalog_entries_department ON catalog_entries (department_id, status);
CREATE INDEX ix_catalog_entries_status ON catalog_entries (status);

CREATE TABLE catalog_revisions (
    id TEXT NOT NULL PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES catalog_entries(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    status TEXT NOT NULL,
    name TEXT NOT NULL,
    abstract TEXT NULL,
    provider_name TEXT NULL,
    provider_code TEXT NULL,
    format_category TEXT NULL,
    format_type TEXT NULL,
    format_description TEXT NULL,
    share_type TEXT NULL,
    share_condition TEXT NULL,
    share_basis TEXT NULL,
    share_channel TEXT NULL,
    share_method_type TEXT NULL,
    open_type TEXT NULL,
    open_condition TEXT NULL,
    update_cycle TEXT NULL,
    update_cycle_note TEXT NULL,
    publish_date TEXT NULL,
    related_codes TEXT NULL,
    keywords TEXT NULL,
    metadata_maintainer TEXT NULL,
    metadata_updated_at TEXT NOT NULL,
    online_link TEXT NULL,
    security_class TEXT NULL,
    hierarchy TEXT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NULL,
    submitted_at TEXT NULL,
    submitted_by TEXT NULL,
    reviewed_at TEXT NULL,
    reviewed_by TEXT NULL,
    reviewer_name TEXT NULL,
    review_summary TEXT NULL
);
CREATE UNIQUE INDEX ux_catalog_revisions_entry_number ON catalog_revisions (entry_id, number);
CREATE INDEX ix_catalog_revisions_status ON catalog_revisions (status);

CREATE TABLE catalog_information_items (
    id TEXT NOT NULL PRIMARY KEY,
    revision_id TEXT NOT NULL REFERENCES catalog_revisions(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    name TEXT NOT NULL,
    field_code TEXT NULL,
    data_type TEXT NULL,
    length INTEGER NULL,
    precision INTEGER NULL,
    is_required INTEGER NOT NULL DEFAULT 0,
    is_key INTEGER NOT NULL DEFAULT 0,
    value_domain TEXT NULL,
    sensitivity TEXT NOT NULL,
    masking_rule TEXT NOT NULL,
    description TEXT NULL
);
CREATE INDEX ix_catalog_information_items_revision ON catalog_information_items (revision_id, ordinal);
CREATE INDEX ix_catalog_information_items_name ON catalog_information_items (name);

CREATE TABLE catalog_review_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    revision_id TEXT NOT NULL REFERENCES catalog_revisions(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    field_label TEXT NOT NULL,
    message TEXT NOT NULL,
    reviewer_id TEXT NULL,
    reviewer_name TEXT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_catalog_review_comments_revision ON catalog_review_comments (revision_id);

CREATE TABLE catalog_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id TEXT NOT NULL,
    revision_number INTEGER NULL,
    action TEXT NOT NULL,
    actor_id TEXT NULL,
    actor_name TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    summary TEXT NOT NULL,
    changes TEXT NULL
);
CREATE INDEX ix_catalog_history_entry ON catalog_history (entry_id, id);
