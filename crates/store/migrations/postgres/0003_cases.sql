-- The case workflow of the wage and MPF arrears early warning (issue 5).
-- Employer-level results only: no HKID, no worker name and no per-worker row is stored.
-- case_events is append-only: it is the audit log of every step of every case.

CREATE TABLE users (
    user_name  text COLLATE "C" PRIMARY KEY CHECK (user_name <> ''),
    role       text NOT NULL CHECK (role IN ('viewer', 'analyst', 'case_officer', 'admin')),
    -- RFC 3339 text exactly as the caller gave it.
    created_at text NOT NULL
);

-- Company names are not personal data.
CREATE TABLE employers (
    employer_id  text COLLATE "C" PRIMARY KEY,
    name         text NOT NULL,
    hsic_section text NOT NULL,
    district     text NOT NULL,
    headcount    bigint NOT NULL CHECK (headcount >= 0)
);

CREATE TABLE arrears_results (
    period            text COLLATE "C" NOT NULL,
    employer_id       text COLLATE "C" NOT NULL,
    level             text NOT NULL,
    workers_affected  bigint NOT NULL,
    arrears_cents     bigint NOT NULL,
    surcharge_cents   bigint NOT NULL,
    max_days_late     bigint NOT NULL,
    months_in_default bigint NOT NULL,
    -- Comma-separated codes (mpf_unpaid, wages_late, …).
    kinds             text NOT NULL,
    reasons           text NOT NULL,
    as_of             text NOT NULL,
    detected_at       text NOT NULL,
    PRIMARY KEY (period, employer_id)
);

CREATE TABLE cases (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id text COLLATE "C" NOT NULL,
    period      text COLLATE "C" NOT NULL,
    level       text NOT NULL,
    state       text NOT NULL
        CHECK (state IN ('discover', 'assigned', 'intervening', 'resolved', 'referred')),
    referral    text CHECK (referral IN ('labour-department', 'mpfa', 'labour-tribunal',
                                         'insolvency-fund')),
    assignee    text,
    opened_at   text NOT NULL,
    updated_at  text NOT NULL
);

CREATE INDEX cases_employer ON cases (employer_id);

CREATE TABLE case_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES cases (id),
    at         text NOT NULL,
    user_name  text NOT NULL CHECK (user_name <> ''),
    action     text NOT NULL,
    from_state text,
    to_state   text NOT NULL,
    note       text NOT NULL CHECK (note <> '')
);

CREATE INDEX case_events_case ON case_events (case_id);
