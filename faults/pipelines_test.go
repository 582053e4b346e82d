package faults

import (
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"sluice/node/nodetest"
)

// workerLabel pins actions to the harness's `sluice worker`.
const workerLabel = "faults"

// The workload's pipelines, each PARALLEL (every execution runs on its own, none
// superseded or queued) on the hosted repository nodetest.SrcRepo:
//   - gate: an approval, then two actions side by side (one on the remote worker) and one after;
//   - remote: two actions side by side (one remote), an approval, a remote action;
//   - wide: four actions side by side (two remote), then one.
func pipelines() []*types.PipelineDeclaration {
	gate := nodetest.Pipeline("gate",
		nodetest.Stage("Approve", nodetest.Approval("Approve")),
		nodetest.Stage("Build", step("A", 1, false), step("B", 1, true), step("C", 2, false)))
	remote := nodetest.Pipeline("remote",
		nodetest.Stage("Build", step("Local", 1, false), step("Remote", 1, true)),
		nodetest.Stage("Approve", nodetest.Approval("Approve")),
		nodetest.Stage("Ship", step("Ship", 1, true)))
	wide := nodetest.Pipeline("wide",
		nodetest.Stage("Fan", step("F1", 1, false), step("F2", 1, true), step("F3", 1, false), step("F4", 1, true)),
		nodetest.Stage("Join", step("Join", 1, false)))
	out := []*types.PipelineDeclaration{gate, remote, wide}
	for _, p := range out {
		p.ExecutionMode = types.ExecutionModeParallel
	}
	return out
}

// step is a Commands action that writes its run to the journal, then sleeps a little so
// that kills find actions running.
func step(name string, runOrder int32, remote bool) types.ActionDeclaration {
	a := nodetest.CmdAction(name, runJournal, "sleep 0.3")
	a.RunOrder = &runOrder
	if remote {
		a.Configuration = map[string]string{"WorkerLabel": workerLabel}
	}
	return a
}

// isRemote says whether an action of the declaration is pinned to the worker.
func isRemote(p *types.PipelineDeclaration, stage, action string) bool {
	a := declared(p, stage, action)
	return a != nil && a.Configuration["WorkerLabel"] == workerLabel
}

// declared finds an action of the declaration.
func declared(p *types.PipelineDeclaration, stage, action string) *types.ActionDeclaration {
	for _, s := range p.Stages {
		if *s.Name != stage {
			continue
		}
		for i, a := range s.Actions {
			if *a.Name == action {
				return &s.Actions[i]
			}
		}
	}
	return nil
}
