package trigger

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/engine"
)

// stepClock is a clock tests move by hand.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		c.now = time.Unix(1_700_000_000, 0).UTC()
	}
	return c.now
}

func (c *stepClock) advance(d time.Duration) {
	now := c.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now.Add(d)
}

func TestPollOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	first, second := strings.Repeat("a", 40), strings.Repeat("b", 40)

	t.Run("MovedBranchStartsOncePinned", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")), pipeline("q", connSource("Src", "acme/app", "main", "true")))
		b.remote.setHead(b.repo, "main", first)
		require.Len(t, b.deliver(push("main", first)).Started, 2, "both ran the first commit")

		require.NoError(t, b.poller.PollOnce(ctx))
		heads, diffs, commits := b.remote.counts()
		require.Equal(t, 1, heads, "one ls-remote serves every pipeline on the branch")
		require.Zero(t, diffs+commits, "an unchanged branch costs nothing else")
		require.Len(t, b.started(t, "p"), 1, "an unchanged branch starts nothing")

		b.remote.setHead(b.repo, "main", second)
		require.NoError(t, b.poller.PollOnce(ctx))
		for _, name := range []string{"p", "q"} {
			got := b.started(t, name)
			require.Len(t, got, 2, name)
			require.Equal(t, sluice.Trigger{Type: sluice.TriggerPollForSourceChanges, Detail: connARN}, got[0].Trigger)
			require.Equal(t, second, got[0].Revisions["Src"].RevisionID)
		}
		require.NoError(t, b.poller.PollOnce(ctx))
		require.Len(t, b.started(t, "p"), 2, "the moved branch starts once")
	})

	t.Run("RollbackIsNotUndone", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		b.remote.setHead(b.repo, "main", second)
		require.Len(t, b.deliver(push("main", second)).Started, 1)
		require.NoError(t, b.poller.PollOnce(ctx))
		require.Len(t, b.started(t, "p"), 1, "the head already ran")
		// A user starts the pipeline on an older commit, as a rollback: the branch did not
		// move, so the next poll must not start the head again.
		_, err := b.conns.Engine.Start(ctx, engine.StartParams{Pipeline: "p",
			Revisions: map[string]sluice.Revision{"Src": {RevisionID: first}},
			Trigger:   sluice.Trigger{Type: sluice.TriggerStartPipelineExecution}})
		require.NoError(t, err)
		require.NoError(t, b.poller.PollOnce(ctx))
		got := b.started(t, "p")
		require.Len(t, got, 2)
		require.Equal(t, first, got[0].Revisions["Src"].RevisionID, "the rollback is still the latest")
	})

	t.Run("OnlyDetectingSourcesWithoutTriggersAreWatched", func(t *testing.T) {
		t.Parallel()
		trig := sluice.GitConfiguration{SourceActionName: "Src", Push: []sluice.GitPushFilter{{Branches: &sluice.GitFilterCriteria{Includes: []string{"main"}}}}}
		b := connSetup(t, pipeline("off", connSource("Src", "acme/app", "main", "FALSE")),
			v2("triggered", []sluice.GitConfiguration{trig}, connSource("Src", "acme/app", "main", "")))
		b.remote.setHead(b.repo, "main", second)
		require.NoError(t, b.poller.PollOnce(ctx))
		heads, _, _ := b.remote.counts()
		require.Zero(t, heads)
	})

	t.Run("SourceNotRunYetIsNoChange", func(t *testing.T) {
		t.Parallel()
		// CreatePipeline's execution waits with its source not run (no workers here): the
		// source takes the branch head when it runs, so the head is no news.
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		b.remote.setHead(b.repo, "main", first)
		require.NoError(t, b.poller.PollOnce(ctx))
		require.Empty(t, b.started(t, "p"))
	})

	t.Run("MissingBranchIsNoFailure", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		require.NoError(t, b.poller.PollOnce(ctx))
		require.NoError(t, b.poller.PollOnce(ctx))
		heads, _, _ := b.remote.counts()
		require.Equal(t, 2, heads, "asked every round")
		require.Zero(t, b.logs.count("polling a repository failed"))
	})

	t.Run("FailuresBackOffAndLogOnce", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		b.remote.fail = errors.New("connection refused")
		require.NoError(t, b.poller.PollOnce(ctx))
		require.NoError(t, b.poller.PollOnce(ctx))
		heads, _, _ := b.remote.counts()
		require.Equal(t, 1, heads, "the second round waits out the backoff")

		b.clock.advance(2 * time.Minute) // first backoff: twice the interval
		require.NoError(t, b.poller.PollOnce(ctx))
		b.clock.advance(2 * time.Minute) // second: four times, not over yet
		require.NoError(t, b.poller.PollOnce(ctx))
		heads, _, _ = b.remote.counts()
		require.Equal(t, 2, heads)
		require.Equal(t, 1, b.logs.count("polling a repository failed"), "one log line per failure streak")

		b.remote.mu.Lock()
		b.remote.fail = nil
		b.remote.mu.Unlock()
		b.remote.setHead(b.repo, "main", first)
		b.clock.advance(2 * time.Minute)
		require.NoError(t, b.poller.PollOnce(ctx))
		require.Equal(t, 1, b.logs.count("polling a repository works again"))
		b.clock.advance(time.Second)
		require.NoError(t, b.poller.PollOnce(ctx))
		heads, _, _ = b.remote.counts()
		require.Equal(t, 4, heads, "a recovered repository is polled every round")
	})

	t.Run("RunPollsAtOnceThenStopsWithItsContext", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		b.remote.called = make(chan struct{}, 1)
		loop := &Polling{Rounds: []Round{b.poller}, Interval: time.Hour, Log: b.conns.Log}
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); loop.Run(ctx) }()
		<-b.remote.called // the first round does not wait for the interval
		cancel()
		<-done
	})
}
