package engine

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// TestInterleavingsRandom drives random commands (starts, results, approvals, timeouts, stops,
// retries, transitions, updates that switch modes) over many seeds. The harness checks its
// invariants after every accepted command; a refused command must be refused with a client error,
// never as an internal one. At the end, with every transition enabled and every job and
// approval succeeding, every execution must come to an end.
func TestInterleavingsRandom(t *testing.T) {
	t.Parallel()
	for seed := range uint64(300) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rnd := rand.New(rand.NewPCG(seed, 7))
			r := &randomRun{h: newHarness(t, randomDecl(randomModes[rnd.IntN(3)])), rnd: rnd}
			for range 80 {
				r.step()
			}
			r.drain()
		})
	}
}

// TestInterleavingsRandomConditions is TestInterleavingsRandom on a pipeline whose stages
// have every hook: an entry rule run as a job, an onSuccess alarm that rolls back, automatic
// retry and automatic rollback, with overrides and manual rollbacks among the commands.
func TestInterleavingsRandomConditions(t *testing.T) {
	t.Parallel()
	for seed := range uint64(200) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rnd := rand.New(rand.NewPCG(seed, 11))
			modes := []sluice.ExecutionMode{sluice.ModeSuperseded, sluice.ModeQueued}
			r := &randomRun{h: newHarness(t, conditionsDecl(modes[rnd.IntN(2)])), rnd: rnd, conditions: true}
			for range 80 {
				r.step()
			}
			r.drain()
		})
	}
}

func conditionsDecl(mode sluice.ExecutionMode) sluice.PipelineDeclaration {
	d := randomDecl(mode)
	d.PipelineType = "V2"
	smoke := rule("Smoke", "Commands", nil)
	smoke.Commands = []string{"true"}
	s2, s3 := &d.Stages[1], &d.Stages[2]
	s2.BeforeEntry = beforeEntry(sluice.ResultFail, smoke)
	s2.OnFailure = &sluice.FailureConditions{Result: sluice.ResultRollback}
	s2.OnSuccess = &sluice.SuccessConditions{Conditions: []sluice.Condition{{Result: sluice.ResultRollback,
		Rules: []sluice.RuleDeclaration{rule("Alarm", "CloudWatchAlarm", map[string]string{"AlarmName": "A", "WaitTime": "5"})}}}}
	s3.OnFailure = &sluice.FailureConditions{Result: sluice.ResultRetry, RetryConfiguration: &sluice.RetryConfiguration{RetryMode: sluice.RetryAllActions}}
	s3.BeforeEntry = beforeEntry(sluice.ResultSkip, variableRule("#{codepipeline.PipelineExecutionId}", "never"))
	return d
}

func randomDecl(mode sluice.ExecutionMode) sluice.PipelineDeclaration {
	return sluice.PipelineDeclaration{ExecutionMode: mode, Stages: []sluice.StageDeclaration{source(),
		stage("S2", cmdAction("A", 1, "Code", ""), approval("OK", 1), cmdAction("C", 2, "Code", "")),
		stage("S3", cmdAction("D", 1, "Code", ""))}}
}

var randomModes = []sluice.ExecutionMode{sluice.ModeSuperseded, sluice.ModeQueued, sluice.ModeParallel}

// change is a random update: a mode switch, a renamed action, or one stage more or less.
func (r *randomRun) change(d *sluice.PipelineDeclaration) {
	switch r.rnd.IntN(3) {
	case 0:
		d.ExecutionMode = randomModes[r.rnd.IntN(3)]
		if r.conditions && d.ExecutionMode == sluice.ModeParallel {
			d.ExecutionMode = sluice.ModeQueued
		}
	case 1:
		last := &d.Stages[len(d.Stages)-1]
		last.Actions[0].Name += "x"
	default:
		if len(d.Stages) > 3 {
			d.Stages = d.Stages[:3]
		} else {
			d.Stages = append(d.Stages, stage("S4", cmdAction("X", 1, "Code", ""), approval("OK4", 1)))
		}
	}
}

type randomRun struct {
	h   *harness
	rnd *rand.Rand
	// conditions adds overrides and rollbacks to the commands and keeps updates out of
	// PARALLEL mode, which has no rollback.
	conditions bool
}

func (r *randomRun) step() {
	r.h.t.Helper()
	var cmd Command
	switch n := r.rnd.IntN(100); {
	case n < 12:
		cmd = Start{ExecutionID: fmt.Sprintf("E%d", len(r.h.s.Executions)+1), MaxConcurrent: 4}
	case n < 50:
		cmd = r.result()
	case n < 60:
		cmd = r.approval()
	case n < 65:
		cmd = r.timeout()
	case n < 73:
		cmd = Stop{ExecutionID: r.execution(), Abandon: r.rnd.IntN(2) == 0, Reason: "random"}
	case n < 85:
		modes := []sluice.RetryMode{sluice.RetryFailedActions, sluice.RetryAllActions}
		cmd = Retry{ExecutionID: r.execution(), Stage: r.stage(), Mode: modes[r.rnd.IntN(2)]}
	case n < 93 || (!r.conditions && n < 96):
		cmd = SetTransition{Stage: r.stage(), Enabled: r.rnd.IntN(2) == 0}
	case r.conditions && n < 95:
		types := []sluice.ConditionType{sluice.ConditionBeforeEntry, sluice.ConditionOnSuccess}
		cmd = OverrideCondition{ExecutionID: r.execution(), Stage: r.stage(), Type: types[r.rnd.IntN(2)], By: "random"}
	case r.conditions && n < 97:
		cmd = Rollback{ExecutionID: fmt.Sprintf("R%d", len(r.h.s.Executions)+1), Stage: r.stage(), Target: r.execution(), By: "random"}
	default:
		r.h.update(r.change)
		return
	}
	if cmd == nil {
		return
	}
	if err := r.h.do(cmd); err != nil {
		require.NotEqual(r.h.t, sluice.EInternal, sluice.ErrorCode(err), "%T %+v: %v", cmd, cmd, err)
	}
}

func (r *randomRun) result() Command {
	var open []*sluice.Job
	for _, j := range r.h.s.Jobs {
		if j.Status.Open() {
			open = append(open, j)
		}
	}
	if len(open) == 0 {
		return nil
	}
	j := open[r.rnd.IntN(len(open))]
	res := sluice.JobResult{JobID: j.ID, Success: r.rnd.IntN(10) < 7, ErrorMessage: "boom"}
	if res.Success && r.rnd.IntN(10) == 0 {
		res.ContinuationToken = "more"
	}
	return JobResult{res}
}

func (r *randomRun) approval() Command {
	var open []*sluice.ActionRun
	for _, a := range r.h.s.ActionRuns {
		if a.Token != "" && (a.Status == sluice.ActionInProgress || r.rnd.IntN(5) == 0) {
			open = append(open, a)
		}
	}
	if len(open) == 0 {
		return nil
	}
	a := open[r.rnd.IntN(len(open))]
	return Approve{Stage: a.StageName, Action: a.ActionName, Token: a.Token, Approved: r.rnd.IntN(3) > 0, By: "random"}
}

func (r *randomRun) timeout() Command {
	var running []*sluice.ActionRun
	for _, a := range r.h.s.ActionRuns {
		if a.Status == sluice.ActionInProgress {
			running = append(running, a)
		}
	}
	if len(running) == 0 {
		return nil
	}
	a := running[r.rnd.IntN(len(running))]
	if a.Deadline.After(r.h.s.Now) {
		r.h.s.Now = a.Deadline
	}
	return Timeout{ActionRunID: a.ID}
}

func (r *randomRun) execution() string {
	if len(r.h.s.Executions) == 0 {
		return "none"
	}
	return r.h.s.Executions[r.rnd.IntN(len(r.h.s.Executions))].ID
}

func (r *randomRun) stage() string {
	return []string{"Source", "S2", "S3", "S4"}[r.rnd.IntN(4)]
}

// drain enables every transition (also those of stages only older versions have) and lets every job and approval succeed until nothing is
// left to do; then no execution may still be active.
func (r *randomRun) drain() {
	h := r.h
	h.t.Helper()
	for _, st := range h.s.Pipeline.Declaration.Stages[1:] {
		h.must(SetTransition{Stage: st.Name, Enabled: true})
	}
	for range 1000 {
		var cmd Command
		for _, j := range h.s.Jobs {
			if j.Status.Open() {
				cmd = JobResult{sluice.JobResult{JobID: j.ID, Success: true}}
				break
			}
		}
		for _, a := range h.s.ActionRuns {
			if cmd == nil && a.Token != "" && a.Status == sluice.ActionInProgress {
				cmd = Approve{Stage: a.StageName, Action: a.ActionName, Token: a.Token, Approved: true}
			}
		}
		if cmd == nil {
			cmd = r.release()
		}
		if cmd == nil {
			break
		}
		h.must(cmd)
	}
	for _, e := range h.s.Executions {
		require.False(h.t, e.Status.Active(), "execution %s is still %s (waiting at %q)", e.ID, e.Status, e.WaitingAt)
	}
}

// release enables the disabled transition an execution waits at, if any (a stage an update
// removed is only reached by an execution of an older version).
func (r *randomRun) release() Command {
	for _, e := range r.h.s.Executions {
		if st := r.h.s.Stages[e.WaitingAt]; e.Status.Active() && st != nil && !st.Transition.Enabled {
			return SetTransition{Stage: e.WaitingAt, Enabled: true}
		}
	}
	return nil
}
