-- The index of watched sources (sluice.Watches): which source actions watch a hosted
-- repository's branch, a repository through a connection, an S3 object or an image tag.
-- Written with every pipeline version, so a change looks its pipelines up instead of reading
-- them all.
CREATE TABLE watched_sources (
    kind     TEXT NOT NULL,
    scope    TEXT NOT NULL,
    name     TEXT NOT NULL,
    pipeline TEXT NOT NULL REFERENCES pipelines (name) ON DELETE CASCADE,
    action   TEXT NOT NULL,
    PRIMARY KEY (kind, scope, name, pipeline, action)
) STRICT;
CREATE INDEX watched_sources_by_pipeline ON watched_sources (pipeline);
-- Pipelines stored before the index: Open indexes them once, in Go, where Watches is.
CREATE TABLE watched_sources_unbuilt (pending INTEGER NOT NULL) STRICT;
INSERT INTO watched_sources_unbuilt SELECT 1 WHERE EXISTS (SELECT 1 FROM pipelines);
