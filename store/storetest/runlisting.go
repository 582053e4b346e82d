package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// runListing is what the listings of a pipeline's runs (action runs, rule runs) are checked
// on: two executions of app, a (Succeeded) then b (InProgress), with five runs
// [a1 a2 b1 a3 b2] in start order, and a run of an execution of other, which app's listings
// must leave out.
type runListing struct {
	f        *fixture
	a, b     *sluice.Execution
	all, ofA []string // the ids of app's runs and of a's, newest first
}

// seedRuns stores a runListing whose runs mk makes, in start order: i is 0 for other's run,
// then 1 to 5 for a1 a2 b1 a3 b2.
func seedRuns[R any](t *testing.T, open func(*testing.T) sluice.Store, mk func(f *fixture, e *sluice.Execution, i int) *R, id func(*R) string) runListing {
	f := setup(t, open)
	f.createPipeline("app")
	f.createPipeline("other")
	a, b := f.execution("app", sluice.ExecutionSucceeded), f.execution("app", sluice.ExecutionInProgress)
	x := f.execution("other", sluice.ExecutionInProgress)
	f.apply("other", insert(x, mk(f, x, 0)))
	var r [5]*R
	for i, e := range []*sluice.Execution{a, a, b, a, b} {
		r[i] = mk(f, e, i+1)
	}
	f.apply("app", insert(a, b, r[4], r[3], r[2], r[1], r[0])) // insertion order must not matter
	return runListing{f, a, b, ids([]*R{r[4], r[3], r[2], r[1], r[0]}, id), ids([]*R{r[3], r[1], r[0]}, id)}
}

// testRunPages checks a listing of app's runs: newest first, in pages or at once, and of one
// execution. list lists the runs of execution execID ("" for every one), limit a page.
func testRunPages(t *testing.T, seed func(*testing.T) runListing, list func(t *testing.T, x runListing, execID string, limit int) []string) {
	t.Run("NewestFirstInPages", func(t *testing.T) {
		t.Parallel()
		x := seed(t)
		require.Equal(t, x.all, list(t, x, "", 2))
		require.Equal(t, x.all, list(t, x, "", 0))
	})

	t.Run("OfOneExecution", func(t *testing.T) {
		t.Parallel()
		x := seed(t)
		require.Equal(t, x.ofA, list(t, x, x.a.ID, 2))
	})
}
