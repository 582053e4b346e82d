-- 0022: the clients of partner (ThirdParty) action types: one per type, the clientId a
-- partner's job worker sees on every job of the type and the SHA-256 of the clientToken it
-- must bring (SEMANTICS §9.3). The types themselves are rows of action_types.
CREATE TABLE thirdparty_clients (
    category   TEXT NOT NULL,
    owner      TEXT NOT NULL,
    provider   TEXT NOT NULL,
    version    TEXT NOT NULL,
    client_id  TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL,
    created    INTEGER NOT NULL,
    PRIMARY KEY (category, owner, provider, version)
) STRICT;
