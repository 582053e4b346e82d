package preauth

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// What ends a ReadBody early: a body longer than its cap, or one the sender did not send
// whole (a read error wraps ErrUnreadable).
var (
	ErrTooLarge   = errors.New("the body is larger than the limit")
	ErrUnreadable = errors.New("the body could not be read")
)

// InMemory is how much of a spooled body stays in memory; the rest waits in a file.
const InMemory = 64 << 10

// Body is a request body read before its sender was verified: its first InMemory bytes in
// memory, the rest in an unlinked temporary file, so a refused sender has cost at most
// InMemory bytes of memory whatever it sent. Close it.
type Body struct {
	head []byte
	file *os.File
	size int64
}

// ReadBody reads r to its end, at most max bytes (ErrTooLarge past them, having read max+1),
// copying every byte through sink (the hashes the body is checked with), and spools what
// does not fit in memory to a file in dir ("" : os.TempDir()).
func ReadBody(r io.Reader, max int64, dir string, sink io.Writer) (*Body, error) {
	b := &Body{}
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf[:min(int64(len(buf)), max+1-b.size)]) // never past max+1
		if n > 0 {
			if b.size+int64(n) > max {
				b.Close()
				return nil, ErrTooLarge
			}
			_, _ = sink.Write(buf[:n]) // hashes never fail
			if werr := b.write(buf[:n], dir); werr != nil {
				b.Close()
				return nil, werr
			}
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
		}
	}
}

func (b *Body) write(p []byte, dir string) error {
	b.size += int64(len(p))
	if room := InMemory - len(b.head); room > 0 {
		k := min(room, len(p))
		b.head, p = append(b.head, p[:k]...), p[k:]
	}
	if len(p) == 0 {
		return nil
	}
	if b.file == nil {
		f, err := os.CreateTemp(dir, "sluice-body-*")
		if err != nil {
			return fmt.Errorf("spool a request body: %w", err)
		}
		_ = os.Remove(f.Name()) // unlinked: gone with the last descriptor, even after a crash
		b.file = f
	}
	_, err := b.file.Write(p)
	return err
}

// Size is the body's length.
func (b *Body) Size() int64 { return b.size }

// Bytes returns the whole body in memory: call it once the sender is verified.
func (b *Body) Bytes() ([]byte, error) {
	if b.file == nil {
		return b.head, nil
	}
	out := make([]byte, b.size)
	copy(out, b.head)
	if _, err := b.file.ReadAt(out[len(b.head):], 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("read a spooled request body: %w", err)
	}
	return out, nil
}

// Close frees the body's file. A nil *Body may be closed.
func (b *Body) Close() {
	if b != nil && b.file != nil {
		_ = b.file.Close()
		b.file = nil
	}
}
