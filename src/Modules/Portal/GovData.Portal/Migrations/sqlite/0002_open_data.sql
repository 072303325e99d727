-- Portal module (开放门户), open data: use of each dataset per day and kind (API calls, downloads per file format),
-- counted once per request on the server (robots excluded); and the call windows of the open API's rate limits and
-- daily quotas, kept in the database so that every host of the platform counts against the same numbers.
CREATE TABLE portal_dataset_usage (
    entry_id TEXT NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    department_id TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entry_id, day, kind)
);
CREATE INDEX ix_portal_dataset_usage_day ON portal_dataset_usage (day, kind);
CREATE INDEX ix_portal_dataset_usage_department ON portal_dataset_usage (department_id, day);

CREATE TABLE portal_api_windows (
    caller TEXT NOT NULL,
    period TEXT NOT NULL,
    calls INTEGER NOT NULL DEFAULT 0,
    ends_at INTEGER NOT NULL,
    PRIMARY KEY (caller, period)
);
CREATE INDEX ix_portal_api_windows_ends ON portal_api_windows (ends_at);
