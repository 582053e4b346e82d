-- 0019: EventBridge rules (issue 11) on the default bus and their targets. next_fire is when
-- a scheduled rule fires next (0: never); the schedule runner moves it forward in the
-- transaction that adds the fire's event, so a fire is neither lost nor doubled.
CREATE TABLE event_rules (
    name                TEXT PRIMARY KEY,
    arn                 TEXT NOT NULL,
    description         TEXT NOT NULL,
    event_pattern       TEXT NOT NULL,
    schedule_expression TEXT NOT NULL,
    state               TEXT NOT NULL,
    role_arn            TEXT NOT NULL,
    created             INTEGER NOT NULL,
    modified            INTEGER NOT NULL,
    next_fire           INTEGER NOT NULL
) STRICT;

CREATE INDEX event_rules_next_fire ON event_rules (next_fire) WHERE next_fire > 0 AND state = 'ENABLED';

-- target is the JSON of the rest of sluice.EventTarget.
CREATE TABLE event_targets (
    rule   TEXT NOT NULL REFERENCES event_rules (name) ON DELETE CASCADE,
    id     TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (rule, id)
) STRICT;
