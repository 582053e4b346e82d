package diskstore

import (
	"context"
	"io"
	"os"
	"sync"
	"syscall"
)

// errNotDir is what opening "a/b" returns when "a" is an artifact: the key is simply absent.
var errNotDir = syscall.ENOTDIR

// copyBufs saves a 32 KB allocation per Put: *os.File's ReadFrom would make one whenever r
// is not itself a file.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// writeSynced copies r into f and syncs it; f is closed in every case.
func writeSynced(f *os.File, r io.Reader) (int64, error) {
	buf := copyBufs.Get().(*[]byte)
	n, err := io.CopyBuffer(writerOnly{f}, r, *buf)
	copyBufs.Put(buf)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// syncDir makes a rename in dir durable: without it a crash may forget the new name.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// ctxReader stops a long upload once its context is done, between reads.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

type writerOnly struct{ io.Writer }
