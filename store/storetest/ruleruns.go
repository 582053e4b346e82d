package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testRuleRuns checks sluice.Reader.ListRuleRuns and sluice.Page.
func testRuleRuns(t *testing.T, open func(*testing.T) sluice.Store) {
	// seedRuns' runs, all in stage Build: other's, then a1 a2 b1 a3 b2.
	runs := []struct {
		cond   sluice.ConditionType
		rule   string
		status sluice.RuleStatus
	}{
		{sluice.ConditionBeforeEntry, "Gate", sluice.RuleInProgress},
		{sluice.ConditionBeforeEntry, "Gate", sluice.RuleSucceeded},
		{sluice.ConditionOnSuccess, "Alarm", sluice.RuleSucceeded},
		{sluice.ConditionBeforeEntry, "Gate", sluice.RuleSucceeded},
		{sluice.ConditionOnSuccess, "Alarm", sluice.RuleFailed},
		{sluice.ConditionOnSuccess, "Alarm", sluice.RuleInProgress},
	}
	setupRuns := func(t *testing.T) runListing {
		return seedRuns(t, open, func(f *fixture, e *sluice.Execution, i int) *sluice.RuleRun {
			r := runs[i]
			return f.ruleRun(e, "Build", r.cond, r.rule, r.status)
		}, ruleID)
	}
	testRunPages(t, setupRuns, func(t *testing.T, x runListing, execID string, limit int) []string {
		return pageIDs(t, 10, ruleID, func(token string) ([]*sluice.RuleRun, string, error) {
			return x.f.s.ListRuleRuns(x.f.ctx, "app", sluice.RuleRunFilter{ExecutionID: execID, Page: sluice.Page{Token: token, Limit: limit}})
		})
	})

	t.Run("NoneYet", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		e := f.execution("app", sluice.ExecutionInProgress)
		f.apply("app", insert(e))
		for _, filter := range []sluice.RuleRunFilter{{}, {ExecutionID: e.ID}} {
			rs, next, err := f.s.ListRuleRuns(f.ctx, "app", filter)
			require.NoError(t, err)
			require.Empty(t, rs)
			require.Empty(t, next)
		}
	})

	t.Run("ErrUnknownPipelineOrExecution", func(t *testing.T) {
		t.Parallel()
		x := setupRuns(t)
		f := x.f
		_, _, err := f.s.ListRuleRuns(f.ctx, "nope", sluice.RuleRunFilter{})
		requireCode(t, err, sluice.ENotFound, "Pipeline")
		_, _, err = f.s.ListRuleRuns(f.ctx, "nope", sluice.RuleRunFilter{ExecutionID: x.a.ID})
		requireCode(t, err, sluice.ENotFound, "Pipeline")
		_, _, err = f.s.ListRuleRuns(f.ctx, "app", sluice.RuleRunFilter{ExecutionID: "no-such-execution"})
		requireCode(t, err, sluice.ENotFound, "PipelineExecution")
		_, _, err = f.s.ListRuleRuns(f.ctx, "other", sluice.RuleRunFilter{ExecutionID: x.a.ID})
		requireCode(t, err, sluice.ENotFound, "PipelineExecution")
	})

	t.Run("ErrForeignToken", func(t *testing.T) {
		t.Parallel()
		x := setupRuns(t)
		f := x.f
		_, _, err := f.s.ListRuleRuns(f.ctx, "app", sluice.RuleRunFilter{Page: sluice.Page{Token: "bogus"}})
		requireCode(t, err, sluice.EInvalid, "NextToken")
		_, execToken, err := f.s.ListExecutions(f.ctx, "app", sluice.ExecutionFilter{Page: sluice.Page{Limit: 1}})
		require.NoError(t, err)
		require.NotEmpty(t, execToken)
		_, _, err = f.s.ListRuleRuns(f.ctx, "app", sluice.RuleRunFilter{Page: sluice.Page{Token: execToken}})
		requireCode(t, err, sluice.EInvalid, "NextToken") // a token of another list
	})
}
