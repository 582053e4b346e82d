-- The outbox's readers: each consumer's cursor is the id of the last record it handled.
-- Records every consumer has passed are pruned (outbox ids are AUTOINCREMENT: never reused).
CREATE TABLE outbox_consumers (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    updated  INTEGER NOT NULL
) STRICT;
