-- Portal module (开放门户): views of dataset pages per resource and day, counted once per request on the server
-- (robots excluded). The datasets themselves are the Catalog's open catalog, read through IOpenCatalog.
CREATE TABLE portal_dataset_views (
    entry_id uuid NOT NULL,
    day date NOT NULL,
    department_id uuid NOT NULL,
    views bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (entry_id, day)
);
CREATE INDEX ix_portal_dataset_views_day ON portal_dataset_views (day);
CREATE INDEX ix_portal_dataset_views_department ON portal_dataset_views (department_id, day);
