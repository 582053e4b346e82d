package githost

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"sluice"
)

// Create makes an empty bare repository whose default branch is main and which accepts
// pushes over HTTP. It returns EInvalid/RepositoryName for a bad name and
// EAlreadyExists/Repository when the name is taken.
func (h *Host) Create(ctx context.Context, name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	unlock, err := h.lock(ctx, name)
	if err != nil {
		return err
	}
	defer unlock()
	if h.Exists(name) {
		return errExists(name)
	}
	if err := os.MkdirAll(h.root, 0o755); err != nil {
		return fmt.Errorf("githost: %w", err)
	}
	// Build the repository aside and rename it into place, so nobody ever sees (or serves)
	// a half-initialized one. The temporary name has no .git suffix: it is never a repository.
	tmp, err := os.MkdirTemp(h.root, ".create-")
	if err != nil {
		return fmt.Errorf("githost: %w", err)
	}
	defer os.RemoveAll(tmp)
	if _, err := h.run(ctx, "", "init", "--bare", "--quiet", "--initial-branch=main", tmp); err != nil {
		return err
	}
	if _, err := h.run(ctx, tmp, "config", "http.receivepack", "true"); err != nil {
		return err
	}
	if err := os.Rename(tmp, h.dir(name)); err != nil {
		if h.Exists(name) { // created meanwhile by another Host on the same root
			return errExists(name)
		}
		return fmt.Errorf("githost: %w", err)
	}
	return nil
}

// Delete removes a repository and its content (ENotFound/Repository when absent). It waits
// for a push in progress to finish.
func (h *Host) Delete(ctx context.Context, name string) error {
	if _, err := h.repoDir(name); err != nil {
		return err
	}
	unlock, err := h.lock(ctx, name)
	if err != nil {
		return err
	}
	defer unlock()
	// Move it out of the served namespace first: removal is not atomic, a rename is.
	trash, err := os.MkdirTemp(h.root, ".delete-")
	if err != nil {
		return fmt.Errorf("githost: %w", err)
	}
	defer os.RemoveAll(trash)
	if err := os.Rename(h.dir(name), filepath.Join(trash, "repo")); err != nil {
		if os.IsNotExist(err) {
			return errNotFound(name)
		}
		return fmt.Errorf("githost: %w", err)
	}
	return nil
}

// Exists reports whether name is a valid name of an existing repository.
func (h *Host) Exists(name string) bool {
	if ValidateName(name) != nil {
		return false
	}
	_, err := os.Stat(filepath.Join(h.dir(name), "HEAD"))
	return err == nil
}

// repoDir returns the directory of an existing repository, or EInvalid / ENotFound.
func (h *Host) repoDir(name string) (string, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	if !h.Exists(name) {
		return "", errNotFound(name)
	}
	return h.dir(name), nil
}

func errNotFound(name string) error {
	return sluice.Errorf(sluice.ENotFound, "Repository", "repository %s does not exist", name)
}

func errExists(name string) error {
	return sluice.Errorf(sluice.EAlreadyExists, "Repository", "repository %s already exists", name)
}
