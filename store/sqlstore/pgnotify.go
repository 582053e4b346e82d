package sqlstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// listener is PostgreSQL's side of the Notifier: one connection LISTENs on the dialect's
// channel and wakes this process's listeners (notify.go) for what other processes commit.
// This process's own notifications are published when they commit and skipped here.
type listener struct {
	cfg    *pgx.ConnConfig
	d      *dialect
	conn   *pgx.Conn
	cancel context.CancelFunc
	done   chan struct{}
}

// listen connects and LISTENs before Open returns, so that a Listen after Open misses no
// notification another process commits.
func listen(ctx context.Context, cfg *pgx.ConnConfig, d *dialect) (*listener, error) {
	l := &listener{cfg: cfg, d: d, done: make(chan struct{})}
	var err error
	if l.conn, err = l.connect(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *listener) connect(ctx context.Context) (*pgx.Conn, error) {
	c, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return nil, err
	}
	if _, err := c.Exec(ctx, `LISTEN `+pgx.Identifier{l.d.channel}.Sanitize()); err != nil {
		return nil, errors.Join(err, c.Close(context.Background()))
	}
	return c, nil
}

// start delivers notifications to db until stop; the DB's Close stops it.
func (l *listener) start(db *DB) {
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	l.d.close = func() error { l.stop(); return nil }
	go l.run(ctx, db)
}

func (l *listener) stop() {
	if l.cancel == nil { // never started: only the first connection to close
		_ = l.conn.Close(context.Background())
		return
	}
	l.cancel()
	<-l.done
}

// run waits for notifications and, when the connection drops, connects again. What was
// sent while no connection listened is lost, so every topic is woken after a reconnection:
// a listener that wakes for nothing reads and finds nothing new.
func (l *listener) run(ctx context.Context, db *DB) {
	defer close(l.done)
	c := l.conn
	backoff := 100 * time.Millisecond
	for {
		for c != nil {
			n, err := c.WaitForNotification(ctx)
			if err != nil {
				_ = c.Close(context.Background())
				c = nil
				break
			}
			self, topic, _ := strings.Cut(n.Payload, " ")
			if self != l.d.self {
				db.notes.publish(topic)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		var err error
		if c, err = l.connect(ctx); err != nil {
			backoff = min(2*backoff, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		db.notes.publishAll()
	}
}
