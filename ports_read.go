package sluice

import (
	"context"
	"time"
)

// Page asks for one page of a list: Token is what the previous page returned. Limit <= 0
// means 100. The token a list returns is opaque and "" on the last page; a token the store
// did not issue for that list (and order) is EInvalid/NextToken.
type Page struct {
	Token string
	Limit int
}

// ExecutionFilter narrows ListExecutions.
type ExecutionFilter struct {
	Page
	SucceededInStage string
}

// ActionRunFilter narrows ListActionRuns; ExecutionID "" means every execution.
type ActionRunFilter struct {
	Page
	ExecutionID string
}

// PipelineState is the raw material of GetPipelineState.
type PipelineState struct {
	Pipeline         *Pipeline
	Stages           map[string]*StageState
	LatestStageRuns  map[string]*StageRun  // by stage name: the run that started last
	LatestActionRuns map[string]*ActionRun // by "stage/action": the attempt that started last
	// LatestRuleRuns holds, by RuleRunKey, the rule run that started last.
	LatestRuleRuns map[string]*RuleRun
	// LatestExecutions holds, by id, the executions of LatestStageRuns (an execution pruned
	// or deleted meanwhile is absent).
	LatestExecutions map[string]*Execution
	Waiting          []*Execution // active executions waiting in front of a stage, by Seq
}

// Transition is the inbound transition of the stage at index i of the pipeline's current
// declaration: enabled until someone disables it, and the first stage has none (ok false).
func (st *PipelineState) Transition(i int) (t TransitionState, ok bool) {
	stages := st.Pipeline.Declaration.Stages
	if i <= 0 || i >= len(stages) {
		return TransitionState{}, false
	}
	if row := st.Stages[stages[i].Name]; row != nil {
		return row.Transition, true
	}
	return TransitionState{Enabled: true}, true
}

// Reader answers the read-only API calls.
type Reader interface {
	// GetPipeline returns version (0 = current) of the named pipeline: ENotFound/Pipeline
	// with "does not have a pipeline with name '<name>'" in the message when absent,
	// ENotFound/PipelineVersion when the version does not exist.
	GetPipeline(ctx context.Context, name string, version int) (*Pipeline, error)
	// ListPipelines returns one page of pipelines, at their current versions, by name.
	ListPipelines(ctx context.Context, p Page) ([]*Pipeline, string, error)
	// GetExecution returns one execution of the pipeline (ENotFound/PipelineExecution for
	// an unknown id or another pipeline's).
	GetExecution(ctx context.Context, pipeline, id string) (*Execution, error)
	// ListExecutions returns one page of executions, newest first (by StartTime).
	ListExecutions(ctx context.Context, pipeline string, f ExecutionFilter) ([]*Execution, string, error)
	// ListActionRuns returns one page of action runs, newest first (by StartTime).
	ListActionRuns(ctx context.Context, pipeline string, f ActionRunFilter) ([]*ActionRun, string, error)
	// ListRuleRuns returns one page of rule runs, newest first (by StartTime): ENotFound/
	// Pipeline for an unknown pipeline, ENotFound/PipelineExecution for an ExecutionID that is
	// not one of its executions.
	ListRuleRuns(ctx context.Context, pipeline string, f RuleRunFilter) ([]*RuleRun, string, error)
	// GetActionRun returns one action run of the pipeline (ENotFound/ActionExecution for an
	// unknown id or another pipeline's).
	GetActionRun(ctx context.Context, pipeline, id string) (*ActionRun, error)
	// PipelineState keys the latest stage run by stage name and the latest action attempt
	// by "stage/action", for the stages and actions of the current declaration; Waiting
	// holds the active executions with WaitingAt set, by Seq.
	PipelineState(ctx context.Context, pipeline string) (*PipelineState, error)
	// ActivePipelines names every pipeline with an InProgress or Stopping execution (for
	// restart).
	ActivePipelines(ctx context.Context) ([]string, error)
	// DueActions returns InProgress action runs and rule runs whose deadline is at or
	// before now, as pipeline name and run id pairs.
	DueActions(ctx context.Context, now time.Time) ([]ActionRef, error)
	// NextDeadline returns the earliest deadline of any InProgress action or rule run, even a past
	// one, and false when there is none.
	NextDeadline(ctx context.Context) (time.Time, bool, error)
}

// ActionRef points at one action run (or rule run: ActionRunID is then the rule run's id).
type ActionRef struct {
	PipelineName string
	ActionRunID  string
}

// WatchIndex is the index of watched sources (see Watches). The store keeps it in the
// transaction of every pipeline version it writes (CreatePipeline and SavePipeline index the
// declaration they store, DeletePipeline drops the pipeline's entries), so it is never
// behind the pipelines.
type WatchIndex interface {
	// Watching returns the source actions watching w, ordered by pipeline and action.
	Watching(ctx context.Context, w Watched) ([]SourceWatch, error)
	// WatchingKind returns every source action watching something of kind, ordered by
	// scope, name, pipeline and action.
	WatchingKind(ctx context.Context, kind WatchKind) ([]SourceWatch, error)
}
