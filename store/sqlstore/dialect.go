package sqlstore

import (
	"context"
	"database/sql"
)

// dialect is what differs between the engines; everything else is one SQL implementation.
// The shared statements are written in SQLite's spelling and rewrite turns each into the
// engine's own once, when it is prepared (pool.go).
type dialect struct {
	name       string // prefixes errors: "sqlite", "postgres"
	migrations string // the directory of this engine's migrations (migrate.go)
	rewrite    func(query string) string
	// args converts a statement's arguments for the driver; nil passes them as they are.
	args func([]any) []any
	// mapErr turns the engine's errors that mean "another writer got there first" into the
	// port's EConflict; nil leaves errors as they are (SQLite's single writer has no race).
	mapErr func(error) error
	// migrationsTable creates the table of applied versions.
	migrationsTable string
	// tableExists counts the tables named ? (seal.go reseals only what exists yet).
	tableExists string
	// readTx begins Reader transactions; nil is the driver's default.
	readTx *sql.TxOptions
	// lockPipeline, run first in Update's transaction with the pipeline's name, makes the
	// Updates of one pipeline take turns; "" when the engine's single writer already does.
	lockPipeline string
	// lockMigrations, run first in each migration's transaction, makes processes that open
	// the same database at once apply each migration once; "" when the writer already does.
	lockMigrations string
	// lockOutbox, run before a transaction adds its first event, keeps outbox ids in commit
	// order (sluice.OutboxRecord); "" when the single writer already does.
	lockOutbox string
	// lockDeliveries, run with a connection's ARN before its webhook delivery log is checked
	// for a redelivery, makes the check and the insert of concurrent copies take turns; ""
	// when the single writer already does.
	lockDeliveries string
	// lockRepo and unlockRepo take and release a hosted repository's lock (by name) for a
	// session; "" when only one process can share the database.
	lockRepo, unlockRepo string
	// notify tells other processes a topic, inside the transaction that notifies it so that
	// it arrives on commit; "" when no other process can share the database.
	notify func(topic string) (query string, args []any)
	// channel and self: PostgreSQL's channel of notifications and this process's mark on
	// the ones it sends.
	channel, self string
	// close stops what Open started for the dialect (PostgreSQL's listener).
	close func() error
}

// publish wakes this process's listeners of topic now and, when the engine has other
// processes to tell, sends it to them: for a write that committed outside a transaction
// (inside one, commit sends the topics it collected).
func (db *DB) publish(ctx context.Context, topic string) {
	db.notes.publish(topic)
	if db.d.notify == nil {
		return
	}
	q, args := db.d.notify(topic)
	// A lost notification only delays the other processes' wake-up to their next poll.
	_, _ = db.writer().exec(ctx, q, args...)
}
