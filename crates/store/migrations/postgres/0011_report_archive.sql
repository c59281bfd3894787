-- Reports generated through the API (issue 15), kept with their files so that any server
-- of the same database can list and serve them, with who generated them and when.

CREATE TABLE reports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    as_of        text NOT NULL,
    since        text NOT NULL,
    languages    text NOT NULL,
    generated_by text NOT NULL,
    generated_at text NOT NULL
);

CREATE TABLE report_files (
    report_id    bigint NOT NULL REFERENCES reports (id),
    format       text NOT NULL,
    content_type text NOT NULL,
    bytes        bytea NOT NULL,
    PRIMARY KEY (report_id, format)
);
