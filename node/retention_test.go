package node_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/actionlog"
	"sluice/config"
)

// TestRetention: with --retain 2, a round prunes all but a pipeline's two newest
// executions, and what it pruned is gone from every answer (executions, action executions,
// logs, artifacts) while the kept executions answer as before.
func TestRetention(t *testing.T) {
	t.Parallel()
	c := setupConformanceWith(t, func(cfg *config.Server) { cfg.Retain = config.Retain{Count: 2} })
	name := "retained"
	execs := []string{c.Create(t, pipeline(name, stage("Build", cmdAction("Make", "echo built"))))}
	c.WaitStatus(t, name, execs[0], types.PipelineExecutionStatusSucceeded)
	for range 3 {
		out, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String(name)})
		require.NoError(t, err)
		execs = append(execs, aws.ToString(out.PipelineExecutionId))
		c.WaitStatus(t, name, execs[len(execs)-1], types.PipelineExecutionStatusSucceeded)
	}
	runs := map[string][]*sluice.ActionRun{}
	for _, id := range execs {
		rs, _, err := c.Node.DB.ListActionRuns(c.ctx, name, sluice.ActionRunFilter{ExecutionID: id})
		require.NoError(t, err)
		require.Len(t, rs, 2, "Source and Make ran in %s", id)
		runs[id] = rs
	}

	r, err := c.Node.Retention.Prune(c.ctx)
	require.NoError(t, err)
	require.Equal(t, 2, r.Executions)
	pruned, kept := execs[:2], execs[2:]

	listed := c.Executions(t, name)
	require.Len(t, listed, 2)
	require.ElementsMatch(t, kept, []string{aws.ToString(listed[0].PipelineExecutionId), aws.ToString(listed[1].PipelineExecutionId)})
	all, err := c.CP.ListActionExecutions(c.ctx, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String(name)})
	require.NoError(t, err)
	require.Len(t, all.ActionExecutionDetails, 4, "the kept executions' two runs each")
	for _, d := range all.ActionExecutionDetails {
		require.Contains(t, kept, aws.ToString(d.PipelineExecutionId))
	}
	for _, id := range pruned {
		_, err := c.CP.GetPipelineExecution(c.ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String(name), PipelineExecutionId: aws.String(id)})
		requireAPIError(t, err, "PipelineExecutionNotFoundException", id)
		_, err = c.CP.ListActionExecutions(c.ctx, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String(name),
			Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(id)}})
		requireAPIError(t, err, "PipelineExecutionNotFoundException", id)
		c.requireRunFiles(t, name, runs[id], false)
	}
	for _, id := range kept {
		require.Equal(t, types.PipelineExecutionStatusSucceeded, c.Execution(t, name, id).Status)
		c.requireRunFiles(t, name, runs[id], true)
	}
	status, body := send(t, signedRequest(t, http.MethodGet, c.URL+"/metrics", testSecret, nil))
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, "sluice_pruned_executions_total 2")
	require.Contains(t, body, "sluice_pruned_artifacts_total 2", "each Source run's artifact")
}

// requireRunFiles checks the logs (through the log endpoint) and output artifacts of runs:
// all served, or all gone.
func (c *conformance) requireRunFiles(t *testing.T, pipeline string, runs []*sluice.ActionRun, present bool) {
	t.Helper()
	for _, r := range runs {
		status, body := send(t, signedRequest(t, http.MethodGet, c.URL+actionlog.URLPath(pipeline, r.ID), testSecret, nil))
		for _, a := range r.OutputArtifacts {
			rc, err := c.Node.Artifacts.Open(c.ctx, a.Key)
			if present {
				require.NoError(t, err)
				rc.Close()
			} else {
				require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err), "artifact %s: %v", a.Key, err)
			}
		}
		if !present {
			require.Equal(t, http.StatusNotFound, status, body)
			continue
		}
		require.Equal(t, http.StatusOK, status, body)
		if r.ActionName == "Make" {
			require.True(t, strings.Contains(body, "built"), body)
		}
	}
}

// TestRetentionKeepsRollbackTargets: past the count, the execution a failed Deploy rolls back
// to stays, with its artifacts, while the other executions go; a later failure still rolls
// back to it, and a ROLLBACK execution goes like any other once it has ended.
func TestRetentionKeepsRollbackTargets(t *testing.T) {
	t.Parallel()
	c := setupConformanceWith(t, func(cfg *config.Server) { cfg.Retain = config.Retain{Count: 1} })
	name := "retained-rollback"
	p := withRelease(pipeline(name, stage("Deploy", cmdAction("Deploy", `test "#{variables.release}" != bad`))))
	p.Stages[1].OnFailure = &types.FailureConditions{Result: types.ResultRollback}
	good := c.Create(t, p)
	c.WaitStatus(t, name, good, types.PipelineExecutionStatusSucceeded)
	listed := func() []string {
		var out []string
		for _, e := range c.Executions(t, name) {
			out = append(out, aws.ToString(e.PipelineExecutionId))
		}
		return out
	}

	bad1, rb1 := c.failAndRollBack(t, name, good, nil)
	r, err := c.Node.Retention.Prune(c.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, r.Executions)
	require.ElementsMatch(t, []string{rb1, good}, listed(), "%s went; the rollback target stays", bad1)

	bad2, rb2 := c.failAndRollBack(t, name, good, []string{rb1})
	r, err = c.Node.Retention.Prune(c.ctx)
	require.NoError(t, err)
	require.Equal(t, 2, r.Executions, "%s and the ended rollback %s", bad2, rb1)
	require.ElementsMatch(t, []string{rb2, good}, listed())
}

// failAndRollBack starts an execution whose Deploy fails and waits for its automatic
// rollback (not one of earlier) to target and succeed: the rollback's Deploy runs on the
// target's source artifact, so the target's artifacts are still there.
func (c *conformance) failAndRollBack(t *testing.T, name, target string, earlier []string) (bad, rollback string) {
	t.Helper()
	bad = c.startRelease(t, name, "bad")
	c.WaitStatus(t, name, bad, types.PipelineExecutionStatusFailed)
	c.WaitFor(t, "the rollback of "+bad, func() bool {
		for _, e := range c.Executions(t, name) {
			id := aws.ToString(e.PipelineExecutionId)
			if e.ExecutionType == types.ExecutionTypeRollback && !slices.Contains(earlier, id) {
				require.Equal(t, target, aws.ToString(e.RollbackMetadata.RollbackTargetPipelineExecutionId))
				rollback = id
				return true
			}
		}
		return false
	})
	c.WaitStatus(t, name, rollback, types.PipelineExecutionStatusSucceeded)
	return bad, rollback
}

// TestRetentionLeavesRunningExecutions: the oldest execution, still running, stays through a
// round that prunes the ended ones around it, and then finishes as if nothing happened.
func TestRetentionLeavesRunningExecutions(t *testing.T) {
	t.Parallel()
	c := setupConformanceWith(t, func(cfg *config.Server) { cfg.Retain = config.Retain{Count: 1} })
	gate := newGate(t)
	name := "retained-running"
	p := withRelease(pipeline(name, stage("Build", cmdAction("Make",
		`if [ "#{variables.release}" = hold ]; then `+gate.Wait()+`; fi`, "echo made > made.txt"))))
	p.ExecutionMode = types.ExecutionModeParallel
	first := c.Create(t, p)
	c.WaitStatus(t, name, first, types.PipelineExecutionStatusSucceeded)
	running := c.startRelease(t, name, "hold")
	c.WaitFor(t, "the held build", func() bool {
		for _, d := range c.ActionRuns(t, name, running) {
			if aws.ToString(d.ActionName) == "Make" {
				return true
			}
		}
		return false
	})
	var ended []string
	for range 2 {
		id := c.startRelease(t, name, "good")
		c.WaitStatus(t, name, id, types.PipelineExecutionStatusSucceeded)
		ended = append(ended, id)
	}

	r, err := c.Node.Retention.Prune(c.ctx)
	require.NoError(t, err)
	require.Equal(t, 2, r.Executions, "the first and the older of the two that ended")
	listed := c.Executions(t, name)
	require.Len(t, listed, 2)
	require.ElementsMatch(t, []string{ended[1], running},
		[]string{aws.ToString(listed[0].PipelineExecutionId), aws.ToString(listed[1].PipelineExecutionId)})

	gate.Open(t)
	c.WaitStatus(t, name, running, types.PipelineExecutionStatusSucceeded)
}
