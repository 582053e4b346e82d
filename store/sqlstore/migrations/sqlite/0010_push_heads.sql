-- Where the push trigger last left each branch of a hosted repository: the head it acted on
-- ('' once deleted) and how many pushes of the branch it acted on. A start-up compares them
-- with the repositories' heads to find the pushes accepted but not acted on.
CREATE TABLE push_heads (
    repo   TEXT NOT NULL,
    branch TEXT NOT NULL,
    head   TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (repo, branch)
) STRICT;
-- Repositories created before push heads were kept: their heads at the next start are taken
-- as acted on, since nothing says which were.
CREATE TABLE push_heads_unknown (repo TEXT PRIMARY KEY) STRICT;
INSERT INTO push_heads_unknown SELECT name FROM repositories;
