-- Identity 0001: departments, users and their roles.
CREATE TABLE identity_departments (
    id uuid NOT NULL PRIMARY KEY,
    name varchar(200) NOT NULL,
    short_name varchar(100) NULL,
    credit_code varchar(18) NOT NULL,
    kind integer NOT NULL,
    parent_id uuid NULL REFERENCES identity_departments(id),
    region_code varchar(6) NOT NULL,
    is_competent boolean NOT NULL DEFAULT false,
    domains varchar(200) NULL,
    sort_order integer NOT NULL DEFAULT 0,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_identity_departments_credit_code ON identity_departments (credit_code);
CREATE INDEX ix_identity_departments_parent ON identity_departments (parent_id);
CREATE INDEX ix_identity_departments_region ON identity_departments (region_code);

CREATE TABLE identity_users (
    id uuid NOT NULL PRIMARY KEY,
    user_name varchar(64) NOT NULL,
    display_name varchar(100) NOT NULL,
    email varchar(200) NULL,
    phone varchar(30) NULL,
    password_hash text NOT NULL,
    department_id uuid NULL REFERENCES identity_departments(id),
    is_active boolean NOT NULL DEFAULT true,
    security_stamp varchar(64) NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    last_login_at timestamptz NULL,
    version integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_identity_users_user_name ON identity_users (lower(user_name));
CREATE INDEX ix_identity_users_department ON identity_users (department_id);

CREATE TABLE identity_user_roles (
    user_id uuid NOT NULL REFERENCES identity_users(id) ON DELETE CASCADE,
    role varchar(32) NOT NULL,
    PRIMARY KEY (user_id, role)
);
