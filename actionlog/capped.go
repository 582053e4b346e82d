package actionlog

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// cappedFile appends to a log file and keeps its content to the last max bytes plus a
// marker line. It compacts when the file passes twice the cap, so dropping the oldest half
// costs one copy per max bytes written, and once more at close to end at the cap. Compaction
// writes a new file and renames it over the old one, so a reader never sees a torn file.
type cappedFile struct {
	name      string
	f         *os.File
	max       int64
	size      int64 // bytes in the file, marker included
	markerLen int64 // length of the marker line heading the file, 0 when none
	dropped   int64
	err       error // the first write error, reported by Close
}

func openCapped(name string, max int64) (*cappedFile, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	c := &cappedFile{name: name, f: f, max: max, size: fi.Size()}
	c.readMarker()
	return c, nil
}

const markerFormat = "[... %d bytes dropped ...]\n"

// readMarker picks up the count of an earlier job's marker, so a continuation job's log
// keeps counting from it.
func (c *cappedFile) readMarker() {
	c.dropped, c.markerLen = readMarker(c.f)
}

// readMarker returns the count of bytes dropped that the marker heading f names and the
// marker's length, or zeros when f starts without one.
func readMarker(f io.ReaderAt) (dropped, markerLen int64) {
	head := make([]byte, 64)
	n, _ := f.ReadAt(head, 0)
	line, _, ok := bytes.Cut(head[:n], []byte("\n"))
	if !ok || !bytes.HasPrefix(line, []byte("[... ")) {
		return 0, 0
	}
	if _, err := fmt.Sscanf(string(line)+"\n", markerFormat, &dropped); err != nil {
		return 0, 0
	}
	return dropped, int64(len(line)) + 1
}

// offset is where the next byte written goes, counted as ReadLog counts.
func (c *cappedFile) offset() int64 { return c.dropped + c.size - c.markerLen }

// Write never fails: a full disk must not fail the build whose output it logs. The first
// error stops logging and is returned by Close.
func (c *cappedFile) Write(p []byte) (int, error) {
	if c.err != nil {
		return len(p), nil
	}
	n, err := c.f.Write(p)
	c.size += int64(n)
	if err == nil && c.size-c.markerLen > 2*c.max {
		err = c.compact()
	}
	c.err = err
	return len(p), nil
}

// close closes the file, first compacting it to the cap when compact and it is longer.
func (c *cappedFile) close(compact bool) error {
	if compact && c.err == nil && c.size-c.markerLen > c.max {
		c.err = c.compact()
	}
	if err := c.f.Close(); c.err == nil {
		c.err = err
	}
	return c.err
}

// compact keeps the last max bytes, starting at a line when one begins near the cut.
func (c *cappedFile) compact() error {
	start := c.lineStart(c.size - c.max)
	dropped := c.dropped + start - c.markerLen
	tmp, err := os.CreateTemp(filepath.Dir(c.name), filepath.Base(c.name)+".*")
	if err != nil {
		return err
	}
	marker := fmt.Sprintf(markerFormat, dropped)
	_, err = io.WriteString(tmp, marker)
	if err == nil {
		_, err = io.Copy(tmp, io.NewSectionReader(c.f, start, c.size-start))
	}
	if err == nil {
		err = os.Rename(tmp.Name(), c.name)
	}
	if err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	_ = c.f.Close()
	c.f, c.size = tmp, int64(len(marker))+c.size-start
	c.markerLen, c.dropped = int64(len(marker)), dropped
	return nil
}

// lineStart moves a cut forward past the next line break within a short window, so the
// kept log starts with a whole line; a cut inside a very long line stays where it is.
// The window starts one byte early so a cut that already starts a line stays put.
func (c *cappedFile) lineStart(cut int64) int64 {
	window := make([]byte, 1024)
	n, _ := c.f.ReadAt(window, cut-1) // cut > markerLen >= 0
	if i := bytes.IndexByte(window[:n], '\n'); i >= 0 && cut+int64(i) < c.size {
		return cut + int64(i)
	}
	return cut
}
