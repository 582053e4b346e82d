package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	repoCols    = `id, name, description, arn, default_branch, created, updated`
	qInsertRepo = `INSERT INTO repositories (` + repoCols + `) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO NOTHING`
	qRepo       = `SELECT ` + repoCols + ` FROM repositories WHERE name = ?`
	qRepos      = `SELECT ` + repoCols + ` FROM repositories ORDER BY name`
	qDeleteRepo = `DELETE FROM repositories WHERE name = ?`
)

func scanRepo(sc scanner) (*sluice.Repository, error) {
	var (
		r                sluice.Repository
		created, updated int64
	)
	if err := sc.Scan(&r.ID, &r.Name, &r.Description, &r.ARN, &r.DefaultBranch, &created, &updated); err != nil {
		return nil, err
	}
	r.Created, r.Updated = tm(created), tm(updated)
	return &r, nil
}

func repoNotFound(name string) error {
	return sluice.Errorf(sluice.ENotFound, "Repository", "repository '%s' does not exist", name)
}

// CreateRepository stores r (EAlreadyExists/Repository when the name is taken).
func (db *DB) CreateRepository(ctx context.Context, r *sluice.Repository) error {
	ok, err := db.writer().execOne(ctx, qInsertRepo, r.ID, r.Name, r.Description, r.ARN,
		r.DefaultBranch, ts(r.Created), ts(r.Updated))
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EAlreadyExists, "Repository", "repository named '%s' already exists", r.Name)
}

// GetRepository returns the named repository (ENotFound/Repository).
func (db *DB) GetRepository(ctx context.Context, name string) (*sluice.Repository, error) {
	r, err := scanRepo(db.reader().queryRow(ctx, qRepo, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, repoNotFound(name)
	}
	return r, err
}

// ListRepositories returns every repository, ordered by name.
func (db *DB) ListRepositories(ctx context.Context) ([]*sluice.Repository, error) {
	return queryAll(ctx, db.reader(), scanRepo, qRepos)
}

// DeleteRepository removes the named repository (ENotFound/Repository).
func (db *DB) DeleteRepository(ctx context.Context, name string) error {
	ok, err := db.writer().execOne(ctx, qDeleteRepo, name)
	if err != nil || ok {
		return err
	}
	return repoNotFound(name)
}
