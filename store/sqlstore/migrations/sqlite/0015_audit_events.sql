-- The audit trail: one row per recorded call (CloudTrail's record as JSON in record), with
-- the columns LookupEvents filters by. seq orders the export (AUTOINCREMENT: never reused;
-- a completed record is deleted and inserted again, so it comes again in the export).
CREATE TABLE audit_events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      TEXT NOT NULL UNIQUE,
    event_time    INTEGER NOT NULL,
    event_name    TEXT NOT NULL,
    event_source  TEXT NOT NULL,
    username      TEXT NOT NULL,
    access_key_id TEXT NOT NULL,
    read_only     INTEGER NOT NULL,
    region        TEXT NOT NULL,
    record        TEXT NOT NULL,
    names         TEXT NOT NULL
) STRICT;
CREATE INDEX audit_events_by_time ON audit_events (event_time, seq);
CREATE INDEX audit_events_by_name ON audit_events (event_name, event_time, seq);
CREATE INDEX audit_events_by_source ON audit_events (event_source, event_time, seq);
CREATE INDEX audit_events_by_user ON audit_events (username, event_time, seq);
CREATE INDEX audit_events_by_key ON audit_events (access_key_id, event_time, seq);
CREATE INDEX audit_events_by_read_only ON audit_events (read_only, event_time, seq);
-- The resources an event names, by type and by name or ARN (kind 'type' or 'name').
CREATE TABLE audit_resources (
    seq   INTEGER NOT NULL REFERENCES audit_events (seq) ON DELETE CASCADE,
    kind  TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (kind, value, seq)
) STRICT;
CREATE INDEX audit_resources_by_seq ON audit_resources (seq);
