package zipfile

import (
	"bufio"
	"compress/flate"
	"io"
	"sync"
)

// Zipping and unzipping run once per job on a worker's hot path; pooling keeps their
// buffers and compressors from being allocated again for every file and every job.

const copyBufSize = 32 << 10

var copyBufs = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// bufWriters are the zip writers' output buffers: larger than zip's own 4 KB, so a pipe
// to an artifact store hands over fewer, bigger chunks.
var bufWriters = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, copyBufSize) }}

// flateWriters compress at BestSpeed: artifacts are built and read once, so time matters
// more than the last percent of size, and a BestSpeed writer resets without clearing the
// large hash tables of the default level, which made small files expensive.
var flateWriters sync.Pool

func newFlateWriter(w io.Writer) (io.WriteCloser, error) {
	fw, _ := flateWriters.Get().(*flate.Writer)
	if fw == nil {
		var err error
		if fw, err = flate.NewWriter(w, flate.BestSpeed); err != nil {
			return nil, err
		}
	} else {
		fw.Reset(w)
	}
	return &pooledFlate{fw: fw}, nil
}

type pooledFlate struct{ fw *flate.Writer }

func (p *pooledFlate) Write(b []byte) (int, error) { return p.fw.Write(b) }

func (p *pooledFlate) Close() error {
	err := p.fw.Close()
	flateWriters.Put(p.fw)
	return err
}

// readerOnly and writerOnly hide ReadFrom/WriteTo so io.CopyBuffer uses the pooled buffer
// rather than one that *os.File's fallback would allocate.
type readerOnly struct{ io.Reader }

type writerOnly struct{ io.Writer }
