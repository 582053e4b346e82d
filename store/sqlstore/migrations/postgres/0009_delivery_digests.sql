-- The digest of each delivery's signed body: a captured body sent again under a new delivery
-- id (the id header is not signed) is a replay all the same.
ALTER TABLE webhook_deliveries ADD COLUMN body_digest TEXT NOT NULL DEFAULT '';
CREATE INDEX webhook_deliveries_by_digest ON webhook_deliveries (connection_arn, body_digest) WHERE body_digest <> '';
