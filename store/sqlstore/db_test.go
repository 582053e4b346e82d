package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func openTest(t *testing.T, path string) *DB {
	t.Helper()
	db, err := OpenSQLite(path, WithClock(fixedClock{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}))
	require.NoError(t, err)
	return db
}

// A process cannot crash itself in a test. The closest checks: a second DB opened on the
// file while the first is still open (never closed, never checkpointed, as after a crash)
// sees every commit, and neither it nor a reopen after Close applies a migration twice.
func TestReopen(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "sluice.db")
	first := openTest(t, path)
	p := &sluice.Pipeline{Declaration: sluice.PipelineDeclaration{Name: "app", Version: 1,
		Stages: []sluice.StageDeclaration{{Name: "S"}}}, ARN: "arn:app"}
	require.NoError(t, first.Update(ctx, "app", func(tx sluice.Tx) error { return tx.CreatePipeline(ctx, p, nil) }))

	second := openTest(t, path)
	requireState(t, second, p)
	require.NoError(t, second.Close())
	require.NoError(t, first.Close())

	third := openTest(t, path)
	defer func() { require.NoError(t, third.Close()) }()
	requireState(t, third, p)
}

// requireState checks db holds p, has each migration recorded once, and runs with the
// settings Open promises.
func requireState(t *testing.T, db *DB, p *sluice.Pipeline) {
	t.Helper()
	ctx := t.Context()
	got, err := db.GetPipeline(ctx, "app", 0)
	require.NoError(t, err)
	require.Equal(t, p, got)

	ms, err := migrations(sqliteDialect.migrations)
	require.NoError(t, err)
	var n int
	require.NoError(t, db.r.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n))
	require.Equal(t, len(ms), n)
	var applied string
	require.NoError(t, db.r.db.QueryRowContext(ctx, `SELECT name FROM schema_migrations WHERE version = 1`).Scan(&applied))
	require.Equal(t, "0001_init.sql", applied)

	var journal string
	var sync, fk int
	require.NoError(t, db.w.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&journal))
	require.NoError(t, db.w.db.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync))
	require.NoError(t, db.w.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk))
	require.Equal(t, []any{"wal", 1, 1}, []any{journal, sync, fk}) // synchronous 1 = NORMAL

	// The memory the connections may hold (see openPool).
	var wCache, rCache, mmap int
	require.NoError(t, db.w.db.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&wCache))
	require.NoError(t, db.r.db.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&rCache))
	require.NoError(t, db.r.db.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&mmap))
	require.Equal(t, []int{writerCachePages, readerCachePages, 0}, []int{wCache, rCache, mmap})
}

func TestMigrationsRefuseTwoOfOneNumber(t *testing.T) {
	t.Parallel()
	_, err := readMigrations(fstest.MapFS{
		"0001_init.sql":  {Data: []byte("SELECT 1")},
		"0002_a.sql":     {Data: []byte("SELECT 1")},
		"0002_b.sql":     {Data: []byte("SELECT 1")},
		"0003_other.sql": {Data: []byte("SELECT 1")},
	})
	require.ErrorContains(t, err, "0002_a.sql and 0002_b.sql have the same number")
	ms, err := migrations(sqliteDialect.migrations)
	require.NoError(t, err)
	require.NotEmpty(t, ms)
}

func TestOpenRefusesMemory(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", ":memory:", "x.db?mode=memory"} {
		_, err := OpenSQLite(path)
		require.Error(t, err, path)
	}
}

// Events have no reader in the port yet; check the outbox rows directly.
func TestEventsGoToOutbox(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := openTest(t, filepath.Join(t.TempDir(), "sluice.db"))
	defer func() { require.NoError(t, db.Close()) }()
	p := &sluice.Pipeline{Declaration: sluice.PipelineDeclaration{Name: "app", Version: 1}, ARN: "arn:app"}
	require.NoError(t, db.Update(ctx, "app", func(tx sluice.Tx) error { return tx.CreatePipeline(ctx, p, nil) }))
	ev := sluice.Event{DetailType: sluice.DetailExecution, State: "STARTED", PipelineName: "app", ExecutionID: "e1"}
	require.NoError(t, db.Update(ctx, "app", func(tx sluice.Tx) error {
		return tx.Apply(ctx, &sluice.Plan{Events: []sluice.Event{ev, ev}})
	}))

	rows, err := db.r.db.QueryContext(ctx, `SELECT pipeline_name, payload, created FROM outbox ORDER BY id`)
	require.NoError(t, err)
	defer rows.Close()
	var n int
	for rows.Next() {
		var name, payload string
		var created int64
		require.NoError(t, rows.Scan(&name, &payload, &created))
		require.Equal(t, "app", name)
		require.Contains(t, payload, `"ExecutionID":"e1"`)
		require.Equal(t, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), tm(created))
		n++
	}
	require.NoError(t, rows.Err())
	require.Equal(t, 2, n)
}

// The hot statements must use the indexes written for them; a full scan of a growing table
// would make every action slower as history accumulates.
func TestQueryPlans(t *testing.T) {
	t.Parallel()
	db := openTest(t, filepath.Join(t.TempDir(), "sluice.db"))
	defer func() { require.NoError(t, db.Close()) }()
	want := map[string][]string{
		qSnapActive:                    {"executions_active"},
		qSnapIncluded:                  {"sqlite_autoindex_executions_1"},
		qSnapStageRuns:                 {"sqlite_autoindex_stage_runs_1"},
		qSnapActionRuns:                {"action_runs_by_execution"},
		qSnapJobs:                      {"jobs_by_execution"},
		qSnapRuleRuns:                  {"rule_runs_by_execution"},
		qRollbackTargets:               {"executions_by_version", "sqlite_autoindex_stage_runs_1"},
		qRuleRunsOfPipeline:            {"rule_runs_by_pipeline"},
		qRuleRunsOfExecution:           {"rule_runs_by_execution"},
		qLatestRuleRuns:                {"rule_runs_latest", "(condition_type,rule_name)>(?,?)"},
		qExecutions:                    {"executions_by_start"},
		qActionRunsOfPipeline:          {"action_runs_by_pipeline"},
		qActionRunsOfExecution:         {"action_runs_by_execution"},
		qLatestStageRuns:               {"stage_runs_latest"},
		qLatestActionRuns:              {"action_runs_latest"},
		qDueActions:                    {"action_runs_due", "rule_runs_due"},
		qNextDeadline:                  {"action_runs_due", "rule_runs_due"},
		claimQuery(false, true, false): {"jobs_queued"},
		claimQuery(true, false, true):  {"jobs_queued"},
		qExpiredJobs:                   {"jobs_leased"},
		qLeasedJobs:                    {"jobs_leased"},
		qExecutionByToken:              {"executions_by_token"},
		qExecutionByApproval:           {"action_runs_by_token"},
		qActivePipelines:               {"executions_active"},
	}
	for query, indexes := range want {
		plan := explain(t, db.w.db, query)
		for _, ix := range indexes {
			require.Contains(t, plan, ix, "query:\n%s\nplan:\n%s", query, plan)
		}
	}
}

func explain(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	args := make([]any, params(query))
	for i := range args {
		args[i] = "[]"
	}
	rows, err := db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
		b.WriteString(detail + "\n")
	}
	require.NoError(t, rows.Err())
	return b.String()
}

// params counts a statement's parameters: the highest ?N, or the number of bare ?.
func params(query string) int {
	bare, highest := 0, 0
	for i := 0; i < len(query); i++ {
		if query[i] != '?' {
			continue
		}
		n, j := 0, i+1
		for ; j < len(query) && query[j] >= '0' && query[j] <= '9'; j++ {
			n = n*10 + int(query[j]-'0')
		}
		if j == i+1 {
			bare++
		}
		highest = max(highest, n)
	}
	return max(bare, highest)
}
