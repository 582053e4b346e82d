package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testRuleRuns checks sluice.Reader.ListRuleRuns and sluice.Page.
func testRuleRuns(t *testing.T, open func(*testing.T) sluice.Store) {
	// setupRuns stores two executions of app with rule runs [a1 a2 b1 a3 b2] in start order,
	// and one rule run of another pipeline.
	type runs struct {
		f        *fixture
		a, b     *sluice.Execution
		all, ofA []string // newest first
	}
	setupRuns := func(t *testing.T) runs {
		f := setup(t, open)
		f.createPipeline("app")
		f.createPipeline("other")
		a, b := f.execution("app", sluice.ExecutionSucceeded), f.execution("app", sluice.ExecutionInProgress)
		x := f.execution("other", sluice.ExecutionInProgress)
		f.apply("other", insert(x, f.ruleRun(x, "Build", sluice.ConditionBeforeEntry, "Gate", sluice.RuleInProgress)))
		a1 := f.ruleRun(a, "Build", sluice.ConditionBeforeEntry, "Gate", sluice.RuleSucceeded)
		a2 := f.ruleRun(a, "Build", sluice.ConditionOnSuccess, "Alarm", sluice.RuleSucceeded)
		b1 := f.ruleRun(b, "Build", sluice.ConditionBeforeEntry, "Gate", sluice.RuleSucceeded)
		a3 := f.ruleRun(a, "Build", sluice.ConditionOnSuccess, "Alarm", sluice.RuleFailed)
		b2 := f.ruleRun(b, "Build", sluice.ConditionOnSuccess, "Alarm", sluice.RuleInProgress)
		f.apply("app", insert(a, b, b2, a3, b1, a2, a1)) // insertion order must not matter
		return runs{f, a, b, []string{b2.ID, a3.ID, b1.ID, a2.ID, a1.ID}, []string{a3.ID, a2.ID, a1.ID}}
	}
	list := func(t *testing.T, f *fixture, filter sluice.RuleRunFilter) []string {
		return pageIDs(t, 10, ruleID, func(token string) ([]*sluice.RuleRun, string, error) {
			filter.Token = token
			return f.s.ListRuleRuns(f.ctx, "app", filter)
		})
	}

	t.Run("NewestFirstInPages", func(t *testing.T) {
		t.Parallel()
		x := setupRuns(t)
		require.Equal(t, x.all, list(t, x.f, sluice.RuleRunFilter{Page: sluice.Page{Limit: 2}}))
		require.Equal(t, x.all, list(t, x.f, sluice.RuleRunFilter{}))
	})

	t.Run("OfOneExecution", func(t *testing.T) {
		t.Parallel()
		x := setupRuns(t)
		require.Equal(t, x.ofA, list(t, x.f, sluice.RuleRunFilter{ExecutionID: x.a.ID, Page: sluice.Page{Limit: 2}}))
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
