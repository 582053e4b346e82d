package githost

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sluice"
)

// logFormat prints a commit's id, committer date, author and subject NUL-separated, one
// commit a line (a subject is one line).
const logFormat = "--format=%H%x00%cI%x00%an%x00%s"

// Log returns up to limit commits reachable from ref (a full ref under refs/), newest
// first, as revisions: RevisionID and ChangeIdentifier the commit id, Summary its subject,
// Created its committer date, Variables["AuthorName"] its author. Errors:
// EInvalid/RepositoryName, ENotFound/Repository, ENotFound/Reference.
func (h *Host) Log(ctx context.Context, repo, ref string, limit int) ([]sluice.Revision, error) {
	sha, err := h.ResolveRef(ctx, repo, ref)
	if err != nil {
		return nil, err
	}
	// sha is a resolved hex id, never taken for an option; "--" ends the revisions.
	out, err := h.run(ctx, h.dir(repo), "log", "--no-notes", "-n", strconv.Itoa(max(limit, 1)), logFormat, sha, "--")
	if err != nil {
		return nil, err
	}
	var revs []sluice.Revision
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		f := strings.SplitN(line, "\x00", 4)
		if len(f) != 4 {
			return nil, fmt.Errorf("githost: unexpected git log output %q", line)
		}
		at, err := time.Parse(time.RFC3339, f[1])
		if err != nil {
			return nil, fmt.Errorf("githost: commit date: %w", err)
		}
		revs = append(revs, sluice.Revision{RevisionID: f[0], ChangeIdentifier: f[0], Summary: f[3], Created: at,
			Variables: map[string]string{"AuthorName": f[2]}})
	}
	return revs, nil
}
