-- Portal 0005: 有条件开放 applications. A developer applies for a 有条件开放 dataset (用途, 应用场景, 申请表 fields, the
-- requested items and period) and accepts the 安全承诺书 and the 利用协议 (the version of each text and the time are
-- stored); the providing department approves (the grant itself lives in the exchange module: grant_id) or rejects with
-- a reason. status: Pending (待审核), Approved (已批准), Rejected (已驳回), Withdrawn (已撤回), Revoked (已撤销);
-- 已到期 is an approved application past granted_expires_on (derived, as the grant's own state). The 利用报告 is
-- report_text / report_submitted_at. User ids come from Identity, entry ids from the catalog (no FK across modules).
CREATE TABLE portal_open_applications (
    id TEXT NOT NULL PRIMARY KEY,
    entry_id TEXT NOT NULL,
    dataset_code TEXT NOT NULL,
    dataset_name TEXT NOT NULL,
    department_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_type TEXT NOT NULL,
    organization TEXT NULL,
    contact TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (length(purpose) BETWEEN 10 AND 1000),
    scenario TEXT NOT NULL,
    items TEXT NOT NULL,
    period_days INTEGER NOT NULL CHECK (period_days BETWEEN 1 AND 366),
    pledge_version TEXT NOT NULL,
    pledge_accepted_at TEXT NOT NULL,
    agreement_version TEXT NOT NULL,
    agreement_accepted_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('Pending', 'Approved', 'Rejected', 'Withdrawn', 'Revoked')),
    created_at TEXT NOT NULL,
    decided_at TEXT NULL,
    decided_by TEXT NULL,
    decided_by_name TEXT NULL,
    decision_reason TEXT NULL,
    grant_id TEXT NULL,
    granted_items TEXT NULL,
    granted_scope TEXT NULL,
    granted_expires_on TEXT NULL,
    closed_at TEXT NULL,
    close_reason TEXT NULL,
    report_text TEXT NULL,
    report_submitted_at TEXT NULL,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_portal_open_applications_department ON portal_open_applications (department_id, status, created_at);
CREATE INDEX ix_portal_open_applications_user ON portal_open_applications (user_id, created_at);
-- At most one application waiting for a decision per account and dataset.
CREATE UNIQUE INDEX ux_portal_open_applications_pending ON portal_open_applications (user_id, entry_id) WHERE status = 'Pending';
