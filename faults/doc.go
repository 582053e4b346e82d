// Package faults holds the fault harness (its tests): real `sluice server` processes, a
// remote `sluice worker` and, for the PostgreSQL variant, a PostgreSQL of its own, run a
// workload of executions with manual approvals, parallel actions and worker-pinned actions
// while the harness kills servers and the worker with SIGKILL at random instants and restarts its
// PostgreSQL once; then it checks that no execution was lost or left stuck, that no approval
// token was lost and that no action ran more often than at-least-once allows.
//
// Run it with `go test ./faults -run TestFaults -v`; SLUICE_FAULTS_SEED replays a run's
// choices (docs/replicas.md, "Fault harness").
package faults
