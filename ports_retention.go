package sluice

import (
	"context"
	"time"
)

// PruneParams says which of a pipeline's executions are past retention (see
// ExecutionPruner): those that started before Before (zero: no age limit) and those not
// among the KeepNewest newest by Seq (0: no count limit). Keep names executions to leave
// whatever their age (the retention loop passes those of the engine's Snapshot: active
// executions, the targets of active rollbacks, each stage's rollback target). Limit bounds
// one call (<= 0 means 200), so that a long history is pruned in short transactions.
type PruneParams struct {
	Before     time.Time
	KeepNewest int
	Keep       []string
	Limit      int
}

// Pruned is what PruneExecutions removed from the database, for the caller to remove what
// lives outside it once the transaction has committed: the logs (kept by action run id,
// and by rule run id for the rule runs that run as jobs) and the artifacts (by key).
type Pruned struct {
	Executions []string // ids, oldest first
	LogIDs     []string // ids of their action runs and rule runs
	Artifacts  []string // keys of their action runs' output artifacts
}

// ExecutionPruner deletes the history of a pipeline past its retention, through the
// pipeline's Tx so that it never races the engine.
type ExecutionPruner interface {
	// PruneExecutions deletes, oldest (by Seq) first, up to p.Limit of the transaction's
	// pipeline's executions past retention as p says, with their stage runs, action runs
	// (and their deploy targets), rule runs and jobs, and returns what it deleted. It never deletes an InProgress or
	// Stopping execution, one named in p.Keep, or one that a stored ROLLBACK execution
	// targets (the rollback reads its artifacts; the target goes after it). Neither Before
	// nor KeepNewest set deletes nothing. An unknown pipeline deletes nothing. Outbox
	// events and audit records stay: they record what happened.
	PruneExecutions(ctx context.Context, p PruneParams) (*Pruned, error)
}
