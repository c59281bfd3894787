-- The audit log of saved arrears runs: who saved which period's results, when, and what the
-- save changed. A save of a period that was saved before replaces that run's results; its
-- entry names the save it replaced. Append-only, like case_events.

CREATE TABLE arrears_saves (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    period            TEXT NOT NULL,
    saved_by          TEXT NOT NULL REFERENCES users (user_name),
    -- RFC 3339 text exactly as the caller gave it.
    saved_at          TEXT NOT NULL,
    as_of             TEXT NOT NULL,
    results           INTEGER NOT NULL,
    results_new       INTEGER NOT NULL,
    results_changed   INTEGER NOT NULL,
    results_unchanged INTEGER NOT NULL,
    results_removed   INTEGER NOT NULL,
    employers_new     INTEGER NOT NULL,
    employers_changed INTEGER NOT NULL,
    replaces          INTEGER REFERENCES arrears_saves (id)
);

CREATE INDEX arrears_saves_period ON arrears_saves (period);
