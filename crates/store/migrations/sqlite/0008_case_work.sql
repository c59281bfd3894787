-- Casework as it is done: each case keeps the employer-level facts it was opened on (so
-- that a later run replacing the period's results does not change what the case is about)
-- and the date its next step is due; each step records the due date it set.

ALTER TABLE cases ADD COLUMN due_on TEXT;
ALTER TABLE cases ADD COLUMN workers_affected INTEGER;
ALTER TABLE cases ADD COLUMN arrears_cents INTEGER;
ALTER TABLE cases ADD COLUMN surcharge_cents INTEGER;
ALTER TABLE cases ADD COLUMN max_days_late INTEGER;
-- Comma-separated codes, as in arrears_results.
ALTER TABLE cases ADD COLUMN kinds TEXT;
ALTER TABLE cases ADD COLUMN reasons TEXT;

ALTER TABLE case_events ADD COLUMN due_on TEXT;

CREATE INDEX cases_due ON cases (due_on);
