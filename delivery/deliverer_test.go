package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/delivery"
	"sluice/store/sqlite"
)

type clock struct{}

func (clock) Now() time.Time { return time.Now() }

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	return db
}

// scripted answers each target with its script of results in turn, then success.
type scripted struct {
	mu    sync.Mutex
	plans map[string][]delivery.Result
}

func (s *scripted) Send(_ context.Context, d *sluice.Delivery) delivery.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	plan := s.plans[d.Target]
	if len(plan) == 0 {
		return delivery.Result{StatusCode: 200}
	}
	s.plans[d.Target] = plan[1:]
	return plan[0]
}

// run starts a Deliverer and returns the channel of its recorded attempts.
func run(t *testing.T, db *sqlite.DB, s delivery.Sender) <-chan *sluice.Delivery {
	t.Helper()
	attempts := make(chan *sluice.Delivery, 100)
	dl := &delivery.Deliverer{Store: db, Senders: map[string]delivery.Sender{"https": s}, Clock: clock{}, Concurrency: 2,
		Attempted: func(d *sluice.Delivery, _ sluice.DeliveryAttempt) { c := *d; attempts <- &c }}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- dl.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	return attempts
}

func quick(target string) *sluice.Delivery {
	return &sluice.Delivery{ID: "m-" + target, Target: target, Protocol: "https", Endpoint: "https://example.com/",
		Policy: sluice.RetryPolicy{NumRetries: 2, MinDelay: 10 * time.Millisecond, MaxDelay: 10 * time.Millisecond}}
}

func TestDeliverer(t *testing.T) {
	t.Parallel()
	t.Run("RetriesThenDelivers", func(t *testing.T) {
		t.Parallel()
		db := openStore(t)
		fail := delivery.Result{StatusCode: 503, Err: errors.New("503 Service Unavailable")}
		attempts := run(t, db, &scripted{plans: map[string][]delivery.Result{"a": {fail, fail}}})
		require.NoError(t, db.EnqueueDeliveries(t.Context(), quick("a")))
		var statuses []sluice.DeliveryStatus
		for range 3 {
			statuses = append(statuses, (<-attempts).Status)
		}
		require.Equal(t, []sluice.DeliveryStatus{sluice.DeliveryPending, sluice.DeliveryPending, sluice.DeliveryDelivered}, statuses)
		log, _, err := db.ListDeliveries(t.Context(), sluice.DeliveryFilter{Target: "a"})
		require.NoError(t, err)
		require.Equal(t, sluice.DeliveryDelivered, log[0].Delivery.Status)
		require.Len(t, log[0].Attempts, 3)
		require.Equal(t, 503, log[0].Attempts[2].StatusCode)
		require.Equal(t, "503 Service Unavailable", log[0].Attempts[2].Error)
	})

	t.Run("DeadDoesNotBlockOthers", func(t *testing.T) {
		t.Parallel()
		db := openStore(t)
		gone := delivery.Result{StatusCode: 410, Err: errors.New("410 Gone"), Permanent: true}
		attempts := run(t, db, &scripted{plans: map[string][]delivery.Result{"dead": {gone}}})
		ds := []*sluice.Delivery{quick("dead")}
		for i := range 5 {
			ds = append(ds, quick(fmt.Sprintf("ok-%d", i)))
		}
		require.NoError(t, db.EnqueueDeliveries(t.Context(), ds...))
		got := map[string]sluice.DeliveryStatus{}
		for range 6 {
			d := <-attempts
			got[d.Target] = d.Status
		}
		require.Equal(t, sluice.DeliveryFailed, got["dead"])
		for i := range 5 {
			require.Equal(t, sluice.DeliveryDelivered, got[fmt.Sprintf("ok-%d", i)])
		}
	})

	t.Run("UnknownProtocolFails", func(t *testing.T) {
		t.Parallel()
		db := openStore(t)
		attempts := run(t, db, &scripted{})
		d := quick("x")
		d.Protocol = "sqs"
		require.NoError(t, db.EnqueueDeliveries(t.Context(), d))
		got := <-attempts
		require.Equal(t, sluice.DeliveryFailed, got.Status)
		require.Contains(t, got.LastError, "no sender for protocol sqs")
	})
}

// hanging never answers: its sends end only with their context.
type hanging struct{ started chan struct{} }

func (h hanging) Send(ctx context.Context, _ *sluice.Delivery) delivery.Result {
	h.started <- struct{}{}
	<-ctx.Done()
	return delivery.Result{Err: ctx.Err()}
}

// TestDelivererStoppedMidSend: a sender stopped while it sends (a killed server) records
// nothing; when its lease ends another sender delivers the message.
func TestDelivererStoppedMidSend(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	h := hanging{started: make(chan struct{}, 1)}
	first := &delivery.Deliverer{Store: db, Senders: map[string]delivery.Sender{"https": h}, Clock: clock{}, Lease: 200 * time.Millisecond}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- first.Run(ctx) }()
	require.NoError(t, db.EnqueueDeliveries(t.Context(), quick("a")))
	<-h.started
	cancel()
	require.NoError(t, <-done)

	log, _, err := db.ListDeliveries(t.Context(), sluice.DeliveryFilter{Target: "a"})
	require.NoError(t, err)
	require.Equal(t, 0, log[0].Delivery.Attempts, "the stopped send left no attempt")

	attempts := run(t, db, &scripted{})
	got := <-attempts
	require.Equal(t, sluice.DeliveryDelivered, got.Status)
	require.Equal(t, 1, got.Attempts)
}
