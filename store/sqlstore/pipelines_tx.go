package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	qInsertPipeline = `INSERT INTO pipelines (name, arn, version, created, updated)
VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`
	qInsertVersion = `INSERT INTO pipeline_versions (pipeline_name, version, declaration, author)
VALUES (?, ?, ?, ?) ON CONFLICT (pipeline_name, version) DO NOTHING`
	qSetVersion     = `UPDATE pipelines SET version = ?, updated = ? WHERE name = ?`
	qDeletePipeline = `DELETE FROM pipelines WHERE name = ? RETURNING arn`
	qDeleteTags     = `DELETE FROM tags WHERE arn = ?`
)

// Pipeline returns the transaction's pipeline at its current version.
func (t *tx) Pipeline(ctx context.Context) (*sluice.Pipeline, error) {
	return getPipeline(ctx, t.c, t.name)
}

// CreatePipeline stores p as version 1, with its tags under p.ARN.
func (t *tx) CreatePipeline(ctx context.Context, p *sluice.Pipeline, tags map[string]string) error {
	if err := t.owns(p.Declaration.Name); err != nil {
		return err
	}
	ok, err := t.c.execOne(ctx, qInsertPipeline, t.name, p.ARN, 1, ts(p.Created), ts(p.Updated))
	if err != nil {
		return err
	}
	if !ok {
		return sluice.Errorf(sluice.EAlreadyExists, "Pipeline", "pipeline name '%s' is already in use", t.name)
	}
	decl := p.Declaration // a copy: the caller's value is not changed
	decl.Version = 1
	if err := t.insertVersion(ctx, &decl, p.Author); err != nil {
		return err
	}
	return putTags(ctx, t.c, p.ARN, tags)
}

// SavePipeline stores p.Declaration as version p.Declaration.Version and makes it current.
// The version row's key is the guard: saving a version that exists is EConflict.
func (t *tx) SavePipeline(ctx context.Context, p *sluice.Pipeline) error {
	if err := t.owns(p.Declaration.Name); err != nil {
		return err
	}
	ok, err := t.c.execOne(ctx, qSetVersion, p.Declaration.Version, ts(p.Updated), t.name)
	if err != nil {
		return err
	}
	if !ok {
		return pipelineNotFound(t.name)
	}
	return t.insertVersion(ctx, &p.Declaration, p.Author)
}

func (t *tx) insertVersion(ctx context.Context, d *sluice.PipelineDeclaration, author string) error {
	body, err := toJSON(d)
	if err != nil {
		return err
	}
	ok, err := t.c.execOne(ctx, qInsertVersion, t.name, d.Version, body, author)
	if err != nil {
		return err
	}
	if !ok {
		return sluice.Errorf(sluice.EConflict, "Pipeline", "pipeline '%s' already has version %d", t.name, d.Version)
	}
	return indexWatches(ctx, t.c, d)
}

// DeletePipeline removes the pipeline; the foreign keys cascade to its versions,
// executions, stage runs, action runs, rule runs, jobs and stage state. Tags are keyed by ARN, so they
// go explicitly. Outbox events stay: they record what happened.
func (t *tx) DeletePipeline(ctx context.Context) error {
	var arn string
	err := t.c.queryRow(ctx, qDeletePipeline, t.name).Scan(&arn)
	if errors.Is(err, sql.ErrNoRows) {
		return pipelineNotFound(t.name)
	}
	if err != nil {
		return err
	}
	_, err = t.c.exec(ctx, qDeleteTags, arn)
	return err
}

// owns refuses a row of another pipeline: the transaction holds only its own pipeline.
func (t *tx) owns(name string) error {
	if name != t.name {
		return sluice.Errorf(sluice.EInvalid, "Pipeline",
			"pipeline '%s' cannot be written in the transaction of pipeline '%s'", name, t.name)
	}
	return nil
}
