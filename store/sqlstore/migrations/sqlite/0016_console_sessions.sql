-- The console's sessions: id is the SHA-256 of the token the browser's cookie holds.
CREATE TABLE console_sessions (
    id            TEXT PRIMARY KEY,
    access_key_id TEXT NOT NULL,
    principal     TEXT NOT NULL,
    created       INTEGER NOT NULL,
    expires       INTEGER NOT NULL
) STRICT;
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires);
