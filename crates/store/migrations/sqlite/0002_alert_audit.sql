-- Acknowledgements and mutes of early-warning alerts. Append-only: together they are the
-- audit trail of what people decided, so rows are never updated or deleted, and replaying
-- them in id order rebuilds the decisions in force.

CREATE TABLE alert_acknowledgements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    opened_period   TEXT NOT NULL,
    level           TEXT NOT NULL,
    user_name       TEXT NOT NULL CHECK (user_name <> ''),
    reason          TEXT NOT NULL CHECK (reason <> ''),
    -- RFC 3339 text exactly as the caller gave it.
    acknowledged_at TEXT NOT NULL
);

CREATE TABLE alert_mutes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id      TEXT NOT NULL,
    subject      TEXT NOT NULL,
    until_period TEXT NOT NULL,
    user_name    TEXT NOT NULL CHECK (user_name <> ''),
    reason       TEXT NOT NULL CHECK (reason <> ''),
    -- RFC 3339 text exactly as the caller gave it.
    muted_at     TEXT NOT NULL
);
