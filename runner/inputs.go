package runner

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"sluice"
	"sluice/artifact/zipfile"
)

// localFile is what a disk-backed store's Open returns: a zip can be read in place.
type localFile interface {
	io.ReaderAt
	Stat() (fs.FileInfo, error)
}

// fetch unpacks input artifact in into dir. An artifact in a local file is read in place;
// any other is first spooled to a file in the workspace, since a zip is read from its end.
func (w *workspace) fetch(ctx context.Context, store sluice.ArtifactStore, in sluice.ArtifactRef, dir string) error {
	rc, err := store.Open(ctx, in.Key)
	if sluice.IsCode(err, sluice.ENotFound) {
		return failf(sluice.FailureJobFailed, "input artifact %s was not found in the artifact store", in.Name)
	}
	if err != nil {
		return failf(sluice.FailureSystemUnavailable, "cannot read input artifact %s: %v", in.Name, err)
	}
	defer rc.Close()
	if f, ok := rc.(localFile); ok {
		fi, err := f.Stat()
		if err != nil {
			return failf(sluice.FailureSystemUnavailable, "cannot read input artifact %s: %v", in.Name, err)
		}
		return extractFailure(in.Name, zipfile.Extract(f, fi.Size(), dir))
	}
	spool := filepath.Join(w.dir, "download.zip") // inputs are fetched one at a time
	if err := spoolTo(spool, rc); err != nil {
		return failf(sluice.FailureSystemUnavailable, "cannot download input artifact %s: %v", in.Name, err)
	}
	defer os.Remove(spool)
	return extractFailure(in.Name, zipfile.ExtractFile(spool, dir))
}

func spoolTo(name string, r io.Reader) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// extractFailure blames the artifact: a source that is not a zip, or a zip that tries to
// escape, is the pipeline's problem, not the worker's.
func extractFailure(name string, err error) error {
	if err == nil {
		return nil
	}
	return failf(sluice.FailureJobFailed, "cannot unpack input artifact %s: %v", name, err)
}
