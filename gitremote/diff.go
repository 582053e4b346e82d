package gitremote

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"

	"sluice"
)

// ChangedFiles lists the paths that differ between commits before and after in url's mirror,
// each once, in git's order. A rename counts as its old and its new path, as hosts list them
// in push deliveries. Both commits must be in the mirror: Fetch first.
func (m *Mirrors) ChangedFiles(ctx context.Context, url, before, after string) ([]string, error) {
	if err := checkRevs(before, after); err != nil {
		return nil, err
	}
	out, err := m.run(ctx, Auth{}, m.dir(url), "diff", "--name-only", "--no-renames", "-z", "--end-of-options", before, after)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, f := range bytes.Split(out, []byte{0}) {
		if len(f) > 0 {
			files = append(files, string(f))
		}
	}
	return files, nil
}

// MergeBase returns the best common ancestor of commits a and b in url's mirror, where a pull
// request's changes start; two commits without one are ENotFound/Commit.
func (m *Mirrors) MergeBase(ctx context.Context, url, a, b string) (string, error) {
	if err := checkRevs(a, b); err != nil {
		return "", err
	}
	out, err := m.run(ctx, Auth{}, m.dir(url), "merge-base", "--end-of-options", a, b)
	sha := strings.TrimSpace(string(out))
	if err != nil || sha == "" {
		return "", sluice.Errorf(sluice.ENotFound, "Commit", "%s and %s have no common ancestor in %s: %v", a, b, url, err)
	}
	return sha, nil
}

// MergedBy returns the oldest commit on target's history that descends from head: the
// merge commit that brought a merged pull request's head in ("" when target does not
// contain head).
func (m *Mirrors) MergedBy(ctx context.Context, url, head, target string) (string, error) {
	if err := checkRevs(head, target); err != nil {
		return "", err
	}
	out, err := m.run(ctx, Auth{}, m.dir(url), "rev-list", "--ancestry-path", "--reverse", "--end-of-options", head+".."+target)
	if err != nil {
		return "", err
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return first, nil
}

func (m *Mirrors) dir(url string) string { return filepath.Join(m.root, name(url)+".git") }

// checkRevs refuses what git could read as an option: the commits come from webhook bodies.
func checkRevs(revs ...string) error {
	for _, r := range revs {
		if r == "" || strings.HasPrefix(r, "-") {
			return sluice.Errorf(sluice.EInvalid, "Commit", "%q is not a commit", r)
		}
	}
	return nil
}
