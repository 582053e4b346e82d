package actionlog

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"sluice"
	"sluice/spare"
)

// DefaultLogBytes is the size a FileSink log is capped at when none is given.
const DefaultLogBytes = 4 << 20

// FileSink keeps each log in a file <dir>/<id>.log, capped at a size: when a log grows past
// it, the oldest part is dropped and a marker line "[... N bytes dropped ...]" heads the
// file, so a runaway build cannot fill the disk while the end of its log, where the error
// is, survives.
//
// Within a process every writer of one log shares one open file (the runner's, and appends
// a remote worker sends through the server), so their bytes never tear each other and a
// compaction never strands a writer on the replaced file. Readers (ReadLog) follow a log
// with Changed. A FileSink is safe for concurrent use.
type FileSink struct {
	// Now tells the time of writes for the log's stamps (see LogTimes; nil: time.Now).
	Now func() time.Time
	// MakeAhead makes empty files in the background (Wait waits for them) that new logs
	// take by a link, off the path of the job that opens them.
	MakeAhead bool

	dir string
	max int64

	mu     sync.Mutex // guards open, and is held while the last writer of a log closes it
	open   map[string]*sharedLog
	spares spareFiles
	watchers
}

// sharedLog is one log file and the writers holding it.
type sharedLog struct {
	mu     sync.Mutex // serialises writes
	file   *cappedFile
	stamps *stampFile // nil when its file could not be opened
	refs   int        // guarded by FileSink.mu
}

// write appends p to the log, stamped with when it was written.
func (l *sharedLog) write(p []byte, now time.Time) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stamps.mark(l.file.offset(), now)
	return l.file.Write(p)
}

func (s *FileSink) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// NewFileSink returns a FileSink on dir, creating it; maxBytes <= 0 means DefaultLogBytes.
func NewFileSink(dir string, maxBytes int64) (*FileSink, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultLogBytes
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &FileSink{dir: dir, max: maxBytes, open: map[string]*sharedLog{},
		spares: spareFiles{pool: spare.Pool{Max: maxSpareFiles}}}, nil
}

// Open appends to the log file of ref.ActionRunID, creating it.
func (s *FileSink) Open(ctx context.Context, ref sluice.ActionRef) (io.WriteCloser, error) {
	l, err := s.acquire(ref.ActionRunID)
	if err != nil {
		return nil, err
	}
	return &logWriter{sink: s, id: ref.ActionRunID, log: l}, nil
}

// Append adds p to id's log, as a remote worker's runner wrote it. A log only appended to
// is compacted when it passes twice the cap, never down to the cap itself, so a log kept
// by appends alone ends between one and two caps long.
func (s *FileSink) Append(ctx context.Context, id string, p []byte) error {
	l, err := s.acquire(id)
	if err != nil {
		return err
	}
	_, _ = l.write(p, s.now())
	s.Notify(id)
	return s.release(id, l, false)
}

// Wait waits for the files being made ahead.
func (s *FileSink) Wait() { s.spares.bg.Wait() }

// Path returns the file holding id's log, for readers such as the console.
func (s *FileSink) Path(id string) (string, error) {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/\\\x00") {
		return "", sluice.Errorf(sluice.EInvalid, "", "invalid log id %q", id)
	}
	return filepath.Join(s.dir, id+".log"), nil
}

// acquire returns id's shared log, opening its file for the first writer.
func (s *FileSink) acquire(id string) (*sharedLog, error) {
	name, err := s.Path(id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.open[id]
	if l == nil {
		if s.MakeAhead {
			s.spares.place(s.dir, name)
		}
		f, err := openCapped(name, s.max)
		if err != nil {
			return nil, err
		}
		l = &sharedLog{file: f, stamps: openStamps(timesName(name), f.f)}
		s.open[id] = l
	}
	l.refs++
	return l, nil
}

// release drops a writer; the last one closes the file, compacting it to the cap when
// compact. It closes under s.mu so that no new writer opens the file while a compaction
// replaces it.
func (s *FileSink) release(id string, l *sharedLog, compact bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l.refs--; l.refs > 0 {
		return nil
	}
	delete(s.open, id)
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.file.close(compact)
	l.stamps.close(l.file.name) // after the log's last write, which sets its modification time
	return err
}

// logWriter is one writer of a shared log.
type logWriter struct {
	sink   *FileSink
	id     string
	log    *sharedLog
	closed bool
}

// Write never fails, as cappedFile.Write does not.
func (w *logWriter) Write(p []byte) (int, error) {
	n, err := w.log.write(p, w.sink.now())
	w.sink.Notify(w.id)
	return n, err
}

// Close returns the first error of writing the file, from any of its writers.
func (w *logWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.sink.release(w.id, w.log, true)
	w.sink.Notify(w.id)
	return err
}
