// Package connection runs Source/AWS/CodeStarSourceConnection/1: it fetches a branch of a
// repository on GitHub, GitLab, Bitbucket or any git server through a connection, into the
// cached mirror of that repository (package gitremote), and outputs the pinned commit's tree
// (CODE_ZIP) or a full clone with its history (CODEBUILD_CLONE_REF).
package connection

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sluice"
	"sluice/catalog"
	"sluice/gitremote"
)

// TypeID is the action type this provider runs.
var TypeID = sluice.ActionTypeID{Category: sluice.CategorySource, Owner: sluice.OwnerAWS, Provider: "CodeStarSourceConnection", Version: "1"}

// Connections finds connections by ARN (ENotFound/Connection when there is none).
type Connections interface {
	GetConnection(ctx context.Context, arn string) (*sluice.Connection, error)
}

// Provider fetches sources through connections.
type Provider struct {
	Connections Connections
	Mirrors     *gitremote.Mirrors
}

var _ sluice.Provider = (*Provider)(nil)

// Types declares the connection source type.
func (p *Provider) Types() []sluice.ActionType {
	t, _ := catalog.Lookup(TypeID)
	return []sluice.ActionType{t}
}

// Run fetches the execution's pinned commit, or the branch head when none is pinned.
func (p *Provider) Run(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	cfg := rc.Job.Data.Configuration
	arn, repo, branch := cfg["ConnectionArn"], cfg["FullRepositoryId"], cfg["BranchName"]
	format := cfg["OutputArtifactFormat"]
	if format == "" {
		format = "CODE_ZIP"
	}
	if format != "CODE_ZIP" && format != "CODEBUILD_CLONE_REF" {
		return configError("OutputArtifactFormat %s is not one of CODE_ZIP and CODEBUILD_CLONE_REF.", format), nil
	}
	conn, err := p.Connections.GetConnection(ctx, arn)
	switch {
	case sluice.IsCode(err, sluice.ENotFound):
		return configError("Connection %s does not exist: create it with aws codestar-connections create-connection.", arn), nil
	case err != nil:
		return nil, err
	case conn.Status != sluice.ConnectionAvailable:
		return configError("Connection %s is %s, not AVAILABLE.", conn.Name, conn.Status), nil
	}
	url, auth := conn.RepositoryURL(repo), gitremote.ConnectionAuth(conn)
	sha, err := p.revision(ctx, rc.Job.Data.Revision, url, auth, branch)
	if err != nil {
		return &sluice.Outcome{ErrorType: sluice.FailureRevisionUnavailable,
			ErrorMessage: fmt.Sprintf("Could not read branch %s of %s: %v", branch, repo, err)}, nil
	}
	fmt.Fprintf(rc.Log, "Fetching %s (%s) through connection %s\n", repo, branch, conn.Name)
	if err := p.Mirrors.Fetch(ctx, url, auth); err != nil {
		return &sluice.Outcome{ErrorType: sluice.FailureRevisionUnavailable, ErrorMessage: fmt.Sprintf("Could not fetch %s: %v", repo, err)}, nil
	}
	c, err := p.Mirrors.Commit(ctx, url, auth, sha)
	if err != nil {
		return &sluice.Outcome{ErrorType: sluice.FailureRevisionUnavailable,
			ErrorMessage: fmt.Sprintf("Commit %s is not in %s: %v", sha, repo, err)}, nil
	}
	src, err := p.output(ctx, rc, format, url, c.ID)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(rc.Log, "Fetched %s@%s (%s)\n", repo, c.ID[:min(12, len(c.ID))], firstLine(c.Message))
	out := &sluice.Outcome{Success: true, Summary: firstLine(c.Message), ExternalID: c.ID, Artifacts: map[string]sluice.ArtifactSource{},
		OutputVariables: map[string]string{"CommitId": c.ID, "BranchName": branch, "FullRepositoryName": repo,
			"ConnectionArn": arn, "ProviderType": conn.ProviderType, "CommitMessage": c.Message,
			"AuthorDate": c.AuthorDate.UTC().Format(time.RFC3339), "AuthorDisplayName": c.AuthorName, "AuthorEmail": c.AuthorEmail},
		Revision: &sluice.Revision{RevisionID: c.ID, ChangeIdentifier: c.ID, Summary: c.Message, Created: c.CommitterDate,
			URL: conn.CommitURL(repo, c.ID)}}
	for _, o := range rc.Job.Data.OutputArtifacts {
		out.Artifacts[o.Name] = src
	}
	return out, nil
}

func (p *Provider) revision(ctx context.Context, pinned *sluice.Revision, url string, auth gitremote.Auth, branch string) (string, error) {
	if pinned != nil && pinned.RevisionID != "" {
		return pinned.RevisionID, nil
	}
	return p.Mirrors.Head(ctx, url, auth, branch)
}

// output makes the artifact: the tree as a zip, or a full clone (its .git included) that a
// build can run git in.
func (p *Provider) output(ctx context.Context, rc *sluice.RunContext, format, url, sha string) (sluice.ArtifactSource, error) {
	if format == "CODEBUILD_CLONE_REF" {
		dir := filepath.Join(rc.ScratchDir, "clone")
		if err := p.Mirrors.Clone(ctx, url, sha, dir); err != nil {
			return sluice.ArtifactSource{}, err
		}
		return sluice.ArtifactSource{Dir: dir}, nil
	}
	zipPath := filepath.Join(rc.ScratchDir, "source.zip")
	f, err := os.Create(zipPath)
	if err != nil {
		return sluice.ArtifactSource{}, err
	}
	if err := p.Mirrors.Archive(ctx, url, sha, f); err != nil {
		f.Close()
		return sluice.ArtifactSource{}, err
	}
	return sluice.ArtifactSource{ZipFile: zipPath}, f.Close()
}

func configError(format string, args ...any) *sluice.Outcome {
	return &sluice.Outcome{ErrorType: sluice.FailureConfigurationError, ErrorMessage: fmt.Sprintf(format, args...)}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
