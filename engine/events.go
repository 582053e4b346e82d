package engine

import (
	"sluice"
)

// event records a state change for the outbox with what CodePipeline's event of that level
// carries (see package eventbus): the execution's attempt, start and version on every
// level; the trigger on pipeline STARTED and the stop reason on STOPPING; the action's
// type, region, artifacts and result on action events. An approval that starts waiting
// also gets Sluice's own approval-needed event, which its notification is sent from.
func (d *decider) event(detail, state string, e *sluice.Execution, stage string, a *sluice.ActionRun) {
	if state == "" {
		return
	}
	ev := sluice.Event{DetailType: detail, State: state, PipelineName: e.PipelineName, ExecutionID: e.ID,
		Stage: stage, Version: e.PipelineVersion, Time: d.now(), Attempt: max(e.Attempt, 1), StartTime: e.StartTime}
	switch {
	case detail == sluice.DetailExecution && state == "STARTED":
		t := e.Trigger
		ev.Trigger = &t
	case detail == sluice.DetailExecution && state == "STOPPING":
		ev.StopComment = e.StatusSummary // the stop's reason, set with the status
	case a != nil:
		d.actionEvent(&ev, e, a)
	}
	d.plan.Events = append(d.plan.Events, ev)
	if a != nil && a.Token != "" && state == "STARTED" {
		d.approvalNeeded(ev, a)
	}
}

func (d *decider) actionEvent(ev *sluice.Event, e *sluice.Execution, a *sluice.ActionRun) {
	ev.Action, ev.ActionRunID = a.ActionName, a.ID
	if decl := d.actionDecl(e, a.StageName, a.ActionName); decl != nil {
		t := decl.ActionTypeID
		ev.ActionType, ev.ActionRegion = &t, decl.Region
	}
	switch ev.State {
	case "STARTED":
		ev.InputArtifacts = a.InputArtifacts
	case "SUCCEEDED":
		ev.OutputArtifacts = a.OutputArtifacts
	}
	if ev.State == "SUCCEEDED" || ev.State == "FAILED" {
		ev.Result = &sluice.EventResult{ExternalURL: a.ExternalExecutionURL, Summary: a.Summary, ExternalID: a.ExternalExecutionID}
		if ev.State == "FAILED" {
			ev.Result.ErrorCode = a.ErrorCode
		}
	}
}

// approvalNeeded adds Sluice's approval-needed event after the approval's STARTED.
func (d *decider) approvalNeeded(started sluice.Event, a *sluice.ActionRun) {
	ev := started
	ev.Source, ev.DetailType, ev.State = sluice.SourceSluice, sluice.DetailApprovalNeeded, "NEEDED"
	ev.InputArtifacts = nil
	cfg := a.ResolvedConfiguration
	ev.Approval = &sluice.ApprovalNotice{NotificationARN: cfg["NotificationArn"], Token: a.Token,
		CustomData: cfg["CustomData"], ExternalLink: cfg["ExternalEntityLink"], Expires: a.Deadline}
	d.plan.Events = append(d.plan.Events, ev)
}

// actionDecl is the declaration of an action in the execution's pipeline version.
func (d *decider) actionDecl(e *sluice.Execution, stage, action string) *sluice.ActionDeclaration {
	for _, s := range d.decl(e).Stages {
		if s.Name != stage {
			continue
		}
		for i := range s.Actions {
			if s.Actions[i].Name == action {
				return &s.Actions[i]
			}
		}
	}
	return nil
}
