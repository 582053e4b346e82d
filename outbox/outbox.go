// Package outbox runs the readers of the store's outbox: each consumer reads the events
// committed since its cursor, handles them and acknowledges them, woken by the store's
// notifier. Consumers are off the job path: a change commits and wakes its workers without
// waiting for any of them.
package outbox

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"sluice"
)

// Store is what a consumer needs of the store.
type Store interface {
	sluice.Outbox
	sluice.Notifier
}

// Consumer reads the outbox for one named consumer, at least once and in commit order.
type Consumer struct {
	Name  string
	Store Store
	// Handle handles a batch of records in commit order. nil acknowledges the whole batch,
	// even if ctx ends meanwhile; an error acknowledges none of it: the batch comes again,
	// with the records after it, at the next drain. So a handler whose effects do not repeat
	// well (a counter) returns an error only before its first effect, and otherwise handles
	// each record as best it can and logs what it could not do.
	Handle func(ctx context.Context, recs []*sluice.OutboxRecord) error
	Batch  int // records per read (default 100)
	// Gap is the least time between two drains of Run (default 1s): the wake-ups of a busy
	// server make one read a gap, not one per change.
	Gap time.Duration
	// Interval is how often Run drains without a wake-up (default 1m): the safety net for a
	// wake-up lost to a restart or sent by another process.
	Interval time.Duration
	// Retain keeps records for this long after they were added, even when every consumer
	// has passed them, so that the event stream can resume from a recent record (0: prune
	// at once).
	Retain time.Duration
	Log    *slog.Logger
	// Volatile keeps the cursor in this process only, starting at the outbox's end when it
	// registers: for a consumer each replica runs for itself (the console's live pages), and
	// which must not hold records back from pruning once its replica is gone. A volatile
	// consumer leaves pruning to the durable ones.
	Volatile bool

	mu     sync.Mutex // one drain at a time
	pruned time.Time  // when this consumer last pruned
	cursor int64      // a Volatile consumer's position
}

// pruneEvery is the least time between two prunes by one consumer: a consumer that drains
// every millisecond does not add a write to each drain.
const pruneEvery = time.Second

// Register creates the consumer's cursor at the end of the outbox, or keeps the one it has.
// Call it before Drain or Run.
func (c *Consumer) Register(ctx context.Context) error {
	if !c.Volatile {
		return c.Store.AddOutboxConsumer(ctx, c.Name)
	}
	// A durable cursor of the same name, kept by an earlier version, would hold every
	// record back from pruning forever.
	if err := c.Store.DeleteOutboxConsumer(ctx, c.Name); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
		return err
	}
	end, err := c.Store.OutboxEnd(ctx)
	c.mu.Lock()
	c.cursor = end
	c.mu.Unlock()
	return err
}

// read returns the next batch past the consumer's cursor.
func (c *Consumer) read(ctx context.Context, batch int) ([]*sluice.OutboxRecord, error) {
	if c.Volatile {
		return c.Store.ReadOutboxAfter(ctx, c.cursor, batch)
	}
	return c.Store.ReadOutbox(ctx, c.Name, batch)
}

// ack moves the cursor past id.
func (c *Consumer) ack(ctx context.Context, id int64) error {
	if c.Volatile {
		c.cursor = id
		return nil
	}
	return c.Store.AckOutbox(ctx, c.Name, id)
}

// Drain handles every record committed before it was called, then (at most once a second)
// prunes the records every consumer has passed.
func (c *Consumer) Drain(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	batch := c.Batch
	if batch <= 0 {
		batch = 100
	}
	for {
		recs, err := c.read(ctx, batch)
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			if err := c.Handle(ctx, recs); err != nil {
				return err
			}
			// Handled is acknowledged even if ctx ended meanwhile: handled again, the batch
			// would repeat its effects.
			if err := c.ack(context.WithoutCancel(ctx), recs[len(recs)-1].ID); err != nil {
				return err
			}
		}
		if len(recs) < batch {
			if c.Volatile || time.Since(c.pruned) < pruneEvery {
				return nil
			}
			c.pruned = time.Now()
			return c.prune(ctx)
		}
	}
}

// prune deletes what every consumer has passed, a bounded batch at a time, so that the
// writer is never held long.
func (c *Consumer) prune(ctx context.Context) error {
	var before time.Time
	if c.Retain > 0 {
		before = time.Now().Add(-c.Retain)
	}
	for {
		n, err := c.Store.PruneOutbox(ctx, before, 1000)
		if err != nil || n < 1000 {
			return err
		}
	}
}

// Run drains when woken by a TopicOutbox notification or every Interval, until ctx ends.
func (c *Consumer) Run(ctx context.Context) {
	gap, interval := orDefault(c.Gap, time.Second), orDefault(c.Interval, time.Minute)
	wake, err := c.Store.Listen(ctx, sluice.TopicOutbox)
	if err != nil {
		c.logError("listen", err) // the interval still drains
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		drained := time.Now()
		if err := c.Drain(ctx); err != nil && ctx.Err() == nil {
			c.logError("drain", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-tick.C:
		}
		// Only the rest of the gap since the last drain began: a wake-up after a quiet
		// spell drains at once, a busy stream of them at most once per gap.
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(drained.Add(gap))):
		}
	}
}

func (c *Consumer) logError(what string, err error) {
	if c.Log != nil {
		c.Log.Error("outbox consumer: "+what, "consumer", c.Name, "err", err)
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
