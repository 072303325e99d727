-- Exchange module (共享交换), part 1: sharing requests, grants, their event logs, the working-day calendar, and data disputes.
-- Timestamps are UTC text as EF Core writes them (yyyy-MM-dd HH:mm:ss.FFFFFFF), compared as text; dates are yyyy-MM-dd.
-- Ids of other modules (catalog entries, departments, users) are plain values: no foreign keys across modules.

-- A request (申请) for a published resource, or a renewal (续期) of a grant. status: draft, pending_compliance,
-- pending_provider, approved, refused, compliance_rejected, withdrawn. due_at / due_on: the deadline of the current
-- phase (compliance check or provider decision), computed with the working-day calendar.
CREATE TABLE exchange_requests (
    id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    grant_id TEXT NULL,
    resource_entry_id TEXT NOT NULL,
    resource_code TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    share_type INTEGER NOT NULL,
    provider_department_id TEXT NOT NULL,
    provider_region_code TEXT NOT NULL,
    consumer_department_id TEXT NOT NULL,
    competent_department_id TEXT NULL,
    applicant_id TEXT NULL,
    applicant_name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    business_case TEXT NOT NULL,
    items TEXT NOT NULL,
    row_scope TEXT NOT NULL,
    access_modes TEXT NOT NULL,
    duration_days INTEGER NOT NULL,
    status TEXT NOT NULL,
    submitted_at TEXT NULL,
    phase_started_at TEXT NULL,
    due_on TEXT NULL,
    due_at TEXT NULL,
    compliance_due_on TEXT NULL,
    provider_due_on TEXT NULL,
    compliance_passed_at TEXT NULL,
    decided_at TEXT NULL,
    decision_reason TEXT NULL,
    is_escalated INTEGER NOT NULL DEFAULT 0,
    escalated_at TEXT NULL,
    escalated_due_at TEXT NULL,
    escalation_reason TEXT NULL,
    coordinated_at TEXT NULL,
    coordination_note TEXT NULL,
    resulting_grant_id TEXT NULL,
    event_count INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_exchange_requests_consumer ON exchange_requests (consumer_department_id, created_at);
CREATE INDEX ix_exchange_requests_provider ON exchange_requests (provider_department_id, status, due_at);
CREATE INDEX ix_exchange_requests_status_due ON exchange_requests (status, due_at);
CREATE INDEX ix_exchange_requests_grant ON exchange_requests (grant_id);
-- At most one renewal in progress per grant (a concurrent second one fails here).
CREATE UNIQUE INDEX ux_exchange_requests_open_renewal ON exchange_requests (grant_id)
    WHERE kind = 'renewal' AND status IN ('draft', 'pending_compliance', 'pending_provider');

-- Every transition of a request: who, when, from → to, reason (action: submit, pass_compliance, fail_compliance, approve,
-- refuse, withdraw, escalate, coordinate).
CREATE TABLE exchange_request_events (
    id TEXT NOT NULL PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES exchange_requests (id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT NULL,
    to_status TEXT NOT NULL,
    actor_id TEXT NULL,
    actor_name TEXT NOT NULL,
    actor_department_id TEXT NULL,
    at TEXT NOT NULL,
    reason TEXT NULL,
    detail TEXT NULL
);
CREATE UNIQUE INDEX ux_exchange_request_events_seq ON exchange_request_events (request_id, seq);

-- A grant (授权): what the consumer department may use, for what, until when. status: active, revoked, expired.
CREATE TABLE exchange_grants (
    id TEXT NOT NULL PRIMARY KEY,
    request_id TEXT NOT NULL,
    resource_entry_id TEXT NOT NULL,
    resource_code TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    provider_department_id TEXT NOT NULL,
    consumer_department_id TEXT NOT NULL,
    items TEXT NOT NULL,
    row_scope TEXT NOT NULL,
    access_modes TEXT NOT NULL,
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    business_case TEXT NOT NULL,
    raw_allowed INTEGER NOT NULL DEFAULT 0,
    daily_quota INTEGER NULL,
    quota_unit TEXT NOT NULL,
    rate_limit_per_minute INTEGER NULL,
    starts_at TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    status TEXT NOT NULL,
    revoked_at TEXT NULL,
    revoke_reason TEXT NULL,
    renewal_count INTEGER NOT NULL DEFAULT 0,
    issued_by TEXT NULL,
    issued_by_name TEXT NOT NULL,
    event_count INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_exchange_grants_consumer ON exchange_grants (consumer_department_id, status);
CREATE INDEX ix_exchange_grants_provider ON exchange_grants (provider_department_id, status);
CREATE INDEX ix_exchange_grants_status_expiry ON exchange_grants (status, expires_at);
CREATE INDEX ix_exchange_grants_resource ON exchange_grants (resource_code, consumer_department_id);

-- Every change of a grant (action: issue, renew, revoke, expire).
CREATE TABLE exchange_grant_events (
    id TEXT NOT NULL PRIMARY KEY,
    grant_id TEXT NOT NULL REFERENCES exchange_grants (id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT NULL,
    to_status TEXT NOT NULL,
    actor_id TEXT NULL,
    actor_name TEXT NOT NULL,
    actor_department_id TEXT NULL,
    at TEXT NOT NULL,
    reason TEXT NULL,
    request_id TEXT NULL,
    detail TEXT NULL
);
CREATE UNIQUE INDEX ux_exchange_grant_events_seq ON exchange_grant_events (grant_id, seq);

-- Exceptions to the weekly pattern (Monday–Friday working): kind 'holiday' (节假日, a day off) or 'workday' (调休上班).
CREATE TABLE exchange_calendar_days (
    day TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    updated_by TEXT NULL,
    updated_by_name TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Data disputes (数据异议/校核纠错): a consumer flags a record or field of a granted resource with evidence; the provider
-- corrects it (corrected_version = the data version carrying the fix) or rejects it with a reason, by due_on.
-- status: open, corrected, rejected, withdrawn.
CREATE TABLE exchange_disputes (
    id TEXT NOT NULL PRIMARY KEY,
    grant_id TEXT NOT NULL REFERENCES exchange_grants (id),
    resource_entry_id TEXT NOT NULL,
    resource_code TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    provider_department_id TEXT NOT NULL,
    provider_region_code TEXT NOT NULL,
    consumer_department_id TEXT NOT NULL,
    reporter_id TEXT NULL,
    reporter_name TEXT NOT NULL,
    record_key TEXT NOT NULL,
    field TEXT NULL,
    reported_value TEXT NULL,
    expected_value TEXT NULL,
    description TEXT NOT NULL,
    evidence TEXT NOT NULL,
    data_version INTEGER NULL,
    status TEXT NOT NULL,
    due_on TEXT NOT NULL,
    due_at TEXT NOT NULL,
    resolved_at TEXT NULL,
    resolution_note TEXT NULL,
    corrected_version INTEGER NULL,
    event_count INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_exchange_disputes_consumer ON exchange_disputes (consumer_department_id, created_at);
CREATE INDEX ix_exchange_disputes_provider ON exchange_disputes (provider_department_id, status, due_at);

CREATE TABLE exchange_dispute_events (
    id TEXT NOT NULL PRIMARY KEY,
    dispute_id TEXT NOT NULL REFERENCES exchange_disputes (id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT NULL,
    to_status TEXT NOT NULL,
    actor_id TEXT NULL,
    actor_name TEXT NOT NULL,
    actor_department_id TEXT NULL,
    at TEXT NOT NULL,
    reason TEXT NULL,
    detail TEXT NULL
);
CREATE UNIQUE INDEX ux_exchange_dispute_events_seq ON exchange_dispute_events (dispute_id, seq);
