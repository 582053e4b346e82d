package githost

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
)

// Archive writes to w a zip of the tree of commit sha (no .git directory), streamed from git
// archive as it is produced. Errors are Commit's. On a failure midway, w holds part of a zip.
//
// One git process when the commit exists: archive peels sha itself, and only its failure
// asks which of Commit's errors it was.
func (h *Host) Archive(ctx context.Context, repo, sha string, w io.Writer) error {
	dir, err := h.hexDir(repo, sha)
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd := h.command(ctx, dir, "archive", "--format=zip", sha+"^{commit}")
	cmd.Stdout, cmd.Stderr = w, &stderr
	if err := cmd.Run(); err != nil {
		if _, _, cerr := h.commitID(ctx, repo, sha); cerr != nil && isExit(err) {
			return cerr
		}
		return fmt.Errorf("git archive: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
