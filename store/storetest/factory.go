package storetest

import (
	"context"
	"fmt"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// base is the suite's epoch. Fixture times are whole seconds after it, which every
// backend stores exactly.
var base = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

var (
	sourceType = sluice.ActionTypeID{Category: sluice.CategorySource, Owner: sluice.OwnerAWS, Provider: "CodeCommit", Version: "1"}
	buildType  = sluice.ActionTypeID{Category: sluice.CategoryBuild, Owner: sluice.OwnerAWS, Provider: "CodeBuild", Version: "1"}
	customType = sluice.ActionTypeID{Category: sluice.CategoryDeploy, Owner: sluice.OwnerCustom, Provider: "Rollout", Version: "2"}
	alarmRule  = sluice.RuleTypeID{Category: sluice.RuleCategory, Owner: sluice.OwnerAWS, Provider: "CloudWatchAlarm", Version: "1"}
)

// fixture is one subtest's store with factories for valid rows. Every row it makes gets a
// fresh id and a start time one second after the previous row's, so insertion order and
// time order agree unless a test sets times itself.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	s     sluice.Store
	count atomic.Int64
}

// factoryScope is the region and account of the ARNs fixtures carry.
var factoryScope = sluice.ARNScope{Region: "us-east-1", Account: "123456789012"}

func setup(t *testing.T, open func(*testing.T) sluice.Store) *fixture {
	t.Helper()
	return &fixture{t: t, ctx: t.Context(), s: open(t)}
}

func (f *fixture) id(prefix string) string { return fmt.Sprintf("%s-%04d", prefix, f.count.Add(1)) }

// next returns a time one second later than the one before.
func (f *fixture) next() time.Time { return at(int(f.count.Add(1))) }

// at is the suite's time sec seconds after base.
func at(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }

// declaration is a valid two-stage pipeline: Source (Checkout), Build (Compile, then Test).
func declaration(name string) sluice.PipelineDeclaration {
	return sluice.PipelineDeclaration{
		Name:          name,
		RoleArn:       "arn:aws:iam::123456789012:role/sluice",
		ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "artifacts"},
		Version:       1,
		ExecutionMode: sluice.ModeQueued,
		PipelineType:  "V2",
		Stages: []sluice.StageDeclaration{
			{Name: "Source", Actions: []sluice.ActionDeclaration{{
				Name: "Checkout", ActionTypeID: sourceType,
				Configuration:   map[string]string{"RepositoryName": "app", "BranchName": "main"},
				OutputArtifacts: []sluice.OutputArtifact{{Name: "src"}},
			}}},
			{Name: "Build", Actions: []sluice.ActionDeclaration{
				{Name: "Compile", ActionTypeID: buildType, RunOrder: 1, InputArtifacts: []sluice.InputArtifact{{Name: "src"}}},
				{Name: "Test", ActionTypeID: buildType, RunOrder: 2, Commands: []string{"make test"}},
			}},
		},
	}
}

func pipeline(name string) *sluice.Pipeline {
	return &sluice.Pipeline{
		Declaration: declaration(name),
		ARN:         factoryScope.ARN(sluice.PipelineARN, name),
		Created:     base,
		Updated:     base,
	}
}

// createPipeline stores pipeline(name) and returns it.
func (f *fixture) createPipeline(name string) *sluice.Pipeline {
	f.t.Helper()
	p := pipeline(name)
	f.update(name, func(tx sluice.Tx) error { return tx.CreatePipeline(f.ctx, p, nil) })
	return p
}

func (f *fixture) execution(pipelineName string, status sluice.ExecutionStatus) *sluice.Execution {
	start := f.next()
	return &sluice.Execution{
		ID: f.id("exec"), PipelineName: pipelineName, PipelineVersion: 1, Status: status,
		Mode: sluice.ModeQueued, Attempt: 1, StartTime: start, LastUpdateTime: start,
		Trigger: sluice.Trigger{Type: sluice.TriggerStartPipelineExecution, Detail: "tester"},
	}
}

func (f *fixture) stageRun(e *sluice.Execution, stage string, status sluice.StageStatus) *sluice.StageRun {
	start := f.next()
	return &sluice.StageRun{ExecutionID: e.ID, StageName: stage, Status: status, Attempt: 1,
		BaseAttempt: 1, StartTime: start, LastUpdateTime: start}
}

func (f *fixture) actionRun(e *sluice.Execution, stage, action string, status sluice.ActionStatus) *sluice.ActionRun {
	start := f.next()
	return &sluice.ActionRun{
		ID: f.id("run"), ExecutionID: e.ID, StageName: stage, ActionName: action, StageAttempt: 1,
		PipelineVersion: e.PipelineVersion, Status: status, StartTime: start, LastUpdateTime: start,
	}
}

func (f *fixture) ruleRun(e *sluice.Execution, stage string, cond sluice.ConditionType, rule string, status sluice.RuleStatus) *sluice.RuleRun {
	start := f.next()
	return &sluice.RuleRun{
		ID: f.id("rule"), ExecutionID: e.ID, StageName: stage, StageAttempt: 1, Condition: cond,
		RuleName: rule, RuleType: alarmRule, PipelineVersion: e.PipelineVersion, Status: status,
		StartTime: start, LastUpdateTime: start,
	}
}

func (f *fixture) job(r *sluice.ActionRun, pipelineName string, t sluice.ActionTypeID) *sluice.Job {
	created := f.next()
	return &sluice.Job{
		ID: f.id("job"), ActionRunID: r.ID, ExecutionID: r.ExecutionID, PipelineName: pipelineName,
		StageName: r.StageName, ActionName: r.ActionName, ActionType: t, Status: sluice.JobQueued,
		Data:      sluice.JobData{ActionTypeID: t, Configuration: map[string]string{"ProjectName": "app"}},
		CreatedAt: created, UpdatedAt: created,
	}
}

// queuedJobs stores an InProgress execution with one action run and n queued jobs of type t.
func (f *fixture) queuedJobs(pipelineName string, n int, t sluice.ActionTypeID) []*sluice.Job {
	f.t.Helper()
	e := f.execution(pipelineName, sluice.ExecutionInProgress)
	r := f.actionRun(e, "Build", "Compile", sluice.ActionInProgress)
	rows := []any{e, r}
	var jobs []*sluice.Job
	for range n {
		j := f.job(r, pipelineName, t)
		jobs = append(jobs, j)
		rows = append(rows, j)
	}
	f.apply(pipelineName, insert(rows...))
	return jobs
}

func (f *fixture) update(name string, fn func(sluice.Tx) error) {
	f.t.Helper()
	require.NoError(f.t, f.s.Update(f.ctx, name, fn))
}

func (f *fixture) apply(name string, plan *sluice.Plan) {
	f.t.Helper()
	require.NoError(f.t, f.applyErr(name, plan))
}

func (f *fixture) applyErr(name string, plan *sluice.Plan) error {
	return f.s.Update(f.ctx, name, func(tx sluice.Tx) error { return tx.Apply(f.ctx, plan) })
}

func (f *fixture) snapshot(name string, include ...string) *sluice.Snapshot {
	f.t.Helper()
	var s *sluice.Snapshot
	f.update(name, func(tx sluice.Tx) error {
		var err error
		s, err = tx.Snapshot(f.ctx, include...)
		return err
	})
	return s
}

// insert is a plan that inserts rows (*Execution, *StageRun, *ActionRun, *RuleRun or *Job).
func insert(rows ...any) *sluice.Plan {
	p := &sluice.Plan{}
	for _, r := range rows {
		add(p, r, true, "")
	}
	return p
}

// update is a plan that updates row from status from.
func update(row any, from string) *sluice.Plan {
	p := &sluice.Plan{}
	add(p, row, false, from)
	return p
}

// join appends the changes of plans to the first one.
func join(plans ...*sluice.Plan) *sluice.Plan {
	p := plans[0]
	for _, q := range plans[1:] {
		p.Executions = append(p.Executions, q.Executions...)
		p.StageRuns = append(p.StageRuns, q.StageRuns...)
		p.ActionRuns = append(p.ActionRuns, q.ActionRuns...)
		p.RuleRuns = append(p.RuleRuns, q.RuleRuns...)
		p.Jobs = append(p.Jobs, q.Jobs...)
	}
	return p
}

func add(p *sluice.Plan, row any, ins bool, from string) {
	switch r := row.(type) {
	case *sluice.Execution:
		p.Executions = append(p.Executions, sluice.Change[sluice.Execution, sluice.ExecutionStatus]{Row: r, Insert: ins, From: sluice.ExecutionStatus(from)})
	case *sluice.StageRun:
		p.StageRuns = append(p.StageRuns, sluice.Change[sluice.StageRun, sluice.StageStatus]{Row: r, Insert: ins, From: sluice.StageStatus(from)})
	case *sluice.ActionRun:
		p.ActionRuns = append(p.ActionRuns, sluice.Change[sluice.ActionRun, sluice.ActionStatus]{Row: r, Insert: ins, From: sluice.ActionStatus(from)})
	case *sluice.RuleRun:
		p.RuleRuns = append(p.RuleRuns, sluice.Change[sluice.RuleRun, sluice.RuleStatus]{Row: r, Insert: ins, From: sluice.RuleStatus(from)})
	case *sluice.Job:
		p.Jobs = append(p.Jobs, sluice.Change[sluice.Job, sluice.JobStatus]{Row: r, Insert: ins, From: sluice.JobStatus(from)})
	default:
		panic(fmt.Sprintf("storetest: cannot plan a %T", row))
	}
}

// requireCode checks err is a *sluice.Error with code and, unless resource is "", resource.
func requireCode(t *testing.T, err error, code sluice.Code, resource string) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, sluice.ErrorCode(err), "error: %v", err)
	if resource != "" {
		var e *sluice.Error
		require.ErrorAs(t, err, &e)
		require.Equal(t, resource, e.Resource, "error: %v", err)
	}
}

// requireFilled checks that no field of *row is zero, so a field added to a root type fails
// the round trip until the adapters store it, instead of being dropped silently.
func requireFilled(t *testing.T, row any) {
	t.Helper()
	v := reflect.ValueOf(row).Elem()
	for i := range v.NumField() {
		require.False(t, v.Field(i).IsZero(), "%s.%s is not set by the fixture", v.Type().Name(), v.Type().Field(i).Name)
	}
}

// ids returns the ids of rows, in order.
func ids[T any](rows []*T, id func(*T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

// pageIDs follows a listing's pages to its end, asking list for the page at each token (""
// first), and returns the ids of its rows in order; a listing of more than maxPages pages
// fails the test rather than loop.
func pageIDs[T any](t *testing.T, maxPages int, id func(*T) string, list func(token string) ([]*T, string, error)) []string {
	t.Helper()
	var got []string
	token := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, maxPages)
		rows, next, err := list(token)
		require.NoError(t, err)
		got = append(got, ids(rows, id)...)
		if next == "" {
			return got
		}
		token = next
	}
}

func execID(e *sluice.Execution) string         { return e.ID }
func runID(r *sluice.ActionRun) string          { return r.ID }
func ruleID(r *sluice.RuleRun) string           { return r.ID }
func jobID(j *sluice.Job) string                { return j.ID }
func functionName(f *sluice.Function) string    { return f.Name }
func projectName(p *sluice.BuildProject) string { return p.Name }
func declName(p *sluice.Pipeline) string        { return p.Declaration.Name }
