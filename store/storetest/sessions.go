package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testSessions checks sluice.SessionStore.
func testSessions(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("RoundTrip", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		s := &sluice.ConsoleSession{ID: "h1", AccessKeyID: "AKIA1", Principal: acct + "user/bob", Created: at(1), Expires: at(100)}
		require.NoError(t, f.s.PutConsoleSession(f.ctx, s))
		got, err := f.s.GetConsoleSession(f.ctx, "h1")
		require.NoError(t, err)
		require.Equal(t, s, got)
		require.NoError(t, f.s.DeleteConsoleSession(f.ctx, "h1"))
		_, err = f.s.GetConsoleSession(f.ctx, "h1")
		requireCode(t, err, sluice.ENotFound, "ConsoleSession")
		require.NoError(t, f.s.DeleteConsoleSession(f.ctx, "h1"), "deleting a session that is gone is no error")
	})
	t.Run("Prune", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		for i, exp := range []int{10, 20, 30} {
			require.NoError(t, f.s.PutConsoleSession(f.ctx, &sluice.ConsoleSession{ID: string(rune('a' + i)), AccessKeyID: "K", Principal: "P", Created: at(1), Expires: at(exp)}))
		}
		n, err := f.s.PruneConsoleSessions(f.ctx, at(25))
		require.NoError(t, err)
		require.Equal(t, 2, n)
		_, err = f.s.GetConsoleSession(f.ctx, "c")
		require.NoError(t, err, "a session that expires after the time stays")
	})
}
