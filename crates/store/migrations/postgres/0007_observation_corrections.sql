-- Values replaced by a correction: an import that changes a value already stored under the
-- same (series, period, vintage) keeps the value it replaces here, with the import that
-- wrote it and the import that replaced it. Append-only: no published figure is ever lost.

CREATE TABLE observation_corrections (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_id           text COLLATE "C" NOT NULL,
    period              text COLLATE "C" NOT NULL,
    vintage             date NOT NULL,
    value               double precision NOT NULL,
    status              text NOT NULL,
    vintage_basis       text NOT NULL,
    import_id           bigint NOT NULL,
    corrected_by_import bigint NOT NULL REFERENCES imports (id)
);

CREATE INDEX observation_corrections_series ON observation_corrections (series_id, period);
