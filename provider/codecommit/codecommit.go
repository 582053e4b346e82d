// Package codecommit runs Source/AWS/CodeCommit/1 actions against repositories hosted by
// Sluice itself: the output artifact is a zip of the tree at the pinned commit.
package codecommit

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"sluice"
	"sluice/catalog"
)

// TypeID is the action type this provider runs.
var TypeID = sluice.ActionTypeID{Category: sluice.CategorySource, Owner: sluice.OwnerAWS, Provider: "CodeCommit", Version: "1"}

// Repos is what the provider needs of the repository host.
type Repos interface {
	ResolveRef(ctx context.Context, repo, ref string) (string, error)
	Commit(ctx context.Context, repo, sha string) (Commit, error)
	Archive(ctx context.Context, repo, sha string, w io.Writer) error
}

// Commit is what a source action reports of a commit.
type Commit struct {
	ID            string
	Message       string
	AuthorDate    time.Time
	CommitterDate time.Time
}

// Provider runs CodeCommit source actions.
type Provider struct {
	Repos Repos
}

var _ sluice.Provider = (*Provider)(nil)

func (p *Provider) Types() []sluice.ActionType {
	t, _ := catalog.Lookup(TypeID)
	return []sluice.ActionType{t}
}

// Run zips the tree at the execution's pinned commit, or at the branch head when the
// execution was started without one.
func (p *Provider) Run(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	cfg := rc.Job.Data.Configuration
	repo, branch := cfg["RepositoryName"], cfg["BranchName"]
	if f := cfg["OutputArtifactFormat"]; f != "" && f != "CODE_ZIP" {
		return configError("OutputArtifactFormat %s is not available for hosted repositories in this Sluice version; use CODE_ZIP.", f), nil
	}
	sha, err := p.revision(ctx, rc.Job.Data.Revision, repo, branch)
	if err != nil {
		return configError("Could not find branch %s in repository %s: %v", branch, repo, err), nil
	}
	c, err := p.Repos.Commit(ctx, repo, sha)
	switch {
	case sluice.IsCode(err, sluice.ENotFound) || sluice.IsCode(err, sluice.EInvalid):
		return &sluice.Outcome{ErrorType: sluice.FailureRevisionUnavailable,
			ErrorMessage: fmt.Sprintf("Commit %s is not in repository %s: %v", sha, repo, err)}, nil
	case err != nil:
		return nil, fmt.Errorf("read commit %s of %s: %w", sha, repo, err)
	}
	sha = c.ID // a pinned revision may be an abbreviated id
	zipPath := filepath.Join(rc.ScratchDir, "source.zip")
	if err := p.archive(ctx, repo, sha, zipPath); err != nil {
		return nil, err
	}
	fmt.Fprintf(rc.Log, "Fetched %s@%s (%s)\n", repo, short(sha), firstLine(c.Message))
	out := &sluice.Outcome{Success: true, Summary: firstLine(c.Message), ExternalID: sha, Artifacts: map[string]sluice.ArtifactSource{},
		OutputVariables: map[string]string{"CommitId": sha, "BranchName": branch, "RepositoryName": repo,
			"CommitMessage": c.Message, "AuthorDate": isoDate(c.AuthorDate), "CommitterDate": isoDate(c.CommitterDate)},
		Revision: &sluice.Revision{RevisionID: sha, ChangeIdentifier: sha, Summary: c.Message, Created: c.CommitterDate}}
	for _, o := range rc.Job.Data.OutputArtifacts {
		out.Artifacts[o.Name] = sluice.ArtifactSource{ZipFile: zipPath}
	}
	return out, nil
}

func (p *Provider) revision(ctx context.Context, pinned *sluice.Revision, repo, branch string) (string, error) {
	if pinned != nil && pinned.RevisionID != "" {
		return pinned.RevisionID, nil
	}
	return p.Repos.ResolveRef(ctx, repo, "refs/heads/"+branch)
}

func (p *Provider) archive(ctx context.Context, repo, sha, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := p.Repos.Archive(ctx, repo, sha, f); err != nil {
		f.Close()
		return fmt.Errorf("archive %s@%s: %w", repo, sha, err)
	}
	return f.Close()
}

func configError(format string, args ...any) *sluice.Outcome {
	msg := fmt.Sprintf(format, args...)
	return &sluice.Outcome{ErrorType: sluice.FailureConfigurationError, ErrorMessage: msg, Summary: msg}
}

// isoDate formats a commit date as CodePipeline's variables do: ISO-8601 in UTC.
func isoDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func short(sha string) string { return sha[:min(len(sha), 8)] }

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
