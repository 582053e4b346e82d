package faults

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The workload and its faults (issue 13): 100 executions, at most 12 at a time, 20 kills
// of a random server and 3 of the worker.
const (
	executions  = 100
	inFlight    = 12
	kills       = 20
	workerKills = 3
	// settle bounds the wait, after the last fault, for every execution to end: a job whose
	// holder died waits out its lease (30 s) before the rescuer fails it, so only a hang
	// takes this long.
	settle = 4 * time.Minute
)

// pgReplicas is how many servers share the PostgreSQL variant's database and data directory
// (docs/replicas.md).
const pgReplicas = 3

// TestFaultsSQLite runs the workload on one server on SQLite, killed 20 times.
func TestFaultsSQLite(t *testing.T) {
	t.Parallel()
	runFaults(t, variant{replicas: 1})
}

// TestFaultsPostgres runs the workload on replicas sharing one PostgreSQL (the harness's
// own) and one data directory, killing a random one 20 times and PostgreSQL once.
func TestFaultsPostgres(t *testing.T) {
	t.Parallel()
	runFaults(t, variant{replicas: pgReplicas, postgres: true})
}

func runFaults(t *testing.T, v variant) {
	seed := seedOf(t)
	sched := drawSchedule(rand.New(rand.NewPCG(seed, 0)), kills, workerKills, executions, v.replicas, v.postgres)
	t.Logf("seed %d (SLUICE_FAULTS_SEED=%d replays these choices); %s", seed, seed, sched)
	h := setup(t, v)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := newDriver(h, executions, inFlight, sched.Done)
	faultsDone, faultErr := make(chan struct{}), make(chan error, 1)
	begin := time.Now()
	go func() {
		defer close(faultsDone)
		faultErr <- sched.run(ctx, h, d.Started)
	}()
	driveErr := d.Run(ctx, faultsDone, settle)
	workload := time.Since(begin)
	// A hang is reported execution by execution by the checks, not only as the driver's error.
	if driveErr != nil {
		t.Errorf("drive the workload: %v", driveErr)
	}
	cancel()
	<-faultsDone
	if err := <-faultErr; err != nil && driveErr == nil {
		t.Fatalf("apply the faults: %v", err)
	}
	tl, err := check(context.Background(), h, d)
	require.NoError(t, err, "read the final state")
	t.Logf("%d executions in %s: %v; %d action runs, %d re-runs after a kill; actions failed by faults: %v; %d approvals answered, %d of them after a fault since they opened; retried calls: %v",
		len(d.order), workload.Round(time.Millisecond), tl.statuses, tl.runs, tl.reruns, tl.faultFails, tl.approvals, tl.crossed, h.api.Transient())
	for _, l := range tl.leaseLost {
		t.Logf("lease expired after a fault: %s", l)
	}
	for _, p := range h.All() {
		t.Error(p)
	}
	if t.Failed() {
		for _, s := range h.processes() {
			t.Logf("%s log %s, last warnings and errors:\n%s", s.Name, s.LogPath(), warnings(s.LogPath()))
		}
		if h.pg != nil {
			t.Logf("PostgreSQL log, last lines:\n%s", tail(h.pg.Log()))
		}
	}
}

// seedOf is SLUICE_FAULTS_SEED, or a new seed.
func seedOf(t *testing.T) uint64 {
	if s := os.Getenv("SLUICE_FAULTS_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "SLUICE_FAULTS_SEED")
		return seed
	}
	return rand.Uint64()
}
