-- Exchange module (共享交换), part 3: governed access — application credentials, the replay (nonce) store and the usage
-- counters behind quotas and rate limits. Timestamps of EF-mapped tables are UTC text as EF Core writes them
-- (yyyy-MM-dd HH:mm:ss.FFFFFFF); the hot-path tables (nonces, usage) keep unix seconds as integers on both engines.
-- Ids of other modules (departments, users, grants) are plain values: no foreign keys across modules or parts.

-- An application of a consumer department (调用方应用): client id + secret. The secret is needed in clear for HMAC, so it
-- is stored protected with ASP.NET Core Data Protection (keys shared by all hosts through platform_data_protection_keys);
-- after a rotation the previous secret stays valid until previous_valid_until (a configurable grace period).
-- status: active, revoked.
CREATE TABLE exchange_apps (
    id TEXT NOT NULL PRIMARY KEY,
    department_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NULL,
    client_id TEXT NOT NULL,
    secret_protected TEXT NOT NULL,
    secret_hint TEXT NOT NULL,
    previous_secret_protected TEXT NULL,
    previous_valid_until TEXT NULL,
    status TEXT NOT NULL,
    created_by TEXT NULL,
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    rotated_at TEXT NULL,
    revoked_at TEXT NULL,
    revoked_by_name TEXT NULL,
    revoke_reason TEXT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_exchange_apps_client ON exchange_apps (client_id);
CREATE INDEX ix_exchange_apps_department ON exchange_apps (department_id);

-- Nonces of signed requests, unique per client: a second request with the same nonce is a replay, refused by every host.
-- expires_at (unix seconds) = the request's timestamp + the tolerance; after it the timestamp check alone refuses the
-- request, so expired rows are deleted.
CREATE TABLE exchange_nonces (
    client_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, nonce)
) WITHOUT ROWID;
CREATE INDEX ix_exchange_nonces_expires ON exchange_nonces (expires_at);

-- Usage per grant and window: window_kind 'day' (local day, daily quota in calls or rows) or 'minute' (rate limit);
-- window_start in unix seconds. Incremented with one conditional upsert, so hosts sharing the database share the limits.
CREATE TABLE exchange_usage (
    grant_id TEXT NOT NULL,
    window_kind TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (grant_id, window_kind, window_start)
) WITHOUT ROWID;

-- Platform secrets of the access part (the salt of 核验 hashes), protected with Data Protection, created once by whichever
-- host needs them first.
CREATE TABLE exchange_access_secrets (
    name TEXT NOT NULL PRIMARY KEY,
    value_protected TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- File delivery (文件交付): an extract requested by an application, generated in the background by whichever host claims
-- it (conditional update of status/lease), stored under the data folder, downloadable through a link whose token is
-- kept only as its SHA-256 (download_token_hash) until link_expires_at. status: queued, running, ready, failed, expired.
-- quota_rows / quota_day: rows of a daily quota reserved for the extract (the unused part is given back when it ends).
CREATE TABLE exchange_file_jobs (
    id TEXT NOT NULL PRIMARY KEY,
    grant_id TEXT NOT NULL,
    consumer_department_id TEXT NOT NULL,
    provider_department_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    resource_code TEXT NOT NULL,
    format TEXT NOT NULL,
    bom INTEGER NOT NULL,
    gb18030 INTEGER NOT NULL,
    field_code_header INTEGER NOT NULL,
    query_json TEXT NOT NULL,
    request_id TEXT NOT NULL,
    issue TEXT NULL,
    status TEXT NOT NULL,
    quota_rows INTEGER NULL,
    quota_day INTEGER NULL,
    rows INTEGER NOT NULL DEFAULT 0,
    size_bytes INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT NULL,
    blob_path TEXT NULL,
    file_name TEXT NULL,
    content_type TEXT NULL,
    error TEXT NULL,
    requested_at TEXT NOT NULL,
    started_at TEXT NULL,
    finished_at TEXT NULL,
    lease_owner TEXT NULL,
    lease_until TEXT NULL,
    download_token_hash TEXT NOT NULL,
    link_expires_at TEXT NULL,
    downloads INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_exchange_file_jobs_token ON exchange_file_jobs (download_token_hash);
CREATE INDEX ix_exchange_file_jobs_status ON exchange_file_jobs (status, requested_at);
CREATE INDEX ix_exchange_file_jobs_department ON exchange_file_jobs (consumer_department_id, requested_at);
