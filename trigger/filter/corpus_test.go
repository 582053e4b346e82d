package filter_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/hostevent"
	"sluice/hostevent/hosteventtest"
	"sluice/trigger/filter"
)

// corpusTrigger reads the trigger of a corpus pipeline.
func corpusTrigger(t *testing.T, name string) sluice.GitConfiguration {
	t.Helper()
	path := filepath.Join(filepath.Dir(hosteventtest.Dir(t)), "pipelines", name)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc struct{ Pipeline sluice.PipelineDeclaration }
	require.NoError(t, json.Unmarshal(b, &doc))
	require.Len(t, doc.Pipeline.Triggers, 1)
	return doc.Pipeline.Triggers[0].GitConfiguration
}

// handwritten triggers, named for what they start on.
var handwritten = map[string]sluice.GitConfiguration{
	"push-master":           pushes(sluice.GitPushFilter{Branches: crit(inc("master"))}),
	"push-master-app-files": pushes(sluice.GitPushFilter{Branches: crit(inc("master")), FilePaths: crit(inc("app/**"), "**/*.md")}),
	"push-master-md-files":  pushes(sluice.GitPushFilter{Branches: crit(inc("master")), FilePaths: crit(inc("*.md", "**/*.md"))}),
	"push-not-feature":      pushes(sluice.GitPushFilter{Branches: crit(nil, "feature/**")}),
	"push-feature":          pushes(sluice.GitPushFilter{Branches: crit(inc("feature/**"))}),
	"tags-any":              pushes(sluice.GitPushFilter{Tags: crit(inc("*"))}),
	"tags-semver":           pushes(sluice.GitPushFilter{Tags: crit(inc("v[0-9]*"))}),
	"pr-into-master":        prs(sluice.GitPullRequestFilter{Branches: crit(inc("master"))}),
	"pr-open-update":        prs(sluice.GitPullRequestFilter{Events: []string{"OPEN", "UPDATED"}, Branches: crit(inc("master"))}),
	"pr-closed":             prs(sluice.GitPullRequestFilter{Events: []string{"CLOSED"}}),
	"pr-readme":             prs(sluice.GitPullRequestFilter{FilePaths: crit(inc("README.md"))}),
}

// corpusStarts lists, for every corpus delivery, the triggers it starts ("default-master" is
// a source on branch master without a trigger). The two corpus pipelines' triggers name
// placeholder patterns (include1, ...) and start on nothing.
var corpusStarts = map[string][]string{
	// Pushes to master: files known except on creation (GitLab lists 2 of 4 commits; still known).
	"github-push-branch-commits": {"default-master", "push-master", "push-master-app-files", "push-not-feature"},
	"github-push-branch-created": {"default-master", "push-master", "push-not-feature"},
	"gitlab-push":                {"default-master", "push-master", "push-master-app-files", "push-not-feature"},
	// Bitbucket lists no files, so file filters wait for the caller to fetch them.
	"bitbucket-repo-push": {"push-not-feature"},
	// A deleted ref starts nothing.
	"bitbucket-server-repo-refs-changed-delete": nil,
	"github-push-tag-deleted":                   nil,
	"github-push-tag-created":                   {"tags-any"},
	"gitlab-tag-push":                           {"tags-any", "tags-semver"},
	// Pull requests into master; none lists files.
	"github-pull_request-opened":               {"pr-into-master", "pr-open-update"},
	"github-pull_request-opened-go-playground": {"pr-into-master", "pr-open-update"},
	"github-pull_request-synchronize":          {"pr-into-master", "pr-open-update"},
	"github-pull_request-closed-unmerged":      {"pr-into-master", "pr-closed"},
	"gitlab-merge-request-opened":              {"pr-into-master", "pr-open-update"},
	"bitbucket-pullrequest-created":            {"pr-into-master", "pr-open-update"},
	"bitbucket-pullrequest-fulfilled":          {"pr-into-master", "pr-closed"},
	"bitbucket-server-pr-opened":               {"pr-into-master", "pr-open-update"},
	// Pings and the create/delete events (reported again as pushes) start nothing.
	"github-ping":              nil,
	"github-ping-organization": nil,
	"github-create-tag":        nil,
	"github-delete-tag":        nil,
}

func TestCorpusTriggers(t *testing.T) {
	t.Parallel()
	triggers := map[string]sluice.GitConfiguration{
		"cdk-push-tags":    corpusTrigger(t, "cdk-triggers-push-tags-v2.json"),
		"cdk-pr-filepaths": corpusTrigger(t, "cdk-triggers-pull-request-filepaths-v2.json"),
	}
	for name, cfg := range handwritten {
		triggers[name] = cfg
	}
	for _, d := range hosteventtest.Load(t) {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			want, ok := corpusStarts[d.Name]
			require.True(t, ok, "corpus delivery %s has no expectation: add one to corpusStarts", d.Name)
			require.NoError(t, hostevent.Verify(d.Provider, d.Header, d.Body, d.Secret()))
			ev, err := hostevent.Parse(d.Provider, d.Header, d.Body)
			require.NoError(t, err)

			var started []string
			for _, e := range ev.All() {
				in := filter.InputOf(&e)
				if ok, _ := filter.DefaultMatch("master", in); ok {
					started = append(started, "default-master")
				}
				for name, cfg := range triggers {
					if ok, _ := filter.Match(cfg, in); ok && !slices.Contains(started, name) {
						started = append(started, name)
					}
				}
			}
			sort.Strings(started)
			want = slices.Sorted(slices.Values(want))
			require.Equal(t, want, started)
		})
	}
}

// TestCorpusPullRequestFiles: once the caller has fetched a pull request's files (the host
// sends none), file-path filters decide. Codertocat's pull request changes README.md.
func TestCorpusPullRequestFiles(t *testing.T) {
	t.Parallel()
	d := hosteventtest.Get(t, "github-pull_request-opened")
	ev, err := hostevent.Parse(d.Provider, d.Header, d.Body)
	require.NoError(t, err)
	require.True(t, filter.NeedsFiles(handwritten["pr-readme"]))
	ok, reason := filter.Match(handwritten["pr-readme"], filter.InputOf(ev))
	require.False(t, ok)
	require.Contains(t, reason, "no changed-file list")

	ev.ChangedFiles, ev.FilesListed = []string{"README.md"}, true
	ok, reason = filter.Match(handwritten["pr-readme"], filter.InputOf(ev))
	require.True(t, ok, reason)
	ok, reason = filter.Match(corpusTrigger(t, "cdk-triggers-pull-request-filepaths-v2.json"), filter.InputOf(ev))
	require.False(t, ok)
	require.Contains(t, reason, `branch "master" matches no include`)
}
