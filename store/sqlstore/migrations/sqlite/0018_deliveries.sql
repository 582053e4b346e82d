-- 0018: outbound deliveries (issue 11): one row per message on its way to one destination
-- (an SNS subscription, a chat channel, an EventBridge rule's HTTP target), retried until
-- the destination takes it or its retries run out, and the log of its attempts.
-- A delivery is (target, id): SNS's MessageId is shared by the subscriptions of one publish.
-- key makes enqueueing idempotent when set. lease_until is when a sender's claim ends: a
-- sender that dies leaves the delivery to be claimed again then.
CREATE TABLE deliveries (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    target            TEXT NOT NULL,
    id                TEXT NOT NULL,
    key               TEXT NOT NULL,
    topic_arn         TEXT NOT NULL,
    protocol          TEXT NOT NULL,
    endpoint          TEXT NOT NULL,
    type              TEXT NOT NULL,
    subject           TEXT NOT NULL,
    message           TEXT NOT NULL,
    token             TEXT NOT NULL,
    attributes        TEXT NOT NULL, -- JSON map of message attributes
    raw               INTEGER NOT NULL,
    signature_version TEXT NOT NULL,
    created           INTEGER NOT NULL,
    status            TEXT NOT NULL,
    attempts          INTEGER NOT NULL,
    next_attempt      INTEGER NOT NULL,
    lease_until       INTEGER NOT NULL,
    last_error        TEXT NOT NULL,
    policy            TEXT NOT NULL, -- JSON RetryPolicy
    UNIQUE (target, id)
) STRICT;

CREATE UNIQUE INDEX deliveries_key ON deliveries (key) WHERE key != '';
CREATE INDEX deliveries_due ON deliveries (next_attempt) WHERE status = 'Pending';
CREATE INDEX deliveries_log ON deliveries (target, created, seq);

CREATE TABLE delivery_attempts (
    delivery    INTEGER NOT NULL REFERENCES deliveries (seq) ON DELETE CASCADE,
    n           INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    duration    INTEGER NOT NULL,
    status_code INTEGER NOT NULL,
    error       TEXT NOT NULL,
    PRIMARY KEY (delivery, n)
) STRICT;
