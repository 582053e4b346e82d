package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

// condDecl is pipeApprovalDecl with an entry condition on Review: a Commands rule, which
// runs as a job that no one in these tests answers, so the condition stays InProgress.
func condDecl(name string) sluice.PipelineDeclaration {
	d := pipeApprovalDecl(name, "")
	smoke := sluice.RuleDeclaration{Name: "Smoke", Commands: []string{"curl -f https://staging.example/health"},
		RuleTypeID:     sluice.RuleTypeID{Category: sluice.RuleCategory, Owner: sluice.OwnerAWS, Provider: "Commands", Version: "1"},
		InputArtifacts: []sluice.InputArtifact{{Name: "Code"}}}
	d.Stages[1].BeforeEntry = &sluice.BeforeEntryCondition{Conditions: []sluice.Condition{{Result: sluice.ResultFail,
		Rules: []sluice.RuleDeclaration{smoke}}}}
	return d
}

// condWaiting creates condDecl("app") and runs its source: Review's entry condition waits.
func (f *fixture) condWaiting() string {
	f.pipeCreate(condDecl("app"))
	f.pipeRunSources()
	run := f.pipeState("app").LatestStageRuns["Review"]
	require.NotNil(f.t, run)
	c := run.Condition(sluice.ConditionBeforeEntry)
	require.NotNil(f.t, c, "Review evaluates its entry condition")
	require.Equal(f.t, sluice.ConditionInProgress, c.Status)
	return run.ExecutionID
}

func TestPipelineConditions(t *testing.T) {
	t.Parallel()
	t.Run("EntryConditionWaiting", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.condWaiting()
		_, page := f.root().get("/pipelines/app")
		block := between(t, page, `aria-label="Entry condition of Review"`, "</div>")
		require.Contains(t, block, `<span class="status run">InProgress</span>`)
		require.Contains(t, block, "if it fails: FAIL")
		require.Contains(t, block, `<span class="rule-name">Smoke</span> <span class="status run">InProgress</span>`)
		require.Contains(t, block, `action="/pipelines/app/override"`)
		require.Contains(t, block, `name="type" value="BEFORE_ENTRY"`)
		require.Less(t, strings.Index(page, "Entry condition of Review"), strings.Index(page, "Approval/AWS/Manual"), "the entry condition above the actions")

		_, page = f.pipeReader().get("/pipelines/app")
		require.Contains(t, page, "Entry condition of Review", "a reader sees the condition")
		require.NotContains(t, page, "/override", "and no Override")
	})
	t.Run("Override", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id := f.condWaiting()
		b := f.root()
		resp, _ := b.submit("/pipelines/app", "/pipelines/app/override", url.Values{"stage": {"Review"}, "execution": {id}, "type": {"BEFORE_ENTRY"}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		st := f.pipeState("app")
		require.Equal(t, sluice.ConditionOverridden, st.LatestStageRuns["Review"].Condition(sluice.ConditionBeforeEntry).Status)
		require.Equal(t, sluice.ActionInProgress, st.LatestActionRuns["Review/Gate"].Status, "the actions started")
		require.Len(t, f.pipeEvents("OverrideStageCondition"), 1)

		_, page := b.get(resp.Header.Get("Location"))
		require.Contains(t, page, "Condition overridden: stage Review of execution "+id+" goes on.")
		block := between(t, page, `aria-label="Entry condition of Review"`, "</div>")
		require.Contains(t, block, "Overridden")
		require.Contains(t, block, "Overridden by arn:aws:iam::"+account+":root")
		require.Contains(t, block, `<span class="status off">Abandoned</span>`, "the rule was abandoned")
		require.NotContains(t, block, "/override", "nothing left to override")

		_, page = b.get("/pipelines/app/executions/" + id)
		block = between(t, page, `aria-label="Entry condition of Review"`, "</div>")
		require.Contains(t, block, "Overridden")
		require.Contains(t, block, `<span class="rule-name">Smoke</span> <span class="status off">Abandoned</span>`)
		require.NotContains(t, block, "/override", "the execution page changes nothing")
	})
	t.Run("ErrNotOverridable", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id := f.condWaiting()
		resp, page := f.root().submit("/pipelines/app", "/pipelines/app/override", url.Values{"stage": {"Review"}, "execution": {id}, "type": {"ON_SUCCESS"}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, page, `<p class="error" role="alert">`)
		evs := f.pipeEvents("OverrideStageCondition")
		require.Len(t, evs, 1)
		require.Equal(t, "ConditionNotOverridableException", evs[0].ErrorCode)
		require.Equal(t, sluice.ConditionInProgress, f.pipeState("app").LatestStageRuns["Review"].Condition(sluice.ConditionBeforeEntry).Status)
	})
	t.Run("Retries", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.pipeCreate(pipeApprovalDecl("app", ""))
		f.pipeRunSources()
		id := f.pipeExecutions("app")[0].ID
		_, err := f.core.PutApprovalResult(f.ctx, rootCaller, service.ApprovalParams{Pipeline: "app", Stage: "Review", Action: "Gate",
			Token: f.pipeGateToken("app"), Summary: "no"})
		require.NoError(t, err)
		_, page := f.root().get("/pipelines/app")
		require.NotContains(t, page, "Retried", "never retried yet")
		require.NoError(t, f.core.RetryStage(f.ctx, rootCaller, service.RetryParams{Pipeline: "app", Stage: "Review", ExecutionID: id, Mode: sluice.RetryFailedActions}))
		_, page = f.root().get("/pipelines/app")
		require.Contains(t, page, `<p class="muted retries">Retried manually 1×</p>`)
	})
}

// between is the part of s from the first from to the next to after it.
func between(t *testing.T, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, from)
	require.GreaterOrEqual(t, i, 0, "no %q in the page", from)
	j := strings.Index(s[i:], to)
	require.GreaterOrEqual(t, j, 0)
	return s[i : i+j]
}
