// Package diskstore keeps artifacts as files under one directory: the embedded default
// sluice.ArtifactStore. A key is a slash-separated relative path and names the file that
// holds the artifact.
package diskstore

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sluice"
)

// Store is a sluice.ArtifactStore on a directory. It is safe for concurrent use, also by
// several processes sharing the directory: every Put lands with an atomic rename.
type Store struct {
	root string
}

var _ sluice.ArtifactStore = (*Store)(nil)

// New returns a Store rooted at dir, creating the directory when it is missing.
func New(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return &Store{root: abs}, nil
}

// Put streams r into a temporary file beside the key's file, syncs it and renames it into
// place, so readers see the old content or all of the new one, never a part. Concurrent
// Puts of one key leave one of the versions whole.
func (s *Store) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	name, err := s.path(key)
	if err != nil {
		return 0, err
	}
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return 0, err
	}
	n, err := writeSynced(tmp, ctxReader{ctx: ctx, r: r})
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return 0, err
	}
	return n, syncDir(dir)
}

// Open returns the artifact's file; an *os.File, so callers may use it as an io.ReaderAt.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotDir) {
		return nil, notFound(key)
	}
	if err != nil {
		return nil, err
	}
	// A key that is a prefix of other keys names a directory, not an artifact.
	if fi, err := f.Stat(); err != nil || fi.IsDir() {
		_ = f.Close()
		if err != nil {
			return nil, err
		}
		return nil, notFound(key)
	}
	return f, nil
}

// Delete removes the artifact; deleting a missing key succeeds, as it does on S3.
func (s *Store) Delete(ctx context.Context, key string) error {
	name, err := s.path(key)
	if err != nil {
		return err
	}
	err = os.Remove(name)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotDir) {
		return nil
	}
	return err
}

// path maps a key to its file, refusing keys that could leave the root or alias another key.
func (s *Store) path(key string) (string, error) {
	if err := validateKey(key); err != nil {
		return "", err
	}
	return filepath.Join(s.root, filepath.FromSlash(key)), nil
}

// tempPrefix marks files that are being written; a key whose last element starts with it is
// refused so that a key never collides with an unfinished Put.
const tempPrefix = ".put-"

// validateKey accepts a clean relative slash path: no leading '/', no "." or ".." elements,
// no empty elements, no backslash or NUL. Refusing rather than cleaning keeps one file per
// key: "a/./b" would otherwise alias "a/b".
func validateKey(key string) error {
	switch {
	case key == "" || key == "." || !fs.ValidPath(key):
		return invalidKey(key)
	case strings.ContainsAny(key, "\\\x00"):
		return invalidKey(key)
	case strings.HasPrefix(key[strings.LastIndexByte(key, '/')+1:], tempPrefix):
		return invalidKey(key)
	}
	return nil
}

func invalidKey(key string) error {
	return sluice.Errorf(sluice.EInvalid, "Artifact",
		"invalid artifact key %q: want a relative path without '.' or '..' elements", key)
}

func notFound(key string) error {
	return sluice.Errorf(sluice.ENotFound, "Artifact", "artifact %q not found", key)
}
