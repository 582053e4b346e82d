package sqlstore

import (
	"context"
	"errors"

	"sluice"
)

const (
	watchCols        = `kind, scope, name, pipeline, action`
	qInsertWatch     = `INSERT INTO watched_sources (` + watchCols + `) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	qDeleteWatches   = `DELETE FROM watched_sources WHERE pipeline = ?`
	qWatching        = `SELECT ` + watchCols + ` FROM watched_sources WHERE kind = ? AND scope = ? AND name = ? ORDER BY pipeline, action`
	qWatchingKind    = `SELECT ` + watchCols + ` FROM watched_sources WHERE kind = ? ORDER BY scope, name, pipeline, action`
	qWatchesUnbuilt  = `SELECT count(*) FROM watched_sources_unbuilt`
	qWatchesBuilt    = `DELETE FROM watched_sources_unbuilt`
	qAllDeclarations = `SELECT v.declaration FROM pipelines p JOIN pipeline_versions v ON v.pipeline_name = p.name AND v.version = p.version`
)

var _ sluice.WatchIndex = (*DB)(nil)

func scanWatch(sc scanner) (*sluice.SourceWatch, error) {
	var w sluice.SourceWatch
	return &w, sc.Scan(&w.Kind, &w.Scope, &w.Name, &w.Pipeline, &w.Action)
}

// Watching returns the source actions watching w.
func (db *DB) Watching(ctx context.Context, w sluice.Watched) ([]sluice.SourceWatch, error) {
	return derefAll(queryAll(ctx, db.reader(), scanWatch, qWatching, w.Kind, w.Scope, w.Name))
}

// WatchingKind returns every source action watching something of kind.
func (db *DB) WatchingKind(ctx context.Context, kind sluice.WatchKind) ([]sluice.SourceWatch, error) {
	return derefAll(queryAll(ctx, db.reader(), scanWatch, qWatchingKind, kind))
}

func derefAll(ws []*sluice.SourceWatch, err error) ([]sluice.SourceWatch, error) {
	out := make([]sluice.SourceWatch, len(ws))
	for i, w := range ws {
		out[i] = *w
	}
	return out, err
}

// indexWatches replaces the entries of d's pipeline with what d watches.
func indexWatches(ctx context.Context, c conn, d *sluice.PipelineDeclaration) error {
	if _, err := c.exec(ctx, qDeleteWatches, d.Name); err != nil {
		return err
	}
	for _, w := range sluice.Watches(d) {
		if _, err := c.exec(ctx, qInsertWatch, w.Kind, w.Scope, w.Name, w.Pipeline, w.Action); err != nil {
			return err
		}
	}
	return nil
}

// buildWatches indexes the pipelines stored before the index existed, once: migration 11
// leaves a mark when there are any.
func (db *DB) buildWatches(ctx context.Context) error {
	return db.write(ctx, func(c conn) error {
		var pending int
		if err := c.queryRow(ctx, qWatchesUnbuilt).Scan(&pending); err != nil || pending == 0 {
			return err
		}
		rows, err := c.query(ctx, qAllDeclarations)
		if err != nil {
			return err
		}
		var decls []*sluice.PipelineDeclaration
		for rows.Next() {
			var body string
			d := &sluice.PipelineDeclaration{}
			if err := rows.Scan(&body); err != nil {
				rows.Close()
				return err
			}
			if err := fromJSON(body, d); err != nil {
				rows.Close()
				return err
			}
			decls = append(decls, d)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for _, d := range decls {
			if err := indexWatches(ctx, c, d); err != nil {
				return err
			}
		}
		_, err = c.exec(ctx, qWatchesBuilt)
		return err
	})
}
