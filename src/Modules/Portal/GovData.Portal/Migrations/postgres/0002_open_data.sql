-- Portal module (开放门户), open data: use of each dataset per day and kind (API calls, downloads per file format),
-- counted once per request on the server (robots excluded); and the call windows of the open API's rate limits and
-- daily quotas, kept in the database so that every host of the platform counts against the same numbers.
CREATE TABLE portal_dataset_usage (
    entry_id uuid NOT NULL,
    day date NOT NULL,
    kind varchar(16) NOT NULL,
    department_id uuid NOT NULL,
    count bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (entry_id, day, kind)
);
CREATE INDEX ix_portal_dataset_usage_day ON portal_dataset_usage (day, kind);
CREATE INDEX ix_portal_dataset_usage_department ON portal_dataset_usage (department_id, day);

CREATE TABLE portal_api_windows (
    caller varchar(120) NOT NULL,
    period varchar(20) NOT NULL,
    calls bigint NOT NULL DEFAULT 0,
    ends_at bigint NOT NULL,
    PRIMARY KEY (caller, period)
);
CREATE INDEX ix_portal_api_windows_ends ON portal_api_windows (ends_at);
