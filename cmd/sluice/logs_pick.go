package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
)

// pickAction finds the action execution `sluice logs` reads: of execution (the latest when
// ""), the newest attempt of action (a name or STAGE/ACTION), or when action is "" the
// newest running action, else the newest that failed (what a user of a failed execution
// wants to read), else the newest of all. Approvals have no log and are skipped unless named.
func pickAction(ctx context.Context, cp *codepipeline.Client, pipeline, execution, action string) (*types.ActionExecutionDetail, error) {
	if execution == "" {
		out, err := cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{
			PipelineName: aws.String(pipeline), MaxResults: aws.Int32(1)})
		if err != nil {
			return nil, err
		}
		if len(out.PipelineExecutionSummaries) == 0 {
			return nil, fmt.Errorf("pipeline %s has no executions yet", pipeline)
		}
		execution = aws.ToString(out.PipelineExecutionSummaries[0].PipelineExecutionId)
	}
	runs, err := actionExecutions(ctx, cp, pipeline, execution)
	if err != nil {
		return nil, err
	}
	if action != "" {
		return namedAction(runs, pipeline, execution, action)
	}
	if r := defaultRun(runs); r != nil {
		return r, nil
	}
	return nil, fmt.Errorf("no action with a log has started in execution %s of pipeline %s yet", execution, pipeline)
}

// defaultRun is the run `sluice logs` reads without --action (see pickAction), of runs
// newest first; nil when none has a log.
func defaultRun(runs []types.ActionExecutionDetail) *types.ActionExecutionDetail {
	var newest, failed *types.ActionExecutionDetail
	for i := range runs { // newest first
		r := &runs[i]
		if isApproval(r) {
			continue
		}
		if r.Status == types.ActionExecutionStatusInProgress {
			return r
		}
		if newest == nil {
			newest = r
		}
		if failed == nil && r.Status == types.ActionExecutionStatusFailed {
			failed = r
		}
	}
	if failed != nil {
		return failed
	}
	return newest
}

// isApproval reports whether r is a manual approval's, which has no log.
func isApproval(r *types.ActionExecutionDetail) bool {
	return r.Input != nil && r.Input.ActionTypeId != nil && r.Input.ActionTypeId.Category == types.ActionCategoryApproval
}

// namedAction returns the newest attempt of action, or an error listing the actions that ran.
func namedAction(runs []types.ActionExecutionDetail, pipeline, execution, action string) (*types.ActionExecutionDetail, error) {
	var ran []string
	for i := range runs {
		name := aws.ToString(runs[i].ActionName)
		if action == name || action == aws.ToString(runs[i].StageName)+"/"+name {
			return &runs[i], nil
		}
		if !slices.Contains(ran, name) {
			ran = append(ran, name)
		}
	}
	if len(ran) == 0 {
		return nil, fmt.Errorf("no action named %q: no action has started in execution %s of pipeline %s yet", action, execution, pipeline)
	}
	slices.Sort(ran)
	return nil, fmt.Errorf("no action named %q ran in execution %s of pipeline %s; actions that ran: %s "+
		"(an action that has not started has no log yet)", action, execution, pipeline, strings.Join(ran, ", "))
}

// actionExecutions lists every action execution of one pipeline execution, newest first.
func actionExecutions(ctx context.Context, cp *codepipeline.Client, pipeline, execution string) ([]types.ActionExecutionDetail, error) {
	var out []types.ActionExecutionDetail
	pages := codepipeline.NewListActionExecutionsPaginator(cp, &codepipeline.ListActionExecutionsInput{
		PipelineName: aws.String(pipeline), Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(execution)}})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, page.ActionExecutionDetails...)
	}
	return out, nil
}
