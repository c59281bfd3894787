-- Timely risk alerts 及時發出風險提示 (issue 15): what users subscribe to, each event lmo
-- told them about (once: the key is unique), and every delivery with its attempts.

CREATE TABLE subscriptions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name   text NOT NULL REFERENCES users (user_name),
    topic       text NOT NULL CHECK (topic IN ('rule', 'level', 'industry', 'own_cases',
                                               'reports')),
    -- The rule id, the lowest level or the industry code; '' for the other topics.
    topic_value text NOT NULL,
    channel     text NOT NULL CHECK (channel IN ('email', 'webhook')),
    -- An e-mail address or an http:// URL.
    target      text NOT NULL,
    created_at  text NOT NULL,
    -- Set when the user unsubscribes; kept so that the deliveries still name it.
    ended_at    text
);

CREATE TABLE notification_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_key  text NOT NULL UNIQUE,
    kind       text NOT NULL CHECK (kind IN ('alert_opened', 'alert_escalated', 'case_due',
                                             'report_published')),
    subject    text NOT NULL,
    -- The message as sent: text for e-mail, and the JSON document webhooks receive.
    body_text  text NOT NULL,
    body_json  text NOT NULL,
    created_at text NOT NULL
);

CREATE TABLE notification_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES notification_events (id),
    subscription_id bigint NOT NULL REFERENCES subscriptions (id),
    channel         text NOT NULL,
    target          text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        bigint NOT NULL,
    next_attempt_at text NOT NULL,
    last_error      text,
    sent_at         text,
    UNIQUE (event_id, subscription_id)
);

CREATE INDEX notification_deliveries_due ON notification_deliveries (status, next_attempt_at);
