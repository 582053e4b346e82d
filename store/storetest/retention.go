package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testRetention checks sluice.ExecutionPruner (PruneExecutions) through the reads the API
// answers from: what is pruned is gone from each of them, what is kept is intact.
func testRetention(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("ByCountOldestFirst", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		f.createPipeline("other")
		running := f.historic("app", sluice.ExecutionInProgress) // oldest, but active
		old1 := f.historic("app", sluice.ExecutionSucceeded)
		old2 := f.historic("app", sluice.ExecutionFailed)
		kept1 := f.historic("app", sluice.ExecutionStopped)
		kept2 := f.historic("app", sluice.ExecutionSucceeded)
		others := f.historic("other", sluice.ExecutionSucceeded)

		p := f.pruneExecutions("app", sluice.PruneParams{KeepNewest: 2})
		require.Equal(t, []string{old1.e.ID, old2.e.ID}, p.Executions)
		require.ElementsMatch(t, append(old1.logIDs(), old2.logIDs()...), p.LogIDs)
		require.ElementsMatch(t, append(old1.keys(), old2.keys()...), p.Artifacts)
		for _, h := range []*history{old1, old2} {
			f.requireGone("app", h)
		}
		for _, h := range []*history{running, kept1, kept2} {
			f.requireKept("app", h)
		}
		f.requireKept("other", others)
		require.Equal(t, []string{kept2.e.ID, kept1.e.ID, running.e.ID}, f.listed("app"))
		require.Empty(t, f.pruneExecutions("app", sluice.PruneParams{KeepNewest: 2}).Executions, "nothing left past the count")
	})

	t.Run("ByAgeAndCount", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		old := f.historic("app", sluice.ExecutionSucceeded)
		mid := f.historic("app", sluice.ExecutionSucceeded)
		newer := f.historic("app", sluice.ExecutionFailed)
		newest := f.historic("app", sluice.ExecutionSucceeded)
		require.Empty(t, f.pruneExecutions("app", sluice.PruneParams{}).Executions, "no limit set prunes nothing")

		p := f.pruneExecutions("app", sluice.PruneParams{Before: mid.e.StartTime})
		require.Equal(t, []string{old.e.ID}, p.Executions, "started before Before")
		p = f.pruneExecutions("app", sluice.PruneParams{Before: mid.e.StartTime, KeepNewest: 1})
		require.Equal(t, []string{mid.e.ID, newer.e.ID}, p.Executions, "either limit prunes")
		f.requireKept("app", newest)
	})

	t.Run("BothLimitsFillTheBatch", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		old1 := f.historic("app", sluice.ExecutionSucceeded)
		old2 := f.historic("app", sluice.ExecutionSucceeded)
		recent1 := f.historic("app", sluice.ExecutionSucceeded)
		recent2 := f.historic("app", sluice.ExecutionSucceeded)
		newest := f.historic("app", sluice.ExecutionSucceeded)
		both := sluice.PruneParams{Before: recent1.e.StartTime, KeepNewest: 1, Limit: 3}
		require.Equal(t, []string{old1.e.ID, old2.e.ID, recent1.e.ID}, f.pruneExecutions("app", both).Executions,
			"a full batch: the old ones, then those past the count")
		require.Equal(t, []string{recent2.e.ID}, f.pruneExecutions("app", both).Executions)
		require.Equal(t, []string{newest.e.ID}, f.listed("app"))
	})

	t.Run("LimitBatches", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		var all []string
		for range 5 {
			all = append(all, f.historic("app", sluice.ExecutionSucceeded).e.ID)
		}
		require.Equal(t, all[:2], f.pruneExecutions("app", sluice.PruneParams{KeepNewest: 1, Limit: 2}).Executions)
		require.Equal(t, all[2:4], f.pruneExecutions("app", sluice.PruneParams{KeepNewest: 1, Limit: 2}).Executions)
		require.Empty(t, f.pruneExecutions("app", sluice.PruneParams{KeepNewest: 1, Limit: 2}).Executions)
		require.Equal(t, all[4:], f.listed("app"))
	})

	t.Run("KeepsNamedAndRollbackTargets", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		target := f.historic("app", sluice.ExecutionSucceeded)
		named := f.historic("app", sluice.ExecutionSucceeded)
		plain := f.historic("app", sluice.ExecutionSucceeded)
		rollback := f.execution("app", sluice.ExecutionSucceeded)
		rollback.Type, rollback.RollbackTarget, rollback.RollbackStage = sluice.ExecutionRollback, target.e.ID, "Build"
		f.apply("app", insert(rollback))
		f.historic("app", sluice.ExecutionSucceeded)

		p := f.pruneExecutions("app", sluice.PruneParams{KeepNewest: 1, Keep: []string{named.e.ID}})
		require.Equal(t, []string{plain.e.ID, rollback.ID}, p.Executions)
		f.requireKept("app", target)
		f.requireKept("app", named)

		p = f.pruneExecutions("app", sluice.PruneParams{KeepNewest: 1})
		require.Equal(t, []string{target.e.ID, named.e.ID}, p.Executions, "the target goes once its rollback has gone")
	})
}

// history is one execution stored with a stage run, two action runs with output artifacts
// (the second with a deploy target), a rule run and a finished job.
type history struct {
	e     *sluice.Execution
	runs  []*sluice.ActionRun
	rule  *sluice.RuleRun
	job   *sluice.Job
	stage *sluice.StageRun
}

func (h *history) logIDs() []string { return append(ids(h.runs, runID), h.rule.ID) }

func (h *history) keys() []string {
	var out []string
	for _, r := range h.runs {
		for _, a := range r.OutputArtifacts {
			out = append(out, a.Key)
		}
	}
	return out
}

func (f *fixture) historic(name string, status sluice.ExecutionStatus) *history {
	f.t.Helper()
	e := f.execution(name, status)
	h := &history{e: e, stage: f.stageRun(e, "Build", sluice.StageSucceeded),
		rule: f.ruleRun(e, "Build", sluice.ConditionOnSuccess, "Gate", sluice.RuleSucceeded)}
	for _, action := range []string{"Compile", "Test"} {
		r := f.actionRun(e, "Build", action, sluice.ActionSucceeded)
		r.OutputArtifacts = []sluice.ArtifactRef{{Name: action, Key: name + "/" + action + "/" + r.ID}}
		h.runs = append(h.runs, r)
	}
	h.job = f.job(h.runs[0], name, buildType)
	h.job.Status = sluice.JobSucceeded
	f.apply(name, insert(e, h.stage, h.runs[0], h.runs[1], h.rule, h.job))
	require.NoError(f.t, f.s.PutDeployTarget(f.ctx, deployTarget(h.runs[1], "i-1", "Succeeded", 1)))
	return h
}

func (f *fixture) pruneExecutions(name string, p sluice.PruneParams) *sluice.Pruned {
	f.t.Helper()
	var out *sluice.Pruned
	f.update(name, func(tx sluice.Tx) error {
		var err error
		out, err = tx.PruneExecutions(f.ctx, p)
		return err
	})
	require.NotNil(f.t, out)
	return out
}

// listed names the pipeline's executions as ListExecutions pages them, newest first.
func (f *fixture) listed(name string) []string {
	f.t.Helper()
	es, _, err := f.s.ListExecutions(f.ctx, name, sluice.ExecutionFilter{})
	require.NoError(f.t, err)
	return ids(es, execID)
}

func (f *fixture) requireGone(name string, h *history) {
	f.t.Helper()
	_, err := f.s.GetExecution(f.ctx, name, h.e.ID)
	requireCode(f.t, err, sluice.ENotFound, "PipelineExecution")
	for _, r := range h.runs {
		_, err := f.s.GetActionRun(f.ctx, name, r.ID)
		requireCode(f.t, err, sluice.ENotFound, "ActionExecution")
	}
	_, err = f.s.GetJob(f.ctx, h.job.ID)
	requireCode(f.t, err, sluice.ENotFound, "Job")
	runs, _, err := f.s.ListActionRuns(f.ctx, name, sluice.ActionRunFilter{})
	require.NoError(f.t, err)
	require.NotContains(f.t, ids(runs, func(r *sluice.ActionRun) string { return r.ExecutionID }), h.e.ID)
	rules, _, err := f.s.ListRuleRuns(f.ctx, name, sluice.RuleRunFilter{})
	require.NoError(f.t, err)
	require.NotContains(f.t, ids(rules, ruleID), h.rule.ID)
	_, _, err = f.s.ListRuleRuns(f.ctx, name, sluice.RuleRunFilter{ExecutionID: h.e.ID})
	requireCode(f.t, err, sluice.ENotFound, "PipelineExecution")
	targets, _, err := f.s.ListDeployTargets(f.ctx, sluice.DeployTargetFilter{ActionRunID: h.runs[1].ID})
	require.NoError(f.t, err)
	require.Empty(f.t, targets, "deploy targets go with their action run")
}

func (f *fixture) requireKept(name string, h *history) {
	f.t.Helper()
	got, err := f.s.GetExecution(f.ctx, name, h.e.ID)
	require.NoError(f.t, err)
	require.Equal(f.t, h.e.Status, got.Status)
	runs, _, err := f.s.ListActionRuns(f.ctx, name, sluice.ActionRunFilter{ExecutionID: h.e.ID})
	require.NoError(f.t, err)
	require.ElementsMatch(f.t, ids(h.runs, runID), ids(runs, runID))
	rules, _, err := f.s.ListRuleRuns(f.ctx, name, sluice.RuleRunFilter{ExecutionID: h.e.ID})
	require.NoError(f.t, err)
	require.Equal(f.t, []string{h.rule.ID}, ids(rules, ruleID))
	_, err = f.s.GetJob(f.ctx, h.job.ID)
	require.NoError(f.t, err)
	targets, _, err := f.s.ListDeployTargets(f.ctx, sluice.DeployTargetFilter{ActionRunID: h.runs[1].ID})
	require.NoError(f.t, err)
	require.Equal(f.t, []string{"i-1"}, targetIDs(targets))
}
