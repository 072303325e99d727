-- Catalog 0004: quality checks (快速校核). A run checks the published catalog of a scope (a region and the regions below
-- it, or the whole platform) and stores its findings; authorities record which resource the competent department
-- designated as the authoritative source (权威来源) of a data element provided by several departments (一数多源).
CREATE TABLE catalog_quality_runs (
    id TEXT NOT NULL PRIMARY KEY,
    scope TEXT NOT NULL,
    scope_name TEXT NOT NULL,
    status TEXT NOT NULL,
    trigger_kind TEXT NOT NULL,
    triggered_by TEXT NOT NULL,
    triggered_by_id TEXT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NULL,
    entries_checked INTEGER NOT NULL DEFAULT 0,
    departments_in_scope INTEGER NOT NULL DEFAULT 0,
    findings_total INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    warning_count INTEGER NOT NULL DEFAULT 0,
    info_count INTEGER NOT NULL DEFAULT 0,
    coverage TEXT NULL,
    error TEXT NULL,
    CHECK (status IN ('running', 'succeeded', 'failed')),
    CHECK (trigger_kind IN ('manual', 'scheduled'))
);
CREATE INDEX ix_catalog_quality_runs_scope ON catalog_quality_runs (scope, started_at);
CREATE INDEX ix_catalog_quality_runs_started ON catalog_quality_runs (started_at);

CREATE TABLE catalog_quality_findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES catalog_quality_runs(id) ON DELETE CASCADE,
    rule_code TEXT NOT NULL,
    severity TEXT NOT NULL,
    entry_id TEXT NULL,
    entry_code TEXT NULL,
    entry_name TEXT NULL,
    department_id TEXT NULL,
    department_name TEXT NULL,
    field TEXT NULL,
    field_label TEXT NULL,
    subject TEXT NULL,
    message TEXT NOT NULL,
    details TEXT NULL,
    CHECK (severity IN ('error', 'warning', 'info'))
);
CREATE INDEX ix_catalog_quality_findings_run_rule ON catalog_quality_findings (run_id, rule_code);
CREATE INDEX ix_catalog_quality_findings_run_department ON catalog_quality_findings (run_id, department_id);

CREATE TABLE catalog_quality_authorities (
    element TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    entry_code TEXT NOT NULL,
    designated_by TEXT NOT NULL,
    designated_by_id TEXT NULL,
    designated_at TEXT NOT NULL,
    note TEXT NULL,
    PRIMARY KEY (element, entry_id)
);
