package sluice

import "time"

// StageState is the durable per-stage state of a pipeline that is not part of any execution.
type StageState struct {
	Transition TransitionState
	// LatestExecutionID is the execution that most recently entered the stage; only it may
	// retry the stage.
	LatestExecutionID string
}

// Snapshot is what the engine decides on: one pipeline's current definition and every
// execution that can still change (plus any the caller asked for), read in the transaction
// that will apply the decision.
type Snapshot struct {
	Pipeline     *Pipeline
	Declarations map[int]*PipelineDeclaration // by version: the current one and every loaded execution's
	Stages       map[string]*StageState       // by stage name; a stage without a row has defaults
	Executions   []*Execution                 // ordered by Seq
	StageRuns    []*StageRun
	ActionRuns   []*ActionRun // every attempt, ordered by StartTime
	RuleRuns     []*RuleRun   // every rule evaluation, ordered by StartTime
	// RollbackTargets names, by stage, the newest execution of the current version (not
	// itself a rollback) whose run of that stage succeeded; only stages whose declaration
	// can roll back are looked up, and every named execution is loaded in Executions.
	RollbackTargets map[string]string
	Jobs            []*Job // open jobs of the loaded executions
	Now             time.Time
}

// Change is one row a Plan inserts (Insert) or updates from the status From; an update whose
// row no longer has status From is a conflict and the whole plan is rolled back.
type Change[T any, S ~string] struct {
	Row    *T
	Insert bool
	From   S
}

// Plan is a decision: every row to write, committed by Tx.Apply in one transaction.
type Plan struct {
	Executions []Change[Execution, ExecutionStatus]
	StageRuns  []Change[StageRun, StageStatus]
	ActionRuns []Change[ActionRun, ActionStatus]
	RuleRuns   []Change[RuleRun, RuleStatus]
	Jobs       []Change[Job, JobStatus]
	Stages     map[string]*StageState // upserted whole
	Events     []Event
}

// Empty reports whether the plan writes nothing.
func (p *Plan) Empty() bool {
	return len(p.Executions)+len(p.StageRuns)+len(p.ActionRuns)+len(p.RuleRuns)+len(p.Jobs)+len(p.Stages)+len(p.Events) == 0
}
