package githost

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPushShowsOnPushLines: what onPush returns is printed by git's own client as
// "remote:" lines of the push, after its report.
func TestPushShowsOnPushLines(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		work := b.create(t, "app")
		b.commit(t, work, "first", map[string]string{"a.txt": "a\n"})
		out := b.git(t, work, "push", "origin", "main")
		require.Contains(t, out, "remote: pushed app")
		require.Contains(t, out, "main -> main") // the report is still there
		<-b.pushes
	})
	t.Run("QuietPushStillWorks", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		work := b.create(t, "app")
		sha := b.commit(t, work, "first", map[string]string{"a.txt": "a\n"})
		b.git(t, work, "push", "--quiet", "origin", "main")
		<-b.pushes
		require.Equal(t, sha, b.git(t, work, "ls-remote", "origin", "refs/heads/main")[:40])
	})
	t.Run("NothingChangedPrintsNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		work := b.create(t, "app")
		b.commit(t, work, "first", map[string]string{"a.txt": "a\n"})
		b.git(t, work, "push", "origin", "main")
		<-b.pushes
		out := b.git(t, work, "push", "origin", "main")
		require.NotContains(t, out, "remote:")
	})
}
