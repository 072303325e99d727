-- Portal 0005: 有条件开放 applications. A developer applies for a 有条件开放 dataset (用途, 应用场景, 申请表 fields, the
-- requested items and period) and accepts the 安全承诺书 and the 利用协议 (the version of each text and the time are
-- stored); the providing department approves (the grant itself lives in the exchange module: grant_id) or rejects with
-- a reason. status: Pending (待审核), Approved (已批准), Rejected (已驳回), Withdrawn (已撤回), Revoked (已撤销);
-- 已到期 is an approved application past granted_expires_on (derived, as the grant's own state). The 利用报告 is
-- report_text / report_submitted_at. User ids come from Identity, entry ids from the catalog (no FK across modules).
CREATE TABLE portal_open_applications (
    id uuid NOT NULL PRIMARY KEY,
    entry_id uuid NOT NULL,
    dataset_code text NOT NULL,
    dataset_name text NOT NULL,
    department_id uuid NOT NULL,
    user_id uuid NOT NULL,
    applicant_name text NOT NULL,
    applicant_type text NOT NULL,
    organization text NULL,
    contact text NOT NULL,
    purpose text NOT NULL CHECK (char_length(purpose) BETWEEN 10 AND 1000),
    scenario text NOT NULL,
    items text NOT NULL,
    period_days integer NOT NULL CHECK (period_days BETWEEN 1 AND 366),
    pledge_version text NOT NULL,
    pledge_accepted_at timestamptz NOT NULL,
    agreement_version text NOT NULL,
    agreement_accepted_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('Pending', 'Approved', 'Rejected', 'Withdrawn', 'Revoked')),
    created_at timestamptz NOT NULL,
    decided_at timestamptz NULL,
    decided_by uuid NULL,
    decided_by_name text NULL,
    decision_reason text NULL,
    grant_id uuid NULL,
    granted_items text NULL,
    granted_scope text NULL,
    granted_expires_on date NULL,
    closed_at timestamptz NULL,
    close_reason text NULL,
    report_text text NULL,
    report_submitted_at timestamptz NULL,
    version integer NOT NULL DEFAULT 0
);
CREATE INDEX ix_portal_open_applications_department ON portal_open_applications (department_id, status, created_at);
CREATE INDEX ix_portal_open_applications_user ON portal_open_applications (user_id, created_at);
-- At most one application waiting for a decision per account and dataset.
CREATE UNIQUE INDEX ux_portal_open_applications_pending ON portal_open_applications (user_id, entry_id) WHERE status = 'Pending';
