-- The audit log of saved arrears runs: who saved which period's results, when, and what the
-- save changed. A save of a period that was saved before replaces that run's results; its
-- entry names the save it replaced. Append-only, like case_events.

CREATE TABLE arrears_saves (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period            text COLLATE "C" NOT NULL,
    saved_by          text NOT NULL REFERENCES users (user_name),
    -- RFC 3339 text exactly as the caller gave it.
    saved_at          text NOT NULL,
    as_of             text NOT NULL,
    results           bigint NOT NULL,
    results_new       bigint NOT NULL,
    results_changed   bigint NOT NULL,
    results_unchanged bigint NOT NULL,
    results_removed   bigint NOT NULL,
    employers_new     bigint NOT NULL,
    employers_changed bigint NOT NULL,
    replaces          bigint REFERENCES arrears_saves (id)
);

CREATE INDEX arrears_saves_period ON arrears_saves (period);
