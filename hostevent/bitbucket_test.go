package hostevent_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/hostevent"
)

// A Bitbucket Cloud push of three refs: a new tag, an updated branch, a deleted branch.
const bitbucketMultiPush = `{"repository":{"full_name":"w/r"},"push":{"changes":[
	{"new":{"type":"tag","name":"v1","target":{"hash":"t1"}},"old":null,"created":true,"closed":false},
	{"new":{"type":"branch","name":"main","target":{"hash":"n1","message":"m","date":"2024-05-06T07:08:09+00:00",
		"author":{"raw":"Jane Doe <jane@example.com>","user":{"display_name":"Jane"}},
		"links":{"html":{"href":"https://bitbucket.org/w/r/commits/n1"}}}},
	 "old":{"type":"branch","name":"main","target":{"hash":"o1"}},"created":false,"closed":false,"truncated":true},
	{"new":null,"old":{"type":"branch","name":"gone","target":{"hash":"g1"}},"created":false,"closed":true}]}}`

func TestParseBitbucketPushOfSeveralRefs(t *testing.T) {
	t.Parallel()
	h := header("X-Event-Key", "repo:push", "X-Request-UUID", "req-1", "X-Hook-UUID", "{hook}")
	ev, err := hostevent.Parse(hostevent.ProviderBitbucket, h, []byte(bitbucketMultiPush))
	require.NoError(t, err)
	all := ev.All()
	require.Len(t, all, 3)
	for _, e := range all {
		require.Equal(t, sluice.GitEventPush, e.Kind)
		require.Equal(t, "req-1", e.DeliveryID)
		require.Equal(t, "{hook}", e.HookID)
		require.Equal(t, "w/r", e.Repository)
		require.Equal(t, "https://bitbucket.org/w/r.git", e.CloneURL)
		require.False(t, e.FilesListed)
		require.Nil(t, e.More)
	}
	require.Equal(t, "v1", all[0].Tag)
	require.True(t, all[0].Created)
	require.Equal(t, "0000000000000000000000000000000000000000", all[0].Before)

	require.Equal(t, "main", all[1].Branch)
	require.Equal(t, "o1", all[1].Before)
	require.Equal(t, "n1", all[1].After)
	require.True(t, all[1].FilesTruncated)
	require.Equal(t, "Jane Doe", all[1].HeadCommit.AuthorName)
	require.Equal(t, "jane@example.com", all[1].HeadCommit.AuthorEmail)
	require.Equal(t, "https://bitbucket.org/w/r/commits/n1", all[1].HeadCommit.URL)
	require.Equal(t, 2024, all[1].HeadCommit.Timestamp.Year())

	require.Equal(t, "gone", all[2].Branch)
	require.True(t, all[2].Deleted)
	require.Equal(t, "0000000000000000000000000000000000000000", all[2].After)
}

func TestParseBitbucketPushWithoutChanges(t *testing.T) {
	t.Parallel()
	ev, err := hostevent.Parse(hostevent.ProviderBitbucket, header("X-Event-Key", "repo:push"), []byte(`{"push":{"changes":[]}}`))
	require.NoError(t, err)
	require.Equal(t, sluice.GitEventIgnored, ev.Kind)
}

func TestParseBitbucketPullRequestEvents(t *testing.T) {
	t.Parallel()
	cloud := `{"repository":{"full_name":"w/r"},"pullrequest":{"id":4,"title":"T","links":{"html":{"href":"https://bitbucket.org/w/r/pull-requests/4"}},
		"source":{"branch":{"name":"feat"},"commit":{"hash":"s1"}},"destination":{"branch":{"name":"main"}}}}`
	server := `{"pullRequest":{"id":4,"title":"T","links":{"self":[{"href":"https://bb/pr/4"}]},
		"fromRef":{"id":"refs/heads/feat","displayId":"feat","latestCommit":"s1"},
		"toRef":{"id":"refs/heads/main","displayId":"main","repository":{"slug":"r","project":{"key":"P"}}}}}`
	for _, tc := range []struct {
		key    string
		body   string
		want   sluice.PullRequestAction
		merged bool
	}{
		{"pullrequest:created", cloud, sluice.PullRequestOpen, false},
		{"pullrequest:updated", cloud, sluice.PullRequestUpdated, false},
		{"pullrequest:fulfilled", cloud, sluice.PullRequestClosed, true},
		{"pr:opened", server, sluice.PullRequestOpen, false},
		{"pr:from_ref_updated", server, sluice.PullRequestUpdated, false},
		{"pr:merged", server, sluice.PullRequestClosed, true},
	} {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			ev, err := hostevent.Parse(hostevent.ProviderBitbucket, header("X-Event-Key", tc.key), []byte(tc.body))
			require.NoError(t, err)
			require.Equal(t, sluice.GitEventPullRequest, ev.Kind)
			pr := ev.PullRequest
			require.Equal(t, tc.want, pr.Action)
			require.Equal(t, tc.merged, pr.Merged)
			require.Equal(t, "feat", pr.SourceBranch)
			require.Equal(t, "main", pr.TargetBranch)
			require.Equal(t, "s1", pr.HeadCommitID)
			require.Equal(t, 4, pr.Number)
		})
	}
}

func TestParseBitbucketServer(t *testing.T) {
	t.Parallel()

	t.Run("Ping", func(t *testing.T) {
		t.Parallel()
		ev, err := hostevent.Parse(hostevent.ProviderBitbucketServer, header("X-Event-Key", "diagnostics:ping", "X-Request-Id", "r-9"), []byte(`{"test":true}`))
		require.NoError(t, err)
		require.Equal(t, sluice.GitEventPing, ev.Kind)
		require.Equal(t, "r-9", ev.DeliveryID)
	})

	t.Run("TagAdded", func(t *testing.T) {
		t.Parallel()
		body := `{"actor":{"displayName":"Foo","emailAddress":"foo@bar"},
			"repository":{"slug":"r","project":{"key":"P"},"links":{"clone":[{"href":"ssh://x","name":"ssh"},{"href":"https://bb/scm/p/r.git","name":"http"}]}},
			"changes":[{"refId":"refs/tags/v3","fromHash":"0000000000000000000000000000000000000000","toHash":"t3","type":"ADD"}]}`
		ev, err := hostevent.Parse(hostevent.ProviderBitbucket, header("X-Event-Key", "repo:refs_changed"), []byte(body))
		require.NoError(t, err)
		require.Equal(t, "v3", ev.Tag)
		require.True(t, ev.Created)
		require.Equal(t, "P/r", ev.Repository)
		require.Equal(t, "https://bb/scm/p/r.git", ev.CloneURL)
		require.Equal(t, sluice.GitCommit{ID: "t3", AuthorName: "Foo", AuthorEmail: "foo@bar"}, ev.HeadCommit)
	})
}
