-- Series metadata, imports, and every vintage of every observation.

CREATE TABLE series (
    id                   TEXT PRIMARY KEY NOT NULL,
    title_en             TEXT NOT NULL,
    title_zh             TEXT NOT NULL,
    unit                 TEXT NOT NULL,
    frequency            TEXT NOT NULL,
    seasonal_adjustment  TEXT NOT NULL,
    source               TEXT NOT NULL,
    industry             TEXT,
    occupation           TEXT,
    direction            TEXT NOT NULL,
    publication_lag_days INTEGER NOT NULL CHECK (publication_lag_days >= 0)
);

CREATE TABLE series_tags (
    series_id TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (series_id, tag)
) WITHOUT ROWID;

-- list_series filters by tag.
CREATE INDEX series_tags_tag ON series_tags (tag);

CREATE TABLE imports (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name      TEXT NOT NULL,
    format         TEXT NOT NULL,
    -- RFC 3339 text exactly as the caller gave it.
    imported_at    TEXT NOT NULL,
    rows_staged    INTEGER NOT NULL DEFAULT 0,
    rows_new       INTEGER NOT NULL DEFAULT 0,
    rows_revised   INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0,
    partial        INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1))
);

-- One row per (series, period, vintage). The primary key also serves the "latest vintage of
-- a period" lookups of imports and queries, so no further index is needed.
-- series_id and import_id have no FOREIGN KEY constraints: an import only merges rows of
-- known series and writes its imports row first, in the same transaction, while per-row
-- checks would double the time of a bulk load on PostgreSQL.
CREATE TABLE observations (
    series_id     TEXT NOT NULL,
    period        TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    vintage       TEXT NOT NULL,
    value         REAL NOT NULL,
    status        TEXT NOT NULL,
    vintage_basis TEXT NOT NULL,
    import_id     INTEGER NOT NULL,
    PRIMARY KEY (series_id, period, vintage)
) WITHOUT ROWID;
