package node

import (
	"context"
	"io"
	"time"

	"github.com/google/uuid"

	"sluice"
	"sluice/artifact/s3store"
	"sluice/githost"
	"sluice/provider/codebuild"
	"sluice/provider/codecommit"
	"sluice/provider/commands"
	"sluice/provider/s3deploy"
)

// SystemClock is the wall clock, in UTC.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now().UTC() }

// UUIDs makes random ids.
type UUIDs struct{}

func (UUIDs) NewID() string { return uuid.NewString() }

// WorkerProviders run the built-in action types a worker runs: those that need nothing of
// the server but the job (source actions read the server's repositories and stay there).
// The server runs them in-process as well.
func WorkerProviders(region string, s3 s3store.Config, projects codebuild.Projects) []sluice.Provider {
	return []sluice.Provider{&commands.Provider{Region: region, Clock: SystemClock{}},
		&codebuild.Provider{Region: region, Clock: SystemClock{}, Projects: projects},
		&s3deploy.Provider{S3: s3}}
}

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
