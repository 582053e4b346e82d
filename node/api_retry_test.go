package node_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func (c *conformance) retry(pipeline, stageName, exec string, mode types.StageRetryMode) (string, error) {
	out, err := c.CP.RetryStageExecution(c.ctx, &codepipeline.RetryStageExecutionInput{PipelineName: aws.String(pipeline),
		StageName: aws.String(stageName), PipelineExecutionId: aws.String(exec), RetryMode: mode})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.PipelineExecutionId), nil
}

// attempts lists the statuses of an action's runs in one execution, oldest first.
func (c *conformance) attempts(t *testing.T, pipeline, exec, action string) []types.ActionExecutionStatus {
	t.Helper()
	var out []types.ActionExecutionStatus
	runs := c.ActionRuns(t, pipeline, exec)
	for i := len(runs) - 1; i >= 0; i-- { // newest first on the wire
		if aws.ToString(runs[i].ActionName) == action {
			out = append(out, runs[i].Status)
		}
	}
	return out
}

// actionRunsFiltered lists an execution's action runs with the latestInPipelineExecution
// filter, maxResults at a time.
func (c *conformance) actionRunsFiltered(t *testing.T, pipeline, exec string, r types.StartTimeRange, max int32) []types.ActionExecutionDetail {
	t.Helper()
	var out []types.ActionExecutionDetail
	pages := codepipeline.NewListActionExecutionsPaginator(c.CP, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String(pipeline),
		MaxResults: aws.Int32(max), Filter: &types.ActionExecutionFilter{
			LatestInPipelineExecution: &types.LatestInPipelineExecutionFilter{PipelineExecutionId: aws.String(exec), StartTimeRange: r}}})
	for pages.HasMorePages() {
		page, err := pages.NextPage(c.ctx)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.ActionExecutionDetails), int(max))
		out = append(out, page.ActionExecutionDetails...)
	}
	return out
}

func (c *conformance) latestRuns(t *testing.T, pipeline, exec string, r types.StartTimeRange) map[string]types.ActionExecutionStatus {
	t.Helper()
	out := map[string]types.ActionExecutionStatus{}
	for _, d := range c.actionRunsFiltered(t, pipeline, exec, r, 100) {
		_, dup := out[aws.ToString(d.ActionName)]
		require.False(t, dup, "%s listed twice", aws.ToString(d.ActionName))
		out[aws.ToString(d.ActionName)] = d.Status
	}
	return out
}

func TestRetryStageExecution(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)

	t.Run("FailedActionsResumesSameExecution", func(t *testing.T) {
		t.Parallel()
		marker := newGate(t)
		exec := c.Create(t, pipeline("retry-failed",
			stage("Run", cmdAction("Flaky", marker.Check()), cmdAction("Steady", "true")),
			stage("Next", cmdAction("Next", "true"))))
		c.WaitStatus(t, "retry-failed", exec, types.PipelineExecutionStatusFailed)
		st := stageState(t, c.State(t, "retry-failed"), "Run")
		require.Equal(t, types.StageExecutionStatusFailed, st.LatestExecution.Status)

		marker.Open(t)
		got, err := c.retry("retry-failed", "Run", exec, types.StageRetryModeFailedActions)
		require.NoError(t, err)
		require.Equal(t, exec, got)
		c.WaitStatus(t, "retry-failed", exec, types.PipelineExecutionStatusSucceeded)

		require.Len(t, c.Executions(t, "retry-failed"), 1, "a retry starts no new execution")
		require.Equal(t, []types.ActionExecutionStatus{types.ActionExecutionStatusFailed, types.ActionExecutionStatusSucceeded},
			c.attempts(t, "retry-failed", exec, "Flaky"), "ListActionExecutions keeps both attempts")
		require.Equal(t, []types.ActionExecutionStatus{types.ActionExecutionStatusSucceeded},
			c.attempts(t, "retry-failed", exec, "Steady"), "FAILED_ACTIONS does not re-run what succeeded")
		require.Equal(t, []types.ActionExecutionStatus{types.ActionExecutionStatusSucceeded}, c.attempts(t, "retry-failed", exec, "Next"))

		latest := c.latestRuns(t, "retry-failed", exec, types.StartTimeRangeLatest)
		require.Equal(t, map[string]types.ActionExecutionStatus{"Source": types.ActionExecutionStatusSucceeded,
			"Flaky": types.ActionExecutionStatusSucceeded, "Steady": types.ActionExecutionStatusSucceeded,
			"Next": types.ActionExecutionStatusSucceeded}, latest, "startTimeRange Latest keeps the latest attempt of each action")
		require.Len(t, c.actionRunsFiltered(t, "retry-failed", exec, types.StartTimeRangeAll, 1), 5, "startTimeRange All keeps every attempt")
		require.Len(t, c.actionRunsFiltered(t, "retry-failed", exec, types.StartTimeRangeLatest, 1), 4, "one per page")
	})

	t.Run("AllActionsReRunsStage", func(t *testing.T) {
		t.Parallel()
		marker := newGate(t)
		exec := c.Create(t, pipeline("retry-all", stage("Run", cmdAction("Flaky", marker.Check()), cmdAction("Steady", "true"))))
		c.WaitStatus(t, "retry-all", exec, types.PipelineExecutionStatusFailed)
		marker.Open(t)
		_, err := c.retry("retry-all", "Run", exec, types.StageRetryModeAllActions)
		require.NoError(t, err)
		c.WaitStatus(t, "retry-all", exec, types.PipelineExecutionStatusSucceeded)
		require.Len(t, c.attempts(t, "retry-all", exec, "Steady"), 2)
	})

	t.Run("ErrSucceededStage", func(t *testing.T) {
		t.Parallel()
		exec := c.Create(t, pipeline("retry-ok", stage("Run", cmdAction("Ok", "true"))))
		c.WaitStatus(t, "retry-ok", exec, types.PipelineExecutionStatusSucceeded)
		_, err := c.retry("retry-ok", "Run", exec, types.StageRetryModeFailedActions)
		requireAPIError(t, err, "StageNotRetryableException", "Run")
		_, err = c.retry("retry-ok", "Run", exec, types.StageRetryModeAllActions)
		requireAPIError(t, err, "StageNotRetryableException", "Run")
	})

	t.Run("ErrUnknownExecution", func(t *testing.T) {
		t.Parallel()
		c.Create(t, pipeline("retry-unknown", stage("Hold", approval("Hold"))))
		_, err := c.retry("retry-unknown", "Hold", "00000000-0000-0000-0000-000000000000", types.StageRetryModeFailedActions)
		// The model has no not-found exception for RetryStageExecution (docs/compatibility.md).
		requireAPIError(t, err, "StageNotRetryableException", "00000000-0000-0000-0000-000000000000")
	})

	t.Run("ErrUnknownStage", func(t *testing.T) {
		t.Parallel()
		exec := c.Create(t, pipeline("retry-stage", stage("Hold", approval("Hold"))))
		_, err := c.retry("retry-stage", "Nope", exec, types.StageRetryModeFailedActions)
		requireAPIError(t, err, "StageNotFoundException", "Nope")
	})

	t.Run("ErrBadMode", func(t *testing.T) {
		t.Parallel()
		exec := c.Create(t, pipeline("retry-mode", stage("Hold", approval("Hold"))))
		_, err := c.retry("retry-mode", "Hold", exec, "SOME_ACTIONS")
		requireAPIError(t, err, "ValidationException", "retryMode")
	})

	t.Run("ErrPipelineNotFound", func(t *testing.T) {
		t.Parallel()
		_, err := c.retry("never-created", "Run", "00000000-0000-0000-0000-000000000000", types.StageRetryModeFailedActions)
		requireAPIError(t, err, "PipelineNotFoundException", "never-created")
	})
}
