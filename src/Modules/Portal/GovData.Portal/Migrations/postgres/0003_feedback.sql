-- Portal 0003: feedback loops — favourites, ratings, comments, 纠错 (error reports), 数据需求 (data requests) and the
-- sensitive-word list editable by the platform administrator. User ids come from Identity (no FK across modules);
-- names of datasets and authors are copied at posting time so lists need no cross-module look-ups.
CREATE TABLE portal_favorites (
    user_id uuid NOT NULL,
    entry_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, entry_id)
);
CREATE INDEX ix_portal_favorites_entry ON portal_favorites (entry_id);

CREATE TABLE portal_ratings (
    user_id uuid NOT NULL,
    entry_id uuid NOT NULL,
    score integer NOT NULL CHECK (score BETWEEN 1 AND 5),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, entry_id)
);
CREATE INDEX ix_portal_ratings_entry ON portal_ratings (entry_id);

CREATE TABLE portal_comments (
    id uuid NOT NULL PRIMARY KEY,
    entry_id uuid NOT NULL,
    dataset_code text NOT NULL,
    dataset_name text NOT NULL,
    user_id uuid NOT NULL,
    author_name text NOT NULL,
    body text NOT NULL,
    is_hidden boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    moderated_at timestamptz NULL,
    moderated_by uuid NULL,
    moderation_note text NULL
);
CREATE INDEX ix_portal_comments_entry ON portal_comments (entry_id, created_at);
CREATE INDEX ix_portal_comments_user ON portal_comments (user_id, created_at);
CREATE INDEX ix_portal_comments_created ON portal_comments (created_at);

CREATE TABLE portal_corrections (
    id uuid NOT NULL PRIMARY KEY,
    entry_id uuid NOT NULL,
    dataset_code text NOT NULL,
    dataset_name text NOT NULL,
    department_id uuid NOT NULL,
    user_id uuid NOT NULL,
    author_name text NOT NULL,
    field_name text NULL,
    record_ref text NULL,
    description text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    due_at timestamptz NOT NULL,
    answer text NULL,
    answered_at timestamptz NULL,
    answered_by uuid NULL,
    answered_by_name text NULL
);
CREATE INDEX ix_portal_corrections_department ON portal_corrections (department_id, status, created_at);
CREATE INDEX ix_portal_corrections_entry ON portal_corrections (entry_id, created_at);
CREATE INDEX ix_portal_corrections_user ON portal_corrections (user_id, created_at);

CREATE TABLE portal_demands (
    id uuid NOT NULL PRIMARY KEY,
    department_id uuid NOT NULL,
    department_name text NOT NULL,
    user_id uuid NOT NULL,
    author_name text NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    purpose text NULL,
    status text NOT NULL,
    is_hidden boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    due_at timestamptz NOT NULL,
    answer text NULL,
    answered_at timestamptz NULL,
    answered_by uuid NULL,
    answered_by_name text NULL,
    moderated_at timestamptz NULL,
    moderated_by uuid NULL,
    moderation_note text NULL
);
CREATE INDEX ix_portal_demands_department ON portal_demands (department_id, status, created_at);
CREATE INDEX ix_portal_demands_user ON portal_demands (user_id, created_at);
CREATE INDEX ix_portal_demands_created ON portal_demands (created_at);

CREATE TABLE portal_sensitive_words (
    id uuid NOT NULL PRIMARY KEY,
    word text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by uuid NULL
);
CREATE UNIQUE INDEX ux_portal_sensitive_words_word ON portal_sensitive_words (word);
