-- Portal 0003: feedback loops — favourites, ratings, comments, 纠错 (error reports), 数据需求 (data requests) and the
-- sensitive-word list editable by the platform administrator. User ids come from Identity (no FK across modules);
-- names of datasets and authors are copied at posting time so lists need no cross-module look-ups.
CREATE TABLE portal_favorites (
    user_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, entry_id)
);
CREATE INDEX ix_portal_favorites_entry ON portal_favorites (entry_id);

CREATE TABLE portal_ratings (
    user_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, entry_id)
);
CREATE INDEX ix_portal_ratings_entry ON portal_ratings (entry_id);

CREATE TABLE portal_comments (
    id TEXT NOT NULL PRIMARY KEY,
    entry_id TEXT NOT NULL,
    dataset_code TEXT NOT NULL,
    dataset_name TEXT NOT NULL,
    user_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    is_hidden INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    moderated_at TEXT NULL,
    moderated_by TEXT NULL,
    moderation_note TEXT NULL
);
CREATE INDEX ix_portal_comments_entry ON portal_comments (entry_id, created_at);
CREATE INDEX ix_portal_comments_user ON portal_comments (user_id, created_at);
CREATE INDEX ix_portal_comments_created ON portal_comments (created_at);

CREATE TABLE portal_corrections (
    id TEXT NOT NULL PRIMARY KEY,
    entry_id TEXT NOT NULL,
    dataset_code TEXT NOT NULL,
    dataset_name TEXT NOT NULL,
    department_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    field_name TEXT NULL,
    record_ref TEXT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    answer TEXT NULL,
    answered_at TEXT NULL,
    answered_by TEXT NULL,
    answered_by_name TEXT NULL
);
CREATE INDEX ix_portal_corrections_department ON portal_corrections (department_id, status, created_at);
CREATE INDEX ix_portal_corrections_entry ON portal_corrections (entry_id, created_at);
CREATE INDEX ix_portal_corrections_user ON portal_corrections (user_id, created_at);

CREATE TABLE portal_demands (
    id TEXT NOT NULL PRIMARY KEY,
    department_id TEXT NOT NULL,
    department_name TEXT NOT NULL,
    user_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    purpose TEXT NULL,
    status TEXT NOT NULL,
    is_hidden INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    answer TEXT NULL,
    answered_at TEXT NULL,
    answered_by TEXT NULL,
    answered_by_name TEXT NULL,
    moderated_at TEXT NULL,
    moderated_by TEXT NULL,
    moderation_note TEXT NULL
);
CREATE INDEX ix_portal_demands_department ON portal_demands (department_id, status, created_at);
CREATE INDEX ix_portal_demands_user ON portal_demands (user_id, created_at);
CREATE INDEX ix_portal_demands_created ON portal_demands (created_at);

CREATE TABLE portal_sensitive_words (
    id TEXT NOT NULL PRIMARY KEY,
    word TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NULL
);
CREATE UNIQUE INDEX ux_portal_sensitive_words_word ON portal_sensitive_words (word);
