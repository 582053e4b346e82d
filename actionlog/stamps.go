package actionlog

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"sort"
	"time"
)

// Stamp says when a log's bytes were written: those from Offset up to the next stamp's
// offset were written within the second of At. Offsets count bytes as ReadLog's do.
type Stamp struct {
	Offset int64
	At     time.Time
}

// stampSize is one stamp in a stamps file: the offset and the time in unix milliseconds,
// both big-endian int64.
const stampSize = 16

// maxStamps bounds what one LogTimes call returns.
const maxStamps = 4096

// stampFile is a log's sidecar <id>.times, which gives its lines their times: a stamp is
// added when a write starts in a later second than the last stamp's, so the file grows
// with the run's duration (16 bytes a second at most), never with its output, and needs
// no cap. The log's content, and so the API's plain-text log, is unchanged. Stamps are a
// convenience: a failure to write one is ignored, as it must not fail the build.
//
// A log written within one second (most actions' logs) has one stamp, and no sidecar: the
// stamp is kept as the log file's modification time, set when the last writer closes it,
// so a short action costs one new file, not two. The sidecar is made when a write comes
// in a later second.
type stampFile struct {
	name  string
	f     *os.File // nil until the log's writes span two seconds
	first Stamp    // the log's first stamp while f is nil (zero At: nothing written yet)
	last  int64    // unix second of the last stamp
}

// openStamps opens the stamps of the log open in logFile, named name.
func openStamps(name string, logFile *os.File) *stampFile {
	t := &stampFile{name: name}
	f, err := os.OpenFile(name, os.O_RDWR|os.O_APPEND, 0)
	switch {
	case err == nil:
		t.f = f
		if fi, err := f.Stat(); err == nil && fi.Size() >= stampSize {
			if s, ok := readStamp(f, fi.Size()/stampSize-1); ok {
				t.last = s.At.Unix()
			}
		}
	case errors.Is(err, fs.ErrNotExist):
		if st, ok := oneStamp(logFile); ok { // written before, within one second
			t.first, t.last = st, st.At.Unix()
		}
	default:
		return nil
	}
	return t
}

// oneStamp is the stamp of a log without a sidecar: its modification time.
func oneStamp(logFile *os.File) (Stamp, bool) {
	fi, err := logFile.Stat()
	if err != nil || fi.Size() == 0 {
		return Stamp{}, false
	}
	return Stamp{At: fi.ModTime()}, true
}

// mark stamps a write starting at offset at now, unless the last stamp is of that second.
func (t *stampFile) mark(offset int64, now time.Time) {
	if t == nil || now.Unix() == t.last {
		return
	}
	if t.f == nil && t.first.At.IsZero() {
		t.first, t.last = Stamp{Offset: offset, At: now}, now.Unix()
		return
	}
	if t.f == nil {
		f, err := os.OpenFile(t.name, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil || t.write(f, t.first) != nil {
			if f != nil {
				_ = f.Close()
			}
			return
		}
		t.f = f
	}
	if t.write(t.f, Stamp{Offset: offset, At: now}) == nil {
		t.last = now.Unix()
	}
}

func (t *stampFile) write(f *os.File, st Stamp) error {
	var b [stampSize]byte
	binary.BigEndian.PutUint64(b[:8], uint64(st.Offset))
	binary.BigEndian.PutUint64(b[8:], uint64(st.At.UnixMilli()))
	_, err := f.Write(b[:])
	return err
}

// close closes the sidecar, or, for a log without one, keeps its one stamp as the log
// file's modification time.
func (t *stampFile) close(logName string) {
	switch {
	case t == nil:
	case t.f != nil:
		_ = t.f.Close()
	case !t.first.At.IsZero():
		at := time.UnixMilli(t.first.At.UnixMilli()) // a sidecar's precision
		_ = os.Chtimes(logName, at, at)
	}
}

func readStamp(f *os.File, i int64) (Stamp, bool) {
	var b [stampSize]byte
	if _, err := f.ReadAt(b[:], i*stampSize); err != nil {
		return Stamp{}, false
	}
	return Stamp{Offset: int64(binary.BigEndian.Uint64(b[:8])), At: time.UnixMilli(int64(binary.BigEndian.Uint64(b[8:])))}, true
}

// LogTimes returns the stamps of id's log from the one that covers offset from on (at most
// a few thousand: enough for any one read of the log), oldest first; none for a log
// without stamps (written before stamps were kept, or not yet).
func (s *FileSink) LogTimes(id string, from int64) ([]Stamp, error) {
	name, err := s.Path(id)
	if err != nil {
		return nil, err
	}
	if st, ok := s.liveStamp(id); ok {
		return []Stamp{st}, nil
	}
	f, err := os.Open(timesName(name))
	if errors.Is(err, fs.ErrNotExist) { // none, or one: see stampFile
		logFile, err := os.Open(name)
		if err != nil {
			return nil, nil
		}
		defer logFile.Close()
		if st, ok := oneStamp(logFile); ok {
			return []Stamp{st}, nil
		}
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	n := fi.Size() / stampSize
	// The first stamp past from, less one: the stamp that covers from.
	first := int64(sort.Search(int(n), func(i int) bool {
		st, ok := readStamp(f, int64(i))
		return !ok || st.Offset > from
	})) - 1
	first = max(first, 0)
	var out []Stamp
	for i := first; i < n && len(out) < maxStamps; i++ {
		st, ok := readStamp(f, i)
		if !ok {
			break
		}
		out = append(out, st)
	}
	return out, nil
}

// liveStamp is the one stamp of id's log while this process writes it within one second:
// until its last writer closes it, the file's modification time is the file system's
// time of its last write, not the stamp.
func (s *FileSink) liveStamp(id string) (Stamp, bool) {
	s.mu.Lock()
	l := s.open[id]
	s.mu.Unlock()
	if l == nil {
		return Stamp{}, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.stamps
	if t == nil || t.f != nil || t.first.At.IsZero() {
		return Stamp{}, false
	}
	return Stamp{Offset: t.first.Offset, At: time.UnixMilli(t.first.At.UnixMilli())}, true // a sidecar's precision
}

// timesName is the stamps file beside a log file.
func timesName(logName string) string { return logName[:len(logName)-len(".log")] + ".times" }
