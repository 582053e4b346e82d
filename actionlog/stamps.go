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
type stampFile struct {
	f    *os.File
	last int64 // unix second of the last stamp
}

func openStamps(name string) *stampFile {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil
	}
	t := &stampFile{f: f}
	if fi, err := f.Stat(); err == nil && fi.Size() >= stampSize {
		if s, ok := readStamp(f, fi.Size()/stampSize-1); ok {
			t.last = s.At.Unix()
		}
	}
	return t
}

// mark stamps a write starting at offset at now, unless the last stamp is of that second.
func (t *stampFile) mark(offset int64, now time.Time) {
	if t == nil || now.Unix() == t.last {
		return
	}
	var b [stampSize]byte
	binary.BigEndian.PutUint64(b[:8], uint64(offset))
	binary.BigEndian.PutUint64(b[8:], uint64(now.UnixMilli()))
	if _, err := t.f.Write(b[:]); err == nil {
		t.last = now.Unix()
	}
}

func (t *stampFile) close() {
	if t != nil {
		_ = t.f.Close()
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
	f, err := os.Open(timesName(name))
	if errors.Is(err, fs.ErrNotExist) {
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

// timesName is the stamps file beside a log file.
func timesName(logName string) string { return logName[:len(logName)-len(".log")] + ".times" }
