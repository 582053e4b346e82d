-- CodeBuild build projects (CreateProject). document is the project as the API returns it;
-- the other columns are the members Sluice acts on or sorts by.
CREATE TABLE build_projects (
    name      TEXT PRIMARY KEY,
    arn       TEXT NOT NULL,
    buildspec TEXT NOT NULL,
    variables TEXT NOT NULL, -- JSON list of {name, value, type}
    timeout   INTEGER NOT NULL,
    document  TEXT NOT NULL,
    created   INTEGER NOT NULL,
    updated   INTEGER NOT NULL,
    revision  INTEGER NOT NULL
) STRICT;

CREATE INDEX build_projects_by_created ON build_projects (created, name);
CREATE INDEX build_projects_by_updated ON build_projects (updated, name);
