package hostevent_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/hostevent"
	"sluice/hostevent/hosteventtest"
)

// corpusWant is what Parse must make of each corpus delivery. Fields left zero are not
// checked, except the kind and repository, checked always.
type corpusWant struct {
	kind       sluice.GitEventKind
	repo       string
	branch     string
	tag        string
	created    bool
	deleted    bool
	after      string
	head       sluice.GitCommit
	files      []string
	listed     bool
	truncated  bool
	pr         *sluice.GitPullRequest
	reasonHint string
}

var codertocatPR = sluice.GitPullRequest{Number: 2, SourceBranch: "changes", TargetBranch: "master",
	HeadCommitID: "ec26c3e57ca3a959ca5aad62de7213c562f8c821", Title: "Update the README with new information.",
	URL: "https://github.com/Codertocat/Hello-World/pull/2"}

func withAction(pr sluice.GitPullRequest, a sluice.PullRequestAction) *sluice.GitPullRequest {
	pr.Action = a
	return &pr
}

// corpusWants covers every delivery of the corpus: TestCorpusParse fails on one missing here.
var corpusWants = map[string]corpusWant{
	"github-push-branch-commits": {kind: sluice.GitEventPush, repo: "binkkatal/sample_app", branch: "master",
		after: "fd489864e7642b48eaad6e3f155c10e46810ec72", listed: true,
		files: []string{".razorops.yaml", "app/controllers/application_controller.rb"},
		head: sluice.GitCommit{ID: "fd489864e7642b48eaad6e3f155c10e46810ec72", Message: "test a push event",
			AuthorName: "binkkatal", AuthorEmail: "binkkatal.r@gmail.com",
			Timestamp: time.Date(2018, 6, 29, 14, 4, 13, 0, time.UTC),
			URL:       "https://github.com/binkkatal/sample_app/commit/fd489864e7642b48eaad6e3f155c10e46810ec72"}},
	"github-push-branch-created": {kind: sluice.GitEventPush, repo: "Codertocat/Hello-World", branch: "master", created: true,
		after: "6113728f27ae82c7b1a177c8d03f9e96e0adf246", listed: true, files: []string{"README.md"}},
	"github-push-tag-created": {kind: sluice.GitEventPush, repo: "Codertocat/Hello-World", tag: "simple-tag", created: true,
		after: "6113728f27ae82c7b1a177c8d03f9e96e0adf246", listed: true,
		head: sluice.GitCommit{ID: "6113728f27ae82c7b1a177c8d03f9e96e0adf246", Message: "Adding a .gitignore file"}},
	"github-push-tag-deleted": {kind: sluice.GitEventPush, repo: "Codertocat/Hello-World", tag: "simple-tag", deleted: true,
		after: "0000000000000000000000000000000000000000", listed: true},
	"github-pull_request-opened": {kind: sluice.GitEventPullRequest, repo: "Codertocat/Hello-World",
		pr: withAction(codertocatPR, sluice.PullRequestOpen)},
	"github-pull_request-synchronize": {kind: sluice.GitEventPullRequest, repo: "Codertocat/Hello-World",
		pr: withAction(codertocatPR, sluice.PullRequestUpdated)},
	"github-pull_request-closed-unmerged": {kind: sluice.GitEventPullRequest, repo: "Codertocat/Hello-World",
		pr: withAction(codertocatPR, sluice.PullRequestClosed)},
	"github-pull_request-opened-go-playground": {kind: sluice.GitEventPullRequest, repo: "baxterthehacker/public-repo",
		pr: &sluice.GitPullRequest{Number: 1, Action: sluice.PullRequestOpen, SourceBranch: "changes", TargetBranch: "master",
			HeadCommitID: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", Title: "Update the README with new information",
			URL: "https://github.com/baxterthehacker/public-repo/pull/1"}},
	"github-ping":              {kind: sluice.GitEventPing, repo: "Octocoders/Hello-World"},
	"github-ping-organization": {kind: sluice.GitEventPing},
	"github-create-tag":        {kind: sluice.GitEventIgnored, repo: "Codertocat/Hello-World", reasonHint: "create"},
	"github-delete-tag":        {kind: sluice.GitEventIgnored, repo: "Codertocat/Hello-World", reasonHint: "delete"},
	"gitlab-push": {kind: sluice.GitEventPush, repo: "mike/diaspora", branch: "master",
		after: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", listed: true, truncated: true, // 2 of 4 commits listed
		files: []string{"CHANGELOG", "app/controller/application.rb"},
		head: sluice.GitCommit{ID: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", Message: "fixed readme",
			AuthorName: "GitLab dev user", AuthorEmail: "gitlabdev@dv6700.(none)"}},
	"gitlab-tag-push": {kind: sluice.GitEventPush, repo: "jsmith/example", tag: "v1.0.0", created: true,
		after: "82b3d5ae55f7080f1e6022629cdb57bfae7cccc7", listed: true,
		head: sluice.GitCommit{ID: "82b3d5ae55f7080f1e6022629cdb57bfae7cccc7"}},
	"gitlab-merge-request-opened": {kind: sluice.GitEventPullRequest, repo: "gitlabhq/gitlab-test",
		pr: &sluice.GitPullRequest{Number: 1, Action: sluice.PullRequestOpen, SourceBranch: "ms-viewport", TargetBranch: "master",
			HeadCommitID: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", Title: "MS-Viewport",
			URL: "http://example.com/diaspora/merge_requests/1"}},
	"bitbucket-repo-push": {kind: sluice.GitEventPush, repo: "team_name/repo_name", branch: "name-of-branch",
		after: "709d658dc5b6d6afcd46049c2f332ee3f515a67d",
		head:  sluice.GitCommit{ID: "709d658dc5b6d6afcd46049c2f332ee3f515a67d", Message: "new commit message\n", AuthorName: "Emma"}},
	"bitbucket-pullrequest-created": {kind: sluice.GitEventPullRequest, repo: "team_name/repo_name",
		pr: &sluice.GitPullRequest{Number: 1, Action: sluice.PullRequestOpen, SourceBranch: "branch2", TargetBranch: "master",
			HeadCommitID: "d3022fc0ca3d", Title: "Title of pull request", URL: "https://api.bitbucket.org/pullrequest_id"}},
	"bitbucket-pullrequest-fulfilled": {kind: sluice.GitEventPullRequest, repo: "team_name/repo_name",
		pr: &sluice.GitPullRequest{Number: 1, Action: sluice.PullRequestClosed, Merged: true, SourceBranch: "branch2",
			TargetBranch: "master", HeadCommitID: "d3022fc0ca3d", Title: "Title of pull request",
			URL: "https://api.bitbucket.org/pullrequest_id"}},
	"bitbucket-server-repo-refs-changed-delete": {kind: sluice.GitEventPush, repo: "~gopher/webhook-test", branch: "feature/wip",
		deleted: true, after: "0000000000000000000000000000000000000000"},
	"bitbucket-server-pr-opened": {kind: sluice.GitEventPullRequest, repo: "~gopher/webhook-test",
		pr: &sluice.GitPullRequest{Number: 5, Action: sluice.PullRequestOpen, SourceBranch: "feature/wip", TargetBranch: "master",
			HeadCommitID: "32a0b8a740c2963c6f56bd8baf3dc05683d299e0", Title: "Update README",
			URL: "https://server.bitbucket.local/users/gopher/repos/webhook-test/pull-requests/5"}},
}

// deliveryHeaders names each provider's delivery id header.
var deliveryHeaders = map[string][]string{
	"GitHub": {"X-GitHub-Delivery"}, "GitLab": {"X-Gitlab-Event-UUID"}, "Bitbucket": {"X-Request-UUID", "X-Request-Id"},
}

func TestCorpusParse(t *testing.T) {
	t.Parallel()
	for _, d := range hosteventtest.Load(t) {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			want, ok := corpusWants[d.Name]
			require.True(t, ok, "corpus delivery %s has no expectation: add one to corpusWants", d.Name)
			require.NoError(t, hostevent.Verify(d.Provider, d.Header, d.Body, d.Secret()))

			ev, err := hostevent.Parse(d.Provider, d.Header, d.Body)
			require.NoError(t, err)
			requireEvent(t, want, ev)
			var id string
			for _, h := range deliveryHeaders[d.Provider] {
				id += d.Header.Get(h)
			}
			require.NotEmpty(t, id)
			require.Equal(t, id, ev.DeliveryID)
		})
	}
}

func requireEvent(t *testing.T, want corpusWant, ev *sluice.GitEvent) {
	t.Helper()
	require.Equal(t, want.kind, ev.Kind, ev.Reason)
	require.Equal(t, want.repo, ev.Repository)
	require.Contains(t, ev.Reason, want.reasonHint)
	require.Equal(t, want.branch, ev.Branch)
	require.Equal(t, want.tag, ev.Tag)
	require.Equal(t, want.created, ev.Created)
	require.Equal(t, want.deleted, ev.Deleted)
	require.Equal(t, want.listed, ev.FilesListed)
	require.Equal(t, want.truncated, ev.FilesTruncated)
	require.Equal(t, want.files, ev.ChangedFiles)
	require.Equal(t, want.pr, ev.PullRequest)
	if want.after != "" {
		require.Equal(t, want.after, ev.After)
	}
	if want.head.ID != "" {
		requireCommit(t, want.head, ev.HeadCommit)
	}
}

// requireCommit compares the fields want sets.
func requireCommit(t *testing.T, want, got sluice.GitCommit) {
	t.Helper()
	require.Equal(t, want.ID, got.ID)
	for _, f := range [][2]string{{want.Message, got.Message}, {want.AuthorName, got.AuthorName},
		{want.AuthorEmail, got.AuthorEmail}, {want.URL, got.URL}} {
		if f[0] != "" {
			require.Equal(t, f[0], f[1])
		}
	}
	if !want.Timestamp.IsZero() {
		require.True(t, want.Timestamp.Equal(got.Timestamp), "timestamp %s, want %s", got.Timestamp, want.Timestamp)
	}
}

// TestCorpusTampered: every corpus delivery fails verification once one byte of its body
// changes, or under another secret.
func TestCorpusTampered(t *testing.T) {
	t.Parallel()
	for _, d := range hosteventtest.Load(t) {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			if d.Provider != "GitLab" { // GitLab's token does not cover the body
				body := append([]byte(nil), d.Body...)
				body[len(body)/2] ^= 1
				require.ErrorIs(t, hostevent.Verify(d.Provider, d.Header, body, d.Secret()), hostevent.ErrSignatureMismatch)
			}
			require.ErrorIs(t, hostevent.Verify(d.Provider, d.Header, d.Body, "another secret"), hostevent.ErrSignatureMismatch)
		})
	}
}

// TestCorpusBitbucketServerByName: the Server deliveries parse the same under the explicit
// BitbucketServer provider as under Bitbucket.
func TestCorpusBitbucketServerByName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"bitbucket-server-pr-opened", "bitbucket-server-repo-refs-changed-delete"} {
		d := hosteventtest.Get(t, name)
		require.NoError(t, hostevent.Verify(hostevent.ProviderBitbucketServer, d.Header, d.Body, d.Secret()))
		ev, err := hostevent.Parse(hostevent.ProviderBitbucketServer, d.Header, d.Body)
		require.NoError(t, err)
		requireEvent(t, corpusWants[name], ev)
	}
}
