// Package delivery sends what the server enqueues for the world outside: SNS messages to
// http(s) endpoints and mailboxes, chat posts, EventBridge webhook targets. A Deliverer
// claims due deliveries from the store with a lease, hands each to the Sender of its
// protocol, and records every attempt; retries follow the delivery's policy, and a dead
// delivery (Failed) holds no other back.
package delivery

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"sluice"
)

// Store is what the Deliverer needs of the store.
type Store interface {
	sluice.DeliveryStore
	sluice.Notifier
}

// Sender tries one delivery once. It returns what came of it and never panics on any
// message; ctx ends the try.
type Sender interface {
	Send(ctx context.Context, d *sluice.Delivery) Result
}

// Deliverer is the sending loop. Several may run on one store (each claim is a lease);
// a Deliverer killed mid-send leaves its claims to be taken again when their leases end,
// so a delivery may be sent twice (at-least-once), never lost.
type Deliverer struct {
	Store   Store
	Senders map[string]Sender // by Delivery.Protocol
	Clock   sluice.Clock
	Log     *slog.Logger
	// Concurrency bounds the sends in flight (default 8).
	Concurrency int
	// Lease is how long a claim lasts: longer than any send with its record (default 30 s,
	// twice the send timeout), and how long a delivery claimed by a killed server waits.
	Lease time.Duration
	// Timeout bounds one send (default 15 s, SNS's).
	Timeout time.Duration
	// Attempted, when set, is called after each attempt is recorded (tests, metrics).
	Attempted func(d *sluice.Delivery, a sluice.DeliveryAttempt)
}

func (dl *Deliverer) defaults() {
	if dl.Concurrency <= 0 {
		dl.Concurrency = 8
	}
	if dl.Lease <= 0 {
		dl.Lease = 30 * time.Second
	}
	if dl.Timeout <= 0 {
		dl.Timeout = 15 * time.Second
	}
	if dl.Log == nil {
		dl.Log = slog.New(slog.DiscardHandler)
	}
}

// idleWait is the longest the loop sleeps without a wake-up: a delivery enqueued by
// another process on the same store is seen at the latest then.
const idleWait = 30 * time.Second

// Run sends until ctx ends, then waits for the sends in flight (which ctx also ends).
func (dl *Deliverer) Run(ctx context.Context) error {
	dl.defaults()
	woken, err := dl.Store.Listen(ctx, sluice.TopicDeliveries)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	done := make(chan struct{}, dl.Concurrency)
	inflight := 0
	for {
		if free := dl.Concurrency - inflight; free > 0 {
			ds, err := dl.Store.ClaimDeliveries(ctx, dl.Clock.Now(), dl.Lease, free)
			if err != nil && ctx.Err() == nil {
				dl.Log.Error("deliveries: claim", "err", err)
			}
			for _, d := range ds {
				inflight++
				wg.Go(func() {
					dl.deliver(ctx, d)
					done <- struct{}{}
				})
			}
			if len(ds) == free {
				continue // more may be due
			}
		}
		timer := time.NewTimer(dl.wait(ctx, inflight))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-woken:
		case <-done:
			inflight--
		case <-timer.C:
		}
		timer.Stop()
		for drained := false; !drained; { // count every send that ended meanwhile
			select {
			case <-done:
				inflight--
			default:
				drained = true
			}
		}
	}
}

// wait is how long to sleep: until the next delivery is due, when a send slot is free.
func (dl *Deliverer) wait(ctx context.Context, inflight int) time.Duration {
	if inflight >= dl.Concurrency {
		return idleWait
	}
	due, ok, err := dl.Store.NextDeliveryDue(ctx)
	if err != nil || !ok {
		return idleWait
	}
	return min(max(due.Sub(dl.Clock.Now()), time.Millisecond), idleWait)
}

// deliver tries d once and records the attempt.
func (dl *Deliverer) deliver(ctx context.Context, d *sluice.Delivery) {
	start := dl.Clock.Now()
	r := dl.send(ctx, d)
	if ctx.Err() != nil {
		return // stopping: the lease ends and another run tries again
	}
	end := dl.Clock.Now()
	Next(d, r, end)
	a := sluice.DeliveryAttempt{DeliveryID: d.ID, N: d.Attempts, At: start, Duration: end.Sub(start), StatusCode: r.StatusCode}
	if r.Err != nil {
		a.Error = r.Err.Error()
	}
	err := dl.Store.RecordDeliveryAttempt(context.WithoutCancel(ctx), d, a)
	if sluice.IsCode(err, sluice.EConflict) {
		// Cancelled meanwhile (its destination was deleted) or tried by another sender.
		dl.Log.Info("deliveries: attempt not recorded, the delivery changed meanwhile", "target", d.Target, "id", d.ID)
		return
	}
	if err != nil {
		dl.Log.Error("deliveries: record an attempt", "target", d.Target, "id", d.ID, "err", err)
		return
	}
	if d.Status == sluice.DeliveryFailed {
		dl.Log.Warn("deliveries: dead", "target", d.Target, "id", d.ID, "attempts", d.Attempts, "err", d.LastError)
	}
	if dl.Attempted != nil {
		dl.Attempted(d, a)
	}
}

// send runs the protocol's sender within the timeout; an unknown protocol, or a sender
// that panics, fails the delivery for good.
func (dl *Deliverer) send(ctx context.Context, d *sluice.Delivery) (r Result) {
	s, ok := dl.Senders[d.Protocol]
	if !ok {
		return Result{Err: errors.New("no sender for protocol " + d.Protocol), Permanent: true}
	}
	ctx, cancel := context.WithTimeout(ctx, dl.Timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			dl.Log.Error("deliveries: sender panicked", "protocol", d.Protocol, "panic", p)
			r = Result{Err: errors.New("internal error"), Permanent: true}
		}
	}()
	return s.Send(ctx, d)
}
