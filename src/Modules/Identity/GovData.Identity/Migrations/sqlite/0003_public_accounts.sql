-- Identity 0003: self-registered public accounts (公众/开发者) with e-mail verification.
-- Accounts created by administrators are vouched for and count as verified (self_registered = 0).
ALTER TABLE identity_users ADD COLUMN self_registered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE identity_users ADD COLUMN email_verified_at TEXT NULL;
CREATE INDEX ix_identity_users_email ON identity_users (lower(email));
-- One self-registered account per address (the service also refuses addresses of existing staff accounts).
CREATE UNIQUE INDEX ux_identity_users_registered_email ON identity_users (lower(email)) WHERE self_registered = 1;

-- Single-use tokens sent by e-mail (only the SHA-256 of the token is stored).
CREATE TABLE identity_email_tokens (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES identity_users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT NULL
);
CREATE UNIQUE INDEX ux_identity_email_tokens_hash ON identity_email_tokens (token_hash);
CREATE INDEX ix_identity_email_tokens_user ON identity_email_tokens (user_id, purpose);

-- Outgoing mail. Always written (and logged); a registered IEmailDelivery sends and marks it (sent_at).
CREATE TABLE identity_email_outbox (
    id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id TEXT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    claimed_until TEXT NULL,
    sent_at TEXT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NULL
);
CREATE INDEX ix_identity_email_outbox_pending ON identity_email_outbox (sent_at, created_at);
CREATE INDEX ix_identity_email_outbox_to ON identity_email_outbox (lower(to_address));

-- Registration and resend attempts per client address (rate limit shared by every host of the database).
CREATE TABLE identity_registration_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ip_address TEXT NOT NULL,
    email TEXT NULL,
    attempted_at TEXT NOT NULL
);
CREATE INDEX ix_identity_registration_attempts_ip ON identity_registration_attempts (ip_address, kind, attempted_at);
