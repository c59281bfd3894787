-- The audit log of users (issue 5): every user added and every role changed, with who did
-- it, when and why. Append-only, like case_events. Users added before this migration have
-- no entry.

CREATE TABLE user_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name TEXT NOT NULL REFERENCES users (user_name),
    action    TEXT NOT NULL CHECK (action IN ('added', 'role_changed')),
    old_role  TEXT,
    new_role  TEXT NOT NULL,
    -- The admin who acted; NULL for a user added while the store had no admin.
    by_user   TEXT,
    note      TEXT NOT NULL,
    -- RFC 3339 text exactly as the caller gave it.
    at        TEXT NOT NULL
);
