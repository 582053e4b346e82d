package engine

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// harness drives Decide over an in-memory snapshot that plays the store: s is the whole
// state; each decision sees the part the store would load for its command (storeview_test.go),
// and the harness assigns Seq like the store does.
type harness struct {
	t        *testing.T
	s        *sluice.Snapshot
	ids      *seqIDs
	seq      int64
	last     *sluice.Plan
	runnable func(sluice.ActionTypeID) bool
}

type seqIDs struct{ n int }

func (s *seqIDs) NewID() string { s.n++; return fmt.Sprintf("id-%03d", s.n) }

func newHarness(t *testing.T, decl sluice.PipelineDeclaration) *harness {
	decl.Version = 1
	if decl.Name == "" {
		decl.Name = "P"
	}
	p := &sluice.Pipeline{Declaration: decl, ARN: sluice.ARNScope{Region: "us-east-1", Account: "000000000000"}.ARN(sluice.PipelineARN, decl.Name)}
	// Version 1 is its own copy, as the store keeps every version apart from the current one.
	v1 := cloneDecl(t, &decl)
	return &harness{t: t, ids: &seqIDs{}, s: &sluice.Snapshot{Pipeline: p,
		Declarations: map[int]*sluice.PipelineDeclaration{1: v1},
		Stages:       map[string]*sluice.StageState{}, Now: time.Unix(1_700_000_000, 0).UTC()}}
}

func (h *harness) do(cmd Command) error {
	h.t.Helper()
	h.s.Now = h.s.Now.Add(time.Second)
	before := h.copyRows()
	plan, err := Decide(h.view(cmd), cmd, Env{IDs: h.ids, Runnable: h.runnable})
	if err != nil {
		return err
	}
	h.merge(plan)
	h.checkPlan(before, plan)
	h.last = plan
	for _, c := range plan.Executions {
		if c.Insert && c.Row.Seq == 0 {
			h.seq++
			c.Row.Seq = h.seq
		}
	}
	h.checkInvariants()
	return nil
}

func (h *harness) must(cmd Command) {
	h.t.Helper()
	require.NoError(h.t, h.do(cmd))
}

func (h *harness) start() string {
	h.t.Helper()
	id := fmt.Sprintf("E%d", h.seq+1)
	h.must(Start{ExecutionID: id, Trigger: sluice.Trigger{Type: sluice.TriggerStartPipelineExecution}})
	return id
}

func (h *harness) exec(id string) *sluice.Execution {
	for _, e := range h.s.Executions {
		if e.ID == id {
			return e
		}
	}
	h.t.Fatalf("no execution %s", id)
	return nil
}

func (h *harness) status(id string) sluice.ExecutionStatus { return h.exec(id).Status }

func (h *harness) stage(id, stage string) sluice.StageStatus {
	for _, r := range h.s.StageRuns {
		if r.ExecutionID == id && r.StageName == stage {
			return r.Status
		}
	}
	return ""
}

// run returns the latest run of an action in an execution, or nil.
func (h *harness) run(id, stage, action string) *sluice.ActionRun {
	var out *sluice.ActionRun
	for _, a := range h.s.ActionRuns {
		if a.ExecutionID == id && a.StageName == stage && a.ActionName == action {
			out = a
		}
	}
	return out
}

func (h *harness) runs(id, stage, action string) int {
	n := 0
	for _, a := range h.s.ActionRuns {
		if a.ExecutionID == id && a.StageName == stage && a.ActionName == action {
			n++
		}
	}
	return n
}

func (h *harness) openJob(id, stage, action string) *sluice.Job {
	for _, j := range h.s.Jobs {
		if j.ExecutionID == id && j.StageName == stage && j.ActionName == action && j.Status.Open() {
			return j
		}
	}
	return nil
}

func (h *harness) report(id, stage, action string, ok bool, vars map[string]string) {
	h.t.Helper()
	j := h.openJob(id, stage, action)
	require.NotNil(h.t, j, "no open job for %s %s/%s", id, stage, action)
	h.must(JobResult{sluice.JobResult{JobID: j.ID, Success: ok, OutputVariables: vars, ErrorMessage: "boom"}})
}

func (h *harness) succeed(id, stage, action string) {
	h.t.Helper()
	h.report(id, stage, action, true, nil)
}
func (h *harness) fail(id, stage, action string) {
	h.t.Helper()
	h.report(id, stage, action, false, nil)
}

// pass runs every open job of an execution in a stage to success.
func (h *harness) pass(id, stage string) {
	h.t.Helper()
	st, _ := h.declOf(id).Stage(stage)
	for range 100 {
		progressed := false
		for _, a := range st.Actions {
			if h.openJob(id, stage, a.Name) != nil {
				h.succeed(id, stage, a.Name)
				progressed = true
			}
		}
		if !progressed {
			return
		}
	}
}

func cmdAction(name string, order int, in, out string) sluice.ActionDeclaration {
	a := sluice.ActionDeclaration{Name: name, RunOrder: order,
		ActionTypeID: sluice.ActionTypeID{Category: "Compute", Owner: "AWS", Provider: "Commands", Version: "1"},
		Commands:     []string{"true"}}
	if in != "" {
		a.InputArtifacts = []sluice.InputArtifact{{Name: in}}
	}
	if out != "" {
		a.OutputArtifacts = []sluice.OutputArtifact{{Name: out}}
	}
	return a
}

func approval(name string, order int) sluice.ActionDeclaration {
	return sluice.ActionDeclaration{Name: name, RunOrder: order,
		ActionTypeID: sluice.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}}
}

func source() sluice.StageDeclaration {
	return sluice.StageDeclaration{Name: "Source", Actions: []sluice.ActionDeclaration{{Name: "Src",
		ActionTypeID:    sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"},
		OutputArtifacts: []sluice.OutputArtifact{{Name: "Code"}}}}}
}

func stage(name string, actions ...sluice.ActionDeclaration) sluice.StageDeclaration {
	return sluice.StageDeclaration{Name: name, Actions: actions}
}

// threeStages is pipeline P of ENGINE-SCENARIOS.md: Source, S2, S3, one action each.
func threeStages(mode sluice.ExecutionMode) sluice.PipelineDeclaration {
	return sluice.PipelineDeclaration{ExecutionMode: mode, Stages: []sluice.StageDeclaration{
		source(), stage("S2", cmdAction("A", 1, "Code", "")), stage("S3", cmdAction("D", 1, "Code", ""))}}
}

// declOf returns the declaration an execution runs (its own version).
func (h *harness) declOf(id string) *sluice.PipelineDeclaration {
	if d := h.s.Declarations[h.exec(id).PipelineVersion]; d != nil {
		return d
	}
	return &h.s.Pipeline.Declaration
}

// update stores a new version of the pipeline as UpdatePipeline does: mut edits a copy of
// the current declaration, then the engine reconciles.
func (h *harness) update(mut func(*sluice.PipelineDeclaration)) {
	h.t.Helper()
	next := cloneDecl(h.t, &h.s.Pipeline.Declaration)
	if mut != nil {
		mut(next)
	}
	next.Version = h.s.Pipeline.Declaration.Version + 1
	h.s.Pipeline.Declaration = *next
	h.s.Declarations[next.Version] = next
	h.must(Reconcile{})
}

func cloneDecl(t *testing.T, d *sluice.PipelineDeclaration) *sluice.PipelineDeclaration {
	t.Helper()
	b, err := json.Marshal(d)
	require.NoError(t, err)
	var out sluice.PipelineDeclaration
	require.NoError(t, json.Unmarshal(b, &out))
	out.Version = d.Version
	return &out
}

// answer answers the open approval of an action in an execution.
func (h *harness) answer(id, stage, action string, ok bool) error {
	h.t.Helper()
	run := h.run(id, stage, action)
	require.NotNil(h.t, run, "no run of %s %s/%s", id, stage, action)
	return h.do(Approve{Stage: stage, Action: action, Token: run.Token, Approved: ok, By: "alice", Summary: "answer"})
}

// stageRun returns an execution's run of a stage, or nil.
func (h *harness) stageRun(id, stage string) *sluice.StageRun {
	for _, r := range h.s.StageRuns {
		if r.ExecutionID == id && r.StageName == stage {
			return r
		}
	}
	return nil
}
