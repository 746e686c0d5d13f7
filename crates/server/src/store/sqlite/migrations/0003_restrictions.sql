-- DOM restrictions (the DOM Restrictions Editor and /cobrowse/rest/restrictions) and their audit
-- log. Values are validated by the server (`crate::restriction`) before they are stored.
--
-- AUTOINCREMENT: a deleted restriction's id is never given to another one, so audit entries and
-- the rule ids customers receive always name one restriction.
CREATE TABLE restrictions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    selector    TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('control', 'mask')),
    description TEXT NOT NULL DEFAULT '',
    group_name  TEXT NOT NULL,
    -- NULL: every page; else an ECMAScript regular expression the page URL must match.
    url_pattern TEXT,
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- A user name, `apikey:NAME`, or `system` (this seed).
    updated_by  TEXT NOT NULL
);

-- One row per create, update or delete, written in the same transaction as the change. `before`
-- and `after` are the restriction as the REST API returns it (JSON of `Restriction`), NULL for
-- the side that does not exist.
CREATE TABLE restriction_audit (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             INTEGER NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    restriction_id INTEGER NOT NULL,
    before         TEXT,
    after          TEXT
);

-- Seed: the bundled demo shop (`/demo/`) masks the card number (`#card`) and security code
-- (`#cvv`) inputs of its checkout page, and `.account-number` wherever the demo shows one.
-- Administrators may change or delete these like any other restriction.
INSERT INTO restrictions
    (selector, kind, description, group_name, url_pattern, enabled, created_at, updated_at,
     updated_by)
VALUES
    ('#card, #cvv', 'mask', 'Card number and security code on the checkout page', 'Demo shop',
     '/demo/', 1, CAST(strftime('%s', 'now') AS INTEGER), CAST(strftime('%s', 'now') AS INTEGER),
     'system'),
    ('.account-number', 'mask', 'Account numbers', 'Demo shop', '/demo/', 1,
     CAST(strftime('%s', 'now') AS INTEGER), CAST(strftime('%s', 'now') AS INTEGER), 'system');

INSERT INTO restriction_audit (at, actor, action, restriction_id, before, after)
SELECT created_at, 'system', 'create', id, NULL,
       json_object('id', id, 'selector', selector, 'kind', kind, 'description', description,
                   'group', group_name, 'urlPattern', url_pattern, 'enabled', json('true'),
                   'createdAt', created_at, 'updatedAt', updated_at, 'updatedBy', updated_by)
FROM restrictions ORDER BY id;
