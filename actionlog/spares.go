package actionlog

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"sluice/spare"
)

// spareFiles are empty files made ahead in the sink's directory: a new log is a hard link
// to one, which fails rather than replaces when the log exists (another replica on a
// shared directory may have made it), so no file is allocated on a job's path. On some
// file systems (ext4 without a journal skips every recently freed inode when it allocates
// one) allocating one is far from free.
type spareFiles struct {
	pool  spare.Pool
	sweep sync.Once // the spares an earlier process left
	bg    sync.WaitGroup
}

// spareFilePrefix names spares; log ids never start with a dot.
const spareFilePrefix = ".spare-"

// maxSpareFiles is enough for a few jobs starting at once.
const maxSpareFiles = 4

// place makes name from a spare when one is ready and name does not exist yet, and starts
// making more in dir. A failure leaves name to be created as before.
func (s *spareFiles) place(dir, name string) {
	defer s.pool.Refill(&s.bg, func() (string, error) {
		s.sweep.Do(func() { sweepSpareFiles(dir) })
		return makeSpareFile(dir)
	})
	spare := s.pool.Take()
	if spare == "" {
		return
	}
	err := os.Link(spare, name)
	if errors.Is(err, fs.ErrExist) && s.pool.Put(spare) { // the log is there: the spare serves another
		return
	}
	_ = os.Remove(spare) // gone already (swept by another process): name is created instead
}

func makeSpareFile(dir string) (string, error) {
	name := spare.Name(dir, spareFilePrefix)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	return name, f.Close()
}

func sweepSpareFiles(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), spareFilePrefix) {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
