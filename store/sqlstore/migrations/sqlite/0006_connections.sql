-- CodeStar connections and hosts. The secret columns hold credentials the API never answers.
CREATE TABLE connections (
    arn            TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    provider_type  TEXT NOT NULL,
    host_arn       TEXT NOT NULL,
    endpoint       TEXT NOT NULL,
    status         TEXT NOT NULL,
    username       TEXT NOT NULL,
    secret         TEXT NOT NULL,
    ssh_key        TEXT NOT NULL,
    webhook_secret TEXT NOT NULL,
    created        INTEGER NOT NULL
) STRICT;

CREATE TABLE hosts (
    arn           TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    provider_type TEXT NOT NULL,
    endpoint      TEXT NOT NULL,
    status        TEXT NOT NULL,
    created       INTEGER NOT NULL
) STRICT;
