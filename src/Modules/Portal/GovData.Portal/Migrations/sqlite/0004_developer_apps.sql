-- Portal 0004: developer apps (我的应用). An app belongs to a public account with the role 开发者 (user id from Identity,
-- no FK across modules) and holds the id of the Identity API key currently bound to it (the key itself, its hash and its
-- revocation stay in identity_api_keys). Calls of an app's key are counted per app in portal_api_windows (caller
-- 'app:{id}'), so rotating the key neither resets the day's quota nor loses the app's call history.
CREATE TABLE portal_apps (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NULL,
    homepage_url TEXT NULL,
    api_key_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    revoked_at TEXT NULL
);
CREATE INDEX ix_portal_apps_user ON portal_apps (user_id, created_at);
CREATE UNIQUE INDEX ux_portal_apps_api_key ON portal_apps (api_key_id);
