package sqlstore

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRetentionQueryPlans keeps PruneExecutions on its indexes: each candidate query reads
// one range of an index, the rollback targets come from the few ROLLBACK rows, and the
// runs of the pruned executions are found by execution.
func TestRetentionQueryPlans(t *testing.T) {
	t.Parallel()
	db := openTest(t, filepath.Join(t.TempDir(), "sluice.db"))
	defer func() { require.NoError(t, db.Close()) }()
	want := map[string][]string{
		qPruneByAge:       {"executions_by_start (pipeline_name=? AND start_time<?)", "executions_rollbacks"},
		qPruneByCount:     {"executions_by_seq (pipeline_name=? AND seq<?)", "executions_rollbacks"},
		qPruneCountCutoff: {"executions_by_seq (pipeline_name=?)"},
		qPrunedActionRuns: {"action_runs_by_execution"},
		qPrunedRuleRuns:   {"rule_runs_by_execution"},
		qPruneExecutions:  {"sqlite_autoindex_executions_1"},
	}
	for query, indexes := range want {
		plan := explain(t, db.w.db, query)
		for _, ix := range indexes {
			require.Contains(t, plan, ix, "query:\n%s\nplan:\n%s", query, plan)
		}
	}
}
