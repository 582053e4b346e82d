package trigger

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// fakeSources answers revisions from a table the test changes, and counts the asks.
type fakeSources struct {
	mu    sync.Mutex
	revs  map[string]string // "bucket/key" or "repo:tag" -> revision id
	fail  map[string]bool
	calls map[string]int
}

func newFakeSources() *fakeSources {
	return &fakeSources{revs: map[string]string{}, fail: map[string]bool{}, calls: map[string]int{}}
}

func (f *fakeSources) set(key, rev string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revs[key] = rev
}

func (f *fakeSources) failing(key string, fail bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[key] = fail
}

func (f *fakeSources) asked(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[key]
}

func (f *fakeSources) get(key string) (sluice.Revision, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[key]++
	if f.fail[key] {
		return sluice.Revision{}, errors.New("connection refused")
	}
	return sluice.Revision{RevisionID: f.revs[key], Variables: map[string]string{"ETag": "e-" + f.revs[key]}}, nil
}

func (f *fakeSources) ObjectRevision(_ context.Context, bucket, key string) (sluice.Revision, error) {
	return f.get(bucket + "/" + key)
}

func (f *fakeSources) ImageRevision(_ context.Context, repo, tag string) (sluice.Revision, error) {
	return f.get(repo + ":" + tag)
}

func s3Source(name, bucket, key, poll string) sluice.ActionDeclaration {
	cfg := map[string]string{"S3Bucket": bucket, "S3ObjectKey": key}
	if poll != "" {
		cfg["PollForSourceChanges"] = poll
	}
	return sluice.ActionDeclaration{Name: name, ActionTypeID: sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"},
		Configuration: cfg, OutputArtifacts: []sluice.OutputArtifact{{Name: name + "Out"}}}
}

func imageSource(name, repo, tag string) sluice.ActionDeclaration {
	cfg := map[string]string{"RepositoryName": repo}
	if tag != "" {
		cfg["ImageTag"] = tag
	}
	return sluice.ActionDeclaration{Name: name, ActionTypeID: sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "ECR", Version: "1"},
		Configuration: cfg, OutputArtifacts: []sluice.OutputArtifact{{Name: name + "Out"}}}
}

type changesBundle struct {
	*bundle
	src     *fakeSources
	changes *ObjectRound
}

// setupChanges creates the pipelines and stops the executions CreatePipeline started, so
// each pipeline's latest execution ran no revision.
func setupChanges(t *testing.T, decls ...sluice.PipelineDeclaration) *changesBundle {
	t.Helper()
	b := setup(t, decls...)
	for _, d := range decls {
		b.stopAll(t, d.Name)
	}
	src := newFakeSources()
	return &changesBundle{bundle: b, src: src, changes: b.newChanges(src)}
}

func (b *bundle) newChanges(src *fakeSources) *ObjectRound {
	return &ObjectRound{Engine: b.push.Engine, Store: b.store, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Objects: src, Images: src, Clock: &stepClock{}, Interval: time.Minute}
}

func (b *bundle) stopAll(t *testing.T, pipeline string) {
	t.Helper()
	execs, _, err := b.store.ListExecutions(t.Context(), pipeline, sluice.ExecutionFilter{})
	require.NoError(t, err)
	for _, e := range execs {
		if e.Status.Active() {
			require.NoError(t, b.push.Engine.Stop(t.Context(), pipeline, e.ID, true, "test"))
		}
	}
}

// poll runs a round, and lets the interval pass before the next.
func (b *changesBundle) poll(t *testing.T) {
	t.Helper()
	require.NoError(t, b.changes.PollOnce(t.Context()))
	b.changes.Clock.(*stepClock).advance(b.changes.Interval)
}

func TestChanges(t *testing.T) {
	t.Parallel()

	t.Run("NewVersionStartsPinnedOnce", func(t *testing.T) {
		t.Parallel()
		b := setupChanges(t, pipeline("p", s3Source("Src", "bkt", "app.zip", "")))
		b.src.set("bkt/app.zip", "v1")
		b.poll(t)
		got := b.pushed(t, "p")
		require.Len(t, got, 1)
		require.Equal(t, sluice.Trigger{Type: sluice.TriggerPollForSourceChanges, Detail: "arn:aws:s3:::bkt/app.zip"}, got[0].Trigger)
		require.Equal(t, "v1", got[0].Revisions["Src"].RevisionID)
		require.Equal(t, "e-v1", got[0].Revisions["Src"].Variables["ETag"])

		b.poll(t)
		require.Len(t, b.pushed(t, "p"), 1, "the same version starts nothing")

		b.src.set("bkt/app.zip", "v2")
		b.poll(t)
		got = b.pushed(t, "p")
		require.Len(t, got, 2)
		require.Equal(t, "v2", got[0].Revisions["Src"].RevisionID)
	})
	t.Run("RestartComparesWithLatestExecution", func(t *testing.T) {
		t.Parallel()
		b := setupChanges(t, pipeline("p", s3Source("Src", "bkt", "app.zip", "")))
		b.src.set("bkt/app.zip", "v1")
		b.poll(t)
		b.changes = b.newChanges(b.src) // a restarted server remembers nothing
		b.poll(t)
		require.Len(t, b.pushed(t, "p"), 1)
	})
	t.Run("ExecutionYetToFetchStartsNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", s3Source("Src", "bkt", "app.zip", "")))
		src := newFakeSources()
		src.set("bkt/app.zip", "v1")
		require.NoError(t, b.newChanges(src).PollOnce(t.Context()))
		require.Empty(t, b.pushed(t, "p"), "the CreatePipeline execution takes v1 when its source runs")
	})
	t.Run("PollForSourceChangesFalseIsNotPolled", func(t *testing.T) {
		t.Parallel()
		b := setupChanges(t, pipeline("p", s3Source("Src", "bkt", "app.zip", "False")))
		b.src.set("bkt/app.zip", "v1")
		b.poll(t)
		require.Empty(t, b.pushed(t, "p"))
		require.Zero(t, b.src.asked("bkt/app.zip"))
	})
	t.Run("ImageDigestStartsAsEvent", func(t *testing.T) {
		t.Parallel()
		b := setupChanges(t, pipeline("p", imageSource("Img", "team/app", "")))
		b.src.set("team/app:latest", "sha256:1")
		b.poll(t)
		got := b.pushed(t, "p")
		require.Len(t, got, 1)
		require.Equal(t, sluice.Trigger{Type: sluice.TriggerCloudWatchEvent, Detail: "team/app:latest"}, got[0].Trigger)
		require.Equal(t, "sha256:1", got[0].Revisions["Img"].RevisionID)
		b.poll(t)
		require.Len(t, b.pushed(t, "p"), 1)
	})
	t.Run("SharedTargetAskedOnce", func(t *testing.T) {
		t.Parallel()
		b := setupChanges(t, pipeline("a", imageSource("Img", "team/app", "latest")),
			pipeline("b", imageSource("Img", "team/app", "")), pipeline("c", imageSource("One", "team/app", ""), imageSource("Two", "team/app", "")))
		b.src.set("team/app:latest", "sha256:1")
		b.poll(t)
		require.Equal(t, 1, b.src.asked("team/app:latest"))
		for _, name := range []string{"a", "b"} {
			require.Len(t, b.pushed(t, name), 1, name)
		}
		got := b.pushed(t, "c")
		require.Len(t, got, 1, "one execution for both sources")
		require.Equal(t, "sha256:1", got[0].Revisions["One"].RevisionID)
		require.Equal(t, "sha256:1", got[0].Revisions["Two"].RevisionID)
	})
	t.Run("OnlyChangedSourcesArePinned", func(t *testing.T) {
		t.Parallel()
		b := setupChanges(t, pipeline("p", s3Source("Obj", "bkt", "a.zip", ""), imageSource("Img", "team/app", "")))
		b.src.set("bkt/a.zip", "v1")
		b.src.set("team/app:latest", "sha256:1")
		b.poll(t)
		got := b.pushed(t, "p")
		require.Len(t, got, 1, "both changed: one execution")
		require.Len(t, got[0].Revisions, 2)

		b.src.set("team/app:latest", "sha256:2")
		b.poll(t)
		got = b.pushed(t, "p")
		require.Len(t, got, 2)
		require.Equal(t, map[string]sluice.Revision{"Img": {RevisionID: "sha256:2", Variables: map[string]string{"ETag": "e-sha256:2"}}},
			got[0].Revisions)
	})
	t.Run("FailingTargetBacksOff", func(t *testing.T) {
		t.Parallel()
		b := setupChanges(t, pipeline("p", s3Source("Src", "bkt", "app.zip", "")), pipeline("q", s3Source("Src", "bkt", "ok.zip", "")))
		b.src.failing("bkt/app.zip", true)
		b.src.set("bkt/ok.zip", "v1")
		// Asked in rounds 1, 3, 7 and 15: it sits out 1, 3 and 7 rounds.
		var askedIn []int
		for round := 1; round <= 15; round++ {
			before := b.src.asked("bkt/app.zip")
			b.poll(t)
			if b.src.asked("bkt/app.zip") > before {
				askedIn = append(askedIn, round)
			}
		}
		require.Equal(t, []int{1, 3, 7, 15}, askedIn)
		require.Equal(t, 15, b.src.asked("bkt/ok.zip"), "other targets are asked every round")
		require.Len(t, b.pushed(t, "q"), 1)

		b.src.failing("bkt/app.zip", false)
		b.src.set("bkt/app.zip", "v1")
		for range 15 { // 15 rounds out after the fourth failure, then asked again
			b.poll(t)
		}
		require.Empty(t, b.pushed(t, "p"))
		b.poll(t)
		require.Len(t, b.pushed(t, "p"), 1)
		b.poll(t)
		require.Equal(t, 6, b.src.asked("bkt/app.zip"), "a success ends the backoff")
	})
	t.Run("FailedStartIsRetried", func(t *testing.T) {
		t.Parallel()
		b := setupChanges(t)
		// The index names a pipeline the engine cannot start (as if deleted mid-round).
		ghost := pipeline("ghost", s3Source("Src", "bkt", "app.zip", ""))
		b.changes.Store = &ghostStore{Pipelines: b.store, ghost: &sluice.Pipeline{Declaration: ghost}}
		b.src.set("bkt/app.zip", "v1")
		b.poll(t)
		require.Equal(t, 1, b.src.asked("bkt/app.zip"))

		_, err := b.push.Engine.CreatePipeline(t.Context(), ghost, nil, "test")
		require.NoError(t, err)
		b.stopAll(t, "ghost")
		b.changes.Store = b.store
		b.poll(t)
		got := b.pushed(t, "ghost")
		require.Len(t, got, 1, "v1 was not taken as seen when its start failed")
		require.Equal(t, "v1", got[0].Revisions["Src"].RevisionID)
	})
}

// ghostStore indexes one more pipeline than the store holds.
type ghostStore struct {
	Pipelines
	ghost *sluice.Pipeline
}

func (g *ghostStore) WatchingKind(ctx context.Context, kind sluice.WatchKind) ([]sluice.SourceWatch, error) {
	ws, err := g.Pipelines.WatchingKind(ctx, kind)
	for _, w := range sluice.Watches(&g.ghost.Declaration) {
		if w.Kind == kind {
			ws = append(ws, w)
		}
	}
	return ws, err
}

func (g *ghostStore) GetPipeline(ctx context.Context, name string, version int) (*sluice.Pipeline, error) {
	if name == g.ghost.Declaration.Name {
		return g.ghost, nil
	}
	return g.Pipelines.GetPipeline(ctx, name, version)
}

func TestJitter(t *testing.T) {
	t.Parallel()
	require.Equal(t, int64(48), int64(jitter(60, 0)))
	require.Equal(t, int64(60), int64(jitter(60, 0.5)))
	require.Equal(t, int64(71), int64(jitter(60, 0.999)))
}
