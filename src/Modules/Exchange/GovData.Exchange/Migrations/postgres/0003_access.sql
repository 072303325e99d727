-- Exchange module (共享交换), part 3: governed access — application credentials, the replay (nonce) store and the usage
-- counters behind quotas and rate limits. Timestamps of EF-mapped tables are timestamptz (UTC); the hot-path tables
-- (nonces, usage) keep unix seconds as bigint on both engines.
-- Ids of other modules (departments, users, grants) are plain values: no foreign keys across modules or parts.

-- An application of a consumer department (调用方应用): client id + secret. The secret is needed in clear for HMAC, so it
-- is stored protected with ASP.NET Core Data Protection (keys shared by all hosts through platform_data_protection_keys);
-- after a rotation the previous secret stays valid until previous_valid_until (a configurable grace period).
-- status: active, revoked.
CREATE TABLE exchange_apps (
    id uuid NOT NULL PRIMARY KEY,
    department_id uuid NOT NULL,
    name varchar(100) NOT NULL,
    description varchar(500) NULL,
    client_id varchar(64) NOT NULL,
    secret_protected text NOT NULL,
    secret_hint varchar(10) NOT NULL,
    previous_secret_protected text NULL,
    previous_valid_until timestamp with time zone NULL,
    status varchar(20) NOT NULL,
    created_by uuid NULL,
    created_by_name varchar(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    rotated_at timestamp with time zone NULL,
    revoked_at timestamp with time zone NULL,
    revoked_by_name varchar(200) NULL,
    revoke_reason varchar(1000) NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE UNIQUE INDEX ux_exchange_apps_client ON exchange_apps (client_id);
CREATE INDEX ix_exchange_apps_department ON exchange_apps (department_id);

-- Nonces of signed requests, unique per client: a second request with the same nonce is a replay, refused by every host.
-- expires_at (unix seconds) = the request's timestamp + the tolerance; after it the timestamp check alone refuses the
-- request, so expired rows are deleted.
CREATE TABLE exchange_nonces (
    client_id varchar(64) NOT NULL,
    nonce varchar(64) NOT NULL,
    expires_at bigint NOT NULL,
    PRIMARY KEY (client_id, nonce)
);
CREATE INDEX ix_exchange_nonces_expires ON exchange_nonces (expires_at);

-- Usage per grant and window: window_kind 'day' (local day, daily quota in calls or rows) or 'minute' (rate limit);
-- window_start in unix seconds. Incremented with one conditional upsert, so hosts sharing the database share the limits.
CREATE TABLE exchange_usage (
    grant_id varchar(36) NOT NULL,
    window_kind varchar(10) NOT NULL,
    window_start bigint NOT NULL,
    used bigint NOT NULL,
    PRIMARY KEY (grant_id, window_kind, window_start)
);

-- Platform secrets of the access part (the salt of 核验 hashes), protected with Data Protection, created once by whichever
-- host needs them first.
CREATE TABLE exchange_access_secrets (
    name varchar(100) NOT NULL PRIMARY KEY,
    value_protected text NOT NULL,
    created_at timestamp with time zone NOT NULL
);

-- File delivery (文件交付): an extract requested by an application, generated in the background by whichever host claims
-- it (conditional update of status/lease), stored under the data folder, downloadable through a link whose token is
-- kept only as its SHA-256 (download_token_hash) until link_expires_at. status: queued, running, ready, failed, expired.
-- quota_rows / quota_day: rows of a daily quota reserved for the extract (the unused part is given back when it ends).
CREATE TABLE exchange_file_jobs (
    id uuid NOT NULL PRIMARY KEY,
    grant_id uuid NOT NULL,
    consumer_department_id uuid NOT NULL,
    provider_department_id uuid NOT NULL,
    client_id varchar(64) NOT NULL,
    resource_code varchar(60) NOT NULL,
    format varchar(10) NOT NULL,
    bom boolean NOT NULL,
    gb18030 boolean NOT NULL,
    field_code_header boolean NOT NULL,
    query_json text NOT NULL,
    request_id varchar(100) NOT NULL,
    issue varchar(200) NULL,
    status varchar(20) NOT NULL,
    quota_rows bigint NULL,
    quota_day bigint NULL,
    rows bigint NOT NULL DEFAULT 0,
    size_bytes bigint NOT NULL DEFAULT 0,
    sha256 varchar(64) NULL,
    blob_path varchar(300) NULL,
    file_name varchar(300) NULL,
    content_type varchar(100) NULL,
    error varchar(1000) NULL,
    requested_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone NULL,
    finished_at timestamp with time zone NULL,
    lease_owner varchar(100) NULL,
    lease_until timestamp with time zone NULL,
    download_token_hash varchar(64) NOT NULL,
    link_expires_at timestamp with time zone NULL,
    downloads integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_exchange_file_jobs_token ON exchange_file_jobs (download_token_hash);
CREATE INDEX ix_exchange_file_jobs_status ON exchange_file_jobs (status, requested_at);
CREATE INDEX ix_exchange_file_jobs_department ON exchange_file_jobs (consumer_department_id, requested_at);
