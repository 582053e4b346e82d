package s3deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path"
	"strings"
	"sync"

	"sluice/artifact/zipfile"
)

// uploadConcurrency is how many files are uploaded at once: deploying a site of many small
// files is bound by round trips, not bandwidth.
const uploadConcurrency = 4

// deploy copies the input artifact's directory to a target.
type deploy struct {
	target target
	dir    string
	log    *syncWriter
}

// run uploads the files, or the zip, and returns the summary.
func (d *deploy) run(ctx context.Context, s *settings) (string, error) {
	if s.extract {
		return d.files(ctx, s.objectKey)
	}
	return d.zip(ctx, s.objectKey)
}

// files uploads every file of the artifact as an object under prefix, and returns the
// summary. The first failure stops the uploads still to start.
func (d *deploy) files(ctx context.Context, prefix string) (string, error) {
	root, err := os.OpenRoot(d.dir)
	if err != nil {
		return "", err
	}
	defer root.Close()
	files, err := d.list(root)
	if err != nil {
		return "", err
	}
	prefix = strings.Trim(prefix, "/")
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan string)
	var wg sync.WaitGroup
	for range min(uploadConcurrency, len(files)) {
		wg.Go(func() {
			for rel := range work {
				if err := d.file(ctx, root, rel, path.Join(prefix, rel)); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for _, rel := range files {
		select {
		case work <- rel:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return "", err
	}
	noun := "files"
	if len(files) == 1 {
		noun = "file"
	}
	return fmt.Sprintf("Deployed %d %s to %s", len(files), noun, d.target.location(prefix)), nil
}

// list returns the slash paths of the artifact's files. A symlink counts as the file it
// points to when that is a regular file inside the artifact; other symlinks, and sockets,
// pipes and devices, are skipped with a log line.
func (d *deploy) list(root *os.Root) ([]string, error) {
	var files []string
	err := fs.WalkDir(root.FS(), ".", func(rel string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case e.IsDir():
			return nil
		case e.Type().IsRegular():
			files = append(files, rel)
		case e.Type()&fs.ModeSymlink != 0:
			// root.Stat follows the link, and refuses one that leaves the artifact.
			if st, err := root.Stat(rel); err == nil && st.Mode().IsRegular() {
				files = append(files, rel)
			} else {
				d.log.printf("skip %s: a symlink to a directory, to nothing, or outside the artifact\n", rel)
			}
		default:
			d.log.printf("skip %s: not a regular file\n", rel)
		}
		return nil
	})
	return files, err
}

// file uploads one file, its Content-Type taken from its extension.
func (d *deploy) file(ctx context.Context, root *os.Root, rel, key string) error {
	f, err := root.Open(rel)
	if err != nil {
		return err
	}
	defer f.Close()
	body := &countingReader{r: &ctxReader{ctx: ctx, r: f}}
	err = d.target.put(ctx, object{key: key, body: body, contentType: mime.TypeByExtension(path.Ext(rel))})
	if err != nil {
		return err
	}
	d.log.printf("upload %s (%d bytes)\n", d.target.location(key), body.n)
	return nil
}

// errUploadEnded tells the zip writer that nobody reads its output any more.
var errUploadEnded = errors.New("upload ended")

// zip uploads the artifact as one zip object at key, streamed as it is written.
func (d *deploy) zip(ctx context.Context, key string) (string, error) {
	pr, pw := io.Pipe()
	var zipErr error
	written := make(chan struct{})
	go func() {
		defer close(written)
		_, zipErr = zipfile.WriteDir(pw, d.dir, nil)
		pw.CloseWithError(zipErr) // nil: the reader sees the end of the zip
	}()
	body := &countingReader{r: &ctxReader{ctx: ctx, r: pr}}
	err := d.target.put(ctx, object{key: key, body: body, contentType: "application/zip"})
	pr.CloseWithError(errUploadEnded) // a failed upload may stop reading midway
	<-written
	switch {
	case zipErr != nil && !errors.Is(zipErr, errUploadEnded):
		return "", zipErr // reading the artifact failed: not the target's fault
	case err != nil:
		return "", err
	}
	d.log.printf("upload %s (%d bytes)\n", d.target.location(key), body.n)
	return fmt.Sprintf("Deployed the artifact as a zip to %s (%d bytes)", d.target.location(key), body.n), nil
}

// countingReader counts the bytes read.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// ctxReader stops reading when ctx ends, so a stopped deploy does not finish a big file.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
