package s3deploy

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// dirTarget writes objects as files under a directory on the worker, for BucketName
// file:///abs/dir: a deploy for single-machine installations, with no S3 server at all.
type dirTarget struct {
	dir string
}

// isDirURL reports whether BucketName names a directory: bucket names cannot hold ':'.
func isDirURL(bucket string) bool {
	return strings.HasPrefix(strings.ToLower(bucket), "file:")
}

// newDirTarget checks the URL and ObjectKey; a message means a ConfigurationError.
func newDirTarget(s *settings) (*dirTarget, string) {
	u, err := url.Parse(s.bucket)
	if err != nil || (u.Host != "" && u.Host != "localhost") || u.Opaque != "" || u.RawQuery != "" ||
		u.Fragment != "" || !filepath.IsAbs(u.Path) {
		return nil, fmt.Sprintf("BucketName %q: a directory is named file:///absolute/path", s.bucket)
	}
	key := s.objectKey
	if strings.HasPrefix(key, "/") || slices.Contains(strings.Split(key, "/"), "..") {
		return nil, fmt.Sprintf("ObjectKey %q would leave the directory %s: want a relative path without '..'",
			key, filepath.Clean(u.Path))
	}
	return &dirTarget{dir: filepath.Clean(u.Path)}, ""
}

// put writes the file under a temporary name and renames it into place, so a reader sees
// the old file or the new one, never half of one. Files are not synced: a crash mid-deploy
// fails the action, and running it again rewrites every file.
func (t *dirTarget) put(_ context.Context, o object) error {
	if err := t.write(o); err != nil {
		return &putError{location: t.location(o.key), err: err}
	}
	return nil
}

func (t *dirTarget) write(o object) (err error) {
	if err := os.MkdirAll(t.dir, 0o755); err != nil {
		return err
	}
	// Every path goes through an os.Root, so a symlink in the directory cannot send a
	// file outside it either.
	root, err := os.OpenRoot(t.dir)
	if err != nil {
		return err
	}
	defer root.Close()
	name := filepath.FromSlash(o.key)
	if err := root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".sluice-"+rand.Text())
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = root.Remove(tmp)
		}
	}()
	_, err = io.Copy(f, o.body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return root.Rename(tmp, name)
}

func (t *dirTarget) location(key string) string {
	return "file://" + path.Join(filepath.ToSlash(t.dir), key)
}
