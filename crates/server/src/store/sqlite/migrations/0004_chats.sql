-- Chats (crate::chat): a conversation is kept for the chat's life only. Ending a chat deletes
-- it with its messages; chats left by a previous run of the server are deleted at startup.
CREATE TABLE chats (
    id            TEXT PRIMARY KEY,
    customer_name TEXT NOT NULL,
    opened_at     INTEGER NOT NULL -- Unix milliseconds
);

CREATE TABLE chat_messages (
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    sender  TEXT NOT NULL,     -- 'customer' | 'agent'
    name    TEXT NOT NULL,
    text    TEXT NOT NULL,
    at      INTEGER NOT NULL,  -- Unix milliseconds
    cobrowse TEXT,             -- the linked session token of a {start:TOKEN} message
    PRIMARY KEY (chat_id, seq)
) WITHOUT ROWID;
