package engine_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/engine"
	"sluice/store/sqlite"
)

// Scenarios decided by the use cases around Decide (the store's client-token lookup and the
// start variables' validation), asserted against SQLite.

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

type useCases struct {
	ctx  context.Context
	eng  *engine.Engine
	db   *sqlite.DB
	jobs []*sluice.Job // every job the engine queued, oldest first
}

func setupUseCases(t *testing.T) *useCases {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	u := &useCases{ctx: context.Background(), db: db}
	u.eng = &engine.Engine{Store: db, Clock: fixedClock{time.Unix(1_700_000_000, 0).UTC()}, IDs: &benchIDs{},
		Account: "000000000000", Region: "us-east-1", Lookup: catalog.With(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Applied: func(p *sluice.Plan) {
			for _, c := range p.Jobs {
				if c.Insert {
					u.jobs = append(u.jobs, c.Row)
				}
			}
		}}
	return u
}

func (u *useCases) executions(t *testing.T) []*sluice.Execution {
	t.Helper()
	es, _, err := u.db.ListExecutions(u.ctx, "P", sluice.ExecutionFilter{})
	require.NoError(t, err)
	return es
}

// useCaseDecl is a V2 pipeline P: a source, then S2 with approval OK; variable env has no default.
func useCaseDecl(mode sluice.ExecutionMode) sluice.PipelineDeclaration {
	d := sequential(0)
	d.Name, d.ExecutionMode = "P", mode
	d.Variables = []sluice.PipelineVariableDeclaration{{Name: "env"}}
	d.Stages[1] = sluice.StageDeclaration{Name: "S2", Actions: []sluice.ActionDeclaration{{Name: "OK",
		ActionTypeID: sluice.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}}}}
	return d
}

func TestUseCaseScenarios(t *testing.T) {
	t.Parallel()

	t.Run("S1_CreateStartsOneUpdateStartsNone", func(t *testing.T) {
		t.Parallel()
		u := setupUseCases(t)
		_, err := u.eng.CreatePipeline(u.ctx, useCaseDecl(""), nil, "alice")
		require.NoError(t, err)
		es := u.executions(t)
		require.Len(t, es, 1)
		require.Equal(t, sluice.TriggerCreatePipeline, es[0].Trigger.Type)
		_, err = u.eng.UpdatePipeline(u.ctx, useCaseDecl(""), "")
		require.NoError(t, err)
		require.Len(t, u.executions(t), 1)
	})

	t.Run("S2_SameClientTokenSameExecution", func(t *testing.T) {
		t.Parallel()
		u := setupUseCases(t)
		_, err := u.eng.CreatePipeline(u.ctx, useCaseDecl(""), nil, "alice")
		require.NoError(t, err)
		p := engine.StartParams{Pipeline: "P", ClientToken: "tok-1", Variables: map[string]string{"env": "dev"}}
		id1, err := u.eng.Start(u.ctx, p)
		require.NoError(t, err)
		id2, err := u.eng.Start(u.ctx, p)
		require.NoError(t, err)
		require.Equal(t, id1, id2)
		require.Len(t, u.executions(t), 2, "the CreatePipeline execution and one more")
	})

	t.Run("S3_BadVariablesStartNothing", func(t *testing.T) {
		t.Parallel()
		u := setupUseCases(t)
		_, err := u.eng.CreatePipeline(u.ctx, useCaseDecl(""), nil, "alice")
		require.NoError(t, err)
		_, err = u.eng.Start(u.ctx, engine.StartParams{Pipeline: "P", Variables: map[string]string{"env": "dev", "nope": "x"}})
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
		_, err = u.eng.Start(u.ctx, engine.StartParams{Pipeline: "P"})
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
		require.Len(t, u.executions(t), 1)
	})

	t.Run("S14S15_ParallelApprovalOfActionTheUpdateRemoved", func(t *testing.T) {
		t.Parallel()
		u := setupUseCases(t)
		_, err := u.eng.CreatePipeline(u.ctx, useCaseDecl(sluice.ModeParallel), nil, "alice")
		require.NoError(t, err)
		require.NoError(t, u.eng.ReportJob(u.ctx, u.jobs[0], sluice.JobResult{JobID: u.jobs[0].ID, Success: true}))
		runs, _, err := u.db.ListActionRuns(u.ctx, "P", sluice.ActionRunFilter{})
		require.NoError(t, err)
		require.Equal(t, "OK", runs[0].ActionName)
		next := useCaseDecl(sluice.ModeParallel)
		next.Stages[1].Actions[0].Name = "Renamed"
		_, err = u.eng.UpdatePipeline(u.ctx, next, "")
		require.NoError(t, err)
		require.NoError(t, u.eng.Approve(u.ctx, "P", engine.Approve{Stage: "S2", Action: "OK", Token: runs[0].Token, Approved: true, By: "alice"}),
			"a PARALLEL execution keeps its version, so its approval can still be answered")
		e, err := u.db.GetExecution(u.ctx, "P", runs[0].ExecutionID)
		require.NoError(t, err)
		require.Equal(t, sluice.ExecutionSucceeded, e.Status)
		err = u.eng.Approve(u.ctx, "P", engine.Approve{Stage: "S2", Action: "Nope", Token: runs[0].Token, Approved: true})
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err))
	})
}
