-- 0017: SNS topics and their subscriptions. attributes are JSON objects of the settable
-- attributes by their SNS names. A subscription's token is the confirmation token last sent
-- to its endpoint; an unconfirmed one is deleted when its token expires.

CREATE TABLE topics (
    arn        TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    attributes TEXT NOT NULL,
    created    INTEGER NOT NULL
) STRICT;

CREATE TABLE subscriptions (
    arn           TEXT PRIMARY KEY,
    topic_arn     TEXT NOT NULL REFERENCES topics (arn) ON DELETE CASCADE,
    protocol      TEXT NOT NULL,
    endpoint      TEXT NOT NULL,
    owner         TEXT NOT NULL,
    confirmed     INTEGER NOT NULL,
    token         TEXT NOT NULL,
    token_expires INTEGER NOT NULL,
    attributes    TEXT NOT NULL,
    created       INTEGER NOT NULL,
    UNIQUE (topic_arn, protocol, endpoint)
) STRICT;

CREATE INDEX subscriptions_token ON subscriptions (topic_arn, token);
CREATE INDEX subscriptions_unconfirmed ON subscriptions (token_expires) WHERE confirmed = 0;
