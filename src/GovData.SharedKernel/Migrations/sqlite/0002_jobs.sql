-- Platform 0002: scheduled jobs shared by every host over the database. A host runs a due job only after claiming it
-- with one atomic UPDATE that takes a lease (lease_owner, lease_until), so with several hosts each run happens once.
-- Timestamps are UTC text written by the job store ('yyyy-MM-dd HH:mm:ss.FFFFFFF'), compared as text.
CREATE TABLE platform_jobs (
    name TEXT NOT NULL PRIMARY KEY,
    next_run_at TEXT NOT NULL,
    lease_owner TEXT NULL,
    lease_until TEXT NULL,
    last_started_at TEXT NULL,
    last_finished_at TEXT NULL,
    last_status TEXT NULL,
    last_error TEXT NULL,
    last_owner TEXT NULL,
    run_count INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
