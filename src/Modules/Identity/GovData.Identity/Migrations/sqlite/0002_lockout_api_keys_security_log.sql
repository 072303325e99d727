-- Identity 0002: login lockout, API keys and the append-only security log.
ALTER TABLE identity_users ADD COLUMN failed_login_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE identity_users ADD COLUMN lockout_end TEXT NULL;

CREATE TABLE identity_api_keys (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES identity_users(id),
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NULL,
    revoked_at TEXT NULL,
    revoked_by TEXT NULL,
    last_used_at TEXT NULL
);
CREATE UNIQUE INDEX ux_identity_api_keys_prefix ON identity_api_keys (prefix);
CREATE INDEX ix_identity_api_keys_user ON identity_api_keys (user_id);

CREATE TABLE identity_security_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT NOT NULL,
    event_type TEXT NOT NULL,
    actor_id TEXT NULL,
    actor_name TEXT NULL,
    subject_user_id TEXT NULL,
    department_id TEXT NULL,
    ip_address TEXT NULL,
    success INTEGER NOT NULL,
    detail TEXT NULL
);
CREATE INDEX ix_identity_security_events_time ON identity_security_events (occurred_at);
-- Nobody, administrators included, may alter or erase the log through the database connection the platform uses.
CREATE TRIGGER tr_identity_security_events_no_update BEFORE UPDATE ON identity_security_events
BEGIN SELECT RAISE(ABORT, '安全日志只能追加，不能修改'); END;
CREATE TRIGGER tr_identity_security_events_no_delete BEFORE DELETE ON identity_security_events
BEGIN SELECT RAISE(ABORT, '安全日志只能追加，不能删除'); END;
