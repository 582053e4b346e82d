package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// pipeGateToken is the open approval's token of pipeline name, as GetPipelineState shows it.
func (f *fixture) pipeGateToken(name string) string {
	run := f.pipeState(name).LatestActionRuns["Review/Gate"]
	require.NotNil(f.t, run, "the gate has not started")
	require.NotEmpty(f.t, run.ApprovalToken(), "the gate is not waiting")
	return run.ApprovalToken()
}

func TestPipelinePage(t *testing.T) {
	t.Parallel()
	t.Run("StagesActionsStatus", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.pipeCreate(pipeApprovalDecl("app", ""))
		f.pipeRunSources()
		resp, body := f.root().get("/pipelines/app")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		id := f.pipeExecutions("app")[0].ID
		require.Contains(t, body, `data-live="app"`)
		require.Less(t, strings.Index(body, `<h2 id="stage-0">Source</h2>`), strings.Index(body, `<h2 id="stage-1">Review</h2>`), "stages top to bottom")
		require.Contains(t, body, "Source/AWS/CodeCommit")
		require.Contains(t, body, "Approval/AWS/Manual")
		require.Contains(t, body, `<span class="status ok">Succeeded</span>`)
		require.Contains(t, body, `<span class="status run">InProgress</span>`)
		require.Contains(t, body, `href="/pipelines/app/executions/`+id+`"`, "the execution each stage is on")
		run := f.pipeState("app").LatestActionRuns["Source/Src"]
		require.Contains(t, body, `href="/pipelines/app/actions/`+run.ID+`"`, "the action run's details and log")
		require.Contains(t, body, "Check the staging site first", "the approval's CustomData")
		require.Contains(t, body, `href="https://staging.example/app"`, "the approval's ExternalEntityLink")
		require.Contains(t, body, `href="/pipelines/app/executions"`)
		require.Contains(t, body, `href="/pipelines/app/definition"`)
		for _, form := range []string{"release", "stop", "approve", "transition"} {
			require.Contains(t, body, `action="/pipelines/app/`+form+`"`, "root sees the %s form", form)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		resp, body := f.root().get("/pipelines/nope")
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		require.Contains(t, body, "nope")
	})
	t.Run("Fragment", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.pipeCreate(pipeApprovalDecl("app", ""))
		b := f.root()
		req, err := http.NewRequest(http.MethodGet, f.srv.URL+"/pipelines/app", nil)
		require.NoError(t, err)
		req.Header.Set("X-Sluice-Fragment", "1")
		resp, err := b.client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	})
	t.Run("WaitingList", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.pipeCreate(pipeApprovalDecl("app", sluice.ModeQueued))
		f.pipeRunSources()
		b := f.root()
		resp, _ := b.submit("/pipelines/app", "/pipelines/app/release", url.Values{})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		f.pipeRunSources()
		st := f.pipeState("app")
		require.Len(t, st.Waiting, 1)
		_, body := b.get("/pipelines/app")
		require.Contains(t, body, "Waiting (1)")
		require.Contains(t, body, `href="/pipelines/app/executions/`+st.Waiting[0].ID+`"`)
	})
}

func TestPipelineRelease(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.pipeCreate(pipeApprovalDecl("app", ""))
	b := f.root()
	resp, _ := b.submit("/pipelines/app", "/pipelines/app/release", url.Values{})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	es := f.pipeExecutions("app")
	require.Len(t, es, 2)
	require.Equal(t, sluice.TriggerStartPipelineExecution, es[0].Trigger.Type)
	require.Equal(t, "/pipelines/app?done=released&execution="+es[0].ID, resp.Header.Get("Location"))
	_, body := b.get(resp.Header.Get("Location"))
	require.Contains(t, body, "Change released: execution "+es[0].ID+" started.")
	evs := f.pipeEvents("StartPipelineExecution")
	require.Len(t, evs, 1)
	require.Contains(t, evs[0].UserAgent, "sluice-console")
	require.Contains(t, string(evs[0].RequestParameters), `"name":"app"`)
}

func TestPipelineApprove(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ result, status, done string }{
		{"Approved", "Succeeded", "approved"},
		{"Rejected", "Failed", "rejected"},
	} {
		t.Run(tc.result, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.pipeCreate(pipeApprovalDecl("app", ""))
			f.pipeRunSources()
			b := f.root()
			token := f.pipeGateToken("app")
			_, page := b.get("/pipelines/app")
			require.Contains(t, page, `name="token" value="`+token+`"`)
			resp, _ := b.submit("/pipelines/app", "/pipelines/app/approve", url.Values{"stage": {"Review"}, "action": {"Gate"},
				"token": {token}, "result": {tc.result}, "comment": {"Looks good on staging"}})
			require.Equal(t, http.StatusSeeOther, resp.StatusCode)
			require.Contains(t, resp.Header.Get("Location"), "done="+tc.done)
			run := f.pipeState("app").LatestActionRuns["Review/Gate"]
			require.Equal(t, sluice.ActionStatus(tc.status), run.Status)
			require.Equal(t, "Looks good on staging", run.Summary)
			require.Equal(t, sluice.ExecutionStatus(tc.status), f.pipeExecutions("app")[0].Status)
			require.Len(t, f.pipeEvents("PutApprovalResult"), 1)
		})
	}
	t.Run("ErrAnsweredAlready", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.pipeCreate(pipeApprovalDecl("app", ""))
		f.pipeRunSources()
		b := f.root()
		form := url.Values{"stage": {"Review"}, "action": {"Gate"}, "token": {f.pipeGateToken("app")}, "result": {"Approved"}}
		resp, _ := b.submit("/pipelines/app", "/pipelines/app/approve", form)
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		resp, body := b.submit("/pipelines/app", "/pipelines/app/approve", form)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, body, `class="error" role="alert"`, "the core's answer is on the page")
	})
}

func TestPipelineRetry(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.pipeCreate(pipeApprovalDecl("app", ""))
	f.pipeRunSources()
	b := f.root()
	resp, _ := b.submit("/pipelines/app", "/pipelines/app/approve", url.Values{"stage": {"Review"}, "action": {"Gate"},
		"token": {f.pipeGateToken("app")}, "result": {"Rejected"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, page := b.get("/pipelines/app")
	require.Contains(t, page, `action="/pipelines/app/retry"`, "a failed stage offers a retry")
	id := f.pipeExecutions("app")[0].ID
	resp, _ = b.submit("/pipelines/app", "/pipelines/app/retry", url.Values{"stage": {"Review"}, "execution": {id}, "mode": {"FAILED_ACTIONS"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, sluice.ExecutionInProgress, f.pipeExecutions("app")[0].Status)
	require.NotEmpty(t, f.pipeGateToken("app"), "the gate waits again")
	_, page = b.get("/pipelines/app")
	require.NotContains(t, page, `action="/pipelines/app/retry"`)
	require.Len(t, f.pipeEvents("RetryStageExecution"), 1)
}

func TestPipelineStop(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.pipeCreate(pipeApprovalDecl("app", ""))
	f.pipeRunSources()
	b := f.root()
	id := f.pipeExecutions("app")[0].ID
	resp, _ := b.submit("/pipelines/app", "/pipelines/app/stop", url.Values{"execution": {id}, "mode": {"abandon"}, "reason": {"wrong branch"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	e := f.pipeExecutions("app")[0]
	require.Contains(t, []sluice.ExecutionStatus{sluice.ExecutionStopping, sluice.ExecutionStopped}, e.Status)
	require.Equal(t, "wrong branch", e.StopReason)
	require.Len(t, f.pipeEvents("StopPipelineExecution"), 1)
}

func TestPipelineTransition(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.pipeCreate(pipeApprovalDecl("app", ""))
	b := f.root()
	resp, _ := b.submit("/pipelines/app", "/pipelines/app/transition", url.Values{"stage": {"Review"}, "reason": {"Deploy freeze until Monday"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	tr, _ := f.pipeState("app").Transition(1)
	require.False(t, tr.Enabled)
	_, page := b.get(resp.Header.Get("Location"))
	require.Contains(t, page, "Transition disabled")
	require.Contains(t, page, "Deploy freeze until Monday")
	require.Contains(t, page, "by arn:aws:iam::"+account+":root")
	require.Contains(t, page, "Enable transition")
	require.Len(t, f.pipeEvents("DisableStageTransition"), 1)

	resp, _ = b.submit("/pipelines/app", "/pipelines/app/transition", url.Values{"stage": {"Review"}, "enable": {"true"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	tr, _ = f.pipeState("app").Transition(1)
	require.True(t, tr.Enabled)
	_, page = b.get("/pipelines/app")
	require.NotContains(t, page, "Deploy freeze until Monday")
	require.Contains(t, page, "Disable transition")
	require.Len(t, f.pipeEvents("EnableStageTransition"), 1)

	t.Run("ErrNoReason", func(t *testing.T) {
		t.Parallel()
		resp, body := b.submit("/pipelines/app", "/pipelines/app/transition", url.Values{"stage": {"Review"}, "reason": {"  "}})
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, body, "Say why the transition is disabled")
		tr, _ := f.pipeState("app").Transition(1)
		require.True(t, tr.Enabled, "nothing changed")
	})
}

// pipePosts are the pipeline page's forms, each with what it would post.
var pipePosts = map[string]url.Values{
	"release":    {},
	"stop":       {"mode": {"abandon"}},
	"retry":      {"stage": {"Review"}, "mode": {"ALL_ACTIONS"}},
	"approve":    {"stage": {"Review"}, "action": {"Gate"}, "result": {"Approved"}},
	"transition": {"stage": {"Review"}, "reason": {"no"}},
	"override":   {"stage": {"Review"}, "type": {"BEFORE_ENTRY"}},
	"rollback":   {"stage": {"Review"}, "target": {"00000000-0000-4000-8000-000000000001"}},
}

func TestPipelineReadOnly(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.pipeCreate(pipeApprovalDecl("app", ""))
	f.pipeRunSources()
	token, id := f.pipeGateToken("app"), f.pipeExecutions("app")[0].ID
	b := f.pipeReader()
	resp, page := b.get("/pipelines/app")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, page, "Check the staging site first", "a reader sees the approval")
	require.NotContains(t, page, `action="/pipelines/app/`, "a reader sees no forms")
	require.NotContains(t, page, "Release change")
	for form, values := range pipePosts {
		v := url.Values{"token": {token}, "execution": {id}}
		for k, vs := range values {
			v[k] = vs
		}
		resp, body := b.submit("/pipelines/app", "/pipelines/app/"+form, v)
		require.Equal(t, http.StatusForbidden, resp.StatusCode, form)
		require.Contains(t, body, "not authorized", form)
	}
	require.Len(t, f.pipeExecutions("app"), 1, "nothing started")
	st := f.pipeState("app")
	require.Equal(t, sluice.ActionInProgress, st.LatestActionRuns["Review/Gate"].Status, "nothing answered")
	tr, _ := st.Transition(1)
	require.True(t, tr.Enabled, "nothing disabled")
	evs := f.pipeEvents("StartPipelineExecution")
	require.Len(t, evs, 1)
	require.Equal(t, "AccessDeniedException", evs[0].ErrorCode)
}

func TestPipelineCSRF(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.pipeCreate(pipeApprovalDecl("app", ""))
	f.pipeRunSources()
	b := f.root()
	token := f.pipeGateToken("app")
	for form, values := range pipePosts {
		for _, csrf := range []string{"", "forged"} {
			v := url.Values{"token": {token}, "csrf": {csrf}}
			for k, vs := range values {
				v[k] = vs
			}
			resp, body := b.post("/pipelines/app/"+form, v)
			require.Equal(t, http.StatusForbidden, resp.StatusCode, form)
			require.Contains(t, body, "security token", form)
		}
	}
	require.Len(t, f.pipeExecutions("app"), 1, "nothing started")
	st := f.pipeState("app")
	require.Equal(t, sluice.ActionInProgress, st.LatestActionRuns["Review/Gate"].Status, "nothing answered")
	tr, _ := st.Transition(1)
	require.True(t, tr.Enabled, "nothing disabled")
	require.Empty(t, f.pipeEvents("StartPipelineExecution"))
}
