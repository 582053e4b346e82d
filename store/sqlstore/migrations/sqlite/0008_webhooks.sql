-- V1 webhooks (PutWebhook). token is the opaque part of the webhook's URL; secret_token keys
-- GITHUB_HMAC signatures, so it is kept as given. filters is a JSON list of
-- {jsonPath, matchEquals}.
CREATE TABLE webhooks (
    name             TEXT PRIMARY KEY,
    arn              TEXT NOT NULL,
    target_pipeline  TEXT NOT NULL,
    target_action    TEXT NOT NULL,
    filters          TEXT NOT NULL,
    authentication   TEXT NOT NULL,
    secret_token     TEXT NOT NULL,
    allowed_ip_range TEXT NOT NULL,
    token            TEXT NOT NULL UNIQUE,
    last_triggered   INTEGER NOT NULL,
    error_code       TEXT NOT NULL,
    error_message    TEXT NOT NULL,
    created          INTEGER NOT NULL
) STRICT;
