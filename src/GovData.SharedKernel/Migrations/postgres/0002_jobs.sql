-- Platform 0002: scheduled jobs shared by every host over the database. A host runs a due job only after claiming it
-- with one atomic UPDATE that takes a lease (lease_owner, lease_until), so with several hosts each run happens once.
CREATE TABLE platform_jobs (
    name varchar(100) NOT NULL PRIMARY KEY,
    next_run_at timestamptz NOT NULL,
    lease_owner varchar(200) NULL,
    lease_until timestamptz NULL,
    last_started_at timestamptz NULL,
    last_finished_at timestamptz NULL,
    last_status varchar(20) NULL,
    last_error text NULL,
    last_owner varchar(200) NULL,
    run_count integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL
);
