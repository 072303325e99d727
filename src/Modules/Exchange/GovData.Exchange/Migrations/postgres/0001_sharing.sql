-- Exchange module (共享交换), part 1: sharing requests, grants, their event logs, the working-day calendar, and data disputes.
-- Timestamps are timestamptz (UTC); dates are date.
-- Ids of other modules (catalog entries, departments, users) are plain values: no foreign keys across modules.

-- A request (申请) for a published resource, or a renewal (续期) of a grant. status: draft, pending_compliance,
-- pending_provider, approved, refused, compliance_rejected, withdrawn. due_at / due_on: the deadline of the current
-- phase (compliance check or provider decision), computed with the working-day calendar.
CREATE TABLE exchange_requests (
    id uuid NOT NULL PRIMARY KEY,
    kind varchar(30) NOT NULL,
    grant_id uuid NULL,
    resource_entry_id uuid NOT NULL,
    resource_code varchar(60) NOT NULL,
    resource_name varchar(200) NOT NULL,
    share_type integer NOT NULL,
    provider_department_id uuid NOT NULL,
    provider_region_code varchar(6) NOT NULL,
    consumer_department_id uuid NOT NULL,
    competent_department_id uuid NULL,
    applicant_id uuid NULL,
    applicant_name varchar(200) NOT NULL,
    purpose text NOT NULL,
    legal_basis text NOT NULL,
    business_case text NOT NULL,
    items text NOT NULL,
    row_scope text NOT NULL,
    access_modes varchar(100) NOT NULL,
    duration_days integer NOT NULL,
    status varchar(30) NOT NULL,
    submitted_at timestamp with time zone NULL,
    phase_started_at timestamp with time zone NULL,
    due_on date NULL,
    due_at timestamp with time zone NULL,
    compliance_due_on date NULL,
    provider_due_on date NULL,
    compliance_passed_at timestamp with time zone NULL,
    decided_at timestamp with time zone NULL,
    decision_reason text NULL,
    is_escalated boolean NOT NULL DEFAULT false,
    escalated_at timestamp with time zone NULL,
    escalated_due_at timestamp with time zone NULL,
    escalation_reason text NULL,
    coordinated_at timestamp with time zone NULL,
    coordination_note text NULL,
    resulting_grant_id uuid NULL,
    event_count integer NOT NULL DEFAULT 0,
    version integer NOT NULL DEFAULT 0,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
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
    id uuid NOT NULL PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES exchange_requests (id),
    seq integer NOT NULL,
    action varchar(30) NOT NULL,
    from_status varchar(30) NULL,
    to_status varchar(30) NOT NULL,
    actor_id uuid NULL,
    actor_name varchar(200) NOT NULL,
    actor_department_id uuid NULL,
    at timestamp with time zone NOT NULL,
    reason text NULL,
    detail text NULL
);
CREATE UNIQUE INDEX ux_exchange_request_events_seq ON exchange_request_events (request_id, seq);

-- A grant (授权): what the consumer department may use, for what, until when. status: active, revoked, expired.
CREATE TABLE exchange_grants (
    id uuid NOT NULL PRIMARY KEY,
    request_id uuid NOT NULL,
    resource_entry_id uuid NOT NULL,
    resource_code varchar(60) NOT NULL,
    resource_name varchar(200) NOT NULL,
    provider_department_id uuid NOT NULL,
    consumer_department_id uuid NOT NULL,
    items text NOT NULL,
    row_scope text NOT NULL,
    access_modes varchar(100) NOT NULL,
    purpose text NOT NULL,
    legal_basis text NOT NULL,
    business_case text NOT NULL,
    raw_allowed boolean NOT NULL DEFAULT false,
    daily_quota bigint NULL,
    quota_unit varchar(30) NOT NULL,
    rate_limit_per_minute integer NULL,
    starts_at timestamp with time zone NOT NULL,
    expires_on date NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    status varchar(30) NOT NULL,
    revoked_at timestamp with time zone NULL,
    revoke_reason text NULL,
    renewal_count integer NOT NULL DEFAULT 0,
    issued_by uuid NULL,
    issued_by_name varchar(200) NOT NULL,
    event_count integer NOT NULL DEFAULT 0,
    version integer NOT NULL DEFAULT 0,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE INDEX ix_exchange_grants_consumer ON exchange_grants (consumer_department_id, status);
CREATE INDEX ix_exchange_grants_provider ON exchange_grants (provider_department_id, status);
CREATE INDEX ix_exchange_grants_status_expiry ON exchange_grants (status, expires_at);
CREATE INDEX ix_exchange_grants_resource ON exchange_grants (resource_code, consumer_department_id);

-- Every change of a grant (action: issue, renew, revoke, expire).
CREATE TABLE exchange_grant_events (
    id uuid NOT NULL PRIMARY KEY,
    grant_id uuid NOT NULL REFERENCES exchange_grants (id),
    seq integer NOT NULL,
    action varchar(30) NOT NULL,
    from_status varchar(30) NULL,
    to_status varchar(30) NOT NULL,
    actor_id uuid NULL,
    actor_name varchar(200) NOT NULL,
    actor_department_id uuid NULL,
    at timestamp with time zone NOT NULL,
    reason text NULL,
    request_id uuid NULL,
    detail text NULL
);
CREATE UNIQUE INDEX ux_exchange_grant_events_seq ON exchange_grant_events (grant_id, seq);

-- Exceptions to the weekly pattern (Monday–Friday working): kind 'holiday' (节假日, a day off) or 'workday' (调休上班).
CREATE TABLE exchange_calendar_days (
    day date NOT NULL PRIMARY KEY,
    kind varchar(30) NOT NULL,
    name varchar(200) NOT NULL,
    updated_by uuid NULL,
    updated_by_name varchar(200) NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

-- Data disputes (数据异议/校核纠错): a consumer flags a record or field of a granted resource with evidence; the provider
-- corrects it (corrected_version = the data version carrying the fix) or rejects it with a reason, by due_on.
-- status: open, corrected, rejected, withdrawn.
CREATE TABLE exchange_disputes (
    id uuid NOT NULL PRIMARY KEY,
    grant_id uuid NOT NULL REFERENCES exchange_grants (id),
    resource_entry_id uuid NOT NULL,
    resource_code varchar(60) NOT NULL,
    resource_name varchar(200) NOT NULL,
    provider_department_id uuid NOT NULL,
    provider_region_code varchar(6) NOT NULL,
    consumer_department_id uuid NOT NULL,
    reporter_id uuid NULL,
    reporter_name varchar(200) NOT NULL,
    record_key varchar(200) NOT NULL,
    field varchar(200) NULL,
    reported_value varchar(500) NULL,
    expected_value varchar(500) NULL,
    description text NOT NULL,
    evidence text NOT NULL,
    data_version integer NULL,
    status varchar(30) NOT NULL,
    due_on date NOT NULL,
    due_at timestamp with time zone NOT NULL,
    resolved_at timestamp with time zone NULL,
    resolution_note text NULL,
    corrected_version integer NULL,
    event_count integer NOT NULL DEFAULT 0,
    version integer NOT NULL DEFAULT 0,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE INDEX ix_exchange_disputes_consumer ON exchange_disputes (consumer_department_id, created_at);
CREATE INDEX ix_exchange_disputes_provider ON exchange_disputes (provider_department_id, status, due_at);

CREATE TABLE exchange_dispute_events (
    id uuid NOT NULL PRIMARY KEY,
    dispute_id uuid NOT NULL REFERENCES exchange_disputes (id),
    seq integer NOT NULL,
    action varchar(30) NOT NULL,
    from_status varchar(30) NULL,
    to_status varchar(30) NOT NULL,
    actor_id uuid NULL,
    actor_name varchar(200) NOT NULL,
    actor_department_id uuid NULL,
    at timestamp with time zone NOT NULL,
    reason text NULL,
    detail text NULL
);
CREATE UNIQUE INDEX ux_exchange_dispute_events_seq ON exchange_dispute_events (dispute_id, seq);
