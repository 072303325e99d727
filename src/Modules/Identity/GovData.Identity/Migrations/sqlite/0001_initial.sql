-- Identity 0001: departments, users and their roles.
CREATE TABLE identity_departments (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NULL,
    credit_code TEXT NOT NULL,
    kind INTEGER NOT NULL,
    parent_id TEXT NULL REFERENCES identity_departments(id),
    region_code TEXT NOT NULL,
    is_competent INTEGER NOT NULL DEFAULT 0,
    domains TEXT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    is_active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_identity_departments_credit_code ON identity_departments (credit_code);
CREATE INDEX ix_identity_departments_parent ON identity_departments (parent_id);
CREATE INDEX ix_identity_departments_region ON identity_departments (region_code);

CREATE TABLE identity_users (
    id TEXT NOT NULL PRIMARY KEY,
    user_name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email TEXT NULL,
    phone TEXT NULL,
    password_hash TEXT NOT NULL,
    department_id TEXT NULL REFERENCES identity_departments(id),
    is_active INTEGER NOT NULL DEFAULT 1,
    security_stamp TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_login_at TEXT NULL,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_identity_users_user_name ON identity_users (user_name COLLATE NOCASE);
CREATE INDEX ix_identity_users_department ON identity_users (department_id);

CREATE TABLE identity_user_roles (
    user_id TEXT NOT NULL REFERENCES identity_users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);
