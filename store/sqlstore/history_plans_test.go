package sqlstore

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestHistoryReadPlans checks that the reads behind GetPipelineState, ListPipelineExecutions,
// GetPipelineExecution and ListActionExecutions cost the same with a million executions as
// with a thousand: each seeks an index to its first row (a page token is a position in the
// index, so a page deep in the history skips nothing), reads rows in the index's order (no
// sort of the whole history) and never scans a history table.
func TestHistoryReadPlans(t *testing.T) {
	t.Parallel()
	db := openTest(t, filepath.Join(t.TempDir(), "sluice.db"))
	defer db.Close()
	seeks := map[string][]string{
		qExecutions:            {"SEARCH executions USING INDEX executions_by_start (pipeline_name=? AND (start_time,seq)<(?,?))"},
		qExecution:             {"SEARCH executions USING INDEX sqlite_autoindex_executions_1 (id=?)"},
		qActionRunsOfPipeline:  {"SEARCH action_runs USING INDEX action_runs_by_pipeline (pipeline_name=? AND start_time<?)"},
		qActionRunsOfExecution: {"SEARCH action_runs USING INDEX action_runs_by_execution (execution_id=? AND start_time<?)"},
		qLatestStageRuns:       {"SEARCH s USING COVERING INDEX stage_runs_latest (pipeline_name=? AND stage_name=?)"},
		qLatestActionRuns:      {"SEARCH a USING COVERING INDEX action_runs_latest (pipeline_name=? AND stage_name=? AND action_name=?)"},
		qWaiting:               {"SEARCH executions USING INDEX executions_active (pipeline_name=?)"},
	}
	for query, want := range seeks {
		plan := explain(t, db.w.db, query)
		for _, w := range want {
			require.Contains(t, plan, w, "query:\n%s\nplan:\n%s", query, plan)
		}
		for _, line := range strings.Split(plan, "\n") { // only the JSON list of names is walked
			if strings.HasPrefix(line, "SCAN ") {
				require.Contains(t, line, "VIRTUAL TABLE", "query:\n%s\nscans a table:\n%s", query, plan)
			}
		}
		if query != qWaiting { // the waiting line sorts its few active executions
			require.NotContains(t, plan, "TEMP B-TREE", "query:\n%s\nsorts:\n%s", query, plan)
		}
	}
}
