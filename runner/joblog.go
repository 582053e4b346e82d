package runner

import (
	"io"
	"sync"

	"sluice/actionlog"
)

// jobLog is the writer a provider logs to (RunContext.Log). It is safe for concurrent use,
// since a provider may copy stdout and stderr from two goroutines, and it masks secrets
// before anything reaches the log file or the tail that failure summaries quote.
type jobLog struct {
	mu      sync.Mutex
	w       io.Writer // mask over sink, or sink when there are no secrets
	mask    *MaskWriter
	sink    teeSink
	secrets []string
}

func newJobLog(file io.WriteCloser, secrets []string) *jobLog {
	l := &jobLog{secrets: secrets}
	l.sink = teeSink{tail: actionlog.NewTail(tailSize, tailLines), file: file}
	l.w = &l.sink
	if len(secrets) > 0 {
		l.mask = NewMaskWriter(&l.sink, secrets...)
		l.w = l.mask
	}
	return l
}

func (l *jobLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// addSecrets masks values from now on (secrets the job resolved while it ran); bytes the
// masker held back are decided with the old set first, since none of them came from a
// value the job had not yet received.
func (l *jobLog) addSecrets(values ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.mask != nil {
		_ = l.mask.Flush()
	}
	l.secrets = append(l.secrets, values...)
	l.mask = NewMaskWriter(&l.sink, l.secrets...)
	l.w = l.mask
}

// note writes a line of the runner's own.
func (l *jobLog) note(msg string) {
	_, _ = l.Write([]byte(msg + "\n"))
}

// lastLines returns the end of the log. The provider has finished writing, so bytes the
// masker held back are final and are flushed first.
func (l *jobLog) lastLines() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.mask != nil {
		_ = l.mask.Flush()
	}
	return l.sink.tail.String()
}

// maskString masks secrets in text bound for a summary or a message.
func (l *jobLog) maskString(s string) string {
	if len(l.secrets) == 0 {
		return s
	}
	return Mask(s, l.secrets...)
}

// Close flushes and closes the file. Its error is dropped by the runner: a lost log line
// must not turn a job's result around.
func (l *jobLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.mask != nil {
		_ = l.mask.Flush()
	}
	if l.sink.file == nil {
		return nil
	}
	return l.sink.file.Close()
}

// teeSink feeds the tail and the log file.
type teeSink struct {
	tail *actionlog.Tail
	file io.WriteCloser
}

// Write drops the file's errors for the reason Close gives.
func (s *teeSink) Write(p []byte) (int, error) {
	_, _ = s.tail.Write(p)
	if s.file != nil {
		_, _ = s.file.Write(p)
	}
	return len(p), nil
}
