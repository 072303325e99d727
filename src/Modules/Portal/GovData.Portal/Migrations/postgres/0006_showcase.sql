-- Portal module (开放门户), 应用展示: applications built on the open data, submitted by verified public accounts and
-- shown publicly only after a platform administrator approved them (待审核 → 已通过 / 未通过; 已通过 → 已隐藏 → 已通过).
CREATE TABLE portal_showcase_apps (
    id uuid NOT NULL PRIMARY KEY,
    name text NOT NULL,
    description text NOT NULL,
    url text NOT NULL,
    user_id uuid NOT NULL,
    author_name text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    moderated_at timestamptz NULL,
    moderated_by uuid NULL,
    moderation_note text NULL
);
CREATE INDEX ix_portal_showcase_apps_status ON portal_showcase_apps (status, moderated_at);
CREATE INDEX ix_portal_showcase_apps_user ON portal_showcase_apps (user_id, created_at);

-- The open datasets an application uses (validated against the open catalog at submission; name kept as submitted).
CREATE TABLE portal_showcase_datasets (
    app_id uuid NOT NULL REFERENCES portal_showcase_apps (id) ON DELETE CASCADE,
    entry_id uuid NOT NULL,
    ordinal integer NOT NULL,
    dataset_code text NOT NULL,
    dataset_name text NOT NULL,
    PRIMARY KEY (app_id, entry_id)
);
CREATE INDEX ix_portal_showcase_datasets_entry ON portal_showcase_datasets (entry_id);
