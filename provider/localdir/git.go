package localdir

import (
	"cmp"
	"context"
	"os/exec"
	"strings"
	"time"
)

// commit is what a source's output variables say of the revision it read.
type commit struct {
	ID            string
	Message       string
	AuthorDate    time.Time
	CommitterDate time.Time
}

// checkoutCommit describes the HEAD commit of the git checkout dir is in, or, when it is in
// none (or git is missing), the directory itself as revision "local".
func checkoutCommit(ctx context.Context, dir string) commit {
	now := time.Now().UTC()
	local := commit{ID: "local", Message: "Local directory " + dir, AuthorDate: now, CommitterDate: now}
	raw, err := exec.CommandContext(ctx, "git", "-C", dir, "log", "-1", "--format=%H%x00%aI%x00%cI%x00%B").Output()
	f := strings.SplitN(string(raw), "\x00", 4)
	if err != nil || len(f) != 4 {
		return local
	}
	authored, _ := time.Parse(time.RFC3339, f[1])
	committed, _ := time.Parse(time.RFC3339, f[2])
	return commit{ID: f[0], Message: strings.TrimRight(f[3], "\n"), AuthorDate: authored, CommitterDate: committed}
}

// sourceVariables are the output variables CodePipeline documents for each source type,
// filled from the local commit and the action's configuration.
func sourceVariables(provider string, cfg map[string]string, c commit) map[string]string {
	switch provider {
	case "S3":
		return map[string]string{"ETag": c.ID, "VersionId": c.ID}
	case "ECR":
		return map[string]string{"RepositoryName": cfg["RepositoryName"], "ImageTag": cmp.Or(cfg["ImageTag"], "latest")}
	}
	iso := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
	v := map[string]string{"CommitId": c.ID, "CommitMessage": c.Message, "AuthorDate": iso(c.AuthorDate),
		"CommitterDate": iso(c.CommitterDate), "BranchName": cfg["BranchName"], "RepositoryName": cfg["RepositoryName"]}
	switch provider {
	case "CodeStarSourceConnection":
		v["FullRepositoryName"], v["ConnectionArn"] = cfg["FullRepositoryId"], cfg["ConnectionArn"]
	case "GitHub":
		v["RepositoryName"] = cfg["Repo"]
	}
	return v
}
