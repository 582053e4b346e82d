package main

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
)

// board is what `sluice status` and `sluice watch` draw: one execution of a pipeline seen
// through its stages, as the console's pipeline view shows it.
type board struct {
	Pipeline       string
	Execution      string
	Status         string // the execution's
	Summary        string // the execution's status summary
	Commit         string // short id of its first source revision
	Message        string
	Stages         []stageBox
	Endpoint       string // for the approval hint
	ExecutionEnded bool
}

// stageBox is one stage of a board.
type stageBox struct {
	Name      string
	Status    string // "" when the execution has not reached it
	Elsewhere string // the execution the stage is on when another one
	Disabled  string // the reason its inbound transition is disabled, when it is
	Actions   []actionRow
}

// actionRow is one action of a stage.
type actionRow struct {
	Name, Provider, Status, Summary string
	Start, End                      *time.Time
	Token                           string // an approval waiting for an answer
}

// failed names the actions of b that failed, as STAGE/ACTION.
func (b *board) failed() []string {
	var out []string
	for _, s := range b.Stages {
		for _, a := range s.Actions {
			if a.Status == string(types.ActionExecutionStatusFailed) || a.Status == string(types.ActionExecutionStatusAbandoned) {
				out = append(out, s.Name+"/"+a.Name)
			}
		}
	}
	return out
}

// latestExecution is the id of pipeline's newest execution.
func latestExecution(ctx context.Context, cp *codepipeline.Client, pipeline string) (string, error) {
	out, err := cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{
		PipelineName: aws.String(pipeline), MaxResults: aws.Int32(1)})
	if err != nil {
		return "", err
	}
	if len(out.PipelineExecutionSummaries) == 0 {
		return "", nil
	}
	return aws.ToString(out.PipelineExecutionSummaries[0].PipelineExecutionId), nil
}

// loadBoard reads the board of execution ("" when the pipeline has none yet) from
// GetPipeline (the stages and providers), GetPipelineState (where each stage is, tokens,
// transitions), GetPipelineExecution (status, commit) and ListActionExecutions (durations).
func loadBoard(ctx context.Context, cp *codepipeline.Client, pipeline, execution string) (*board, error) {
	p, err := cp.GetPipeline(ctx, &codepipeline.GetPipelineInput{Name: aws.String(pipeline)})
	if err != nil {
		return nil, err
	}
	st, err := cp.GetPipelineState(ctx, &codepipeline.GetPipelineStateInput{Name: aws.String(pipeline)})
	if err != nil {
		return nil, err
	}
	b := &board{Pipeline: pipeline, Execution: execution}
	var runs []types.ActionExecutionDetail
	if execution != "" {
		e, err := cp.GetPipelineExecution(ctx, &codepipeline.GetPipelineExecutionInput{
			PipelineName: aws.String(pipeline), PipelineExecutionId: aws.String(execution)})
		if err != nil {
			return nil, err
		}
		b.head(e.PipelineExecution)
		if runs, err = actionExecutions(ctx, cp, pipeline, execution); err != nil {
			return nil, err
		}
	}
	states := map[string]types.StageState{}
	for _, s := range st.StageStates {
		states[aws.ToString(s.StageName)] = s
	}
	for _, decl := range p.Pipeline.Stages {
		b.Stages = append(b.Stages, stageOf(decl, states[aws.ToString(decl.Name)], execution, runs))
	}
	return b, nil
}

// head fills the execution's own fields.
func (b *board) head(e *types.PipelineExecution) {
	b.Status, b.Summary = string(e.Status), aws.ToString(e.StatusSummary)
	switch e.Status {
	case types.PipelineExecutionStatusInProgress, types.PipelineExecutionStatusStopping:
	default:
		b.ExecutionEnded = true
	}
	if len(e.ArtifactRevisions) > 0 {
		r := e.ArtifactRevisions[0]
		b.Commit, b.Message = firstRevision([]types.SourceRevision{{RevisionId: r.RevisionId, RevisionSummary: r.RevisionSummary}})
	}
}

// stageOf is one stage of the board: its actions as they ran in execution (their newest
// attempt), and the state's token of a waiting approval.
func stageOf(decl types.StageDeclaration, state types.StageState, execution string, runs []types.ActionExecutionDetail) stageBox {
	name := aws.ToString(decl.Name)
	s := stageBox{Name: name}
	if t := state.InboundTransitionState; t != nil && !t.Enabled {
		s.Disabled = firstNonEmpty(aws.ToString(t.DisabledReason), "no reason given")
	}
	here := state.LatestExecution != nil && aws.ToString(state.LatestExecution.PipelineExecutionId) == execution
	if state.LatestExecution != nil && !here && execution != "" {
		s.Elsewhere = aws.ToString(state.LatestExecution.PipelineExecutionId)
	}
	if here {
		s.Status = string(state.LatestExecution.Status)
	}
	tokens := map[string]string{}
	for _, a := range state.ActionStates {
		if here && a.LatestExecution != nil && a.LatestExecution.Status == types.ActionExecutionStatusInProgress {
			tokens[aws.ToString(a.ActionName)] = aws.ToString(a.LatestExecution.Token)
		}
	}
	for _, a := range decl.Actions {
		row := actionRow{Name: aws.ToString(a.Name), Token: tokens[aws.ToString(a.Name)]}
		if a.ActionTypeId != nil {
			row.Provider = aws.ToString(a.ActionTypeId.Provider)
		}
		if r := newestRun(runs, name, row.Name); r != nil { // runs are newest first
			row.Status, row.Start, row.End = string(r.Status), r.StartTime, r.LastUpdateTime
			if r.Output != nil && r.Output.ExecutionResult != nil {
				row.Summary = aws.ToString(r.Output.ExecutionResult.ExternalExecutionSummary)
			}
		}
		s.Actions = append(s.Actions, row)
	}
	if s.Status == "" {
		s.Status = derivedStatus(s.Actions)
	}
	return s
}

func newestRun(runs []types.ActionExecutionDetail, stage, action string) *types.ActionExecutionDetail {
	for i := range runs {
		if aws.ToString(runs[i].StageName) == stage && aws.ToString(runs[i].ActionName) == action {
			return &runs[i]
		}
	}
	return nil
}

// derivedStatus is a stage's status from its actions, for a stage the state shows on another
// execution: failed if one failed, running if one runs, done if all are; "" if none ran.
func derivedStatus(actions []actionRow) string {
	done, ran := 0, 0
	for _, a := range actions {
		switch a.Status {
		case "":
			continue
		case "Failed", "Abandoned":
			return "Failed"
		case "InProgress":
			return "InProgress"
		case "Succeeded":
			done++
		}
		ran++
	}
	switch {
	case ran == 0:
		return ""
	case done == len(actions):
		return "Succeeded"
	}
	return "Stopped" // an older execution that left the stage part done
}
