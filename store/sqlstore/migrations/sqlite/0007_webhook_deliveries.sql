-- Webhook deliveries each connection received: the log ListWebhookDeliveries shows and the
-- delivery ids that refuse replays. refused is fixed at insert (a refused delivery is never
-- finished), so pruning keeps accepted and refused deliveries apart: refusals cannot push
-- accepted ids out of the log. (0005 is another branch's number.)
CREATE TABLE webhook_deliveries (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_arn TEXT NOT NULL,
    delivery_id    TEXT NOT NULL,
    event          TEXT NOT NULL,
    repository     TEXT NOT NULL,
    ref            TEXT NOT NULL,
    result         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    executions     TEXT NOT NULL, -- JSON list of {pipelineName, pipelineExecutionId}
    received       INTEGER NOT NULL,
    refused        INTEGER NOT NULL
) STRICT;

CREATE INDEX webhook_deliveries_by_id ON webhook_deliveries (connection_arn, delivery_id);
CREATE INDEX webhook_deliveries_by_seq ON webhook_deliveries (connection_arn, refused, seq);
CREATE INDEX webhook_deliveries_newest ON webhook_deliveries (connection_arn, seq);
