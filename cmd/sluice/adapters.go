package main

import (
	"context"
	"io"
	"time"

	"github.com/google/uuid"

	"sluice/githost"
	"sluice/provider/codecommit"
)

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now().UTC() }

type uuids struct{}

func (uuids) NewID() string { return uuid.NewString() }

// repoAdapter gives the CodeCommit provider the hosted repositories.
type repoAdapter struct{ h *githost.Host }

func (a repoAdapter) ResolveRef(ctx context.Context, repo, ref string) (string, error) {
	return a.h.ResolveRef(ctx, repo, ref)
}

func (a repoAdapter) Commit(ctx context.Context, repo, sha string) (codecommit.Commit, error) {
	c, err := a.h.Commit(ctx, repo, sha)
	return codecommit.Commit{ID: c.ID, Message: c.Message, AuthorDate: c.AuthorDate, CommitterDate: c.CommitterDate}, err
}

func (a repoAdapter) Archive(ctx context.Context, repo, sha string, w io.Writer) error {
	return a.h.Archive(ctx, repo, sha, w)
}
