-- Users of the agent desktop and the administration pages.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Logins: one row per `cobrowse_auth` cookie. Only the SHA-256 of the cookie value is stored, so
-- a copy of the database does not let anybody log in.
CREATE TABLE auth_sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX auth_sessions_expires_at ON auth_sessions(expires_at);
CREATE INDEX auth_sessions_user_id ON auth_sessions(user_id);
