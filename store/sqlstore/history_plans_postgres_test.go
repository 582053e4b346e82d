package sqlstore

import (
	"context"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/store/postgres/pgtest"
)

// TestHistoryReadPlansPostgres is TestHistoryReadPlans on PostgreSQL: the reads behind
// GetPipelineState, ListPipelineExecutions, GetPipelineExecution and ListActionExecutions
// (and ListRuleExecutions) each seek an index, read rows in the index's order and never scan
// or sort a history table. The tables are empty, where a scan is the cheapest plan, so
// scans and sorts are priced out (enable_seqscan, enable_sort, enable_incremental_sort and
// enable_bitmapscan off): one left in the plan is one no index can replace, which a long
// history pays for on every call.
func TestHistoryReadPlansPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := OpenPostgres(ctx, pgtest.Schema(t))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) }) // after the parallel subtests
	end := int64(math.MaxInt64) // the first page's position
	reads := []struct {
		name, query string
		args        []any
		sorts       bool // sorts what it found, which is not the history
	}{
		{"executions page", qExecutions, []any{"app", end, end, end, "", 101}, false},
		{"execution", qExecution, []any{"app", "e1"}, false},
		{"action runs of pipeline", qActionRunsOfPipeline, []any{"app", end, end, 101}, false},
		{"action runs of execution", qActionRunsOfExecution, []any{"app", end, end, 101, "e1"}, false},
		{"rule runs of pipeline", qRuleRunsOfPipeline, []any{"app", end, end, 101}, false},
		{"rule runs of execution", qRuleRunsOfExecution, []any{"app", end, end, 101, "e1"}, false},
		{"latest stage runs", qLatestStageRuns, []any{"app", `["Source","Build"]`}, false},
		{"latest action runs", qLatestActionRuns, []any{"app", `[["Source","Source"],["Build","Compile"]]`}, false},
		{"latest rule runs", qLatestRuleRuns, []any{"app", `["Source","Build"]`}, false},
		{"latest executions", qLatestExecutions, []any{"app", `["e1","e2"]`}, false},
		{"waiting", qWaiting, []any{"app"}, true},
	}
	history := regexp.MustCompile(`(Seq Scan|Bitmap Heap Scan) on (executions|stage_runs|action_runs|rule_runs)\b`)
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			tx, err := db.w.db.BeginTx(ctx, nil)
			require.NoError(t, err)
			defer tx.Rollback() //nolint:errcheck // read only
			for _, off := range []string{"enable_seqscan", "enable_sort", "enable_incremental_sort", "enable_bitmapscan"} {
				_, err := tx.ExecContext(ctx, "SET LOCAL "+off+" = off")
				require.NoError(t, err)
			}
			rows, err := tx.QueryContext(ctx, "EXPLAIN (COSTS OFF) "+pgRewrite(r.query), r.args...)
			require.NoError(t, err)
			var lines []string
			for rows.Next() {
				var line string
				require.NoError(t, rows.Scan(&line))
				lines = append(lines, line)
			}
			require.NoError(t, rows.Err())
			plan := strings.Join(lines, "\n")
			require.NotRegexp(t, history, plan, "query:\n%s\nscans a history table:\n%s", pgRewrite(r.query), plan)
			if !r.sorts {
				require.NotContains(t, plan, "Sort", "query:\n%s\nsorts:\n%s", pgRewrite(r.query), plan)
			}
		})
	}
}
