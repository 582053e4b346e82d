package faults

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
)

// What a fault may do to an action, in the words of the server's recovery (jobqueue): a
// server that restarts fails the jobs it was running in-process; a job whose lease runs out
// (its holder died or lost the database) fails saying its worker stopped responding.
const (
	msgRestarted = "restarted while this action was running"
	msgLeaseLost = "stopped responding"
)

// tally counts what the checks saw, for the test's log.
type tally struct {
	statuses   map[types.PipelineExecutionStatus]int
	runs       int            // action runs in the journal
	reruns     int            // runs of an action execution after its first, each after a kill of its runner
	faultFails map[string]int // actions failed by a fault, by message
	approvals  int
	crossed    int      // approvals answered after a fault since they opened
	leaseLost  []string // the actions failed as their lease ran out, and why, for the log
}

// check reads the final state through the API and the journal, and adds a problem for each
// execution lost, stuck or ended in a way no fault explains, each action run more often
// than at-least-once allows, and each approval token lost. d.Run has returned: every
// execution has ended, or the stuck ones are reported here.
func check(ctx context.Context, h *harness, d *driver) (tally, error) {
	t := tally{statuses: map[types.PipelineExecutionStatus]int{}, faultFails: map[string]int{}}
	if err := d.refresh(ctx); err != nil {
		return t, err
	}
	j := indexJournal(h.journal.Read(h.t))
	t.runs = len(j.runs)
	listed := map[string]bool{}
	for _, name := range d.pipelineNames() {
		list, err := d.listExecutions(ctx, name)
		if err != nil {
			return t, err
		}
		for _, s := range list {
			listed[*s.PipelineExecutionId] = true
		}
	}
	shown := map[string]bool{} // action execution ids the API shows
	for _, e := range d.order {
		t.statuses[e.Status]++
		if !listed[e.ID] {
			h.Add("execution %s of %s (start %s) is lost: ListPipelineExecutions does not list it", e.ID, e.Pipeline, e.Token)
			continue
		}
		runs, err := d.actionRuns(ctx, e)
		if err != nil {
			return t, err
		}
		for _, r := range runs {
			shown[*r.ActionExecutionId] = true
		}
		checkExecution(h, d, j, e, runs, &t)
	}
	for _, r := range j.runs {
		if !shown[r.ActionRun] {
			h.Add("execution %s: %s/%s ran (action execution %s, on %s) but ListActionExecutions does not show it", r.Execution, r.Stage, r.Action, r.ActionRun, r.Runner)
		}
	}
	for token, a := range d.tokens {
		if a.Crossed {
			t.crossed++
		}
		if a.Answer != "approved" && a.Answer != "already answered" {
			h.Add("execution %s of %s: approval token %s was not answered: %s", a.Exec.ID, a.Exec.Pipeline, token, a.Answer)
		}
	}
	t.approvals = len(d.tokens)
	return t, checkReplicasAnswer(ctx, h, d)
}

// checkExecution checks one execution's status and its action runs.
func checkExecution(h *harness, d *driver, j *journalIndex, e *execution, runs []types.ActionExecutionDetail, t *tally) {
	where := fmt.Sprintf("execution %s of %s", e.ID, e.Pipeline)
	switch e.Status {
	case types.PipelineExecutionStatusSucceeded, types.PipelineExecutionStatusFailed:
	case types.PipelineExecutionStatusInProgress, types.PipelineExecutionStatusStopping:
		h.Add("%s is stuck %s: %s", where, e.Status, describe(runs))
	default:
		h.Add("%s ended %s (%s), which nothing in the harness asks for", where, e.Status, e.Summary)
	}
	decl := d.h.decls[e.Pipeline]
	count := map[string][]string{}
	failed := 0
	for _, r := range runs {
		key := *r.StageName + "/" + *r.ActionName
		count[key] = append(count[key], *r.ActionExecutionId)
		if r.Status == types.ActionExecutionStatusFailed {
			failed++
			checkFailure(h, j, where, r, t)
		}
		switch r.Input.ActionTypeId.Category {
		case types.ActionCategoryCompute:
			checkRuns(h, j, where, r, isRemote(decl, *r.StageName, *r.ActionName), t)
		case types.ActionCategoryApproval:
			checkApproval(h, d, where, e, r)
		}
	}
	for key, ids := range count {
		if len(ids) > 1 {
			h.Add("%s: %s has %d action executions %v; the harness retries nothing, so each action runs in one", where, key, len(ids), ids)
		}
	}
	if e.Status == types.PipelineExecutionStatusSucceeded {
		for _, s := range decl.Stages {
			for _, a := range s.Actions {
				if len(count[*s.Name+"/"+*a.Name]) == 0 {
					h.Add("%s succeeded without running %s/%s", where, *s.Name, *a.Name)
				}
			}
		}
	}
	if e.Status == types.PipelineExecutionStatusFailed && failed == 0 {
		h.Add("%s failed (%s) with no failed action", where, e.Summary)
	}
}

// checkFailure accepts an action's failure only when a fault explains it: "restarted" when
// the process that ran it (its last journal line) was killed, or, before
// its command ran (a source action; a job killed before its shell started), when some
// server was killed; "stopped responding" when some fault happened at all.
func checkFailure(h *harness, j *journalIndex, where string, r types.ActionExecutionDetail, t *tally) {
	msg := ""
	if r.Output != nil && r.Output.ExecutionResult != nil && r.Output.ExecutionResult.ErrorDetails != nil {
		msg = aws.ToString(r.Output.ExecutionResult.ErrorDetails.Message)
	}
	what := fmt.Sprintf("%s: %s/%s (action execution %s) failed: %q", where, *r.StageName, *r.ActionName, *r.ActionExecutionId, msg)
	runs := j.byActionRun[*r.ActionExecutionId]
	switch {
	case strings.Contains(msg, msgRestarted):
		if len(runs) > 0 {
			last := runs[len(runs)-1]
			if !j.killed(last.Runner) {
				h.Add("%s, but %s, which ran it, was never killed", what, last.Runner)
				return
			}
		} else if j.kills == 0 {
			h.Add("%s, but no server was killed", what)
			return
		}
		t.faultFails["server restarted"]++
	case strings.Contains(msg, msgLeaseLost):
		if j.kills+j.pgRestarts == 0 {
			h.Add("%s, but no fault happened", what)
			return
		}
		t.faultFails["lease expired"]++
		t.leaseLost = append(t.leaseLost, what)
	default:
		h.Add("%s, which no fault explains", what)
	}
}

// checkRuns checks the journal's runs of one Commands action execution: a succeeded one
// ran; a pinned one ran on the worker only; and a run after the first comes only after a
// kill of the process that held the job (the documented at-least-once: a job whose holder
// died unacknowledged goes back to the queue), or, for the worker, after its kill or a
// fault of the servers that may have cost it the job's lease.
func checkRuns(h *harness, j *journalIndex, where string, r types.ActionExecutionDetail, remote bool, t *tally) {
	runs := j.byActionRun[*r.ActionExecutionId]
	what := fmt.Sprintf("%s: %s/%s (action execution %s)", where, *r.StageName, *r.ActionName, *r.ActionExecutionId)
	if r.Status == types.ActionExecutionStatusSucceeded && len(runs) == 0 {
		h.Add("%s succeeded, but its command never ran", what)
	}
	for i, run := range runs {
		if remote && !onWorker(run.Runner) {
			h.Add("%s is pinned to the worker but ran on %s", what, run.Runner)
		}
		if i == 0 {
			continue
		}
		prev := runs[i-1]
		ok := j.killedBetween(prev.Runner, prev.at, run.at)
		if onWorker(prev.Runner) {
			ok = j.faultBetween(prev.at, run.at)
		}
		if !ok {
			h.Add("%s ran again on %s after a run on %s, with no kill of %s between: beyond at-least-once", what, run.Runner, prev.Runner, prev.Runner)
			continue
		}
		t.reruns++
	}
}

// onWorker says whether a journal's runner is an incarnation of the worker ("w.2").
func onWorker(runner string) bool { return strings.HasPrefix(runner, "w.") }

// checkApproval checks that an approval was answered with a token the driver saw (none
// lost) and, once answered, succeeded.
func checkApproval(h *harness, d *driver, where string, e *execution, r types.ActionExecutionDetail) {
	token := externalID(r)
	a, ok := d.tokens[token]
	switch {
	case !ok:
		h.Add("%s: approval %s/%s (token %q, %s) was never seen open by the harness", where, *r.StageName, *r.ActionName, token, r.Status)
	case a.Exec != e:
		h.Add("%s: approval %s/%s has the token %s of execution %s", where, *r.StageName, *r.ActionName, token, a.Exec.ID)
	case r.Status != types.ActionExecutionStatusSucceeded:
		h.Add("%s: approval %s/%s was answered (%s) but is %s", where, *r.StageName, *r.ActionName, a.Answer, r.Status)
	}
}

// checkReplicasAnswer asks every replica, directly, about one execution.
func checkReplicasAnswer(ctx context.Context, h *harness, d *driver) error {
	e := d.order[len(d.order)-1]
	for _, s := range h.servers {
		out, err := s.client().GetPipelineExecution(ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String(e.Pipeline), PipelineExecutionId: aws.String(e.ID)})
		if err != nil {
			h.Add("replica %s does not answer GetPipelineExecution at the end: %v", s.Incarnation(), err)
		} else if out.PipelineExecution.Status != e.Status {
			h.Add("replica %s says execution %s is %s; the others said %s", s.Incarnation(), e.ID, out.PipelineExecution.Status, e.Status)
		}
	}
	return nil
}

// describe lists an execution's action runs and their statuses, for a report.
func describe(runs []types.ActionExecutionDetail) string {
	var parts []string
	for _, r := range runs {
		parts = append(parts, fmt.Sprintf("%s/%s %s", *r.StageName, *r.ActionName, r.Status))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
