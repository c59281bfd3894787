-- Casework as it is done: each case keeps the employer-level facts it was opened on (so
-- that a later run replacing the period's results does not change what the case is about)
-- and the date its next step is due; each step records the due date it set.

ALTER TABLE cases
    ADD COLUMN due_on date,
    ADD COLUMN workers_affected bigint,
    ADD COLUMN arrears_cents bigint,
    ADD COLUMN surcharge_cents bigint,
    ADD COLUMN max_days_late bigint,
    -- Comma-separated codes, as in arrears_results.
    ADD COLUMN kinds text,
    ADD COLUMN reasons text;

ALTER TABLE case_events ADD COLUMN due_on date;

CREATE INDEX cases_due ON cases (due_on);
