-- Reports generated through the API (issue 15), kept with their files so that any server
-- of the same database can list and serve them, with who generated them and when.

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    as_of        TEXT NOT NULL,
    since        TEXT NOT NULL,
    languages    TEXT NOT NULL,
    generated_by TEXT NOT NULL,
    generated_at TEXT NOT NULL
);

CREATE TABLE report_files (
    report_id    INTEGER NOT NULL REFERENCES reports (id),
    format       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    PRIMARY KEY (report_id, format)
);
