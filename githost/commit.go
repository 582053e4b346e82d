package githost

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"

	"sluice"
)

// CommitInfo describes a commit, as a source action reports it.
type CommitInfo struct {
	ID             string
	Tree           string
	Parents        []string
	Message        string
	AuthorName     string
	AuthorEmail    string
	AuthorDate     time.Time
	CommitterName  string
	CommitterEmail string
	CommitterDate  time.Time
}

// commitFormat prints the fields of CommitInfo NUL-separated; the message goes last since it
// may contain anything but NUL.
const commitFormat = "--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B"

var shaPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-fA-F]{4,64}$`) })

// ResolveRef returns the commit a branch ("main") or full ref ("refs/tags/v1") points to,
// peeling annotated tags. Errors: ENotFound/Repository, ENotFound/Branch or /Reference.
func (h *Host) ResolveRef(ctx context.Context, repo, ref string) (string, error) {
	dir, err := h.repoDir(repo)
	if err != nil {
		return "", err
	}
	full, resource := ref, "Reference"
	if !strings.HasPrefix(ref, "refs/") {
		full, resource = "refs/heads/"+ref, "Branch"
	}
	notFound := sluice.Errorf(sluice.ENotFound, resource, "%s %s does not exist in repository %s",
		strings.ToLower(resource), ref, repo)
	// show-ref --verify matches the exact ref only, unlike rev-parse, which would also try
	// refs/heads/<ref> and others; and no argument of it can be taken for an option.
	out, err := h.run(ctx, dir, "show-ref", "--verify", "--hash", full)
	if isExit(err) {
		return "", notFound
	} else if err != nil {
		return "", err
	}
	sha, err := h.peelCommit(ctx, dir, strings.TrimSpace(string(out)))
	if err != nil {
		return "", notFound // a ref to a tree or blob names no commit
	}
	return sha, nil
}

// Commit describes a commit (ID as full or abbreviated hex). Errors: EInvalid/CommitId,
// ENotFound/Repository, ENotFound/Commit.
//
// One git process: show peels and checks the id itself (a source action's path to its
// zip, and a push's to its executions, pass here).
func (h *Host) Commit(ctx context.Context, repo, sha string) (CommitInfo, error) {
	dir, err := h.hexDir(repo, sha)
	if err != nil {
		return CommitInfo{}, err
	}
	out, err := h.run(ctx, dir, "show", "--no-patch", "--no-notes", commitFormat, sha+"^{commit}", "--")
	if isExit(err) {
		return CommitInfo{}, sluice.Errorf(sluice.ENotFound, "Commit", "commit %s does not exist", sha)
	} else if err != nil {
		return CommitInfo{}, err
	}
	return parseCommit(string(out))
}

// hexDir checks that sha is a hex id (never an option) and returns repo's directory.
func (h *Host) hexDir(repo, sha string) (string, error) {
	if !shaPattern().MatchString(sha) {
		return "", sluice.Errorf(sluice.EInvalid, "CommitId", "commitId %q is not a commit id", sha)
	}
	return h.repoDir(repo)
}

// commitID resolves sha to the full id of an existing commit of repo.
func (h *Host) commitID(ctx context.Context, repo, sha string) (dir, id string, err error) {
	if dir, err = h.hexDir(repo, sha); err != nil {
		return "", "", err
	}
	id, err = h.peelCommit(ctx, dir, sha)
	return dir, id, err
}

// peelCommit resolves rev (a hex id: never an option) to a full commit id, ENotFound/Commit
// when there is no such commit.
func (h *Host) peelCommit(ctx context.Context, dir, rev string) (string, error) {
	out, err := h.run(ctx, dir, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if isExit(err) {
		return "", sluice.Errorf(sluice.ENotFound, "Commit", "commit %s does not exist", rev)
	}
	return strings.TrimSpace(string(out)), err
}

func parseCommit(out string) (CommitInfo, error) {
	f := strings.SplitN(out, "\x00", 10)
	if len(f) != 10 {
		return CommitInfo{}, fmt.Errorf("githost: unexpected git show output %q", out)
	}
	authored, err1 := time.Parse(time.RFC3339, f[5])
	committed, err2 := time.Parse(time.RFC3339, f[8])
	if err := errors.Join(err1, err2); err != nil {
		return CommitInfo{}, fmt.Errorf("githost: commit dates: %w", err)
	}
	return CommitInfo{
		ID: f[0], Tree: f[1], Parents: strings.Fields(f[2]),
		AuthorName: f[3], AuthorEmail: f[4], AuthorDate: authored,
		CommitterName: f[6], CommitterEmail: f[7], CommitterDate: committed,
		Message: strings.TrimRight(f[9], "\n"),
	}, nil
}

// isExit reports whether git ran and failed, as opposed to not running at all.
func isExit(err error) bool {
	var exit *exec.ExitError
	return errors.As(err, &exit)
}

// Revision describes a commit of repo as an execution pins it (ENotFound/Repository,
// ENotFound/Commit).
func (h *Host) Revision(ctx context.Context, repo, sha string) (sluice.Revision, error) {
	c, err := h.Commit(ctx, repo, sha)
	if err != nil {
		return sluice.Revision{}, err
	}
	return sluice.Revision{RevisionID: c.ID, ChangeIdentifier: c.ID, Summary: c.Message, Created: c.CommitterDate}, nil
}
