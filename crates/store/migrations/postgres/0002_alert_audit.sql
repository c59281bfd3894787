-- Acknowledgements and mutes of early-warning alerts. Append-only: together they are the
-- audit trail of what people decided, so rows are never updated or deleted, and replaying
-- them in id order rebuilds the decisions in force.

CREATE TABLE alert_acknowledgements (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id         text COLLATE "C" NOT NULL,
    subject         text COLLATE "C" NOT NULL,
    opened_period   text COLLATE "C" NOT NULL,
    level           text NOT NULL,
    user_name       text NOT NULL CHECK (user_name <> ''),
    reason          text NOT NULL CHECK (reason <> ''),
    -- RFC 3339 text exactly as the caller gave it.
    acknowledged_at text NOT NULL
);

CREATE TABLE alert_mutes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id      text COLLATE "C" NOT NULL,
    subject      text COLLATE "C" NOT NULL,
    until_period text COLLATE "C" NOT NULL,
    user_name    text NOT NULL CHECK (user_name <> ''),
    reason       text NOT NULL CHECK (reason <> ''),
    -- RFC 3339 text exactly as the caller gave it.
    muted_at     text NOT NULL
);
