package sluice

import (
	"context"
	"time"
)

// Topics of wake-ups (Notifier): what kind of change a listener waits for.
const (
	TopicJobs   = "jobs"   // a job became claimable
	TopicTimers = "timers" // an action run with a deadline started
	TopicOutbox = "outbox" // events were added to the outbox
)

// Notifier carries wake-ups: a topic and nothing else, so a listener looks for what changed
// itself. The embedded store delivers them within its process; a PostgreSQL store delivers
// them to every replica with LISTEN/NOTIFY. The sender is Executor.Notify; a store also
// notifies TopicOutbox when events are added, TopicJobs when a queued job is inserted or
// requeued and TopicTimers when an action run with a deadline is inserted.
type Notifier interface {
	// Listen subscribes to topic until ctx ends, when the channel is closed. The channel
	// receives a value after each notification of topic that commits after Listen returned;
	// notifications that come while a value waits unread are merged into it. Notifications
	// arrive in commit order, whatever their topics.
	Listen(ctx context.Context, topic string) (<-chan struct{}, error)
}

// OutboxRecord is one event of the outbox.
type OutboxRecord struct {
	// ID orders the outbox: it increases in commit order and is never used again, even
	// after the record is pruned.
	ID    int64
	Event Event
	// Created is when the record was added: the event's Time, or the store's clock when that
	// was zero.
	Created time.Time
}

// Outbox reads the events a transaction added (Executor.AddEvents, Tx.Apply) for named
// consumers, each with a durable cursor: the ID of the last record it has handled.
// Delivery is at least once: a consumer reads past its cursor, handles what it read, then
// acknowledges; records read and not acknowledged (the consumer stopped, the process
// crashed) are read again. Records are pruned once every consumer has acknowledged them.
// Commit order is the adapter's to keep: SQLite's one writer gives ids in commit order; on
// PostgreSQL a sequence does not, so adding events there serialises on a transaction lock
// (or reads stop short of transactions still open) for a reader never to skip a record.
type Outbox interface {
	// AddOutboxConsumer registers a consumer whose cursor starts at the end of the outbox:
	// it reads the records that commit afterwards. Registering a name that exists keeps its
	// cursor.
	AddOutboxConsumer(ctx context.Context, name string) error
	// DeleteOutboxConsumer removes a consumer, so that it no longer holds records back from
	// pruning (ENotFound/OutboxConsumer).
	DeleteOutboxConsumer(ctx context.Context, name string) error
	// ReadOutbox returns up to limit records (limit <= 0 means 100) after the consumer's
	// cursor, in commit order: a record never comes after one that committed later
	// (ENotFound/OutboxConsumer).
	ReadOutbox(ctx context.Context, consumer string, limit int) ([]*OutboxRecord, error)
	// AckOutbox moves the consumer's cursor forward to id: the records up to id are
	// handled. An id at or before the cursor changes nothing (ENotFound/OutboxConsumer).
	AckOutbox(ctx context.Context, consumer string, id int64) error
	// PruneOutbox deletes up to limit records (limit <= 0 means 1000; the oldest first) that
	// every consumer has acknowledged and that were created before before (zero: at any
	// time), and returns how many. With no consumer registered, it deletes nothing.
	PruneOutbox(ctx context.Context, before time.Time, limit int) (int, error)
	// ReadOutboxAfter returns up to limit records (limit <= 0 means 100) after the record
	// id after, in commit order, whatever the consumers' cursors: the event stream reads
	// the records kept for it this way.
	ReadOutboxAfter(ctx context.Context, after int64, limit int) ([]*OutboxRecord, error)
	// OutboxEnd is the id of the last record the outbox ever gave (0 when none): a reader
	// that starts there reads what commits afterwards.
	OutboxEnd(ctx context.Context) (int64, error)
}
