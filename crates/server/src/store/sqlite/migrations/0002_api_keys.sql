-- API keys of contact-centre integrations (`cobrowse apikey create | list | revoke`). Only the
-- SHA-256 of a key is stored: the key itself is shown once, when it is created.
CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    key_hash   BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
