package node_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
)

// TestListDeployActionExecutionTargets reads the target records of an action execution
// through aws-sdk-go-v2: none for an action that deployed to no host, those a provider
// wrote (here, the store directly: no provider writes them yet) with the TARGET_STATUS
// filter and pages, and the model's errors for unknown pipelines and action executions.
func TestListDeployActionExecutionTargets(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	exec := c.Create(t, pipeline("targets", stage("Deploy", cmdAction("Hosts", "true"))))
	c.WaitStatus(t, "targets", exec, types.PipelineExecutionStatusSucceeded)
	runs := c.ActionRuns(t, "targets", exec)
	require.NotEmpty(t, runs)
	var run string
	for _, r := range runs {
		if aws.ToString(r.ActionName) == "Hosts" {
			run = aws.ToString(r.ActionExecutionId)
		}
	}
	require.NotEmpty(t, run)
	list := func(in *codepipeline.ListDeployActionExecutionTargetsInput) ([]types.DeployActionExecutionTarget, error) {
		var out []types.DeployActionExecutionTarget
		pages := codepipeline.NewListDeployActionExecutionTargetsPaginator(c.CP, in)
		for pages.HasMorePages() {
			page, err := pages.NextPage(c.ctx)
			if err != nil {
				return nil, err
			}
			require.NotNil(t, page.Targets)
			out = append(out, page.Targets...)
		}
		return out, nil
	}

	t.Run("NoneWithoutTargets", func(t *testing.T) {
		t.Parallel()
		got, err := list(&codepipeline.ListDeployActionExecutionTargetsInput{PipelineName: aws.String("targets"), ActionExecutionId: aws.String(run)})
		require.NoError(t, err)
		require.Empty(t, got)
	})

	t.Run("RecordsFilteredInPages", func(t *testing.T) {
		t.Parallel()
		other := c.Create(t, pipeline("targets-hosts", stage("Deploy", cmdAction("Hosts", "true"))))
		c.WaitStatus(t, "targets-hosts", other, types.PipelineExecutionStatusSucceeded)
		id := aws.ToString(c.ActionRuns(t, "targets-hosts", other)[0].ActionExecutionId)
		start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		for i, status := range []string{"Succeeded", "Failed", "Succeeded", "InProgress"} {
			tg := &sluice.DeployTarget{ActionRunID: id, TargetID: "i-" + string(rune('a'+i)), TargetType: "EC2Instance", Status: status, StartTime: start}
			if i == 0 {
				tg.EndTime = start.Add(time.Minute)
				tg.Events = []sluice.DeployTargetEvent{{Name: "Install", Status: "Succeeded", StartTime: start, EndTime: start.Add(time.Minute), SSMCommandID: "cmd-1", Message: "installed"}}
			}
			require.NoError(t, c.Node.DB.PutDeployTarget(c.ctx, tg))
		}
		got, err := list(&codepipeline.ListDeployActionExecutionTargetsInput{ActionExecutionId: aws.String(id), MaxResults: aws.Int32(1),
			Filters: []types.TargetFilter{{Name: types.TargetFilterNameTargetStatus, Values: []string{"Succeeded", "Failed"}}}})
		require.NoError(t, err)
		var ids []string
		for _, tg := range got {
			ids = append(ids, aws.ToString(tg.TargetId))
		}
		require.Equal(t, []string{"i-a", "i-b", "i-c"}, ids)
		a := got[0]
		require.Equal(t, "EC2Instance", aws.ToString(a.TargetType))
		require.Equal(t, "Succeeded", aws.ToString(a.Status))
		require.True(t, start.Equal(aws.ToTime(a.StartTime)))
		require.True(t, start.Add(time.Minute).Equal(aws.ToTime(a.EndTime)))
		require.Len(t, a.Events, 1)
		require.Equal(t, "Install", aws.ToString(a.Events[0].Name))
		require.Equal(t, "cmd-1", aws.ToString(a.Events[0].Context.SsmCommandId))
		require.Equal(t, "installed", aws.ToString(a.Events[0].Context.Message))
		require.Nil(t, got[1].EndTime)
	})

	t.Run("ErrUnknownPipeline", func(t *testing.T) {
		t.Parallel()
		_, err := list(&codepipeline.ListDeployActionExecutionTargetsInput{PipelineName: aws.String("no-such"), ActionExecutionId: aws.String(run)})
		requireAPIError(t, err, "PipelineNotFoundException", "no-such")
	})

	t.Run("ErrUnknownActionExecution", func(t *testing.T) {
		t.Parallel()
		_, err := list(&codepipeline.ListDeployActionExecutionTargetsInput{PipelineName: aws.String("targets"), ActionExecutionId: aws.String("no-such-run")})
		requireAPIError(t, err, "ActionExecutionNotFoundException", "no-such-run")
		_, err = list(&codepipeline.ListDeployActionExecutionTargetsInput{ActionExecutionId: aws.String("no-such-run")})
		requireAPIError(t, err, "ActionExecutionNotFoundException", "no-such-run")
	})

	t.Run("ErrBadInput", func(t *testing.T) {
		t.Parallel()
		_, err := c.CP.ListDeployActionExecutionTargets(c.ctx, &codepipeline.ListDeployActionExecutionTargetsInput{ActionExecutionId: aws.String(run),
			Filters: []types.TargetFilter{{Name: "STATUS", Values: []string{"Succeeded"}}}})
		requireAPIError(t, err, "ValidationException", "filters.1.member.name")
		_, err = c.CP.ListDeployActionExecutionTargets(c.ctx, &codepipeline.ListDeployActionExecutionTargetsInput{ActionExecutionId: aws.String(run), NextToken: aws.String("bogus")})
		requireAPIError(t, err, "InvalidNextTokenException", "")
	})
}
