package sqlite

import (
	"context"

	"sluice"
)

// ListRuleRuns is replaced by the rule_runs table's reads (migration 0023).
func (db *DB) ListRuleRuns(ctx context.Context, pipeline string, f sluice.RuleRunFilter) ([]*sluice.RuleRun, string, error) {
	return nil, "", sluice.Errorf(sluice.EUnsupported, "", "rule executions are not stored yet")
}
