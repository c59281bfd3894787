-- The audit log of users (issue 5): every user added and every role changed, with who did
-- it, when and why. Append-only, like case_events. Users added before this migration have
-- no entry.

CREATE TABLE user_events (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name text NOT NULL REFERENCES users (user_name),
    action    text NOT NULL CHECK (action IN ('added', 'role_changed')),
    old_role  text,
    new_role  text NOT NULL,
    -- The admin who acted; NULL for a user added while the store had no admin.
    by_user   text,
    note      text NOT NULL,
    -- RFC 3339 text exactly as the caller gave it.
    at        text NOT NULL
);
