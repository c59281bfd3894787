-- Credentials (issue 15): API tokens, browser sessions and passwords, each kept only as a
-- hash (SHA-256 of a random token; an Argon2id PHC string for a password), and the
-- append-only log of who created or revoked what and of every login.
-- Times are UTC RFC 3339 to the second (2026-01-31T09:00:00Z), so that text compares as time.

CREATE TABLE api_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name  text NOT NULL REFERENCES users (user_name),
    token_hash text NOT NULL UNIQUE,
    label      text NOT NULL,
    -- The admin who created it; NULL when created with `lmo tokens create` on the database.
    created_by text,
    created_at text NOT NULL,
    expires_at text NOT NULL,
    revoked_by text,
    revoked_at text
);

CREATE TABLE sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name    text NOT NULL REFERENCES users (user_name),
    session_hash text NOT NULL UNIQUE,
    created_at   text NOT NULL,
    expires_at   text NOT NULL,
    ended_at     text
);

CREATE TABLE passwords (
    user_name     text PRIMARY KEY REFERENCES users (user_name),
    password_hash text NOT NULL,
    set_by        text,
    set_at        text NOT NULL
);

CREATE TABLE credential_events (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- No foreign key: a refused login names whatever user name was tried.
    user_name text NOT NULL,
    action    text NOT NULL CHECK (action IN ('token_created', 'token_revoked', 'password_set',
                                              'login', 'login_refused', 'logout')),
    token_id  bigint,
    by_user   text,
    at        text NOT NULL
);
