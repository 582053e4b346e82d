package sqlstore

import (
	"context"
	"fmt"
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
// history pays for on every call. Generic plans are checked too: the store prepares its
// statements, and PostgreSQL plans a prepared statement without its values after five calls.
func TestHistoryReadPlansPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := OpenPostgres(ctx, pgtest.Schema(t))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) }) // after the parallel subtests
	end := int64(math.MaxInt64)                          // the first page's position
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
		// Each plan twice: for the call's values (a custom plan), and the generic plan a
		// prepared statement switches to after five calls, which knows no value.
		for _, generic := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/generic=%t", r.name, generic), func(t *testing.T) {
				t.Parallel()
				plan := explainPostgres(t, db, pgRewrite(r.query), r.args, generic)
				require.NotRegexp(t, history, plan, "query:\n%s\nscans a history table:\n%s", pgRewrite(r.query), plan)
				if !r.sorts {
					require.NotContains(t, plan, "Sort", "query:\n%s\nsorts:\n%s", pgRewrite(r.query), plan)
				}
			})
		}
	}
}

// explainPostgres is query's plan with scans and sorts priced out; generic plans it as a
// prepared statement's generic plan.
func explainPostgres(t *testing.T, db *DB, query string, args []any, generic bool) string {
	ctx := context.Background()
	tx, err := db.w.db.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback() //nolint:errcheck // read only
	for _, off := range []string{"enable_seqscan", "enable_sort", "enable_incremental_sort", "enable_bitmapscan"} {
		_, err := tx.ExecContext(ctx, "SET LOCAL "+off+" = off")
		require.NoError(t, err)
	}
	explain := "EXPLAIN (COSTS OFF) " + query
	if generic {
		_, err := tx.ExecContext(ctx, "SET LOCAL plan_cache_mode = force_generic_plan")
		require.NoError(t, err)
		_, err = tx.ExecContext(ctx, "PREPARE q AS "+query)
		require.NoError(t, err)
		defer tx.ExecContext(ctx, "DEALLOCATE q") //nolint:errcheck // the transaction ends
		var lits []string
		for _, a := range args {
			switch a := a.(type) {
			case string:
				lits = append(lits, "'"+strings.ReplaceAll(a, "'", "''")+"'")
			default:
				lits = append(lits, fmt.Sprint(a))
			}
		}
		explain, args = "EXPLAIN (COSTS OFF) EXECUTE q("+strings.Join(lits, ", ")+")", nil
	}
	rows, err := tx.QueryContext(ctx, explain, args...)
	require.NoError(t, err)
	var lines []string
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		lines = append(lines, line)
	}
	require.NoError(t, rows.Err())
	return strings.Join(lines, "\n")
}

// SQLite's unary plus keeps a column's index out of a plan; on PostgreSQL it becomes
// coalesce(c, c), which no index matches either, so a prepared statement's generic plan does
// not read an execution's action runs through its pipeline's index (the whole history).
func TestPostgresUnaryPlus(t *testing.T) {
	t.Parallel()
	require.Equal(t, `WHERE execution_id = $2 AND coalesce(pipeline_name, pipeline_name) = $1 AND (a, b) > (coalesce(k.cond, k.cond), 1)`,
		pgRewrite(`WHERE execution_id = ?2 AND +pipeline_name = ?1 AND (a, b) > (+k.cond, 1)`))
}
