package engine_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/engine"
	"sluice/store/sqlite"
)

// movableClock is a clock the test moves forward.
type movableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *movableClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestTimersExpireApproval runs Timers against SQLite: an approval whose timeoutInMinutes has
// passed fails, and the execution with it.
func TestTimersExpireApproval(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	clock := &movableClock{t: time.Unix(1_700_000_000, 0).UTC()}
	failed := make(chan string, 10)
	eng := &engine.Engine{Store: db, Clock: clock, IDs: &benchIDs{}, Account: "000000000000", Region: "us-east-1",
		Lookup: catalog.With(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Applied: func(p *sluice.Plan) {
			for _, c := range p.ActionRuns {
				if c.Row.Token != "" && c.Row.Status == sluice.ActionFailed {
					failed <- c.Row.ErrorMessage
				}
			}
		}}
	timers := engine.NewTimers(eng)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go timers.Run(ctx)

	d := useCaseDecl("")
	d.Variables = nil
	d.Stages[1].Actions[0].TimeoutInMinutes = 5
	_, err = eng.CreatePipeline(ctx, d, nil, "alice")
	require.NoError(t, err)
	// The source has no worker here: report it done so the approval opens.
	job := firstJob(t, db)
	require.NoError(t, eng.JobResult(ctx, sluice.JobResult{JobID: job.ID, Success: true}))

	clock.advance(4 * time.Minute)
	timers.Wake()
	select {
	case msg := <-failed:
		t.Fatalf("the approval failed before its timeout: %s", msg)
	default:
	}
	clock.advance(2 * time.Minute)
	timers.Wake()
	select {
	case msg := <-failed:
		require.Contains(t, msg, "expired")
	case <-time.After(30 * time.Second): // a hang guard only; the wake-up fires at once
		t.Fatal("the expired approval never failed")
	}
}

func firstJob(t *testing.T, db *sqlite.DB) *sluice.Job {
	t.Helper()
	jobs, err := db.ClaimJobs(context.Background(), sluice.ClaimParams{Worker: "test", Limit: 1, Now: time.Unix(1_700_000_000, 0), LeaseFor: time.Hour, Acknowledge: true})
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	return jobs[0]
}
