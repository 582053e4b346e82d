package api

import (
	"context"

	"sluice"
	"sluice/service"
)

type stageExecution struct {
	PipelineExecutionID string `json:"pipelineExecutionId"`
	Status              string `json:"status"`
	Type                string `json:"type,omitempty"`
}

type transitionState struct {
	Enabled        bool   `json:"enabled"`
	LastChangedBy  string `json:"lastChangedBy,omitempty"`
	LastChangedAt  *epoch `json:"lastChangedAt,omitempty"`
	DisabledReason string `json:"disabledReason,omitempty"`
}

type errorDetails struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

type actionExecution struct {
	ActionExecutionID    string        `json:"actionExecutionId,omitempty"`
	Status               string        `json:"status,omitempty"`
	Summary              string        `json:"summary,omitempty"`
	LastStatusChange     *epoch        `json:"lastStatusChange,omitempty"`
	Token                string        `json:"token,omitempty"`
	LastUpdatedBy        string        `json:"lastUpdatedBy,omitempty"`
	ExternalExecutionID  string        `json:"externalExecutionId,omitempty"`
	ExternalExecutionURL string        `json:"externalExecutionUrl,omitempty"`
	PercentComplete      int           `json:"percentComplete,omitempty"`
	ErrorDetails         *errorDetails `json:"errorDetails,omitempty"`
}

type actionRevision struct {
	RevisionID       string `json:"revisionId"`
	RevisionChangeID string `json:"revisionChangeId"`
	Created          *epoch `json:"created"`
}

type actionState struct {
	ActionName      string           `json:"actionName"`
	CurrentRevision *actionRevision  `json:"currentRevision,omitempty"`
	LatestExecution *actionExecution `json:"latestExecution,omitempty"`
	EntityURL       string           `json:"entityUrl,omitempty"`
	RevisionURL     string           `json:"revisionUrl,omitempty"`
}

type stageState struct {
	StageName              string           `json:"stageName"`
	InboundExecution       *stageExecution  `json:"inboundExecution,omitempty"`
	InboundExecutions      []stageExecution `json:"inboundExecutions,omitempty"`
	InboundTransitionState *transitionState `json:"inboundTransitionState,omitempty"` // none into the first stage
	ActionStates           []actionState    `json:"actionStates"`
	LatestExecution        *stageExecution  `json:"latestExecution,omitempty"`
	// The condition states and retry metadata (conditionstate.go).
	BeforeEntryConditionState *stageConditionState `json:"beforeEntryConditionState,omitempty"`
	OnSuccessConditionState   *stageConditionState `json:"onSuccessConditionState,omitempty"`
	OnFailureConditionState   *stageConditionState `json:"onFailureConditionState,omitempty"`
	RetryStageMetadata        *retryStageMetadata  `json:"retryStageMetadata,omitempty"`
}

func (s *Server) getPipelineState(ctx context.Context, c *call) (any, error) {
	name, err := nameCall(c, nameRule)
	if err != nil {
		return nil, err
	}
	view, err := s.Service.PipelineStateView(ctx, c.caller, name)
	if err != nil {
		return nil, err
	}
	st := view.PipelineState
	d := st.Pipeline.Declaration
	out := struct {
		PipelineName    string       `json:"pipelineName"`
		PipelineVersion int          `json:"pipelineVersion"`
		StageStates     []stageState `json:"stageStates"`
		Created         *epoch       `json:"created,omitempty"`
		Updated         *epoch       `json:"updated,omitempty"`
	}{PipelineName: d.Name, PipelineVersion: d.Version, Created: ts(st.Pipeline.Created), Updated: ts(st.Pipeline.Updated)}
	link := func(run *sluice.ActionRun, t sluice.ActionTypeID) string { return s.logLink(d.Name, run, t) }
	for i, stage := range d.Stages {
		ss := stateOfStage(view, stage, i, link)
		for j, a := range stage.Actions {
			ss.ActionStates[j].EntityURL = s.Service.EntityURL(a)
		}
		out.StageStates = append(out.StageStates, ss)
	}
	return out, nil
}

// stateOfStage renders a stage's state; link gives an action run's externalExecutionUrl.
// An execution's type is absent when the view does not know it.
func stateOfStage(view *service.PipelineStateView, stage sluice.StageDeclaration, index int,
	link func(*sluice.ActionRun, sluice.ActionTypeID) string) stageState {
	st := view.PipelineState
	ss := stageState{StageName: stage.Name, ActionStates: []actionState{}}
	if t, ok := st.Transition(index); ok { // the first stage has no inbound transition, and AWS writes none
		ss.InboundTransitionState = &transitionState{t.Enabled, t.LastChangedBy, ts(t.LastChangedAt), t.DisabledReason}
	}
	if r := st.LatestStageRuns[stage.Name]; r != nil {
		ss.LatestExecution = &stageExecution{r.ExecutionID, string(r.Status), string(view.Types[r.ExecutionID])}
	}
	for _, e := range st.Waiting {
		if e.WaitingAt == stage.Name {
			ss.InboundExecutions = append(ss.InboundExecutions, stageExecution{e.ID, string(e.Status), string(e.ExecutionType())})
		}
	}
	conditionsOfStage(&ss, st, stage)
	if n := len(ss.InboundExecutions); n > 0 {
		ss.InboundExecution = &ss.InboundExecutions[n-1]
	}
	for _, a := range stage.Actions {
		run := st.LatestActionRuns[stage.Name+"/"+a.Name]
		as := stateOfAction(run, a.Name)
		if as.LatestExecution != nil {
			as.LatestExecution.ExternalExecutionURL = link(run, a.ActionTypeID)
		}
		ss.ActionStates = append(ss.ActionStates, as)
	}
	return ss
}

func stateOfAction(run *sluice.ActionRun, name string) actionState {
	as := actionState{ActionName: name}
	if run == nil {
		return as
	}
	ex := &actionExecution{ActionExecutionID: run.ID, Status: string(run.Status), Summary: run.Summary,
		LastStatusChange: ts(run.LastUpdateTime), LastUpdatedBy: run.UpdatedBy, ExternalExecutionID: run.ExternalExecutionID,
		PercentComplete: run.PercentComplete, Token: run.ApprovalToken()} // ExternalExecutionURL: set by the caller, who knows the type
	if run.ErrorCode != "" || run.ErrorMessage != "" {
		ex.ErrorDetails = &errorDetails{run.ErrorCode, run.ErrorMessage}
	}
	as.LatestExecution = ex
	if r := run.Revision; r != nil {
		as.CurrentRevision = &actionRevision{r.RevisionID, firstNonEmpty(r.ChangeIdentifier, r.RevisionID), ts(r.Created)}
		as.RevisionURL = r.URL
	}
	return as
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
