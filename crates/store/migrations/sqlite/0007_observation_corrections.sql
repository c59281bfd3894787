-- Values replaced by a correction: an import that changes a value already stored under the
-- same (series, period, vintage) keeps the value it replaces here, with the import that
-- wrote it and the import that replaced it. Append-only: no published figure is ever lost.

CREATE TABLE observation_corrections (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    series_id           TEXT NOT NULL,
    period              TEXT NOT NULL,
    vintage             TEXT NOT NULL,
    value               REAL NOT NULL,
    status              TEXT NOT NULL,
    vintage_basis       TEXT NOT NULL,
    import_id           INTEGER NOT NULL,
    corrected_by_import INTEGER NOT NULL REFERENCES imports (id)
);

CREATE INDEX observation_corrections_series ON observation_corrections (series_id, period);
