package actionlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MinReadLog is the smallest buffer ReadLog takes: room for a marker line.
const MinReadLog = 64

// ReadLog reads id's log from offset into p and returns the bytes it put there and the
// offset to read next; no bytes and next == offset means nothing is there yet (a log
// that has not started is empty).
//
// Offsets count the bytes of the log as written, those the cap dropped included. The
// marker heading a compacted file names how many were dropped, so the counter is kept
// with the file itself and survives restarts and continuation jobs, and an offset a
// reader got earlier still means the same byte after any number of compactions. When
// the cap dropped bytes at offset, p starts with a marker line "[... N bytes dropped
// ...]\n" that stands for the N bytes skipped; a reader that counts what it received,
// markers as the bytes they name, has the offset to resume at.
//
// Each call opens the file afresh: a compaction renames a new file over the old one, and
// an open file is always one whole version, its marker agreeing with its content. p must
// hold at least MinReadLog bytes.
func (s *FileSink) ReadLog(ctx context.Context, id string, offset int64, p []byte) (n int, next int64, err error) {
	name, err := s.Path(id)
	if err != nil {
		return 0, offset, err
	}
	if len(p) < MinReadLog {
		return 0, offset, fmt.Errorf("ReadLog: buffer of %d bytes is under %d", len(p), MinReadLog)
	}
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, offset, nil
	}
	if err != nil {
		return 0, offset, err
	}
	defer f.Close()
	dropped, markerLen := readMarker(f)
	if offset < dropped {
		n = copy(p, fmt.Sprintf(markerFormat, dropped-offset))
		offset = dropped
	}
	k, err := f.ReadAt(p[n:], markerLen+offset-dropped)
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return n + k, offset + int64(k), err
}
