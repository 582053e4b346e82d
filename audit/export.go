package audit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"sluice"
)

// Exporter appends every audit event that commits to a file as JSON lines (CloudTrail's
// record, one per line), the way an outbox consumer follows the outbox: its cursor (the
// Seq of the last event written) is kept durably in Path+".cursor", written after the lines
// are synced, so a crash repeats lines and never loses one. A record a call completes
// after its transaction wrote it comes again, completed: readers keep the last line of an
// eventID.
type Exporter struct {
	Path  string
	Store interface {
		sluice.AuditLog
		sluice.Notifier
	}
	Log *slog.Logger
	// Interval is how often the exporter looks without a notification (default a minute).
	Interval time.Duration
}

// Run exports until ctx ends; failures are logged and retried at the next wake-up.
func (x *Exporter) Run(ctx context.Context) {
	wake, err := x.Store.Listen(ctx, sluice.TopicAudit)
	if err != nil {
		x.Log.Error("audit export: listen", "err", err)
		return
	}
	every := x.Interval
	if every <= 0 {
		every = time.Minute
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if err := x.Drain(ctx); err != nil && ctx.Err() == nil {
			x.Log.Error("audit export", "path", x.Path, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-tick.C:
		}
	}
}

// Drain writes every event committed after the cursor, then moves the cursor.
func (x *Exporter) Drain(ctx context.Context) error {
	seq, err := x.cursor()
	if err != nil {
		return err
	}
	for {
		evs, err := x.Store.AuditEventsAfter(ctx, seq, 500)
		if err != nil || len(evs) == 0 {
			return err
		}
		if err := x.append(evs); err != nil {
			return err
		}
		seq = evs[len(evs)-1].Seq
		if err := x.setCursor(seq); err != nil {
			return err
		}
	}
}

func (x *Exporter) append(evs []*sluice.AuditExport) error {
	f, err := os.OpenFile(x.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, e := range evs {
		b.Write(Marshal(e.Event))
		b.WriteByte('\n')
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cursor is the Seq of the last event exported, 0 before the first.
func (x *Exporter) cursor() (int64, error) {
	b, err := os.ReadFile(x.Path + ".cursor")
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("audit export: cursor file %s.cursor: %w", x.Path, err)
	}
	return n, nil
}

// setCursor replaces the cursor file whole (a new file renamed over the old).
func (x *Exporter) setCursor(seq int64) error {
	tmp := x.Path + ".cursor.tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(strconv.FormatInt(seq, 10) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, x.Path+".cursor")
}
