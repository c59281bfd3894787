-- Series metadata, imports, and every vintage of every observation.
-- Text keys use the "C" collation: byte order like SQLite, and cheaper comparisons.

CREATE TABLE series (
    id                   text COLLATE "C" PRIMARY KEY,
    title_en             text NOT NULL,
    title_zh             text NOT NULL,
    unit                 text NOT NULL,
    frequency            text NOT NULL,
    seasonal_adjustment  text NOT NULL,
    source               text NOT NULL,
    industry             text,
    occupation           text,
    direction            text NOT NULL,
    publication_lag_days integer NOT NULL CHECK (publication_lag_days >= 0)
);

CREATE TABLE series_tags (
    series_id text COLLATE "C" NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    tag       text COLLATE "C" NOT NULL,
    PRIMARY KEY (series_id, tag)
);

-- list_series filters by tag.
CREATE INDEX series_tags_tag ON series_tags (tag);

CREATE TABLE imports (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name      text NOT NULL,
    format         text NOT NULL,
    -- RFC 3339 text exactly as the caller gave it.
    imported_at    text NOT NULL,
    rows_staged    bigint NOT NULL DEFAULT 0,
    rows_new       bigint NOT NULL DEFAULT 0,
    rows_revised   bigint NOT NULL DEFAULT 0,
    rows_unchanged bigint NOT NULL DEFAULT 0,
    rows_rejected  bigint NOT NULL DEFAULT 0,
    partial        boolean NOT NULL DEFAULT false
);

-- One row per (series, period, vintage). The primary key also serves the "latest vintage of
-- a period" lookups of imports and queries, so no further index is needed.
-- series_id and import_id have no FOREIGN KEY constraints: an import only merges rows of
-- known series and writes its imports row first, in the same transaction, while per-row
-- checks would double the time of a bulk load on PostgreSQL.
CREATE TABLE observations (
    series_id     text COLLATE "C" NOT NULL,
    period        text COLLATE "C" NOT NULL,
    period_end    date NOT NULL,
    vintage       date NOT NULL,
    value         double precision NOT NULL,
    status        text NOT NULL,
    vintage_basis text NOT NULL,
    import_id     bigint NOT NULL,
    PRIMARY KEY (series_id, period, vintage)
);
