package trigger

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/engine"
	"sluice/store/sqlite"
)

type fixedClock struct{}

func (fixedClock) Now() time.Time { return time.Unix(1_700_000_000, 0).UTC() }

type counterIDs struct{ n atomic.Int64 }

func (c *counterIDs) NewID() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", c.n.Add(1)) }

// source is a CodeCommit source action; poll "" leaves PollForSourceChanges out (true).
func source(name, repo, branch, poll string) sluice.ActionDeclaration {
	cfg := map[string]string{"RepositoryName": repo, "BranchName": branch}
	if poll != "" {
		cfg["PollForSourceChanges"] = poll
	}
	return sluice.ActionDeclaration{Name: name,
		ActionTypeID:  sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"},
		Configuration: cfg, OutputArtifacts: []sluice.OutputArtifact{{Name: name + "Out"}}}
}

func pipeline(name string, sources ...sluice.ActionDeclaration) sluice.PipelineDeclaration {
	return sluice.PipelineDeclaration{Name: name, RoleArn: "arn:aws:iam::000000000000:role/p",
		ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "bucket"},
		Stages: []sluice.StageDeclaration{{Name: "Source", Actions: sources},
			{Name: "Approve", Actions: []sluice.ActionDeclaration{{Name: "OK",
				ActionTypeID: sluice.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}}}}}}
}

// fakeRepos describes every commit, and has the branches it holds (repository -> branch ->
// head).
type fakeRepos map[string]map[string]string

func (fakeRepos) Revision(_ context.Context, _, sha string) (sluice.Revision, error) {
	return sluice.Revision{RevisionID: sha, Summary: "msg"}, nil
}

func (f fakeRepos) Branches(_ context.Context, repo string) (map[string]string, error) {
	return maps.Clone(f[repo]), nil
}

type bundle struct {
	push  *Push
	store *sqlite.DB
}

func setup(t *testing.T, decls ...sluice.PipelineDeclaration) *bundle {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	eng := &engine.Engine{Store: db, Clock: fixedClock{}, IDs: &counterIDs{}, Account: "000000000000", Region: "us-east-1",
		Lookup: catalog.With(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, name := range []string{"app", "other"} {
		require.NoError(t, db.CreateRepository(context.Background(), &sluice.Repository{ID: "id-" + name, Name: name}))
	}
	for _, d := range decls {
		_, err := eng.CreatePipeline(context.Background(), d, nil, "test")
		require.NoError(t, err)
	}
	return &bundle{push: &Push{Engine: eng, Store: db, Repos: fakeRepos{}, Log: eng.Log}, store: db}
}

// pushed lists the executions a push started (CreatePipeline's own are left out).
func (b *bundle) pushed(t *testing.T, name string) []*sluice.Execution {
	t.Helper()
	return triggered(t, b.store, name)
}

// triggered lists a pipeline's executions that a trigger started, newest first: those
// CreatePipeline started are left out.
func triggered(t *testing.T, store sluice.Reader, name string) []*sluice.Execution {
	t.Helper()
	execs, _, err := store.ListExecutions(context.Background(), name, sluice.ExecutionFilter{})
	require.NoError(t, err)
	var out []*sluice.Execution
	for _, e := range execs {
		if e.Trigger.Type != sluice.TriggerCreatePipeline {
			out = append(out, e)
		}
	}
	return out
}

func TestPushed(t *testing.T) {
	t.Parallel()
	sha := strings.Repeat("a", 40)

	t.Run("StartsWatchingPipelinePinnedToCommit", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("on-main", source("Src", "app", "main", "false")), pipeline("on-dev", source("Src", "app", "dev", "")))
		b.push.Pushed(context.Background(), "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: sha}})
		got := b.pushed(t, "on-main")
		require.Len(t, got, 1)
		require.Equal(t, sluice.TriggerCloudWatchEvent, got[0].Trigger.Type)
		require.Equal(t, sha, got[0].Revisions["Src"].RevisionID)
		require.Empty(t, b.pushed(t, "on-dev"), "another branch starts nothing")
	})

	t.Run("PollingDeclarationGivesPollTrigger", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", source("Src", "app", "main", "")))
		b.push.Pushed(context.Background(), "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: sha}})
		require.Equal(t, sluice.TriggerPollForSourceChanges, b.pushed(t, "p")[0].Trigger.Type)
	})

	t.Run("TwoSourcesOnOneBranchStartOneExecution", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", source("A", "app", "main", "false"), source("B", "app", "main", "false")))
		b.push.Pushed(context.Background(), "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: sha}})
		got := b.pushed(t, "p")
		require.Len(t, got, 1)
		require.Equal(t, sha, got[0].Revisions["A"].RevisionID)
		require.Equal(t, sha, got[0].Revisions["B"].RevisionID)
	})

	t.Run("DeletionsTagsAndOtherReposStartNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", source("Src", "app", "main", "false")))
		b.push.Pushed(context.Background(), "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: strings.Repeat("0", 40)}})
		b.push.Pushed(context.Background(), "app", []sluice.RefUpdate{{Ref: "refs/tags/main", New: sha}})
		b.push.Pushed(context.Background(), "other", []sluice.RefUpdate{{Ref: "refs/heads/main", New: sha}})
		require.Empty(t, b.pushed(t, "p"))
	})
}

func TestCatchUp(t *testing.T) {
	t.Parallel()
	sha, older := strings.Repeat("b", 40), strings.Repeat("a", 40)
	heads := fakeRepos{"app": {"main": sha}}
	ctx := context.Background()

	t.Run("MissedPushStartsOnce", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", source("Src", "app", "main", "false")), pipeline("q", source("Src", "app", "dev", "false")))
		b.push.Repos = heads
		require.NoError(t, b.push.CatchUp(ctx))
		got := b.pushed(t, "p")
		require.Len(t, got, 1)
		require.Equal(t, sha, got[0].Revisions["Src"].RevisionID)
		require.Empty(t, b.pushed(t, "q"), "a branch that does not exist starts nothing")
		require.NoError(t, b.push.CatchUp(ctx))
		require.Len(t, b.pushed(t, "p"), 1, "a second start-up finds nothing missed")
	})

	t.Run("RollbackIsNoPush", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", source("Src", "app", "main", "false")))
		b.push.Repos = heads
		b.push.Pushed(ctx, "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: sha}})
		// As StartPipelineExecution with sourceRevisions or RollbackStage would pin it.
		_, err := b.push.Engine.Start(ctx, engine.StartParams{Pipeline: "p", Trigger: sluice.Trigger{Type: sluice.TriggerStartPipelineExecution},
			Revisions: map[string]sluice.Revision{"Src": {RevisionID: older}}})
		require.NoError(t, err)
		require.NoError(t, b.push.CatchUp(ctx))
		got := b.pushed(t, "p")
		require.Len(t, got, 2, "the push and the rollback, nothing after")
		require.Equal(t, older, got[0].Revisions["Src"].RevisionID)
	})

	t.Run("SourceNotRunYetIsNoPush", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", source("Src", "app", "main", "false")))
		b.push.Repos = heads
		b.push.Pushed(ctx, "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: sha}})
		// q's only execution, CreatePipeline's, has not run its source.
		_, err := b.push.Engine.CreatePipeline(ctx, pipeline("q", source("Src", "app", "main", "false")), nil, "test")
		require.NoError(t, err)
		require.NoError(t, b.push.CatchUp(ctx))
		require.Len(t, b.pushed(t, "p"), 1)
		require.Empty(t, b.pushed(t, "q"))
	})

	t.Run("CrashBetweenStartsStartsTheRestOnly", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", source("Src", "app", "main", "false")), pipeline("q", source("Src", "app", "main", "false")))
		b.push.Repos = heads
		// The push started p, and the server died before q and before recording the push.
		_, err := b.push.Engine.Start(ctx, engine.StartParams{Pipeline: "p", ClientToken: "push:id-app:main:1:" + sha,
			Trigger: sluice.Trigger{Type: sluice.TriggerCloudWatchEvent}, Revisions: map[string]sluice.Revision{"Src": {RevisionID: sha}}})
		require.NoError(t, err)
		require.NoError(t, b.push.CatchUp(ctx))
		require.Len(t, b.pushed(t, "p"), 1)
		require.Len(t, b.pushed(t, "q"), 1)
		require.NoError(t, b.push.CatchUp(ctx))
		require.Len(t, b.pushed(t, "q"), 1)
	})

	t.Run("DeletedAndRecreatedBranch", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", source("Src", "app", "main", "false")))
		b.push.Repos = heads
		b.push.Pushed(ctx, "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: sha}})
		b.push.Pushed(ctx, "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: strings.Repeat("0", 40)}})
		require.Len(t, b.pushed(t, "p"), 1)
		b.push.Pushed(ctx, "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: sha}})
		require.Len(t, b.pushed(t, "p"), 2, "the same commit pushed again after a deletion is a new push")
		require.NoError(t, b.push.CatchUp(ctx))
		require.Len(t, b.pushed(t, "p"), 2)
	})
}

// failingStore fails the first Update of one pipeline, as a busy store or a write conflict
// would.
type failingStore struct {
	sluice.Store
	pipeline string
	once     sync.Once
}

func (s *failingStore) Update(ctx context.Context, pipeline string, fn func(sluice.Tx) error) error {
	failed := false
	if pipeline == s.pipeline {
		s.once.Do(func() { failed = true })
	}
	if failed {
		return sluice.Errorf(sluice.EInternal, "", "database is locked")
	}
	return s.Store.Update(ctx, pipeline, fn)
}

// brokenRepos is fakeRepos that cannot read the branches of the repositories in branches,
// nor describe the commits in commits.
type brokenRepos struct {
	fakeRepos
	branches, commits map[string]bool
}

func (b brokenRepos) Branches(ctx context.Context, repo string) (map[string]string, error) {
	if b.branches[repo] {
		return nil, fmt.Errorf("read refs of %s: input/output error", repo)
	}
	return b.fakeRepos.Branches(ctx, repo)
}

func (b brokenRepos) Revision(ctx context.Context, repo, sha string) (sluice.Revision, error) {
	if b.commits[sha] {
		return sluice.Revision{}, fmt.Errorf("read object %s: input/output error", sha)
	}
	return b.fakeRepos.Revision(ctx, repo, sha)
}

func TestCatchUpGoesOnPastABadRepository(t *testing.T) {
	t.Parallel()
	good, bad := strings.Repeat("1", 40), strings.Repeat("2", 40)
	ctx := context.Background()

	t.Run("BranchesUnreadable", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", source("Src", "app", "main", "false")), pipeline("q", source("Src", "other", "main", "false")))
		seed := fakeRepos{"app": {}, "other": {}}
		b.push.Repos = seed
		require.NoError(t, b.push.CatchUp(ctx), "records both repositories' (empty) heads")
		b.push.Repos = brokenRepos{fakeRepos: fakeRepos{"app": {"main": bad}, "other": {"main": good}}, branches: map[string]bool{"app": true}}
		require.NoError(t, b.push.CatchUp(ctx))
		require.Len(t, b.pushed(t, "q"), 1, "the repository after the bad one is caught up")
		require.Empty(t, b.pushed(t, "p"))
		b.push.Repos = fakeRepos{"app": {"main": bad}, "other": {"main": good}}
		require.NoError(t, b.push.CatchUp(ctx))
		require.Len(t, b.pushed(t, "p"), 1, "the bad repository is caught up once it reads")
		require.Len(t, b.pushed(t, "q"), 1)
	})

	t.Run("CommitUnreadable", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", source("Src", "app", "dev", "false")), pipeline("q", source("Src", "app", "main", "false")))
		b.push.Repos = fakeRepos{"app": {}}
		require.NoError(t, b.push.CatchUp(ctx))
		b.push.Repos = brokenRepos{fakeRepos: fakeRepos{"app": {"dev": bad, "main": good}}, commits: map[string]bool{bad: true}}
		require.NoError(t, b.push.CatchUp(ctx))
		require.Empty(t, b.pushed(t, "p"))
		require.Len(t, b.pushed(t, "q"), 1, "the branch after the bad one is caught up")
	})
}

func TestPushFailedStart(t *testing.T) {
	t.Parallel()
	sha, newer := strings.Repeat("e", 40), strings.Repeat("f", 40)
	ctx := context.Background()
	setupFailing := func(t *testing.T) *bundle {
		t.Helper()
		b := setup(t, pipeline("p", source("Src", "app", "main", "false")), pipeline("q", source("Src", "app", "main", "false")))
		b.push.Engine.Store = &failingStore{Store: b.push.Engine.Store, pipeline: "q"}
		b.push.Pushed(ctx, "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: sha}})
		require.Len(t, b.pushed(t, "p"), 1)
		require.Empty(t, b.pushed(t, "q"), "q's start failed")
		return b
	}

	t.Run("CatchUpStartsTheFailedOnly", func(t *testing.T) {
		t.Parallel()
		b := setupFailing(t)
		b.push.Repos = fakeRepos{"app": {"main": sha}}
		require.NoError(t, b.push.CatchUp(ctx))
		require.Len(t, b.pushed(t, "p"), 1, "p is not started twice")
		got := b.pushed(t, "q")
		require.Len(t, got, 1)
		require.Equal(t, sha, got[0].Revisions["Src"].RevisionID)
		require.NoError(t, b.push.CatchUp(ctx))
		require.Len(t, b.pushed(t, "q"), 1, "the push is recorded once acted on")
	})

	t.Run("NextPushStartsEveryPipelineOnItsHead", func(t *testing.T) {
		t.Parallel()
		b := setupFailing(t)
		b.push.Pushed(ctx, "app", []sluice.RefUpdate{{Ref: "refs/heads/main", Old: sha, New: newer}})
		for _, name := range []string{"p", "q"} {
			got := b.pushed(t, name)
			require.NotEmpty(t, got, name)
			require.Equal(t, newer, got[0].Revisions["Src"].RevisionID, "%s runs the newest push", name)
		}
	})
}
