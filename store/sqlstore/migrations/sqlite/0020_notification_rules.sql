-- 0020: CodeStar notification rules, the targets they send to, and the chat channels a
-- chat target names. A target belongs to the account, not to one rule: rules subscribe it
-- (notification_rule_targets), and it stays when its rules go, until DeleteTarget.
-- chat_channels.url is sealed (seal.go).

CREATE TABLE notification_rules (
    arn         TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    resource    TEXT NOT NULL,
    event_types TEXT NOT NULL, -- JSON list of event type ids
    detail_type TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created     INTEGER NOT NULL,
    modified    INTEGER NOT NULL
) STRICT;

CREATE INDEX notification_rules_resource ON notification_rules (resource);

CREATE TABLE notification_targets (
    address TEXT PRIMARY KEY,
    type    TEXT NOT NULL,
    status  TEXT NOT NULL
) STRICT;

CREATE TABLE notification_rule_targets (
    rule_arn TEXT NOT NULL REFERENCES notification_rules (arn) ON DELETE CASCADE,
    address  TEXT NOT NULL REFERENCES notification_targets (address) ON DELETE CASCADE,
    PRIMARY KEY (rule_arn, address)
) STRICT;

CREATE INDEX notification_rule_targets_address ON notification_rule_targets (address);

CREATE TABLE chat_channels (
    name     TEXT PRIMARY KEY,
    arn      TEXT NOT NULL UNIQUE,
    kind     TEXT NOT NULL,
    url      TEXT NOT NULL,
    created  INTEGER NOT NULL,
    modified INTEGER NOT NULL
) STRICT;
