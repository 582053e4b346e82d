package actionlog

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// spareFiles are empty files made ahead in the sink's directory: a new log is a hard link
// to one, which fails rather than replaces when the log exists (another replica on a
// shared directory may have made it), so no file is allocated on a job's path. On some
// file systems (ext4 without a journal skips every recently freed inode when it allocates
// one) allocating one is far from free.
type spareFiles struct {
	mu     sync.Mutex
	ready  []string
	making bool
	swept  bool
	bg     sync.WaitGroup
}

// spareFilePrefix names spares; log ids never start with a dot.
const spareFilePrefix = ".spare-"

// maxSpareFiles is enough for a few jobs starting at once.
const maxSpareFiles = 4

// place makes name from a spare when one is ready and name does not exist yet, and starts
// making more in dir. A failure leaves name to be created as before.
func (s *spareFiles) place(dir, name string) {
	defer s.refill(dir)
	s.mu.Lock()
	if len(s.ready) == 0 {
		s.mu.Unlock()
		return
	}
	spare := s.ready[len(s.ready)-1]
	s.ready = s.ready[:len(s.ready)-1]
	s.mu.Unlock()
	err := os.Link(spare, name)
	if errors.Is(err, fs.ErrExist) { // the log is there: the spare serves another
		s.mu.Lock()
		s.ready = append(s.ready, spare)
		s.mu.Unlock()
		return
	}
	_ = os.Remove(spare) // gone already (swept by another process): name is created instead
}

// refill makes spares in the background until enough are ready, one maker at a time;
// the first time it deletes those an earlier process left.
func (s *spareFiles) refill(dir string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.making || len(s.ready) >= maxSpareFiles {
		return
	}
	s.making = true
	sweep := !s.swept
	s.swept = true
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		if sweep {
			sweepSpareFiles(dir)
		}
		for {
			name, err := makeSpareFile(dir)
			s.mu.Lock()
			if err == nil {
				s.ready = append(s.ready, name)
			}
			if err != nil || len(s.ready) >= maxSpareFiles {
				s.making = false
				s.mu.Unlock()
				return
			}
			s.mu.Unlock()
		}
	}()
}

func makeSpareFile(dir string) (string, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := filepath.Join(dir, spareFilePrefix+hex.EncodeToString(b[:]))
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
