package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

// A pipeline row joined with one of its versions.
const pipelineSelect = `SELECT p.name, p.arn, v.version, p.created, p.updated, v.declaration
FROM pipelines p JOIN pipeline_versions v ON v.pipeline_name = p.name`

const (
	qPipeline   = pipelineSelect + ` AND v.version = p.version WHERE p.name = ?`
	qPipelineAt = `SELECT p.name, p.arn, coalesce(v.version, 0), p.created, p.updated, coalesce(v.declaration, '')
FROM pipelines p LEFT JOIN pipeline_versions v ON v.pipeline_name = p.name AND v.version = ?2
WHERE p.name = ?1`
	qPipelines = pipelineSelect + ` AND v.version = p.version WHERE p.name > ? ORDER BY p.name LIMIT ?`
)

func scanPipeline(sc scanner) (*sluice.Pipeline, error) {
	var (
		p                sluice.Pipeline
		name, decl       string
		version          int
		created, updated int64
	)
	if err := sc.Scan(&name, &p.ARN, &version, &created, &updated, &decl); err != nil {
		return nil, err
	}
	p.Created, p.Updated = tm(created), tm(updated)
	if decl == "" { // the LEFT JOIN of qPipelineAt found no such version
		p.Declaration.Name = name
		return &p, nil
	}
	d, err := decls.decode(decl)
	if err != nil {
		return nil, err
	}
	p.Declaration = d
	p.Declaration.Version = version
	return &p, nil
}

func pipelineNotFound(name string) error {
	return sluice.Errorf(sluice.ENotFound, "Pipeline", "does not have a pipeline with name '%s'", name)
}

// getPipeline reads the current version of the named pipeline.
func getPipeline(ctx context.Context, c conn, name string) (*sluice.Pipeline, error) {
	p, err := scanPipeline(c.queryRow(ctx, qPipeline, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, pipelineNotFound(name)
	}
	return p, err
}

// GetPipeline returns version (0 = current) of the named pipeline.
func (db *DB) GetPipeline(ctx context.Context, name string, version int) (*sluice.Pipeline, error) {
	if version == 0 {
		return getPipeline(ctx, db.reader(), name)
	}
	p, err := scanPipeline(db.reader().queryRow(ctx, qPipelineAt, name, version))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, pipelineNotFound(name)
	case err != nil:
		return nil, err
	case p.Declaration.Version == 0:
		return nil, sluice.Errorf(sluice.ENotFound, "PipelineVersion",
			"pipeline '%s' does not have version %d", name, version)
	}
	return p, nil
}

// ListPipelines returns the current versions of the pipelines, ordered by name.
func (db *DB) ListPipelines(ctx context.Context, page sluice.Page) ([]*sluice.Pipeline, string, error) {
	limit, cur, err := parsePage(page, "pipelines")
	if err != nil {
		return nil, "", err
	}
	ps, err := queryAll(ctx, db.reader(), scanPipeline, qPipelines, cur.Name, limit+1)
	if err != nil {
		return nil, "", err
	}
	ps, next := trim(ps, limit, func(p *sluice.Pipeline) cursor {
		return cursor{Kind: "pipelines", Name: p.Declaration.Name}
	})
	return ps, next, nil
}
