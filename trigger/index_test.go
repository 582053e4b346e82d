package trigger

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/store/sqlite"
)

// countingStore counts what a trigger reads: each call, each pipeline a call returns, and
// each entry of the index of watched sources a call returns.
type countingStore struct {
	*sqlite.DB
	calls, pipelines, watches atomic.Int64
}

func (s *countingStore) ListPipelines(ctx context.Context, p sluice.Page) ([]*sluice.Pipeline, string, error) {
	ps, next, err := s.DB.ListPipelines(ctx, p)
	s.calls.Add(1)
	s.pipelines.Add(int64(len(ps)))
	return ps, next, err
}

func (s *countingStore) GetPipeline(ctx context.Context, name string, version int) (*sluice.Pipeline, error) {
	s.calls.Add(1)
	s.pipelines.Add(1)
	return s.DB.GetPipeline(ctx, name, version)
}

func (s *countingStore) Watching(ctx context.Context, w sluice.Watched) ([]sluice.SourceWatch, error) {
	ws, err := s.DB.Watching(ctx, w)
	s.calls.Add(1)
	s.watches.Add(int64(len(ws)))
	return ws, err
}

func (s *countingStore) WatchingKind(ctx context.Context, kind sluice.WatchKind) ([]sluice.SourceWatch, error) {
	ws, err := s.DB.WatchingKind(ctx, kind)
	s.calls.Add(1)
	s.watches.Add(int64(len(ws)))
	return ws, err
}

func (s *countingStore) ListExecutions(ctx context.Context, pipeline string, f sluice.ExecutionFilter) ([]*sluice.Execution, string, error) {
	s.calls.Add(1)
	return s.DB.ListExecutions(ctx, pipeline, f)
}

func (s *countingStore) work() string {
	return fmt.Sprintf("%d calls, %d pipelines read, %d watches read", s.calls.Load(), s.pipelines.Load(), s.watches.Load())
}

// addPipelines stores n pipelines whose one source is src, straight in the store (their
// executions play no part).
func addPipelines(t *testing.T, db *sqlite.DB, n int, src sluice.ActionDeclaration) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		d := pipeline(fmt.Sprintf("elsewhere-%04d", i), src)
		d.Version = 1
		require.NoError(t, db.Update(ctx, d.Name, func(tx sluice.Tx) error {
			return tx.CreatePipeline(ctx, &sluice.Pipeline{Declaration: d, ARN: "arn:" + d.Name}, nil)
		}))
	}
}

// TestPushWorkIsPerWatchingPipeline pushes to a repository one pipeline watches, beside none
// and beside 1,000 pipelines on another repository: the push reads the same either way.
func TestPushWorkIsPerWatchingPipeline(t *testing.T) {
	t.Parallel()
	work := func(t *testing.T, others int) string {
		b := setup(t, pipeline("p", source("Src", "app", "main", "false")))
		addPipelines(t, b.store, others, source("Src", "other", "main", "false"))
		counted := &countingStore{DB: b.store}
		b.push.Store = counted
		b.push.Pushed(context.Background(), "app", []sluice.RefUpdate{{Ref: "refs/heads/main", New: strings.Repeat("c", 40)}})
		require.Len(t, b.pushed(t, "p"), 1)
		return counted.work()
	}
	require.Equal(t, work(t, 0), work(t, 1000))
}

// TestDeliveryWorkIsPerWatchingPipeline delivers a push to a repository one pipeline watches
// through a connection, beside none and beside 1,000 pipelines watching another repository
// through the same connection: the delivery reads the same either way, so it looks up only
// the delivered repository's pipelines, not every connection source.
func TestDeliveryWorkIsPerWatchingPipeline(t *testing.T) {
	t.Parallel()
	work := func(t *testing.T, others int) string {
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		addPipelines(t, b.store, others, connSource("Src", "acme/elsewhere", "main", ""))
		counted := &countingStore{DB: b.store}
		b.conns.Store = counted
		out := b.deliver(push("main", strings.Repeat("d", 40)))
		require.Len(t, out.Started, 1)
		return counted.work()
	}
	require.Equal(t, work(t, 0), work(t, 1000))
}
