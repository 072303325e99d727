-- Portal module (开放门户), 应用展示: applications built on the open data, submitted by verified public accounts and
-- shown publicly only after a platform administrator approved them (待审核 → 已通过 / 未通过; 已通过 → 已隐藏 → 已通过).
CREATE TABLE portal_showcase_apps (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    url TEXT NOT NULL,
    user_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    moderated_at TEXT NULL,
    moderated_by TEXT NULL,
    moderation_note TEXT NULL
);
CREATE INDEX ix_portal_showcase_apps_status ON portal_showcase_apps (status, moderated_at);
CREATE INDEX ix_portal_showcase_apps_user ON portal_showcase_apps (user_id, created_at);

-- The open datasets an application uses (validated against the open catalog at submission; name kept as submitted).
CREATE TABLE portal_showcase_datasets (
    app_id TEXT NOT NULL REFERENCES portal_showcase_apps (id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    dataset_code TEXT NOT NULL,
    dataset_name TEXT NOT NULL,
    PRIMARY KEY (app_id, entry_id)
);
CREATE INDEX ix_portal_showcase_datasets_entry ON portal_showcase_datasets (entry_id);
