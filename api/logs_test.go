package api

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestLogLink(t *testing.T) {
	t.Parallel()
	commands := sluice.ActionTypeID{Category: "Compute", Owner: "AWS", Provider: "Commands", Version: "1"}
	approval := sluice.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}
	s := &Server{LogURL: harnessLogURL, HasLog: harnessHasLog}

	t.Run("LoggedType", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "http://sluice.test/v1/logs/app/run-1", s.logLink("app", &sluice.ActionRun{ID: "run-1"}, commands))
	})
	t.Run("WorkerURLWins", func(t *testing.T) {
		t.Parallel()
		run := &sluice.ActionRun{ID: "run-1", ExternalExecutionURL: "https://ci.example/build/7"}
		require.Equal(t, "https://ci.example/build/7", s.logLink("app", run, commands))
	})
	t.Run("TypeWithoutLog", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, s.logLink("app", &sluice.ActionRun{ID: "run-1"}, approval))
	})
	t.Run("NoLogURL", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, (&Server{}).logLink("app", &sluice.ActionRun{ID: "run-1"}, commands))
	})
	t.Run("PathEscaped", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "http://h/v1/logs/a%20b/r%2F1", LogURL("http://h", "a b", "r/1"))
	})
}

func TestLogQuery(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		query  string
		offset int64
		follow bool
		err    bool
	}{
		"Defaults":      {query: ""},
		"OffsetFollow":  {query: "offset=12&follow=true", offset: 12, follow: true},
		"ErrNegative":   {query: "offset=-1", err: true},
		"ErrNotANumber": {query: "offset=ten", err: true},
		"ErrFollow":     {query: "follow=maybe", err: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			q, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			offset, follow, err := logQuery(q)
			if tc.err {
				require.True(t, sluice.IsCode(err, sluice.EInvalid), "err: %v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.offset, offset)
			require.Equal(t, tc.follow, follow)
		})
	}
}
