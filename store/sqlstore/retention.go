package sqlstore

import (
	"context"

	"sluice"
)

// defaultPruneLimit bounds one PruneExecutions call when the caller gives no limit.
const defaultPruneLimit = 200

// The filters every candidate passes: ended, not kept by the caller, not the target of a
// stored rollback (executions_rollbacks holds the few ROLLBACK rows).
const pruneFilters = `
  AND status NOT IN ('InProgress', 'Stopping')
  AND id NOT IN (SELECT value FROM json_each(?3))
  AND id NOT IN (SELECT r.body ->> '$.rollbackTarget' FROM executions r
                 WHERE r.pipeline_name = ?1 AND r.body ->> '$.type' = 'ROLLBACK')`

const (
	// The Nth newest execution's seq: those below it are past a count of N.
	qPruneCountCutoff = `SELECT seq FROM executions WHERE pipeline_name = ?1
ORDER BY seq DESC LIMIT 1 OFFSET ?2`
	// Candidates by age and by count, each one range of an index, oldest first, so a round
	// with nothing to prune reads only the kept rows at the old end of the range.
	qPruneByAge = `SELECT id, seq FROM executions WHERE pipeline_name = ?1 AND start_time < ?2` +
		pruneFilters + ` ORDER BY start_time, seq LIMIT ?4`
	// Those past the age (?5, 0 for none) are left to qPruneByAge, which ran first and
	// returned all of them when it left room in the batch.
	qPruneByCount = `SELECT id, seq FROM executions WHERE pipeline_name = ?1 AND seq < ?2 AND start_time >= ?5` +
		pruneFilters + ` ORDER BY seq LIMIT ?4`
	qPrunedActionRuns = `SELECT id, body FROM action_runs
WHERE execution_id IN (SELECT value FROM json_each(?1)) ORDER BY rowid`
	qPrunedRuleRuns = `SELECT id FROM rule_runs
WHERE execution_id IN (SELECT value FROM json_each(?1)) ORDER BY rowid`
	// The foreign keys cascade to stage runs, action runs, rule runs and jobs. The unary +
	// keeps the planner on the primary key, not on a walk of the pipeline's executions.
	qPruneExecutions = `DELETE FROM executions WHERE id IN (SELECT value FROM json_each(?2))
  AND +pipeline_name = ?1 AND status NOT IN ('InProgress', 'Stopping')`
)

// PruneExecutions deletes up to p.Limit executions past retention with everything that
// hangs off them, and returns their ids, log ids and artifact keys.
func (t *tx) PruneExecutions(ctx context.Context, p sluice.PruneParams) (*sluice.Pruned, error) {
	limit := p.Limit
	if limit <= 0 {
		limit = defaultPruneLimit
	}
	ids, err := t.pruneCandidates(ctx, p, limit)
	if err != nil || len(ids) == 0 {
		return &sluice.Pruned{}, err
	}
	idsJSON, err := toJSON(ids)
	if err != nil {
		return nil, err
	}
	out := &sluice.Pruned{Executions: ids}
	if err := t.prunedRuns(ctx, idsJSON, out); err != nil {
		return nil, err
	}
	if _, err := t.c.exec(ctx, qPruneExecutions, t.name, idsJSON); err != nil {
		return nil, err
	}
	return out, nil
}

// pruneCandidates picks the executions to delete: past the age first, then past the count.
func (t *tx) pruneCandidates(ctx context.Context, p sluice.PruneParams, limit int) ([]string, error) {
	keep, err := toJSON(append([]string{}, p.Keep...))
	if err != nil {
		return nil, err
	}
	var ids []string
	add := func(query string, args ...any) error {
		rows, err := t.c.query(ctx, query, append([]any{t.name, args[0], keep, limit - len(ids)}, args[1:]...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				id  string
				seq int64
			)
			if err := rows.Scan(&id, &seq); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	}
	before := ts(p.Before)
	if before > 0 {
		if err := add(qPruneByAge, before); err != nil {
			return nil, err
		}
	}
	if p.KeepNewest > 0 && len(ids) < limit {
		cutoff, ok, err := t.countCutoff(ctx, p.KeepNewest)
		if err != nil || !ok {
			return ids, err
		}
		if err := add(qPruneByCount, cutoff, before); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// countCutoff returns the seq of the pipeline's nth newest execution, and false when it has
// no more than n.
func (t *tx) countCutoff(ctx context.Context, n int) (int64, bool, error) {
	rows, err := t.c.query(ctx, qPruneCountCutoff, t.name, n-1)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return 0, false, rows.Err()
	}
	var seq int64
	err = rows.Scan(&seq)
	return seq, err == nil, err
}

// prunedRuns collects the log ids and artifact keys of the executions' runs.
func (t *tx) prunedRuns(ctx context.Context, idsJSON string, out *sluice.Pruned) error {
	rows, err := t.c.query(ctx, qPrunedActionRuns, idsJSON)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, body string
		if err := rows.Scan(&id, &body); err != nil {
			return err
		}
		var b actionRunBody
		if err := fromJSON(body, &b); err != nil {
			return err
		}
		out.LogIDs = append(out.LogIDs, id)
		for _, a := range b.OutputArtifacts {
			if a.Key != "" {
				out.Artifacts = append(out.Artifacts, a.Key)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rules, err := t.c.query(ctx, qPrunedRuleRuns, idsJSON)
	if err != nil {
		return err
	}
	defer rules.Close()
	for rules.Next() {
		var id string
		if err := rules.Scan(&id); err != nil {
			return err
		}
		out.LogIDs = append(out.LogIDs, id)
	}
	return rules.Err()
}
