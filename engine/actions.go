package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"sluice"
)

// runOrderGroups splits a stage's actions into groups of equal runOrder, ascending.
func runOrderGroups(stage *sluice.StageDeclaration) [][]*sluice.ActionDeclaration {
	byOrder := map[int][]*sluice.ActionDeclaration{}
	var orders []int
	for i := range stage.Actions {
		a := &stage.Actions[i]
		if _, ok := byOrder[a.Order()]; !ok {
			orders = append(orders, a.Order())
		}
		byOrder[a.Order()] = append(byOrder[a.Order()], a)
	}
	sort.Ints(orders)
	groups := make([][]*sluice.ActionDeclaration, len(orders))
	for i, o := range orders {
		groups[i] = byOrder[o]
	}
	return groups
}

// startAction records a new run of action a in stage run r: an approval waits for an answer,
// any other action gets a queued job. An action whose variables or inputs cannot be resolved
// fails at once with a message naming what is missing.
func (d *decider) startAction(e *sluice.Execution, r *sluice.StageRun, a *sluice.ActionDeclaration) *sluice.ActionRun {
	now := d.now()
	run := &sluice.ActionRun{ID: d.ids.NewID(), ExecutionID: e.ID, StageName: r.StageName, ActionName: a.Name,
		StageAttempt: r.Attempt, PipelineVersion: e.PipelineVersion, Status: sluice.ActionInProgress,
		StartTime: now, LastUpdateTime: now, Deadline: now.Add(actionTimeout(a))}
	res := d.resolver(e)
	run.ResolvedConfiguration = res.mapping(a.Configuration)
	commands := res.list(a.Commands)
	env := res.env(a.EnvironmentVariables)
	inputs, missing := d.inputArtifacts(e, a)
	switch {
	case len(res.missing) > 0:
		d.failNew(e, run, fmt.Sprintf("one or more variables could not be resolved: Action name=%s: %s", a.Name, joinQuoted(res.missing)))
		return run
	case missing != "":
		d.failNew(e, run, fmt.Sprintf("Action %s: input artifact %s is not available in this execution", a.Name, missing))
		return run
	}
	run.InputArtifacts = inputs
	if a.ActionTypeID.Category == sluice.CategoryApproval {
		// The token is the action execution id, so the id an approval-needed notice shows
		// answers it too (PutApprovalResult takes either).
		run.Token = run.ID
		run.ExternalExecutionID = run.Token
		// What reviewers need, shown in GetPipelineState while the approval waits.
		run.Summary = run.ResolvedConfiguration["CustomData"]
		run.ExternalExecutionURL = run.ResolvedConfiguration["ExternalEntityLink"]
		d.insertAction(run)
		d.event(sluice.DetailAction, "STARTED", e, r.StageName, run)
		return run
	}
	if t := a.ActionTypeID; d.runnable != nil && !Registered(t) && !d.runnable(t) {
		d.failNew(e, run, fmt.Sprintf("Action %s: no Sluice worker runs action type %s yet; ListActionTypes shows the types Sluice knows, and the README lists those it runs.", a.Name, t))
		return run
	}
	outputs := d.outputArtifacts(e, a)
	for _, o := range outputs {
		run.OutputArtifacts = append(run.OutputArtifacts, o.ArtifactRef)
	}
	d.insertAction(run)
	d.insertJob(&sluice.Job{ID: d.ids.NewID(), ActionRunID: run.ID, ExecutionID: e.ID,
		PipelineName: e.PipelineName, StageName: r.StageName, ActionName: a.Name, ActionType: a.ActionTypeID,
		Status: sluice.JobQueued, Deadline: run.Deadline, CreatedAt: now, UpdatedAt: now,
		Data: sluice.JobData{ActionTypeID: a.ActionTypeID, Configuration: run.ResolvedConfiguration,
			Commands: commands, OutputVariables: a.OutputVariables, Environment: env,
			InputArtifacts: inputs, OutputArtifacts: outputs, Revision: revisionOf(e, a),
			PipelineArn: d.s.Pipeline.ARN, PipelineVersion: e.PipelineVersion, Namespace: a.Namespace}})
	d.event(sluice.DetailAction, "STARTED", e, r.StageName, run)
	return run
}

func (d *decider) failNew(e *sluice.Execution, run *sluice.ActionRun, msg string) {
	run.Status = sluice.ActionFailed
	run.ErrorCode = sluice.FailureConfigurationError
	run.ErrorMessage = msg
	run.Summary = msg
	run.Deadline = time.Time{}
	d.insertAction(run)
	d.event(sluice.DetailAction, "FAILED", e, run.StageName, run)
}

func revisionOf(e *sluice.Execution, a *sluice.ActionDeclaration) *sluice.Revision {
	if a.ActionTypeID.Category != sluice.CategorySource {
		return nil
	}
	if r, ok := e.Revisions[a.Name]; ok {
		return &r
	}
	return nil
}

// inputArtifacts finds where this execution's producers stored the action's inputs; it
// returns the first missing artifact's name when one is not available.
func (d *decider) inputArtifacts(e *sluice.Execution, a *sluice.ActionDeclaration) ([]sluice.ArtifactRef, string) {
	var refs []sluice.ArtifactRef
	for _, in := range a.InputArtifacts {
		ref, ok := d.producedArtifact(e, in.Name)
		if !ok {
			return nil, in.Name
		}
		refs = append(refs, ref)
	}
	return refs, ""
}

func (d *decider) producedArtifact(e *sluice.Execution, name string) (sluice.ArtifactRef, bool) {
	for _, st := range d.decl(e).Stages {
		for _, a := range st.Actions {
			for _, o := range a.OutputArtifacts {
				if o.Name != name {
					continue
				}
				run := d.latestSucceeded(producer(e, st.Name), st.Name, a.Name)
				if run == nil {
					return sluice.ArtifactRef{}, false
				}
				for _, ref := range run.OutputArtifacts {
					if ref.Name == name {
						if ref.Revision == "" && run.Revision != nil {
							ref.Revision = run.Revision.RevisionID // a source artifact's revision: its commit
						}
						return ref, true
					}
				}
				return sluice.ArtifactRef{}, false
			}
		}
	}
	return sluice.ArtifactRef{}, false
}

// outputArtifacts assigns every output artifact a fresh key, laid out as CodePipeline lays
// out its bucket (SEMANTICS §6): pipeline name, artifact name, a unique id.
func (d *decider) outputArtifacts(e *sluice.Execution, a *sluice.ActionDeclaration) []sluice.OutputArtifactRef {
	var out []sluice.OutputArtifactRef
	for _, o := range a.OutputArtifacts {
		key := fmt.Sprintf("%s/%s/%s", keySegment(truncate(e.PipelineName, 20)), truncate(o.Name, 10), d.ids.NewID())
		out = append(out, sluice.OutputArtifactRef{ArtifactRef: sluice.ArtifactRef{Name: o.Name, Key: key}, Files: o.Files})
	}
	return out
}

// keySegment keeps a pipeline named "." or ".." (valid names) from making a key that climbs
// out of its prefix.
func keySegment(s string) string {
	if strings.Trim(s, ".") == "" {
		return strings.ReplaceAll(s, ".", "_")
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// actionTimeout is how long an action may run: timeoutInMinutes when declared (CodePipeline
// documents it for approvals; Sluice honours it for every action), else the type's default.
func actionTimeout(a *sluice.ActionDeclaration) time.Duration {
	if a.TimeoutInMinutes > 0 {
		return time.Duration(a.TimeoutInMinutes) * time.Minute
	}
	t := a.ActionTypeID
	switch {
	case t.Category == sluice.CategoryApproval:
		return 7 * 24 * time.Hour
	case Registered(t): // custom and partner types
		return 24 * time.Hour
	case t.Provider == "Commands":
		return 55 * time.Minute
	case t.Provider == "CodeBuild" && t.Category == sluice.CategoryBuild:
		return 36 * time.Hour
	case t.Provider == "CodeBuild":
		return 8 * time.Hour
	case t.Provider == "CloudFormation":
		return 72 * time.Hour
	case t.Provider == "Lambda" || t.Provider == "StepFunctions":
		return 24 * time.Hour
	case t.Provider == "S3" && t.Category == sluice.CategoryDeploy:
		return 90 * time.Minute
	}
	return time.Hour
}
