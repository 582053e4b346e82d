package hostevent_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/hostevent"
)

func TestParseGitLabMergeRequestActions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		action string
		oldrev string
		want   sluice.PullRequestAction // "": ignored
		merged bool
	}{
		{"Open", "open", "", sluice.PullRequestOpen, false},
		{"Reopen", "reopen", "", sluice.PullRequestOpen, false},
		{"UpdateWithCommits", "update", "0ff1ce", sluice.PullRequestUpdated, false},
		{"UpdateWithoutCommits", "update", "", "", false},
		{"Merge", "merge", "", sluice.PullRequestClosed, true},
		{"Close", "close", "", sluice.PullRequestClosed, false},
		{"Approved", "approved", "", "", false},
		{"NoAction", "", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := fmt.Sprintf(`{"object_kind":"merge_request","project":{"path_with_namespace":"g/p","git_http_url":"https://gl/g/p.git"},
				"object_attributes":{"iid":3,"title":"T","url":"https://gl/g/p/-/merge_requests/3","action":%q,"oldrev":%q,
				"source_branch":"feat","target_branch":"main","last_commit":{"id":"abc","message":"m","author":{"name":"N","email":"e"}}}}`,
				tc.action, tc.oldrev)
			h := header("X-Gitlab-Event", "Merge Request Hook", "X-Gitlab-Event-UUID", "u-1", "X-Gitlab-Webhook-UUID", "hook")
			ev, err := hostevent.Parse(hostevent.ProviderGitLabSelfManaged, h, []byte(body))
			require.NoError(t, err)
			require.Equal(t, "u-1", ev.DeliveryID, "without an Idempotency-Key, the event UUID")
			require.Empty(t, ev.HookID, "X-Gitlab-Webhook-UUID is new per request: it names no hook")
			require.Equal(t, "g/p", ev.Repository)
			if tc.want == "" {
				require.Equal(t, sluice.GitEventIgnored, ev.Kind)
				require.Contains(t, ev.Reason, "merge request")
				return
			}
			require.Equal(t, sluice.GitEventPullRequest, ev.Kind)
			require.Equal(t, &sluice.GitPullRequest{Number: 3, Action: tc.want, Merged: tc.merged, SourceBranch: "feat",
				TargetBranch: "main", HeadCommitID: "abc", Title: "T", URL: "https://gl/g/p/-/merge_requests/3"}, ev.PullRequest)
			require.Equal(t, "N", ev.HeadCommit.AuthorName)
		})
	}
}

func TestParseGitLabPush(t *testing.T) {
	t.Parallel()

	t.Run("BranchDeleted", func(t *testing.T) {
		t.Parallel()
		body := `{"object_kind":"push","ref":"refs/heads/old","before":"b0","after":"0000000000000000000000000000000000000000",
			"checkout_sha":null,"commits":[],"total_commits_count":0,"project":{"path_with_namespace":"g/p"}}`
		ev, err := hostevent.Parse(hostevent.ProviderGitLab, header("X-Gitlab-Event", "Push Hook"), []byte(body))
		require.NoError(t, err)
		require.True(t, ev.Deleted)
		require.False(t, ev.Created)
		require.Empty(t, ev.HeadCommit.ID)
	})

	t.Run("SystemHook", func(t *testing.T) {
		t.Parallel()
		body := `{"object_kind":"push","event_name":"push","ref":"refs/heads/main","before":"0000000000000000000000000000000000000000",
			"after":"a1","checkout_sha":"a1","commits":[{"id":"a1","message":"m","added":["x"]}],"total_commits_count":1,
			"project":{"path_with_namespace":"g/p"}}`
		ev, err := hostevent.Parse(hostevent.ProviderGitLab, header("X-Gitlab-Event", "System Hook"), []byte(body))
		require.NoError(t, err)
		require.Equal(t, sluice.GitEventPush, ev.Kind)
		require.True(t, ev.Created)
		require.False(t, ev.FilesTruncated)
		require.Equal(t, []string{"x"}, ev.ChangedFiles)
		require.Equal(t, "m", ev.HeadCommit.Message)
	})

	t.Run("AnnotatedTagTipIsTheCommit", func(t *testing.T) {
		t.Parallel()
		body := `{"object_kind":"tag_push","ref":"refs/tags/v2","before":"0000000000000000000000000000000000000000",
			"after":"7a90b1ec","checkout_sha":"c0ffee","commits":[],"total_commits_count":0,"project":{"path_with_namespace":"g/p"}}`
		ev, err := hostevent.Parse(hostevent.ProviderGitLab, header("X-Gitlab-Event", "Tag Push Hook"), []byte(body))
		require.NoError(t, err)
		require.Equal(t, "v2", ev.Tag)
		require.Equal(t, "c0ffee", ev.HeadCommit.ID)
		require.Equal(t, "7a90b1ec", ev.After)
	})
}

// TestGitLabIdempotencyKey: GitLab keeps Idempotency-Key across retries and resends, while
// the event UUID changes per attempt, so the key is the delivery id.
func TestGitLabIdempotencyKey(t *testing.T) {
	t.Parallel()
	body := `{"object_kind":"push","ref":"refs/heads/main","before":"a","after":"b","project":{"path_with_namespace":"g/p"},"commits":[]}`
	for _, attempt := range []string{"uuid-1", "uuid-2"} {
		h := header("X-Gitlab-Event", "Push Hook", "X-Gitlab-Event-UUID", attempt, "Idempotency-Key", "key-7")
		ev, err := hostevent.Parse(hostevent.ProviderGitLab, h, []byte(body))
		require.NoError(t, err)
		require.Equal(t, "key-7", ev.DeliveryID)
	}
}
