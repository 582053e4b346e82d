package hostevent_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/hostevent"
)

func githubHeader(event string) http.Header {
	return header("X-GitHub-Event", event, "X-GitHub-Delivery", "d-1", "X-GitHub-Hook-ID", "7")
}

func TestParseGitHubPullRequestActions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		action string
		merged bool
		want   sluice.PullRequestAction // "": ignored
	}{
		{"opened", false, sluice.PullRequestOpen},
		{"reopened", false, sluice.PullRequestOpen},
		{"synchronize", false, sluice.PullRequestUpdated},
		{"closed", false, sluice.PullRequestClosed},
		{"closed", true, sluice.PullRequestClosed},
		{"edited", false, ""},
		{"labeled", false, ""},
		{"ready_for_review", false, ""},
	} {
		t.Run(fmt.Sprintf("%s-merged-%t", tc.action, tc.merged), func(t *testing.T) {
			t.Parallel()
			body := fmt.Sprintf(`{"action":%q,"number":9,"pull_request":{"number":9,"merged":%t,"title":"T",
				"html_url":"https://github.com/o/r/pull/9","head":{"ref":"feature/x","sha":"abc"},"base":{"ref":"main"}},
				"repository":{"full_name":"o/r","clone_url":"https://github.com/o/r.git"}}`, tc.action, tc.merged)
			ev, err := hostevent.Parse(hostevent.ProviderGitHub, githubHeader("pull_request"), []byte(body))
			require.NoError(t, err)
			require.Equal(t, "d-1", ev.DeliveryID)
			require.Equal(t, "o/r", ev.Repository)
			if tc.want == "" {
				require.Equal(t, sluice.GitEventIgnored, ev.Kind)
				require.Contains(t, ev.Reason, tc.action)
				return
			}
			require.Equal(t, sluice.GitEventPullRequest, ev.Kind)
			require.Equal(t, &sluice.GitPullRequest{Number: 9, Action: tc.want, Merged: tc.merged, SourceBranch: "feature/x",
				TargetBranch: "main", HeadCommitID: "abc", Title: "T", URL: "https://github.com/o/r/pull/9"}, ev.PullRequest)
		})
	}
}

const githubPushBody = `{"ref":"refs/heads/release/1.2","before":"b0","after":"a1","created":false,"deleted":false,
	"commits":[{"id":"c1","added":["a.go"],"modified":["b.go"],"removed":[]},
	           {"id":"a1","added":[],"modified":["a.go","docs/x.md"],"removed":["c.go"]}],
	"head_commit":{"id":"a1","message":"m","timestamp":"2024-01-02T03:04:05Z","url":"u","author":{"name":"N","email":"e@x"}},
	"repository":{"full_name":"o/r","clone_url":"https://github.com/o/r.git"}}`

func TestParseGitHubPush(t *testing.T) {
	t.Parallel()

	t.Run("FilesOnceInCommitOrder", func(t *testing.T) {
		t.Parallel()
		ev, err := hostevent.Parse(hostevent.ProviderGitHub, githubHeader("push"), []byte(githubPushBody))
		require.NoError(t, err)
		require.Equal(t, "release/1.2", ev.Branch)
		require.Equal(t, "refs/heads/release/1.2", ev.Ref)
		require.Equal(t, []string{"a.go", "b.go", "docs/x.md", "c.go"}, ev.ChangedFiles)
		require.True(t, ev.FilesListed)
		require.False(t, ev.FilesTruncated)
		require.Equal(t, "N", ev.HeadCommit.AuthorName)
		require.Equal(t, "7", ev.HookID)
	})

	t.Run("FormEncoded", func(t *testing.T) {
		t.Parallel()
		h := githubHeader("push")
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		body := url.Values{"payload": {githubPushBody}}.Encode()
		ev, err := hostevent.Parse(hostevent.ProviderGitHubEnterpriseServer, h, []byte(body))
		require.NoError(t, err)
		require.Equal(t, "release/1.2", ev.Branch)
	})

	t.Run("TruncatedAtTheCommitCap", func(t *testing.T) {
		t.Parallel()
		commits := strings.Repeat(`{"id":"c","added":["f"]},`, 2047) + `{"id":"c","added":["g"]}`
		body := `{"ref":"refs/heads/main","commits":[` + commits + `],"repository":{"full_name":"o/r"}}`
		ev, err := hostevent.Parse(hostevent.ProviderGitHub, githubHeader("push"), []byte(body))
		require.NoError(t, err)
		require.True(t, ev.FilesTruncated)
		require.Equal(t, []string{"f", "g"}, ev.ChangedFiles)
	})

	t.Run("BranchDeleted", func(t *testing.T) {
		t.Parallel()
		body := `{"ref":"refs/heads/gone","before":"b0","after":"0000000000000000000000000000000000000000",
			"created":false,"deleted":true,"commits":[],"head_commit":null,"repository":{"full_name":"o/r"}}`
		ev, err := hostevent.Parse(hostevent.ProviderGitHub, githubHeader("push"), []byte(body))
		require.NoError(t, err)
		require.Equal(t, sluice.GitEventPush, ev.Kind)
		require.Equal(t, "gone", ev.Branch)
		require.True(t, ev.Deleted)
		require.Empty(t, ev.HeadCommit)
		require.Empty(t, ev.ChangedFiles)
	})

	t.Run("OtherRefIgnored", func(t *testing.T) {
		t.Parallel()
		body := `{"ref":"refs/notes/commits","repository":{"full_name":"o/r"}}`
		ev, err := hostevent.Parse(hostevent.ProviderGitHub, githubHeader("push"), []byte(body))
		require.NoError(t, err)
		require.Equal(t, sluice.GitEventIgnored, ev.Kind)
		require.Contains(t, ev.Reason, "refs/notes/commits")
	})
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		provider string
		header   http.Header
		body     string
		want     error
	}{
		{"UnknownProvider", "Gitea", githubHeader("push"), `{}`, hostevent.ErrUnknownProvider},
		{"GitHubNoEventHeader", hostevent.ProviderGitHub, header("X-GitHub-Delivery", "d"), `{}`, hostevent.ErrMalformed},
		{"GitHubPushNotJSON", hostevent.ProviderGitHub, githubHeader("push"), `{"ref":`, hostevent.ErrMalformed},
		{"GitHubPushWrongShape", hostevent.ProviderGitHub, githubHeader("push"), `{"ref":5}`, hostevent.ErrMalformed},
		{"GitHubPullRequestNotJSON", hostevent.ProviderGitHub, githubHeader("pull_request"), `nope`, hostevent.ErrMalformed},
		{"GitHubOtherEventNotJSON", hostevent.ProviderGitHub, githubHeader("issues"), `nope`, hostevent.ErrMalformed},
		{"GitHubBadForm", hostevent.ProviderGitHub, header("X-GitHub-Event", "push", "Content-Type", "application/x-www-form-urlencoded"),
			`payload=%zz`, hostevent.ErrMalformed},
		{"GitLabNoEventHeader", hostevent.ProviderGitLab, header(), `{}`, hostevent.ErrMalformed},
		{"GitLabNotJSON", hostevent.ProviderGitLab, header("X-Gitlab-Event", "Push Hook"), `[`, hostevent.ErrMalformed},
		{"GitLabMergeRequestWrongShape", hostevent.ProviderGitLab, header("X-Gitlab-Event", "Merge Request Hook"),
			`{"object_attributes":{"iid":"one"}}`, hostevent.ErrMalformed},
		{"BitbucketNoEventKey", hostevent.ProviderBitbucket, header(), `{}`, hostevent.ErrMalformed},
		{"BitbucketPushNotJSON", hostevent.ProviderBitbucket, header("X-Event-Key", "repo:push"), `{`, hostevent.ErrMalformed},
		{"BitbucketServerPRNotJSON", hostevent.ProviderBitbucket, header("X-Event-Key", "pr:opened"), `{`, hostevent.ErrMalformed},
		{"BitbucketOtherNotJSON", hostevent.ProviderBitbucket, header("X-Event-Key", "repo:fork"), `{`, hostevent.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev, err := hostevent.Parse(tc.provider, tc.header, []byte(tc.body))
			require.ErrorIs(t, err, tc.want)
			require.Nil(t, ev)
		})
	}
}

func TestParseIgnored(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		provider string
		header   http.Header
		body     string
		reason   string
	}{
		{"GitHubIssues", hostevent.ProviderGitHub, githubHeader("issues"), `{"repository":{"full_name":"o/r"}}`, "issues"},
		{"GitLabNote", hostevent.ProviderGitLab, header("X-Gitlab-Event", "Note Hook"), `{"project":{"path_with_namespace":"g/p"}}`, "Note Hook"},
		{"BitbucketFork", hostevent.ProviderBitbucket, header("X-Event-Key", "repo:fork"), `{"repository":{"full_name":"w/r"}}`, "repo:fork"},
		{"BitbucketDeclined", hostevent.ProviderBitbucket, header("X-Event-Key", "pullrequest:rejected"), `{}`, "declined"},
		{"BitbucketServerDeclined", hostevent.ProviderBitbucket, header("X-Event-Key", "pr:declined"), `{}`, "declined"},
		{"BitbucketServerModified", hostevent.ProviderBitbucket, header("X-Event-Key", "pr:modified"), `{}`, "pr:modified"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev, err := hostevent.Parse(tc.provider, tc.header, []byte(tc.body))
			require.NoError(t, err)
			require.Equal(t, sluice.GitEventIgnored, ev.Kind)
			require.Contains(t, ev.Reason, tc.reason)
		})
	}
}
