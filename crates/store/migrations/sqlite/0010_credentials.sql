-- Credentials (issue 15): API tokens, browser sessions and passwords, each kept only as a
-- hash (SHA-256 of a random token; an Argon2id PHC string for a password), and the
-- append-only log of who created or revoked what and of every login.
-- Times are UTC RFC 3339 to the second (2026-01-31T09:00:00Z), so that text compares as time.

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name  TEXT NOT NULL REFERENCES users (user_name),
    token_hash TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL,
    -- The admin who created it; NULL when created with `lmo tokens create` on the database.
    created_by TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_by TEXT,
    revoked_at TEXT
);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name    TEXT NOT NULL REFERENCES users (user_name),
    session_hash TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ended_at     TEXT
);

CREATE TABLE passwords (
    user_name     TEXT PRIMARY KEY REFERENCES users (user_name),
    password_hash TEXT NOT NULL,
    set_by        TEXT,
    set_at        TEXT NOT NULL
);

CREATE TABLE credential_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    -- No foreign key: a refused login names whatever user name was tried.
    user_name TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('token_created', 'token_revoked', 'password_set',
                                              'login', 'login_refused', 'logout')),
    token_id  INTEGER,
    by_user   TEXT,
    at        TEXT NOT NULL
);
