-- The case workflow of the wage and MPF arrears early warning (issue 5).
-- Employer-level results only: no HKID, no worker name and no per-worker row is stored.
-- case_events is append-only: it is the audit log of every step of every case.

CREATE TABLE users (
    user_name  TEXT PRIMARY KEY NOT NULL CHECK (user_name <> ''),
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'case_officer', 'admin')),
    -- RFC 3339 text exactly as the caller gave it.
    created_at TEXT NOT NULL
);

-- Company names are not personal data.
CREATE TABLE employers (
    employer_id  TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    hsic_section TEXT NOT NULL,
    district     TEXT NOT NULL,
    headcount    INTEGER NOT NULL CHECK (headcount >= 0)
);

CREATE TABLE arrears_results (
    period            TEXT NOT NULL,
    employer_id       TEXT NOT NULL,
    level             TEXT NOT NULL,
    workers_affected  INTEGER NOT NULL,
    arrears_cents     INTEGER NOT NULL,
    surcharge_cents   INTEGER NOT NULL,
    max_days_late     INTEGER NOT NULL,
    months_in_default INTEGER NOT NULL,
    -- Comma-separated codes (mpf_unpaid, wages_late, …).
    kinds             TEXT NOT NULL,
    reasons           TEXT NOT NULL,
    as_of             TEXT NOT NULL,
    detected_at       TEXT NOT NULL,
    PRIMARY KEY (period, employer_id)
) WITHOUT ROWID;

CREATE TABLE cases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    employer_id TEXT NOT NULL,
    period      TEXT NOT NULL,
    level       TEXT NOT NULL,
    state       TEXT NOT NULL
        CHECK (state IN ('discover', 'assigned', 'intervening', 'resolved', 'referred')),
    referral    TEXT CHECK (referral IN ('labour-department', 'mpfa', 'labour-tribunal',
                                         'insolvency-fund')),
    assignee    TEXT,
    opened_at   TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE INDEX cases_employer ON cases (employer_id);

CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    at         TEXT NOT NULL,
    user_name  TEXT NOT NULL CHECK (user_name <> ''),
    action     TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    note       TEXT NOT NULL CHECK (note <> '')
);

CREATE INDEX case_events_case ON case_events (case_id);
