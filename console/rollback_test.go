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

// rollbackReady creates pipeApprovalDecl("app") and runs its first execution to success:
// the target a rollback of Review can go back to.
func (f *fixture) rollbackReady() string {
	f.pipeCreate(pipeApprovalDecl("app", ""))
	f.pipeRunSources()
	f.approveGate()
	e := f.pipeExecutions("app")[0]
	require.Equal(f.t, sluice.ExecutionSucceeded, e.Status)
	return e.ID
}

// approveGate approves Review's waiting gate through the core.
func (f *fixture) approveGate() {
	_, err := f.core.PutApprovalResult(f.ctx, rootCaller, service.ApprovalParams{Pipeline: "app", Stage: "Review", Action: "Gate",
		Token: f.pipeGateToken("app"), Approved: true, Summary: "ok"})
	require.NoError(f.t, err)
}

func TestPipelineRollback(t *testing.T) {
	t.Parallel()
	t.Run("FormListsTargets", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		good := f.rollbackReady()
		_, page := f.root().get("/pipelines/app")
		require.Equal(t, 1, strings.Count(page, `action="/pipelines/app/rollback"`), "Review only: Source has a source action")
		form := between(t, page, `action="/pipelines/app/rollback"`, "</form>")
		require.Contains(t, form, `name="stage" value="Review"`)
		require.Contains(t, form, `<input type="radio" name="target" value="`+good+`" checked>`)

		_, page = f.pipeReader().get("/pipelines/app")
		require.NotContains(t, page, "/rollback", "a reader is offered no rollback")
	})
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		good := f.rollbackReady()
		b := f.root()
		resp, _ := b.submit("/pipelines/app", "/pipelines/app/rollback", url.Values{"stage": {"Review"}, "target": {good}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		es := f.pipeExecutions("app")
		require.Len(t, es, 2)
		rb := es[0]
		require.Equal(t, sluice.ExecutionRollback, rb.Type)
		require.Equal(t, good, rb.RollbackTarget)
		require.Len(t, f.pipeEvents("RollbackStage"), 1)

		_, page := b.get(resp.Header.Get("Location"))
		require.Contains(t, page, "Stage Review is rolling back to execution "+good+": rollback execution "+rb.ID+" started.")
		badge := `<span class="badge">ROLLBACK</span> to <a class="mono" href="/pipelines/app/executions/` + good + `"`
		review := between(t, page, `<h2 id="stage-1">Review</h2>`, "</header>")
		require.Contains(t, review, badge, "Review's latest execution is the rollback")
		require.NotContains(t, between(t, page, `<h2 id="stage-0">Source</h2>`, "</header>"), "ROLLBACK")

		_, page = b.get("/pipelines/app/executions")
		require.Equal(t, 1, strings.Count(page, badge), "the history marks the rollback, and only it")
		_, page = b.get("/pipelines/app/executions?trigger=ManualRollback")
		require.Contains(t, page, `<option value="ManualRollback" selected>`)
		require.Contains(t, page, rb.ID)
		require.NotContains(t, page, `>`+good+`</a>`, "the filter keeps only rollbacks")
		_, page = b.get("/pipelines/app/executions/" + rb.ID)
		require.Contains(t, page, badge)
		require.Contains(t, page, `<dt>Rollback</dt><dd>Stage Review run again as execution <a class="mono" href="/pipelines/app/executions/`+good+`">`+good+`</a> ran it</dd>`)
	})
	t.Run("ErrStageBusy", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		good := f.rollbackReady()
		_, err := f.core.StartExecution(f.ctx, rootCaller, service.StartParams{Pipeline: "app"})
		require.NoError(t, err)
		f.pipeRunSources() // the new execution waits at Review's gate
		resp, page := f.root().submit("/pipelines/app", "/pipelines/app/rollback", url.Values{"stage": {"Review"}, "target": {good}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, between(t, page, `action="/pipelines/app/rollback"`, `</li>`), `<p class="error" role="alert">`, "the refusal beside the form")
		require.Contains(t, page, `<details class="rollback-form" id="rollback-1" open>`)
		evs := f.pipeEvents("RollbackStage")
		require.Len(t, evs, 1)
		require.Equal(t, "UnableToRollbackStageException", evs[0].ErrorCode)
		require.Len(t, f.pipeExecutions("app"), 2, "no rollback started")
	})
	t.Run("ErrOutdated", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		good := f.rollbackReady()
		decl := pipeApprovalDecl("app", "")
		decl.Version = 1
		decl.Stages[1].Actions[0].Configuration["CustomData"] = "Check production too"
		_, err := f.core.UpdatePipeline(f.ctx, rootCaller, decl)
		require.NoError(t, err)
		resp, page := f.root().submit("/pipelines/app", "/pipelines/app/rollback", url.Values{"stage": {"Review"}, "target": {good}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, page, `<p class="error" role="alert">`)
		evs := f.pipeEvents("RollbackStage")
		require.Len(t, evs, 1)
		require.Equal(t, "PipelineExecutionOutdatedException", evs[0].ErrorCode)
		require.Len(t, f.pipeExecutions("app"), 1, "no rollback started")
	})
	t.Run("ErrNoTarget", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.rollbackReady()
		resp, page := f.root().submit("/pipelines/app", "/pipelines/app/rollback", url.Values{"stage": {"Review"}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, page, "Choose the execution to roll the stage back to.")
		require.Empty(t, f.pipeEvents("RollbackStage"))
	})
}

// TestStageControlsAskTheStage: Override and Roll back are offered as the policies allow them
// on the stage's own ARN, which is what OverrideStageCondition and RollbackStage ask.
func TestStageControlsAskTheStage(t *testing.T) {
	t.Parallel()
	policy := func(stage string) string {
		return `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":["codepipeline:Get*","codepipeline:List*"],"Resource":"*"},
			{"Effect":"Allow","Action":["codepipeline:OverrideStageCondition","codepipeline:RollbackStage"],
			 "Resource":"arn:aws:codepipeline:*:*:app/` + stage + `"}]}`
	}
	for _, tc := range []struct {
		stage string
		offer bool
	}{{"Review", true}, {"Other", false}} {
		t.Run(tc.stage, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.condWaiting()
			id, secret := f.addUser("deployer", policy(tc.stage))
			_, page := f.signIn(id, secret).get("/pipelines/app")
			require.Contains(t, page, "Entry condition of Review")
			require.Equal(t, tc.offer, strings.Contains(page, `action="/pipelines/app/override"`), "Override")
		})
	}
	t.Run("RollbackOnReview", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.rollbackReady()
		id, secret := f.addUser("deployer", policy("Review"))
		_, page := f.signIn(id, secret).get("/pipelines/app")
		require.Contains(t, page, `action="/pipelines/app/rollback"`)
		require.NotContains(t, page, `action="/pipelines/app/release"`, "and nothing else")
	})
}
