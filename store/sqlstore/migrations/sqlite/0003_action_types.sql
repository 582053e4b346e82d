-- Custom action types (CreateCustomActionType). Deleting one only marks it, so that the same
-- definition can be restored and a job worker polling it learns it was deleted.
CREATE TABLE action_types (
    category   TEXT NOT NULL,
    owner      TEXT NOT NULL,
    provider   TEXT NOT NULL,
    version    TEXT NOT NULL,
    definition TEXT NOT NULL, -- JSON: ActionType
    deleted    INTEGER NOT NULL DEFAULT 0,
    created    INTEGER NOT NULL,
    PRIMARY KEY (category, owner, provider, version)
) STRICT;
