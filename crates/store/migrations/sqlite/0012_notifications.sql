-- Timely risk alerts 及時發出風險提示 (issue 15): what users subscribe to, each event lmo
-- told them about (once: the key is unique), and every delivery with its attempts.

CREATE TABLE subscriptions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name   TEXT NOT NULL REFERENCES users (user_name),
    topic       TEXT NOT NULL CHECK (topic IN ('rule', 'level', 'industry', 'own_cases',
                                               'reports')),
    -- The rule id, the lowest level or the industry code; '' for the other topics.
    topic_value TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    -- An e-mail address or an http:// URL.
    target      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    -- Set when the user unsubscribes; kept so that the deliveries still name it.
    ended_at    TEXT
);

CREATE TABLE notification_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    event_key  TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('alert_opened', 'alert_escalated', 'case_due',
                                             'report_published')),
    subject    TEXT NOT NULL,
    -- The message as sent: text for e-mail, and the JSON document webhooks receive.
    body_text  TEXT NOT NULL,
    body_json  TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE notification_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        INTEGER NOT NULL REFERENCES notification_events (id),
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    channel         TEXT NOT NULL,
    target          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    sent_at         TEXT,
    UNIQUE (event_id, subscription_id)
);

CREATE INDEX notification_deliveries_due ON notification_deliveries (status, next_attempt_at);
