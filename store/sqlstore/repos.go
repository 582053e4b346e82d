package sqlstore

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
func (e executor) CreateRepository(ctx context.Context, r *sluice.Repository) error {
	ok, err := e.wr().execOne(ctx, qInsertRepo, r.ID, r.Name, r.Description, r.ARN,
		r.DefaultBranch, ts(r.Created), ts(r.Updated))
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EAlreadyExists, "Repository", "repository named '%s' already exists", r.Name)
}

// GetRepository returns the named repository (ENotFound/Repository).
func (e executor) GetRepository(ctx context.Context, name string) (*sluice.Repository, error) {
	r, err := scanRepo(e.rd().queryRow(ctx, qRepo, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, repoNotFound(name)
	}
	return r, err
}

// ListRepositories returns every repository, ordered by name.
func (e executor) ListRepositories(ctx context.Context) ([]*sluice.Repository, error) {
	return queryAll(ctx, e.rd(), scanRepo, qRepos)
}

// DeleteRepository removes the named repository (ENotFound/Repository).
func (e executor) DeleteRepository(ctx context.Context, name string) error {
	return e.write(ctx, func(c conn) error {
		ok, err := c.execOne(ctx, qDeleteRepo, name)
		if err != nil {
			return err
		}
		if !ok {
			return repoNotFound(name)
		}
		return deletePushHeads(ctx, c, name)
	})
}
