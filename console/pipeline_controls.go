package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"sluice"
	"sluice/service"
)

// The pipeline page's forms. Each calls one use case of the core as the signed-in user,
// recorded in the audit trail under the API operation's name with the request the API would
// have taken, then sends the browser back to the page (303) with a notice, or draws the
// page again with the core's answer beside the form. The core asks the policies; the page
// only leaves out the controls they would refuse.

// pipeRelease starts an execution (the console's "Release change").
func (c *Console) pipeRelease(w http.ResponseWriter, r *http.Request, s *session) {
	p := service.StartParams{Pipeline: r.PathValue("name"), ClientToken: strings.TrimSpace(r.PostForm.Get("client_token"))}
	params := map[string]any{"name": p.Pipeline}
	if p.ClientToken != "" {
		params["clientRequestToken"] = p.ClientToken
	}
	var id string
	_, err := c.act(r, s, "", "StartPipelineExecution", params, func(ctx context.Context) (any, error) {
		var err error
		id, err = c.Service.StartExecution(ctx, s.caller, p)
		return map[string]string{"pipelineExecutionId": id}, err
	})
	if err != nil {
		c.pipeRefused(w, r, s, "release", err)
		return
	}
	pipeDone(w, r, "released", url.Values{"execution": {id}})
}

// pipeStop stops an execution, waiting for its running actions or abandoning them.
func (c *Console) pipeStop(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	p := service.StopParams{Pipeline: r.PathValue("name"), ExecutionID: f.Get("execution"),
		Abandon: f.Get("mode") == "abandon", Reason: strings.TrimSpace(f.Get("reason"))}
	params := map[string]any{"pipelineName": p.Pipeline, "pipelineExecutionId": p.ExecutionID, "abandon": p.Abandon, "reason": p.Reason}
	_, err := c.act(r, s, "", "StopPipelineExecution", params, func(ctx context.Context) (any, error) {
		return map[string]string{"pipelineExecutionId": p.ExecutionID}, c.Service.StopExecution(ctx, s.caller, p)
	})
	if err != nil {
		c.pipeRefused(w, r, s, "stop", err)
		return
	}
	pipeDone(w, r, "stopped", url.Values{"execution": {p.ExecutionID}})
}

// pipeRetry retries a stage of an execution: its failed actions, or all of them.
func (c *Console) pipeRetry(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	p := service.RetryParams{Pipeline: r.PathValue("name"), Stage: f.Get("stage"), ExecutionID: f.Get("execution"),
		Mode: sluice.RetryMode(f.Get("mode"))}
	if p.Mode != sluice.RetryAllActions {
		p.Mode = sluice.RetryFailedActions
	}
	params := map[string]any{"pipelineName": p.Pipeline, "stageName": p.Stage, "pipelineExecutionId": p.ExecutionID, "retryMode": p.Mode}
	_, err := c.act(r, s, "", "RetryStageExecution", params, func(ctx context.Context) (any, error) {
		return map[string]string{"pipelineExecutionId": p.ExecutionID}, c.Service.RetryStage(ctx, s.caller, p)
	})
	if err != nil {
		c.pipeRefused(w, r, s, "retry:"+p.Stage, err)
		return
	}
	pipeDone(w, r, "retried", url.Values{"execution": {p.ExecutionID}, "stage": {p.Stage}})
}

// pipeApprove answers a waiting manual approval with the reviewer's comment.
func (c *Console) pipeApprove(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	p := service.ApprovalParams{Pipeline: r.PathValue("name"), Stage: f.Get("stage"), Action: f.Get("action"),
		Token: f.Get("token"), Approved: f.Get("result") == "Approved", Summary: strings.TrimSpace(f.Get("comment"))}
	status := "Rejected"
	if p.Approved {
		status = "Approved"
	}
	params := map[string]any{"pipelineName": p.Pipeline, "stageName": p.Stage, "actionName": p.Action,
		"result": map[string]string{"summary": p.Summary, "status": status}, "token": p.Token}
	_, err := c.act(r, s, "", "PutApprovalResult", params, func(ctx context.Context) (any, error) {
		at, err := c.Service.PutApprovalResult(ctx, s.caller, p)
		return map[string]any{"approvedAt": at.Unix()}, err
	})
	if err != nil {
		c.pipeRefused(w, r, s, "approve:"+p.Stage+":"+p.Action, err)
		return
	}
	pipeDone(w, r, strings.ToLower(status), url.Values{"stage": {p.Stage}})
}

// pipeTransition enables or disables the transition into a stage; disabling needs a reason.
func (c *Console) pipeTransition(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	p := service.TransitionParams{Pipeline: r.PathValue("name"), Stage: f.Get("stage"),
		Enabled: f.Get("enable") == "true", Reason: strings.TrimSpace(f.Get("reason"))}
	form := "transition:" + p.Stage
	if !p.Enabled && p.Reason == "" {
		c.showPipeline(w, r, s, http.StatusBadRequest, pipeFormError{For: form, Message: "Say why the transition is disabled: the reason is shown to everyone who opens the pipeline."})
		return
	}
	op, what := "EnableStageTransition", "enabled"
	params := map[string]any{"pipelineName": p.Pipeline, "stageName": p.Stage, "transitionType": "Inbound"}
	if !p.Enabled {
		op, what = "DisableStageTransition", "disabled"
		params["reason"] = p.Reason
	}
	_, err := c.act(r, s, "", op, params, func(ctx context.Context) (any, error) {
		return nil, c.Service.SetTransition(ctx, s.caller, p)
	})
	if err != nil {
		c.pipeRefused(w, r, s, form, err)
		return
	}
	pipeDone(w, r, what, url.Values{"stage": {p.Stage}})
}
