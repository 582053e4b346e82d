package runner

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"sluice"
)

// LogSink stores the logs of action runs. Open is called once per job, from the job's
// goroutine; the writer it returns is used by one goroutine at a time and closed when the
// job ends. Open returns *sluice.Error EInvalid for an id it cannot store.
type LogSink interface {
	// Open returns a writer that appends to the log of id (an action run id: continuation
	// jobs of one action run share its log).
	Open(ctx context.Context, id string) (io.WriteCloser, error)
}

// DefaultLogBytes is the size a FileSink log is capped at when none is given.
const DefaultLogBytes = 4 << 20

// FileSink keeps each log in a file <dir>/<id>.log, capped at a size: when a log grows past
// it, the oldest part is dropped and a marker line "[... N bytes dropped ...]" heads the
// file, so a runaway build cannot fill the disk while the end of its log, where the error
// is, survives.
type FileSink struct {
	dir string
	max int64
}

var _ LogSink = (*FileSink)(nil)

// NewFileSink returns a FileSink on dir, creating it; maxBytes <= 0 means DefaultLogBytes.
func NewFileSink(dir string, maxBytes int64) (*FileSink, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultLogBytes
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &FileSink{dir: dir, max: maxBytes}, nil
}

// Open appends to id's log file, creating it.
func (s *FileSink) Open(ctx context.Context, id string) (io.WriteCloser, error) {
	name, err := s.Path(id)
	if err != nil {
		return nil, err
	}
	return openCapped(name, s.max)
}

// Path returns the file holding id's log, for readers such as the console.
func (s *FileSink) Path(id string) (string, error) {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/\\\x00") {
		return "", sluice.Errorf(sluice.EInvalid, "", "invalid log id %q", id)
	}
	return filepath.Join(s.dir, id+".log"), nil
}
