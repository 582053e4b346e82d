-- HTTP functions registered in Sluice: what an Invoke/AWS/Lambda action's FunctionName names.
-- secret keys the HMAC signature of each invocation, so it is kept as given.
CREATE TABLE functions (
    name    TEXT PRIMARY KEY,
    url     TEXT NOT NULL,
    secret  TEXT NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL
) STRICT;
