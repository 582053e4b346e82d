-- 0014: secrets. Every secret column (access_keys.secret, connections.secret, ssh_key and
-- webhook_secret, functions.secret, webhooks.secret_token) is sealed from here on: the Go step
-- of this migration (seal.go's reseal) encrypts the rows written before it. New: Secrets
-- Manager secrets and their versions, Parameter Store parameters (one row per version), and
-- the principal that saved each pipeline version, whose policy resolves the secrets its
-- builds name.

CREATE TABLE secrets (
    arn          TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    description  TEXT NOT NULL,
    kms_key_id   TEXT NOT NULL,
    created      INTEGER NOT NULL,
    changed      INTEGER NOT NULL,
    accessed     INTEGER NOT NULL,
    deleted      INTEGER NOT NULL -- when a scheduled deletion happens (0: none)
) STRICT;

-- value is sealed; is_binary says whether it is a SecretBinary (else a SecretString).
CREATE TABLE secret_versions (
    arn        TEXT NOT NULL REFERENCES secrets (arn) ON DELETE CASCADE,
    version_id TEXT NOT NULL,
    value      TEXT NOT NULL,
    is_binary  INTEGER NOT NULL,
    stages     TEXT NOT NULL, -- JSON list of staging labels
    created    INTEGER NOT NULL,
    PRIMARY KEY (arn, version_id)
) STRICT;

-- A parameter is its versions; the current one is the highest. value is sealed for
-- SecureString.
CREATE TABLE parameter_versions (
    name            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    type            TEXT NOT NULL,
    value           TEXT NOT NULL,
    key_id          TEXT NOT NULL,
    description     TEXT NOT NULL,
    allowed_pattern TEXT NOT NULL,
    data_type       TEXT NOT NULL,
    tier            TEXT NOT NULL,
    modified        INTEGER NOT NULL,
    modified_by     TEXT NOT NULL,
    PRIMARY KEY (name, version)
) STRICT;

ALTER TABLE pipeline_versions ADD COLUMN author TEXT NOT NULL DEFAULT '';
